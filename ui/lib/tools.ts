import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Debian's Chromium (no browser download: none is reachable offline); CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

/**
 * Installs Debian's chromium and ffmpeg when missing (CI starts on a bare machine as root). Both
 * come from the Debian mirror, the only place besides the npm registry this machine reaches.
 */
export function ensureBrowserTools(log: (line: string) => void): void {
	const missing = [
		[CHROMIUM, 'chromium'],
		[FFMPEG, 'ffmpeg'],
	].filter(([binary]) => !existsSync(binary));
	if (missing.length === 0) return;
	const packages = missing.map(([, name]) => name);
	// A font for the screenshots and the demo (recommended by chromium, which --no-install-recommends skips).
	if (packages.includes('chromium')) packages.push('fonts-liberation');
	const command = `apt-get install -y ${packages.join(' ')}`;
	if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
		throw new Error(
			`missing ${missing.map(([binary]) => binary).join(' and ')}: run ${command} as root, or set CHROMIUM_PATH / FFMPEG_PATH`,
		);
	}
	log(`installing ${packages.join(', ')} (${command}, once)`);
	const run = (args: string[]) => {
		const result = spawnSync('apt-get', args, {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	};
	run(['update', '-qq']);
	run(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
	for (const [binary] of missing) {
		if (!existsSync(binary)) throw new Error(`${command} did not install ${binary}`);
	}
}

/** Runs ffmpeg quietly; throws with its output on failure. */
/** ffmpeg output options for an MP4 that Chromium plays and can start before it has all of it. */
export const H264_FOR_BROWSERS = [
	'-pix_fmt',
	'yuv420p',
	'-c:v',
	'libx264',
	'-preset',
	'veryfast',
	'-movflags',
	'+faststart',
];

export function ffmpeg(args: string[]): void {
	const result = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args], {
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed:\n${result.stderr}`);
}

/**
 * A real, tiny H.264 MP4 (3 s of ffmpeg's test pattern) for the simulator's result videos: its own
 * videos are MP4-looking bytes that no player decodes, and the page's player must load this one.
 */
export function sampleVideo(folder: string): string {
	mkdirSync(folder, { recursive: true });
	const file = path.join(folder, 'sample.mp4');
	if (existsSync(file)) return file;
	ffmpeg([
		'-f',
		'lavfi',
		'-i',
		'testsrc2=duration=3:size=320x180:rate=12',
		...H264_FOR_BROWSERS,
		file,
	]);
	return file;
}
