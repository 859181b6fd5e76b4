import { SigningKidCache } from '../../dist/nodes/FusionAuthTwoFactorTrigger/signingKey';

// The cache of the signing key's kid: what an answer, a refusal and no answer at all each keep.
let clock = 0;
const cache = () => new SigningKidCache(() => clock);
const HOUR = 60 * 60 * 1000;
const noAnswer = { problem: 'the trigger could not reach FusionAuth', noAnswer: true };

function counting(answer: { kid: string } | { problem: string; noAnswer?: boolean }) {
	const calls = { count: 0 };
	return { calls, lookup: async () => (calls.count++, answer) };
}

test('a lookup without an answer, once the kid is due to be read again, keeps the kid known before, and asks again after a second', async () => {
	const kids = cache();
	clock = 0;
	expect(await kids.get('k', async () => ({ kid: 'kid-1' }))).toEqual({ kid: 'kid-1' });
	clock = HOUR + 1;
	const silent = counting(noAnswer);
	expect(await kids.get('k', silent.lookup)).toEqual({ kid: 'kid-1' });
	clock += 500;
	expect(await kids.get('k', silent.lookup)).toEqual({ kid: 'kid-1' });
	expect(silent.calls.count).toBe(1);
	clock += 600;
	const answering = counting({ kid: 'kid-2' });
	expect(await kids.get('k', answering.lookup)).toEqual({ kid: 'kid-2' });
	expect(answering.calls.count).toBe(1);
});

test('with no kid known, a lookup without an answer is refused, and asked again after a second, not a minute', async () => {
	const kids = cache();
	clock = 10 * HOUR;
	expect(await kids.get('k', async () => noAnswer)).toEqual(noAnswer);
	clock += 1001;
	expect(await kids.get('k', async () => ({ kid: 'kid-1' }))).toEqual({ kid: 'kid-1' });
});

test('a refusal in FusionAuth\'s words (the key is gone) replaces the kid, and is not asked again for a minute', async () => {
	const kids = cache();
	clock = 20 * HOUR;
	await kids.get('k', async () => ({ kid: 'kid-1' }));
	clock += HOUR + 1;
	const gone = { problem: 'FusionAuth answered 404 to GET /api/key/...' };
	expect(await kids.get('k', async () => gone)).toEqual(gone);
	clock += 59_000;
	const later = counting({ kid: 'kid-1' });
	expect(await kids.get('k', later.lookup)).toEqual(gone);
	expect(later.calls.count).toBe(0);
	clock += 2000;
	expect(await kids.get('k', later.lookup)).toEqual({ kid: 'kid-1' });
});
