/**
 * A small subset of Elasticsearch's query_string syntax, enough for user searches such as
 * `active:true AND !(_exists_:twoFactor.methods)`: field:value terms, `*` and `?` wildcards,
 * quoted phrases, `_exists_:field`, AND / OR / NOT (also && || ! - +), parentheses.
 * Juxtaposed clauses are joined with OR, Elasticsearch's default operator.
 */

export type QueryNode =
	| { kind: 'all' }
	| { kind: 'term'; field?: string; value: string; phrase: boolean }
	| { kind: 'exists'; field: string }
	| { kind: 'not'; node: QueryNode }
	| { kind: 'and'; nodes: QueryNode[] }
	| { kind: 'or'; nodes: QueryNode[] };

export class QueryParseError extends Error {}

type Token =
	| { type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'plus' }
	| { type: 'word'; text: string; quoted: boolean };

function tokenize(input: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < input.length) {
		const char = input[i];
		if (/\s/.test(char)) {
			i++;
		} else if (char === '(') {
			tokens.push({ type: 'lparen' });
			i++;
		} else if (char === ')') {
			tokens.push({ type: 'rparen' });
			i++;
		} else if (char === '!' || (char === '-' && (i === 0 || /[\s(]/.test(input[i - 1])))) {
			tokens.push({ type: 'not' });
			i++;
		} else if (char === '+' && (i === 0 || /[\s(]/.test(input[i - 1]))) {
			tokens.push({ type: 'plus' });
			i++;
		} else if (input.startsWith('&&', i)) {
			tokens.push({ type: 'and' });
			i += 2;
		} else if (input.startsWith('||', i)) {
			tokens.push({ type: 'or' });
			i += 2;
		} else if (char === '"') {
			const end = input.indexOf('"', i + 1);
			if (end < 0) {
				throw new QueryParseError('Unterminated quoted phrase');
			}
			tokens.push({ type: 'word', text: input.slice(i + 1, end), quoted: true });
			i = end + 1;
		} else {
			let text = '';
			while (i < input.length && !/[\s()"]/.test(input[i])) {
				if (input[i] === '\\' && i + 1 < input.length) {
					text += input[i + 1];
					i += 2;
					continue;
				}
				text += input[i];
				i++;
				// A quoted value right after `field:` belongs to this term.
				if (text.endsWith(':') && input[i] === '"') {
					const end = input.indexOf('"', i + 1);
					if (end < 0) {
						throw new QueryParseError('Unterminated quoted phrase');
					}
					tokens.push({ type: 'word', text: text + input.slice(i + 1, end), quoted: true });
					text = '';
					i = end + 1;
					break;
				}
			}
			if (text === 'AND') {
				tokens.push({ type: 'and' });
			} else if (text === 'OR') {
				tokens.push({ type: 'or' });
			} else if (text === 'NOT') {
				tokens.push({ type: 'not' });
			} else if (text.length > 0) {
				if (/^[[{]|[\]}]$|~|\^|\/.*\//.test(text)) {
					throw new QueryParseError(`Unsupported query syntax near [${text}]`);
				}
				tokens.push({ type: 'word', text, quoted: false });
			}
		}
	}
	return tokens;
}

class Parser {
	private position = 0;

	constructor(private readonly tokens: Token[]) {}

	parse(): QueryNode {
		if (this.tokens.length === 0) {
			throw new QueryParseError('Empty query');
		}
		const node = this.parseOr();
		if (this.position < this.tokens.length) {
			throw new QueryParseError('Unexpected token');
		}
		return node;
	}

	private peek(): Token | undefined {
		return this.tokens[this.position];
	}

	private parseOr(): QueryNode {
		const nodes = [this.parseAnd()];
		for (;;) {
			const next = this.peek();
			if (next === undefined || next.type === 'rparen') {
				break;
			}
			if (next.type === 'or') {
				this.position++;
			}
			nodes.push(this.parseAnd());
		}
		return nodes.length === 1 ? nodes[0] : { kind: 'or', nodes };
	}

	private parseAnd(): QueryNode {
		const nodes = [this.parseUnary()];
		while (this.peek()?.type === 'and') {
			this.position++;
			nodes.push(this.parseUnary());
		}
		return nodes.length === 1 ? nodes[0] : { kind: 'and', nodes };
	}

	private parseUnary(): QueryNode {
		const next = this.peek();
		if (next?.type === 'not') {
			this.position++;
			return { kind: 'not', node: this.parseUnary() };
		}
		if (next?.type === 'plus') {
			this.position++;
			return this.parseUnary();
		}
		return this.parsePrimary();
	}

	private parsePrimary(): QueryNode {
		const next = this.peek();
		if (next === undefined) {
			throw new QueryParseError('Unexpected end of query');
		}
		if (next.type === 'lparen') {
			this.position++;
			const inner = this.parseOr();
			if (this.peek()?.type !== 'rparen') {
				throw new QueryParseError('Missing closing parenthesis');
			}
			this.position++;
			return inner;
		}
		if (next.type !== 'word') {
			throw new QueryParseError('Unexpected operator');
		}
		this.position++;
		const colon = next.text.indexOf(':');
		if (colon > 0) {
			const field = next.text.slice(0, colon);
			const value = next.text.slice(colon + 1);
			if (value.length === 0) {
				// `field:(a OR b)` is not supported here.
				throw new QueryParseError(`Missing value for field [${field}]`);
			}
			if (field === '_exists_') {
				return { kind: 'exists', field: value };
			}
			if (value === '*' && !next.quoted) {
				return { kind: 'exists', field };
			}
			return { kind: 'term', field, value, phrase: next.quoted };
		}
		if (next.text === '*' && !next.quoted) {
			return { kind: 'all' };
		}
		return { kind: 'term', value: next.text, phrase: next.quoted };
	}
}

export function parseQueryString(input: string): QueryNode {
	return new Parser(tokenize(input)).parse();
}

/** Values at a dotted path; arrays are flattened as Elasticsearch does. */
function valuesAt(document: unknown, path: string): unknown[] {
	let current: unknown[] = [document];
	for (const key of path.split('.')) {
		const next: unknown[] = [];
		for (const item of current) {
			if (Array.isArray(item)) {
				for (const element of item) {
					if (element !== null && typeof element === 'object' && key in element) {
						next.push((element as Record<string, unknown>)[key]);
					}
				}
			} else if (item !== null && typeof item === 'object' && key in item) {
				next.push((item as Record<string, unknown>)[key]);
			}
		}
		current = next;
	}
	return current.filter((value) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0));
}

function leafStrings(value: unknown, out: string[] = []): string[] {
	if (value === null || value === undefined) {
		return out;
	}
	if (Array.isArray(value)) {
		value.forEach((item) => leafStrings(item, out));
	} else if (typeof value === 'object') {
		Object.values(value as Record<string, unknown>).forEach((item) => leafStrings(item, out));
	} else {
		out.push(String(value));
	}
	return out;
}

function wildcardRegExp(pattern: string): RegExp {
	const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${escaped}$`, 'i');
}

function matchesValue(candidate: string, value: string, phrase: boolean): boolean {
	const lower = candidate.toLowerCase();
	const wanted = value.toLowerCase();
	if (phrase) {
		return lower === wanted || lower.includes(wanted);
	}
	if (value.includes('*') || value.includes('?')) {
		const pattern = wildcardRegExp(value);
		return pattern.test(candidate) || lower.split(/[^a-z0-9]+/).some((token) => pattern.test(token));
	}
	// Analysed text: a term matches the whole value or one of its tokens.
	return lower === wanted || lower.split(/[^a-z0-9]+/).includes(wanted);
}

export function matchesQuery(node: QueryNode, document: Record<string, unknown>): boolean {
	switch (node.kind) {
		case 'all':
			return true;
		case 'exists':
			return valuesAt(document, node.field).length > 0;
		case 'not':
			return !matchesQuery(node.node, document);
		case 'and':
			return node.nodes.every((child) => matchesQuery(child, document));
		case 'or':
			return node.nodes.some((child) => matchesQuery(child, document));
		case 'term': {
			const candidates = node.field === undefined ? leafStrings(document) : leafStrings(valuesAt(document, node.field));
			return candidates.some((candidate) => matchesValue(candidate, node.value, node.phrase));
		}
	}
}
