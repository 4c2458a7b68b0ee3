import type { Page } from 'playwright-core';

import { demoChatScript } from '../e2e/lib/agentWorkflows';
import { ScriptedChatModel } from '../e2e/lib/chatModel';
import { byTestId, closeNode, openNode } from './lib/editor';
import type { Step, StepContext } from './lib/step';

/**
 * Example 6 in the editor: a person picks an OpenAI credential for the chat model (the file
 * leaves it for the user), opens the chat and asks for a video; the AI Agent calls Kling Video
 * as a tool and answers with the video's URL. The chat model is `npm start`'s scripted stand-in
 * for OpenAI (e2e/lib/chatModel.ts), started here on loopback with its own credential.
 */

const EXAMPLE_6 = 'klingChatToVideo';
const CREDENTIAL_NAME = 'OpenAI (scripted stand-in)';
const MESSAGE = 'A paper boat drifts down a rainy street';

/** Creates a credential through n8n's REST API, as the signed-in page (its cookie and browser id). */
async function createCredential(page: Page, credential: Record<string, unknown>): Promise<void> {
	const status = await page.evaluate(async (body) => {
		const scope = globalThis as unknown as {
			localStorage: { getItem(key: string): string | null };
			fetch(url: string, init: Record<string, unknown>): Promise<{ status: number }>;
		};
		const response = await scope.fetch('/rest/credentials', {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'browser-id': scope.localStorage.getItem('n8n-browserId') ?? '',
			},
			body: JSON.stringify(body),
		});
		return response.status;
	}, credential);
	if (status !== 200) throw new Error(`creating the OpenAI credential: HTTP ${status}`);
}

export const chatStep: Step = {
	title: 'example 6 from the page: a chat message becomes a video, and the answer shows its URL',
	async run(t: StepContext) {
		const { page } = t;
		const chatModel = new ScriptedChatModel();
		chatModel.use(demoChatScript());
		try {
			const chatModelUrl = await chatModel.start();
			await createCredential(page, {
				name: CREDENTIAL_NAME,
				type: 'openAiApi',
				data: { apiKey: 'sk-scripted-chat-model', url: chatModelUrl },
			});
			t.ui.simulator.clearRequests();

			await page.goto(`${t.ui.n8n.url}/workflow/${EXAMPLE_6}`);
			await byTestId(page, 'canvas-node').first().waitFor();
			await t.pause(800);

			// The chat model's credential, as a person picks theirs.
			await openNode(page, 'OpenAI Chat Model');
			const select = byTestId(page, 'node-credentials-select');
			await select.waitFor();
			const chosen = select.locator('input').first();
			if ((await chosen.inputValue()) !== CREDENTIAL_NAME) {
				await select.click();
				await page.getByRole('option', { name: CREDENTIAL_NAME, exact: true }).first().click();
			}
			await page.waitForFunction(
				([input, name]) => (input as unknown as { value: string }).value === name,
				[await chosen.elementHandle(), CREDENTIAL_NAME] as const,
			);
			await t.screenshot('the OpenAI Chat Model with its credential');
			await closeNode(page);

			await byTestId(page, 'workflow-chat-button').click();
			const input = page.locator('[data-test-id="canvas-chat"] textarea').first();
			await input.waitFor();
			await input.pressSequentially(MESSAGE, { delay: t.demo ? 60 : 0 });
			await input.press('Enter');
			// The agent's answer: a bot message with the video's URL (the tool polls Kling meanwhile).
			const answer = await page
				.locator('[data-test-id="canvas-chat"] .chat-message-from-bot')
				.filter({ hasText: /Your video is ready: http:\/\/127\.0\.0\.1:\d+\/\S+\.mp4/ })
				.last()
				.innerText({ timeout: 90_000 });
			const url = /http:\/\/\S+\.mp4/.exec(answer)?.[0] ?? '';
			const creates = t.ui.simulator.requests.filter(
				(request) => request.method === 'POST' && request.path === '/text-to-video/kling-3.0-turbo',
			);
			if (creates.length !== 1) {
				throw new Error(`expected one Kling Video task, the simulator got ${creates.length}`);
			}
			const prompt = (JSON.parse(creates[0].body) as { prompt?: unknown }).prompt;
			if (prompt !== MESSAGE) {
				throw new Error(`Kling got the prompt ${JSON.stringify(prompt)}, not the chat message`);
			}
			const video = await fetch(url);
			if (!video.ok) throw new Error(`the video's URL ${url} answers HTTP ${video.status}`);
			await t.pause(2500);
			await t.screenshot('the agent answers with the video URL');
		} finally {
			await chatModel.stop();
		}
	},
};
