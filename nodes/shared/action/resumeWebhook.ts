import type { IHookFunctions } from 'n8n-workflow';

/**
 * The lifecycle of an action node's resume webhook (Wait for Completion = Callback).
 *
 * n8n serves a resume URL itself, for as long as an execution waits, and hands it to Kling in the
 * task's `callback_url`: there is no webhook to register, look up or remove at Kling, so each
 * step reports success without sending anything. (n8n 2.41 registers only a workflow's trigger
 * webhooks when it is published; it skips restart webhooks, so it does not call these today.)
 */
export const resumeWebhookLifecycle = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		return true;
	},
	async create(this: IHookFunctions): Promise<boolean> {
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		return true;
	},
};
