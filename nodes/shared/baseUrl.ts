/**
 * The credential's Base URL, read by one rule wherever it is used (the node and the credential
 * test): where FusionAuth is served, with an optional path prefix, and nothing that could move a
 * request out of that server's `/api/` or replace the API key.
 */

/** Why a Base URL cannot be used, as one sentence naming the field; undefined when it can. */
export function baseUrlProblem(raw: unknown): string | undefined {
	const text = String(raw ?? '').trim();
	if (text === '') return 'The Base URL in the FusionAuth credential is empty';
	// Checked on the text: the URL parser drops an empty query or fragment ("?", "#") silently.
	if (/[\p{Cc}\s]/u.test(text)) {
		return 'The Base URL in the FusionAuth credential contains spaces or control characters';
	}
	if (!/^https?:\/\/[^/?#]/i.test(text)) {
		return 'The Base URL in the FusionAuth credential must start with http:// or https://, for example https://auth.example.com';
	}
	if (text.includes('?')) {
		return 'The Base URL in the FusionAuth credential must not have a query (?...): the node adds each endpoint and its query itself';
	}
	if (text.includes('#')) {
		return 'The Base URL in the FusionAuth credential must not have a fragment (#...)';
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return 'The Base URL in the FusionAuth credential is not a valid URL';
	}
	const authority = text.replace(/^https?:\/\//i, '').split('/')[0];
	if (authority.includes('@') || url.username !== '' || url.password !== '') {
		return 'The Base URL in the FusionAuth credential must not contain a user name or password (user:pass@): FusionAuth takes the API key, which goes in the API Key field';
	}
	if (/\/api\/*$/i.test(url.pathname)) {
		return 'The Base URL in the FusionAuth credential must not end in /api: the node adds /api/... itself, so give where FusionAuth is served (for example https://auth.example.com)';
	}
	return undefined;
}

/**
 * The Base URL as requests are built on it: scheme, host, port and any path prefix, without
 * trailing slashes. Throws an Error whose message is `baseUrlProblem`'s sentence.
 */
export function parseBaseUrl(raw: unknown): string {
	const problem = baseUrlProblem(raw);
	if (problem !== undefined) throw new Error(problem);
	const url = new URL(String(raw).trim());
	return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
