const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** FusionAuth ids such as userId and applicationId are UUIDs. */
export function isUuid(value: string): boolean {
	return UUID.test(value);
}

/** Shows a value in an error message: quoted, shortened, control characters escaped. */
export function quoteValue(value: string): string {
	const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
	return JSON.stringify(shown);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text that can be sent as UTF-8: no unpaired surrogate (percent-encoding one throws). */
export function isWellFormedText(value: string): boolean {
	return !LONE_SURROGATE.test(value);
}

/** A bearer token is one run of visible characters: no spaces, line breaks or control characters. */
export function isSingleToken(value: string): boolean {
	return /^[\x21-\x7E]+$/.test(value);
}
