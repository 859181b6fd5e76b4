import path from 'path';

import { PACKAGE_ROOT } from './package';

/**
 * A failed check as the suites outside jest print it: its message, then where it failed, the first
 * frames of its stack in this package's own files, with paths from the package's folder. The
 * runners run compiled JS from `.build/` with `--enable-source-maps`, so these name `.ts` lines.
 */
export function failureDetail(error: Error, frames = 3): string {
	const where = (error.stack ?? '')
		.split('\n')
		.filter((line) => /^\s+at /.test(line) && line.includes(PACKAGE_ROOT) && !line.includes(`${path.sep}node_modules${path.sep}`))
		.slice(0, frames)
		.map((line) => `    ${line.trim().split(`${PACKAGE_ROOT}${path.sep}`).join('')}`);
	return [error.message, ...where].join('\n');
}
