/**
 * A key URI (`otpauth://totp/Issuer:account?secret=...`) that authenticator apps read from a
 * QR code, for FusionAuth's TOTP settings: SHA1, 6 digits, 30 seconds.
 */
export function otpauthUri(issuer: string, accountName: string, secretBase32: string): string {
	const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
	const query = [
		`secret=${secretBase32.replace(/=+$/, '')}`,
		`issuer=${encodeURIComponent(issuer)}`,
		'algorithm=SHA1',
		'digits=6',
		'period=30',
	].join('&');
	return `otpauth://totp/${label}?${query}`;
}
