/**
 * The part of Elasticsearch's query_string syntax that user searches send here, for
 * `/api/user/search` with the Elasticsearch engine:
 *
 * - `*` (every user), as Get Many and the user picker send for no query;
 * - `field:value` and bare `value`, where `*` in the value is a wildcard (`email:bulk*`,
 *   the picker's `*jane*`, the legacy `twoFactorEnabled:true`);
 * - `_exists_:field` (`_exists_:twoFactor.methods`);
 * - `!` before a clause, parentheses, and `AND` (Get Many's `(<query>) AND !(_exists_:twoFactor.methods)`);
 * - a one-sided range on a number, `field:>=value` (also `>`, `<`, `<=`), as Elasticsearch's
 *   query string syntax writes it (Continue From Last Run's `insertInstant:>=1700000000000`).
 *
 * Anything else (OR, NOT, `&&`, clauses side by side, quoted phrases, `?`, bracketed ranges, fuzzy, boosts,
 * regular expressions) is refused with a QueryError, which the server answers as FusionAuth's 400:
 * a request that needs more of the syntax fails loudly instead of getting a wrong answer.
 */

export type QueryNode =
	| { kind: 'all' }
	| { kind: 'term'; field?: string; value: string }
	| { kind: 'exists'; field: string }
	| { kind: 'range'; field: string; operator: '>=' | '>' | '<' | '<='; bound: number }
	| { kind: 'not'; node: QueryNode }
	| { kind: 'and'; nodes: QueryNode[] };

export class QueryError extends Error {}

type Token = { type: 'lparen' | 'rparen' | 'not' | 'and' } | { type: 'word'; text: string };

const FIELD = /^[A-Za-z_][\w.]*$/;
/** Letters, digits and `. _ @ + -` as in emails and ids, not led by an operator; `*` is the only wildcard. */
const VALUE = /^[\w.@*][\w.@*+-]*$/;
const UNSUPPORTED_OPERATORS = new Set(['OR', 'NOT', '&&', '||']);

function unsupported(near: string): QueryError {
	return new QueryError(`Unsupported query syntax near [${near}]: this server answers only *, field:value, _exists_:field, ! (...) and AND`);
}

function tokenize(input: string): Token[] {
	const tokens: Token[] = [];
	for (const piece of input.match(/[()]|[^\s()]+/g) ?? []) {
		if (piece === '(') {
			tokens.push({ type: 'lparen' });
			continue;
		}
		if (piece === ')') {
			tokens.push({ type: 'rparen' });
			continue;
		}
		// `!` is an operator only in front: `!(...)` or `!field:value`.
		let text = piece;
		while (text.startsWith('!')) {
			tokens.push({ type: 'not' });
			text = text.slice(1);
		}
		if (text === '') {
			continue;
		}
		if (text === 'AND') {
			tokens.push({ type: 'and' });
		} else if (UNSUPPORTED_OPERATORS.has(text)) {
			throw unsupported(text);
		} else {
			tokens.push({ type: 'word', text });
		}
	}
	return tokens;
}

function clause(text: string): QueryNode {
	if (text === '*') {
		return { kind: 'all' };
	}
	const colon = text.indexOf(':');
	if (colon < 0) {
		if (!VALUE.test(text)) {
			throw unsupported(text);
		}
		return { kind: 'term', value: text };
	}
	const field = text.slice(0, colon);
	const value = text.slice(colon + 1);
	if (value === '') {
		throw new QueryError(`Missing value for field [${field}]`);
	}
	if (field === '_exists_') {
		if (!FIELD.test(value)) {
			throw unsupported(text);
		}
		return { kind: 'exists', field: value };
	}
	const range = /^(>=|<=|>|<)(-?\d+)$/.exec(value);
	if (range !== null && FIELD.test(field)) {
		return { kind: 'range', field, operator: range[1] as '>=' | '>' | '<' | '<=', bound: Number(range[2]) };
	}
	if (!FIELD.test(field) || !VALUE.test(value) || value === '*') {
		throw unsupported(text);
	}
	return { kind: 'term', field, value };
}

class Parser {
	private position = 0;

	constructor(private readonly tokens: Token[]) {}

	parse(): QueryNode {
		if (this.tokens.length === 0) {
			throw new QueryError('Empty query');
		}
		const node = this.parseAnd();
		if (this.position < this.tokens.length) {
			throw new QueryError('Unmatched closing parenthesis');
		}
		return node;
	}

	private parseAnd(): QueryNode {
		const nodes = [this.parseUnary()];
		while (this.tokens[this.position]?.type === 'and') {
			this.position++;
			nodes.push(this.parseUnary());
		}
		// Elasticsearch joins clauses side by side with OR, which is not answered here.
		const next = this.tokens[this.position];
		if (next !== undefined && next.type !== 'rparen') {
			throw unsupported(next.type === 'word' ? next.text : next.type === 'not' ? '!' : '(');
		}
		return nodes.length === 1 ? nodes[0] : { kind: 'and', nodes };
	}

	private parseUnary(): QueryNode {
		const next = this.tokens[this.position];
		if (next === undefined) {
			throw new QueryError('Unexpected end of query');
		}
		this.position++;
		switch (next.type) {
			case 'not':
				return { kind: 'not', node: this.parseUnary() };
			case 'lparen': {
				const inner = this.parseAnd();
				if (this.tokens[this.position]?.type !== 'rparen') {
					throw new QueryError('Missing closing parenthesis');
				}
				this.position++;
				return inner;
			}
			case 'word':
				return clause(next.text);
			default:
				throw new QueryError('Unexpected operator');
		}
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
		for (const item of current.flat()) {
			if (item !== null && typeof item === 'object' && key in item) {
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

/** Analysed text: a value matches the whole field or one of its tokens, case-insensitively. */
function matchesValue(candidate: string, value: string): boolean {
	const lower = candidate.toLowerCase();
	const tokens = lower.split(/[^a-z0-9]+/);
	if (value.includes('*')) {
		const pattern = new RegExp(`^${value.toLowerCase().replace(/[.+]/g, '\\$&').replace(/\*/g, '.*')}$`);
		return pattern.test(lower) || tokens.some((token) => pattern.test(token));
	}
	const wanted = value.toLowerCase();
	return lower === wanted || tokens.includes(wanted);
}

export function matchesQuery(node: QueryNode, document: Record<string, unknown>): boolean {
	switch (node.kind) {
		case 'all':
			return true;
		case 'exists':
			return valuesAt(document, node.field).length > 0;
		case 'not':
			return !matchesQuery(node.node, document);
		case 'range':
			return valuesAt(document, node.field).some((value) => {
				if (typeof value !== 'number') return false;
				switch (node.operator) {
					case '>=':
						return value >= node.bound;
					case '>':
						return value > node.bound;
					case '<':
						return value < node.bound;
					case '<=':
						return value <= node.bound;
				}
			});
		case 'and':
			return node.nodes.every((child) => matchesQuery(child, document));
		case 'term': {
			const candidates = node.field === undefined ? leafStrings(document) : leafStrings(valuesAt(document, node.field));
			return candidates.some((candidate) => matchesValue(candidate, node.value));
		}
	}
}
