import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

import { CHROMIUM, H264_FOR_BROWSERS, ffmpeg } from './tools';

/**
 * Flags for a closed network: without them Chromium keeps trying to reach Google's services
 * (updates, sync, QUIC probes) and fills its log with refused connections.
 */
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

/** Headless Chromium with a new, empty profile that is deleted on close. */
export async function launchBrowser(options: { slowMo?: number } = {}): Promise<Browser> {
	const profile = mkdtempSync(path.join(os.tmpdir(), 'kling-ui-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1440, height: 900 },
		slowMo: options.slowMo,
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(20_000);
	return {
		context,
		page,
		close: async () => {
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

/**
 * Frames of the page as the browser paints them (Chrome's screencast), kept in memory as JPEG and
 * written as one MP4 with ffmpeg at the end: Playwright's own recorder needs an ffmpeg build that
 * cannot be downloaded here.
 */
export class ScreenRecorder {
	private readonly frames: Array<{ data: Buffer; at: number }> = [];
	private session: CDPSession | undefined;

	async start(page: Page): Promise<void> {
		this.session = await page.context().newCDPSession(page);
		this.session.on('Page.screencastFrame', (frame) => {
			this.frames.push({ data: Buffer.from(frame.data, 'base64'), at: Date.now() });
			void this.session
				?.send('Page.screencastFrameAck', { sessionId: frame.sessionId })
				.catch(() => undefined);
		});
		await this.session.send('Page.startScreencast', {
			format: 'jpeg',
			quality: 80,
			maxWidth: 1440,
			maxHeight: 900,
		});
	}

	/** Stops recording and writes the video; each frame lasts until the next one was painted. */
	async save(file: string): Promise<number> {
		await this.session?.send('Page.stopScreencast').catch(() => undefined);
		if (this.frames.length === 0) throw new Error('no frame was recorded');
		const folder = mkdtempSync(path.join(os.tmpdir(), 'kling-ui-frames-'));
		try {
			const list: string[] = [];
			this.frames.forEach((frame, index) => {
				const name = `frame-${String(index).padStart(6, '0')}.jpg`;
				writeFileSync(path.join(folder, name), frame.data);
				const next = this.frames[index + 1]?.at ?? frame.at + 2000;
				list.push(`file '${name}'`, `duration ${Math.max(0.04, (next - frame.at) / 1000)}`);
			});
			// The concat demuxer takes the last file's duration only when it is listed twice.
			list.push(list[list.length - 2]);
			writeFileSync(path.join(folder, 'frames.txt'), `${list.join('\n')}\n`);
			mkdirSync(path.dirname(file), { recursive: true });
			ffmpeg([
				'-f',
				'concat',
				'-safe',
				'0',
				'-i',
				path.join(folder, 'frames.txt'),
				'-vf',
				'scale=trunc(iw/2)*2:trunc(ih/2)*2,fps=25',
				...H264_FOR_BROWSERS,
				file,
			]);
			const seconds = (this.frames[this.frames.length - 1].at - this.frames[0].at) / 1000 + 2;
			return seconds;
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	}
}
