/**
 * End-to-end suite (npm run test:e2e): a real n8n with the built package, see e2e/README.md.
 * Kept apart from `npm test` (jest.config.js only looks in test/).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	// The first run installs n8n (about 6 minutes); starting n8n and the burst take a minute each.
	testTimeout: 5 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
