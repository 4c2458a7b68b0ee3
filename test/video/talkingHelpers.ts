import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { ExecutionLifecycleHooks } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import type { RecordedRequest } from '../../simulator';
import type { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE, TEST_START_TYPE } from '../harness/nodeTypes';
import { execute, makeAdditionalData, nodeTypes } from '../harness/runWorkflow';

export const TTS = '/v1/audio/tts';
export const AVATAR = '/v1/videos/avatar/image2video';
export const IDENTIFY_FACE = '/v1/videos/identify-face';
export const LIP_SYNC = '/v1/videos/advanced-lip-sync';

/** What the node sent Kling's legacy talking-video endpoints and the task reads. */
export function talkingRequests(bed: KlingTestbed): RecordedRequest[] {
	return bed.sim.requests.filter((request) => /^\/(v1\/|tasks)/.test(request.path));
}

export function postsTo(bed: KlingTestbed, path: string): RecordedRequest[] {
	return bed.sim.requests.filter((request) => request.method === 'POST' && request.path === path);
}

/**
 * The body of the one create at `path`, as Kling got it; the external id the node adds when the
 * user gave none is checked for its shape and left out.
 */
export function sentBody(bed: KlingTestbed, path: string): Record<string, unknown> {
	const creates = postsTo(bed, path);
	expect(creates).toHaveLength(1);
	const body = JSON.parse(creates[0].body) as Record<string, unknown>;
	if (typeof body.external_task_id === 'string' && /^n8n-/.test(body.external_task_id)) {
		delete body.external_task_id;
	}
	return body;
}

const MIME: Record<string, string> = {
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	png: 'image/png',
};

/** An input item carrying files (name → [bytes, extension]), as HTTP Request hands them on. */
export function withFiles(files: Record<string, [Buffer, string]>): INodeExecutionData {
	const binary = Object.fromEntries(
		Object.entries(files).map(([name, [bytes, extension]]) => [
			name,
			{
				data: bytes.toString('base64'),
				mimeType: MIME[extension] ?? 'application/octet-stream',
				fileName: `${name}.${extension}`,
			},
		]),
	);
	return { json: {}, binary };
}

/**
 * Start → Kling Video (first) → Kling Video (second) in one n8n-core run: the output of the
 * first is the input of the second, as in the editor. Answers each node's output.
 */
export async function runChain(
	first: INodeParameters,
	second: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	inputItems: INodeExecutionData[] = [{ json: {} }],
) {
	const nodes: INode[] = [
		{
			id: 's',
			name: 'Start',
			type: TEST_START_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...[first, second].map(
			(parameters, index): INode => ({
				id: `k${index}`,
				name: index === 0 ? 'First' : 'Second',
				type: KLING_VIDEO_TYPE,
				typeVersion: 1,
				position: [200 * (index + 1), 0],
				parameters,
				credentials: { klingApi: { id: '1', name: 'Kling account' } },
			}),
		),
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'First', type: 'main', index: 0 }]] },
		First: { main: [[{ node: 'Second', type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({ id: 'chain', nodes, connections, nodeTypes, active: false });
	const additionalData = makeAdditionalData(
		{ klingApi: credentials },
		new ExecutionLifecycleHooks('manual', '1', {} as never),
	);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [inputItems] }, source: null }],
		},
	});
	const run = await execute({ workflow, nodes, connections, additionalData, runExecutionData });
	const output = (name: string) => run.data.resultData.runData[name]?.at(-1)?.data?.main[0] ?? [];
	return { first: output('First'), second: output('Second'), error: run.data.resultData.error };
}
