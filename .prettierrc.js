module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
	// npm rewrites package.json with two spaces; JSON files follow it so both agree.
	overrides: [{ files: ['*.json'], options: { useTabs: false, tabWidth: 2 } }],
};
