/**
 * Queue-mode suite (npm run test:queue): n8n with Postgres, Redis, workers and webhook processes,
 * see queue/README.md. Kept apart from `npm test` and `npm run test:e2e`.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/queue'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
