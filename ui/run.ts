/**
 * `npm run test:ui` and `npm run demo`: a person's first minutes with the package in n8n's editor,
 * driven in Debian's Chromium against the `npm start` stack (real n8n, the built package, the
 * simulator), all on 127.0.0.1 and stopped at the end, also on failure. Each step is asserted on
 * what the page shows and saved as a screenshot in ui-output/screenshots/. With --demo the same
 * steps go at a person's pace and the screen is recorded as ui-output/kling-demo.mp4.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from '../e2e/lib/runtime';
import type { Browser } from './lib/browser';
import { ScreenRecorder, launchBrowser } from './lib/browser';
import type { UiStack } from './lib/stack';
import { startUiStack } from './lib/stack';
import { ensureBrowserTools } from './lib/tools';
import { STEPS } from './steps';
import type { StepContext } from './lib/step';

const OUTPUT = path.join(ROOT, 'ui-output');
const SCREENSHOTS = path.join(OUTPUT, 'screenshots');
const DEMO_VIDEO = path.join(OUTPUT, 'kling-demo.mp4');

function say(line: string): void {
	console.log(`[ui] ${line}`);
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

async function main(): Promise<number> {
	const demo = process.argv.includes('--demo');
	const started = Date.now();
	ensureBrowserTools(say);
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(SCREENSHOTS, { recursive: true });

	let ui: UiStack | undefined;
	let browser: Browser | undefined;
	let passed = 0;
	let failed = 0;
	const stopAll = async () => {
		await browser?.close();
		browser = undefined;
		await ui?.stop();
		ui = undefined;
	};
	const interrupt = () => void stopAll().then(() => process.exit(130));
	process.once('SIGINT', interrupt);
	process.once('SIGTERM', interrupt);
	try {
		ui = await startUiStack(say);
		say(`n8n ${ui.n8n.url}, simulator ${ui.simulator.url}`);
		browser = await launchBrowser({ slowMo: demo ? 120 : undefined });
		const recorder = demo ? new ScreenRecorder() : undefined;
		await recorder?.start(browser.page);
		let shot = 0;
		const context: StepContext = {
			page: browser.page,
			ui,
			demo,
			screenshot: async (name: string) => {
				shot += 1;
				const file = path.join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${slug(name)}.png`);
				await browser?.page.screenshot({ path: file });
			},
			pause: (ms: number) => browser!.page.waitForTimeout(demo ? ms : 0),
		};
		for (const step of STEPS) {
			const stepStarted = Date.now();
			try {
				await step.run(context);
				await context.screenshot(step.title);
				passed += 1;
				say(`✓ ${step.title} (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)`);
			} catch (error) {
				failed += 1;
				await context.screenshot(`${step.title} FAILED`).catch(() => undefined);
				say(`✗ ${step.title}: ${(error as Error).message}`);
				if (step.required) {
					say('later steps need this one: stopping here');
					failed += STEPS.length - STEPS.indexOf(step) - 1;
					break;
				}
			}
		}
		if (recorder) {
			const seconds = await recorder.save(DEMO_VIDEO);
			say(`demo video: ${path.relative(ROOT, DEMO_VIDEO)} (${Math.round(seconds)} s)`);
		}
	} catch (error) {
		failed += 1;
		say(`✗ ${(error as Error).message}`);
	} finally {
		await stopAll();
	}
	// CI keeps the screenshots only when something failed.
	if (process.argv.includes('--ci') && failed === 0) rmSync(SCREENSHOTS, { recursive: true });
	else say(`screenshots: ${path.relative(ROOT, SCREENSHOTS)}/`);
	say(`time: ${Math.round((Date.now() - started) / 1000)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(error);
		console.log('0 passed, 1 failed');
		process.exit(1);
	},
);
