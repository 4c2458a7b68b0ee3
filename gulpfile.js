const fs = require('fs');
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// tsc emits only JavaScript; n8n also needs the icons and the codex (*.node.json) files in dist/.
function copyIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodexFiles() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(copyIcons, copyCodexFiles));

// tsc never deletes: a file moved or removed in the source would stay in dist/ and be published.
task('clean', async () => fs.rmSync('dist', { recursive: true, force: true }));
