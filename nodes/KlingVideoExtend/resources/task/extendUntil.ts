import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createTaskOnce } from '../../../shared/tasks/createTask';
import { finishWaiting } from '../../../shared/waiting/createAndWait';
import { EXTENSION_ADVICE, WHAT_KLING_EXTENDS } from '../../../shared/kling/extension';
import { explainExtendRefusal } from '../../../shared/requests/extension';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { taskView } from '../../../shared/tasks/taskResult';
import { checkNumberInRange } from '../../../shared/checks/validation';
import { pollUntilFinished, waitSettings } from '../../../shared/waiting/polling';

const showOnlyForExtendUntil = { operation: ['extendUntil'] };

/** Kling's documented ceiling for an extended video (Kling's docs, "Video Extension"). */
export const MAX_TOTAL_SECONDS = 180;
/** Kling adds 4 to 5 s a step; planning with 4 never promises a step that passes 3 minutes. */
const MIN_STEP_SECONDS = 4;

export async function validateExtendUntilInput(
	this: KlingItemContext,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	checkNumberInRange(
		this,
		'Target Duration',
		this.getNodeParameter('targetDuration', 0),
		MIN_STEP_SECONDS,
		MAX_TOTAL_SECONDS,
	);
	return requestOptions;
}

interface Step {
	step: number;
	taskId: string;
	videoId: string | null;
	duration: number;
}

function describeSteps(steps: Step[]): string {
	if (steps.length === 0) return 'No step had finished.';
	return `Finished: ${steps
		.map((step) => `step ${step.step} made video ${step.videoId} (${step.duration} s)`)
		.join('; ')}. The last finished video can be extended again.`;
}

/**
 * Extends, waits, and extends the result again until the video is at least the target
 * duration. Each step's external id derives from the first one, so every step keeps the
 * create's no-duplicate guarantee.
 */
export async function sendExtendUntil(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const target = Number(this.getNodeParameter('targetDuration', 0));
	const body = request.body as IDataObject;
	const baseExternalId = String(body.external_task_id);
	const settings = waitSettings(this);
	const steps: Step[] = [];
	const stepFailure = (step: number, reason: string) =>
		new NodeOperationError(this.getNode(), `Step ${step} of Extend to Duration failed: ${reason}`, {
			itemIndex: this.getItemIndex(),
			description: describeSteps(steps),
		});
	/** Creates one step's task, waits for it, and stops at a failure naming the step. */
	const runStep = async (step: number, stepRequest: IHttpRequestOptions) => {
		let finished: INodeExecutionData[];
		try {
			const created = await createTaskOnce(this, stepRequest);
			const tasksPath = String(stepRequest.url);
			finished = await pollUntilFinished(this, tasksPath, taskView(created[0]).taskId, settings);
		} catch (error) {
			const videoId = (stepRequest.body as IDataObject).video_id;
			// The first step meets Kling's refusal of a video it does not extend: said as it is.
			if (steps.length === 0) throw explainExtendRefusal(this, error, videoId);
			throw stepFailure(step, (error as Error).message);
		}
		const view = taskView(finished[0]);
		if (view.status === 'failed')
			throw stepFailure(step, view.statusMessage || 'Kling gave no reason');
		steps.push({ step, taskId: view.taskId, videoId: view.videoId, duration: view.duration });
		return { finished, view };
	};

	let current: Awaited<ReturnType<typeof runStep>> | undefined;
	let videoId: string | null = String(body.video_id);
	for (let step = 1; !current || current.view.duration < target; step++) {
		if (current && (current.view.duration + MIN_STEP_SECONDS > MAX_TOTAL_SECONDS || !videoId)) {
			throw new NodeOperationError(
				this.getNode(),
				`The video is ${current.view.duration} s after step ${step - 1}: one more step would pass Kling's 3 minutes, so ${target} s cannot be reached`,
				{ itemIndex: this.getItemIndex(), description: describeSteps(steps) },
			);
		}
		current = await runStep(step, {
			...request,
			body: { ...body, video_id: videoId, external_task_id: `${baseExternalId}-step-${step}` },
		});
		videoId = current.view.videoId;
	}
	const [result] = await finishWaiting(this, current.finished, 'videoExtend');
	return [{ ...result, json: { ...result.json, steps: steps as unknown as IDataObject[] } }];
}

/** Above Video ID, on Extend Video and Extend to Duration: what Kling still extends. */
export const extensionNoticeDescription: INodeProperties[] = [
	{
		displayName: `${WHAT_KLING_EXTENDS}. ${EXTENSION_ADVICE}`,
		name: 'extensionNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['create', 'extendUntil'] } },
	},
];

export const extendUntilDescription: INodeProperties[] = [
	{
		displayName: 'Target Duration (Seconds)',
		name: 'targetDuration',
		type: 'number',
		typeOptions: { minValue: MIN_STEP_SECONDS, maxValue: MAX_TOTAL_SECONDS },
		required: true,
		default: 20,
		description:
			'Extend again and again until the video is at least this long, at most 180 (Kling’s limit); each step adds 4 to 5 seconds',
		displayOptions: { show: showOnlyForExtendUntil },
	},
	{
		displayName: 'Max Wait per Step (Minutes)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 15,
		description: 'How long to wait for each step to finish before giving up',
		displayOptions: { show: showOnlyForExtendUntil },
	},
	{
		displayName: 'Download Video',
		name: 'downloadVideo',
		type: 'boolean',
		default: false,
		description: 'Whether to add the final video to the item as binary data "data"',
		displayOptions: { show: showOnlyForExtendUntil },
	},
];
