/**
 * Percent-encodes everything except RFC 3986's unreserved characters (letters, digits, `-._~`),
 * as UTF-8. Stricter than encodeURIComponent, which leaves `!'()*` as they are.
 */
export function encodeKeyUriComponent(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/**
 * A key URI (`otpauth://totp/Issuer:account?secret=...&issuer=...`, the Key URI Format that
 * authenticator apps read from a QR code) for FusionAuth's TOTP settings: SHA1, 6 digits, 30 s.
 * Issuer and account name are percent-encoded, a colon inside them too (the label's own
 * separator is the one literal colon); the Base32 secret goes without padding.
 */
export function otpauthUri(issuer: string, accountName: string, secretBase32: string): string {
	const label = `${encodeKeyUriComponent(issuer)}:${encodeKeyUriComponent(accountName)}`;
	const secret = secretBase32.replace(/\s/g, '').replace(/=+$/, '').toUpperCase();
	const query = [
		`secret=${encodeKeyUriComponent(secret)}`,
		`issuer=${encodeKeyUriComponent(issuer)}`,
		'algorithm=SHA1',
		'digits=6',
		'period=30',
	].join('&');
	return `otpauth://totp/${label}?${query}`;
}
