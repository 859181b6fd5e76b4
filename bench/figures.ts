/** How the benchmark writes its figures: medians with their range, in fixed digits. */

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function fixed(value: number, digits: number): string {
	return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mb(bytes: number | undefined): string {
	return bytes === undefined ? 'n/a' : fixed(bytes / 1024 / 1024, 0);
}

/** The median, then the lowest and highest: `12 (10-15)`. */
export function spread(values: number[], digits: number, format = (value: number) => fixed(value, digits)): string {
	if (values.length === 0) return 'n/a';
	return `${format(median(values))} (${format(Math.min(...values))}-${format(Math.max(...values))})`;
}
