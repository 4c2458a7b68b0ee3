import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { KlingVideo } from '../../nodes/KlingVideo/KlingVideo.node';
import { KlingVideoExtend } from '../../nodes/KlingVideoExtend/KlingVideoExtend.node';
import { VIDEO_ID_FROM_INPUT } from '../../nodes/KlingVideoExtend/resources/task/create';

/** What the editor shows, decided by n8n's own display rules on the nodes' descriptions. */
const video = new KlingVideo();
const extend = new KlingVideoExtend();

function shown(description: INodeTypeDescription, values: Record<string, string>): string[] {
	const node = { typeVersion: 1 };
	const withDefaults =
		NodeHelpers.getNodeParameters(description.properties, values, true, false, null, description) ??
		{};
	return description.properties
		.filter((property: INodeProperties) =>
			NodeHelpers.displayParameter(withDefaults, property, node, description),
		)
		.map((property) => property.name);
}

describe('Kling Video in the editor', () => {
	it('has the operations under stable values, "Get Many" for getAll, and the resume webhook’s lifecycle', () => {
		const operation = video.description.properties.find((p) => p.name === 'operation');
		expect(
			operation?.options?.map((option) => [option.name, (option as { value: string }).value]),
		).toEqual([
			['Get Many', 'getAll'],
			['Get Resource Packs', 'getResourcePacks'],
			['Get Task', 'get'],
			['Image to Video', 'imageToVideo'],
			['Text to Video', 'textToVideo'],
		]);
		expect(video.description.webhooks).toHaveLength(1);
		expect(Object.keys(video.webhookMethods.default)).toEqual(['checkExists', 'create', 'delete']);
	});

	it.each(['textToVideo', 'imageToVideo'])(
		'%s: defaults to kling-v1-6 and shows the notice only for models Kling cannot extend',
		(operation) => {
			expect(shown(video.description, { operation })).not.toContain('notExtendableNotice');
			for (const model of ['kling-v2-master', 'kling-v2-5-turbo', 'kling-v2-6']) {
				expect(shown(video.description, { operation, model })).toContain('notExtendableNotice');
			}
			for (const model of ['kling-v1', 'kling-v1-6']) {
				expect(shown(video.description, { operation, model })).not.toContain('notExtendableNotice');
			}
			const model = video.description.properties.find(
				(p) => p.name === 'model' && p.displayOptions?.show?.operation?.includes(operation),
			);
			expect(model?.default).toBe('kling-v1-6');
		},
	);

	it('shows Camera Movement for the simple camera only, and the fields of the chosen image source', () => {
		expect(shown(video.description, { operation: 'textToVideo' })).not.toContain('cameraConfig');
		expect(
			shown(video.description, { operation: 'textToVideo', cameraControl: 'simple' }),
		).toContain('cameraConfig');
		const fields = shown(video.description, { operation: 'imageToVideo' });
		expect(fields).toEqual(expect.arrayContaining(['imageSource', 'image', 'imageTail']));
		expect(fields).not.toContain('aspectRatio');
		expect(shown(video.description, { operation: 'get' })).toEqual(
			expect.arrayContaining(['taskKind', 'lookupBy', 'taskId']),
		);
	});
});

describe('Kling Video Extend in the editor', () => {
	it('fills Video ID from the input item by default, and hides it when Extend to Duration starts from a prompt', () => {
		const videoId = extend.description.properties.find((p) => p.name === 'videoId');
		expect(videoId?.default).toBe(VIDEO_ID_FROM_INPUT);
		expect(shown(extend.description, { operation: 'create' })).toContain('videoId');
		expect(shown(extend.description, { operation: 'extendUntil' })).toContain('videoId');
		const fromPrompt = shown(extend.description, { operation: 'extendUntil', startFrom: 'prompt' });
		expect(fromPrompt).not.toContain('videoId');
		expect(fromPrompt).toEqual(
			expect.arrayContaining(['firstVideoPrompt', 'firstVideoModel', 'targetDuration', 'prompt']),
		);
	});
});
