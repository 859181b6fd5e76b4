/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }],
	},
	testTimeout: 30000,
	// Tests load the package from dist, as n8n does: rebuild it first when the sources changed.
	globalSetup: '<rootDir>/test/harness/globalSetup.ts',
	setupFilesAfterEnv: ['<rootDir>/test/harness/quietLogs.ts'],
};
