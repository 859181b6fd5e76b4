/**
 * A minimal SMTP server on 127.0.0.1 that accepts every message and keeps it in memory, so the
 * example workflows' Send Email steps can run unchanged and the e2e can read what they sent.
 * It speaks just enough of RFC 5321 for nodemailer (what n8n's Send Email node uses): EHLO/HELO,
 * MAIL, RCPT, DATA, RSET, NOOP, QUIT. No STARTTLS and no AUTH are offered.
 */
import { createServer, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	/** Header fields, names lower-cased; values unfolded. */
	headers: Record<string, string>;
	subject: string;
	/** The message after the header block, transfer encoding left as sent. */
	body: string;
	raw: string;
}

export class SmtpSink {
	readonly messages: ReceivedMail[] = [];

	private constructor(
		private readonly server: Server,
		readonly port: number,
		private readonly sockets: Set<Socket>,
	) {}

	static async start(): Promise<SmtpSink> {
		const sockets = new Set<Socket>();
		let sink: SmtpSink | undefined;
		const server = createServer((socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			sink!.serve(socket);
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', resolve);
		});
		sink = new SmtpSink(server, (server.address() as AddressInfo).port, sockets);
		return sink;
	}

	clear(): void {
		this.messages.length = 0;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private serve(socket: Socket): void {
		socket.setEncoding('utf8');
		let buffer = '';
		let inData = false;
		let data: string[] = [];
		let from = '';
		let to: string[] = [];
		const reply = (line: string) => socket.write(`${line}\r\n`);

		reply('220 127.0.0.1 ESMTP e2e sink');
		socket.on('error', () => undefined);
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			let newline: number;
			while ((newline = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						this.messages.push(parseMessage(from, to, data.join('\r\n')));
						data = [];
						from = '';
						to = [];
						reply('250 2.0.0 Ok: queued');
					} else {
						// Dot-stuffing: a leading '.' was doubled by the client.
						data.push(line.startsWith('..') ? line.slice(1) : line);
					}
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') {
					socket.write('250-127.0.0.1\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n');
				} else if (verb === 'HELO') {
					reply('250 127.0.0.1');
				} else if (verb === 'MAIL') {
					from = addressOf(line);
					to = [];
					reply('250 2.1.0 Ok');
				} else if (verb === 'RCPT') {
					to.push(addressOf(line));
					reply('250 2.1.5 Ok');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'RSET') {
					from = '';
					to = [];
					reply('250 2.0.0 Ok');
				} else if (verb === 'NOOP') {
					reply('250 2.0.0 Ok');
				} else if (verb === 'QUIT') {
					reply('221 2.0.0 Bye');
					socket.end();
				} else {
					reply('502 5.5.2 Command not implemented');
				}
			}
		});
	}
}

function addressOf(line: string): string {
	const match = /<([^>]*)>/.exec(line);
	return (match ? match[1] : line.slice(line.indexOf(':') + 1)).trim();
}

function parseMessage(from: string, to: string[], raw: string): ReceivedMail {
	const split = raw.indexOf('\r\n\r\n');
	const head = split >= 0 ? raw.slice(0, split) : raw;
	const body = split >= 0 ? raw.slice(split + 4) : '';
	const headers: Record<string, string> = {};
	for (const field of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = field.indexOf(':');
		if (colon > 0) headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
	}
	return { from, to, headers, subject: decodeHeader(headers.subject ?? ''), body, raw };
}

/** Decodes RFC 2047 encoded words (`=?utf-8?Q?...?=` / `=?utf-8?B?...?=`) as nodemailer writes them. */
function decodeHeader(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) => {
			if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
			const bytes = text
				.replace(/_/g, ' ')
				.replace(/=([0-9A-Fa-f]{2})/g, (_hex, code: string) => String.fromCharCode(parseInt(code, 16)));
			return Buffer.from(bytes, 'latin1').toString('utf8');
		});
}
