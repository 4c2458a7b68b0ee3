// Node and credential code: `@n8n/node-cli`'s cloud configuration, unchanged (what `n8n-node lint`
// applies to a package n8n Cloud may install). n8n's scanner runs too, with its own configuration,
// in `npm run scan`. The simulator, tests, benchmarks and tools are not shipped and may use what
// node code may not (process, timers, node:http), so they get a configuration of their own.
import js from '@eslint/js';
import { config as n8nCloudConfig } from '@n8n/node-cli/eslint';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const shippedCode = ['nodes/**/*.ts', 'credentials/**/*.ts'];

export default defineConfig(
	globalIgnores(['dist/**', 'node_modules/**', '.n8n-runtime/**', '.n8n-data/**', 'coverage/**']),
	{ files: shippedCode, extends: [n8nCloudConfig] },
	{ files: ['package.json'], extends: [n8nCloudConfig] },
	{
		files: ['**/*.ts'],
		ignores: shippedCode,
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			'prefer-spread': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
);
