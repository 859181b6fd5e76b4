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
