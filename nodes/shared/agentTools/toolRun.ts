import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { compactToolItem } from './toolOutput';
import { toolErrorMessage } from './toolErrors';

/**
 * An action node as a tool of n8n's AI Agent. The node's own execute() runs unchanged, with three
 * differences that a model needs:
 * - Wait for Completion = Callback cannot pause an agent's run: the tool polls instead, and its
 *   output says so (`waitMode`).
 * - The output is a compact item per task (task id, status, video id and URL, duration, external
 *   task id), never the video bytes (Download Video is off, binary data is dropped).
 * - A failure is the tool's answer, `{ error }`: one plain message (what went wrong, the field,
 *   the allowed values, Kling's code) without any secret, so that the model can correct its call.
 *   It is returned, not thrown: seen in n8n 2.41, AI Agent 2.2 (LangChain's AgentExecutor without
 *   handleToolRuntimeErrors) hands the model an empty observation for a thrown error, and AI
 *   Agent 3.1 only the error's message, without its description.
 */

/** What the output says when Callback was asked for and the tool polled instead. */
export const CALLBACK_FALLBACK_WAIT_MODE =
	'poll (callback is not possible inside an AI agent tool)';

/**
 * Whether this run is a tool call of an AI agent. n8n-workflow's `isToolExecution()` says so when
 * the agent calls the tool itself (a supply-data context). n8n 2.x's agents mostly ask the engine
 * to run the tool node instead: that run has an ordinary execute context whose
 * `isToolExecution()` answers false, but the node is typed `<package>.<name>Tool` and its output
 * is rewired to the agent's `ai_tool` connection.
 */
export function isToolRun(run: IExecuteFunctions): boolean {
	if (typeof run.isToolExecution === 'function' && run.isToolExecution()) return true;
	const node = run.getNode();
	if (node.rewireOutputLogTo === NodeConnectionTypes.AiTool) return true;
	return /Tool$/.test(node.type);
}

/**
 * The run as the node's operations see it inside an agent: Callback reads as Poll, Download Video
 * as off and Simplify as on. `fellBack` tells afterwards whether Callback was asked for.
 *
 * Its execute data is its own object: the operations key run-wide state by it (the reference in
 * generated external task ids, the request limiter). AI Agent 2.x calls every tool of one agent
 * run with the agent's own execute data, so without this, two tool calls would make the same
 * external task id, and Kling would refuse the second create as a duplicate.
 */
function toolView(run: IExecuteFunctions): { run: IExecuteFunctions; fellBack: () => boolean } {
	let fellBack = false;
	const executeData = { ...run.getExecuteData() };
	const getNodeParameter = ((name: string, ...rest: unknown[]) => {
		const value = (run.getNodeParameter as (...args: unknown[]) => unknown)(name, ...rest);
		if (name === 'waitForCompletion' && value === 'callback') {
			fellBack = true;
			return 'poll';
		}
		if (name === 'downloadVideo') return false;
		if (name === 'simplify') return true;
		return value;
	}) as IExecuteFunctions['getNodeParameter'];
	const view = new Proxy(run, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			if (property === 'getExecuteData') return () => executeData;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
		},
	});
	return { run: view, fellBack: () => fellBack };
}

/** The credential's secrets, to keep them out of anything the model reads. */
async function secretsOf(run: IExecuteFunctions): Promise<string[]> {
	try {
		const credential = await run.getCredentials('klingApi');
		return ['apiKey', 'accessKey', 'secretKey', 'webhookSecret']
			.map((key) => credential[key])
			.filter((value): value is string => typeof value === 'string' && value.length >= 4);
	} catch {
		return [];
	}
}

/**
 * The execute() of an action node that is `usableAsTool`: outside an agent it is `execute(run)`;
 * as a tool it runs `execute` on the tool view above and compacts its output or its error.
 */
export async function executeAsToolWhenCalledByAgent(
	run: IExecuteFunctions,
	execute: (run: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	if (!isToolRun(run)) return await execute(run);
	const view = toolView(run);
	let output: INodeExecutionData[][];
	try {
		output = await execute(view.run);
	} catch (error) {
		const message = toolErrorMessage(error as Error, await secretsOf(run));
		return [[{ json: { error: message }, pairedItem: { item: 0 } }]];
	}
	const waitMode = view.fellBack() ? CALLBACK_FALLBACK_WAIT_MODE : undefined;
	return output.map((items) => items.map((item) => compactToolItem(item, waitMode)));
}
