import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createTaskOnce, finishWaiting } from '../../../shared/createTask';
import type { KlingItemContext } from '../../../shared/itemContext';
import { taskView } from '../../../shared/taskResult';
import { checkNumberInRange } from '../../../shared/validation';
import { pollUntilFinished, waitSettings } from '../../../shared/waiting';

const showOnlyForExtendUntil = { operation: ['extendUntil'] };

/** Kling's documented ceiling for an extended video (REFERENCE.md). */
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
	const tasksPath = String(request.url);
	const body = request.body as IDataObject;
	const baseExternalId = String(body.external_task_id);
	const settings = waitSettings(this);
	const steps: Step[] = [];
	let videoId = String(body.video_id);
	let last: INodeExecutionData[] = [];

	for (let step = 1; ; step++) {
		let finished: INodeExecutionData[];
		try {
			const created = await createTaskOnce(this, {
				...request,
				body: { ...body, video_id: videoId, external_task_id: `${baseExternalId}-step-${step}` },
			});
			finished = await pollUntilFinished(this, tasksPath, taskView(created[0]).taskId, settings);
		} catch (error) {
			throw new NodeOperationError(
				this.getNode(),
				`Step ${step} of Extend to Duration failed: ${error.message}`,
				{
					itemIndex: this.getItemIndex(),
					description: describeSteps(steps),
				},
			);
		}
		const view = taskView(finished[0]);
		if (view.status === 'failed') {
			throw new NodeOperationError(
				this.getNode(),
				`Step ${step} of Extend to Duration failed: ${view.statusMessage || 'Kling gave no reason'}`,
				{ itemIndex: this.getItemIndex(), description: describeSteps(steps) },
			);
		}
		steps.push({ step, taskId: view.taskId, videoId: view.videoId, duration: view.duration });
		last = finished;
		if (!(view.duration < target)) break;
		if (view.duration + MIN_STEP_SECONDS > MAX_TOTAL_SECONDS || !view.videoId) {
			throw new NodeOperationError(
				this.getNode(),
				`The video is ${view.duration} s after step ${step}: one more step would pass Kling's 3 minutes, so ${target} s cannot be reached`,
				{ itemIndex: this.getItemIndex(), description: describeSteps(steps) },
			);
		}
		videoId = view.videoId;
	}
	const [result] = await finishWaiting(this, last, tasksPath);
	return [{ ...result, json: { ...result.json, steps: steps as unknown as IDataObject[] } }];
}

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
