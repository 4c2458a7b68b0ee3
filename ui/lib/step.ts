import type { Page } from 'playwright-core';

import type { UiStack } from './stack';

/** What a step of the browser suite gets: the page, the running stack, and the demo's pacing. */
export interface StepContext {
	page: Page;
	ui: UiStack;
	demo: boolean;
	screenshot(name: string): Promise<void>;
	/** Waits in the demo only, so that a person can follow. */
	pause(ms: number): Promise<void>;
}

export interface Step {
	title: string;
	/** Later steps cannot run without this one. */
	required?: boolean;
	run(t: StepContext): Promise<void>;
}
