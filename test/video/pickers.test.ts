import type { INodeProperties } from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';

import { KlingVideo } from '../../nodes/KlingVideo/KlingVideo.node';
import { PRESET_ELEMENTS, PRESET_VOICES } from '../../simulator';
import { KlingTestbed } from '../harness/kling';
import { KLING_VIDEO_TYPE } from '../harness/nodeTypes';
import { NODE_NAME, prepareExecution } from '../harness/runWorkflow';
import { base64, makePng } from '../simulator/testImages';

/**
 * The pickers of elements and voices: n8n-core's LoadOptionsContext (what the editor's
 * "load options" request runs) calls the node's methods against the simulator. Saved lists of IDs
 * and expressions keep working in the fields that use them, and a workflow saved before the
 * Resource field runs unchanged.
 */
const scaledPolling = { pollInterval: 0.003, maxPollInterval: 0.03 };
const PNG = base64(makePng(640, 640));
const node = new KlingVideo();

const bed = new KlingTestbed({ timing: { submittedMs: 20, processingMs: 60 } });
beforeAll(async () => {
	await bed.start();
	bed.useApiKey();
});
afterAll(() => bed.stop());
beforeEach(() => bed.sim.reset());

type Method = keyof typeof node.methods.loadOptions;

/** Runs a loadOptions method as n8n's editor does, for a node with these parameters. */
async function loadOptions(method: Method, parameters: Record<string, unknown> = {}) {
	const prepared = prepareExecution({
		nodeType: KLING_VIDEO_TYPE,
		parameters: parameters as never,
		credentials: { klingApi: bed.credentials },
	});
	const additionalData = { ...prepared.additionalData, currentNodeParameters: parameters as never };
	const kling = prepared.workflow.getNode(NODE_NAME)!;
	const context = new LoadOptionsContext(prepared.workflow, kling, additionalData, 'elementIds');
	return await node.methods.loadOptions[method].call(context);
}

async function make(parameters: Record<string, unknown>) {
	const result = await bed.run({
		nodeType: KLING_VIDEO_TYPE,
		parameters: {
			operation: 'create',
			waitForCompletion: 'poll',
			simplify: true,
			options: scaledPolling,
			...parameters,
		},
	});
	expect(result.error).toBeUndefined();
	return result.items[0].json;
}

const makeElement = async (elementName: string) =>
	await make({
		resource: 'element',
		elementName,
		elementDescription: `${elementName} the robot`,
		imageSource: 'base64',
		frontalImage: PNG,
		referenceImages: [PNG],
	});

const makeVoice = async (voiceName: string) =>
	await make({
		resource: 'voice',
		voiceName,
		voiceUrl: `${bed.sim.url}/samples/voice-10s.mp3`,
	});

describe('pickers', () => {
	it('lists the account’s elements, then Kling’s presets, by name with the ID as value', async () => {
		const zed = await makeElement('Zed');
		const amy = await makeElement('Amy');
		bed.sim.clearRequests();
		const options = await loadOptions('listElements');
		expect(
			bed
				.apiRequests()
				.map((r) => [r.method, r.path, r.query])
				.sort(),
		).toEqual([
			['GET', '/v1/general/advanced-custom-elements', { pageNum: '1', pageSize: '500' }],
			['GET', '/v1/general/advanced-presets-elements', { pageNum: '1', pageSize: '500' }],
		]);
		const presets = [...PRESET_ELEMENTS].sort((a, b) => a.name.localeCompare(b.name));
		expect(options.map((option) => [option.name, option.value])).toEqual([
			['Amy', amy.elementId],
			['Zed', zed.elementId],
			...presets.map((element) => [element.name, element.id]),
		]);
		expect(options[0].description).toBe(`Custom: Amy the robot (ID ${String(amy.elementId)})`);
		expect(options[2].description).toBe(
			`Kling preset: ${presets[0].description} (ID ${presets[0].id})`,
		);
	});

	it('leaves deleted elements out, and the custom list has no presets', async () => {
		const gone = await makeElement('Gone');
		const kept = await makeElement('Kept');
		await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { resource: 'element', operation: 'delete', elementId: String(gone.elementId) },
		});
		const options = await loadOptions('listCustomElements');
		expect(options.map((option) => option.value)).toEqual([kept.elementId]);
	});

	it('lists voices (custom and presets), and the custom ones alone', async () => {
		const mine = await makeVoice('Mine');
		const all = await loadOptions('listVoices');
		const presets = [...PRESET_VOICES].sort((a, b) => a.name.localeCompare(b.name));
		expect(all.map((option) => [option.name, option.value])).toEqual([
			['Mine', mine.voiceId],
			...presets.map((voice) => [voice.name, voice.id]),
		]);
		expect((await loadOptions('listCustomVoices')).map((option) => option.value)).toEqual([
			mine.voiceId,
		]);
	});

	it('says Kling’s error when the list cannot be read', async () => {
		bed.credentials = { ...bed.credentials, apiKey: 'wrong' };
		try {
			await expect(loadOptions('listElements')).rejects.toThrow(/Kling error 1\d{3}/);
		} finally {
			bed.useApiKey();
		}
	});
});

describe('fields that take element and voice IDs', () => {
	const field = (name: string) =>
		node.description.properties.find(
			(p: INodeProperties) =>
				p.name === name && p.displayOptions?.show?.operation?.includes('imageToVideo'),
		);

	it('Image to Video: Element IDs and Voice IDs are lists fed by the pickers, empty by default', () => {
		expect(field('elementIds')).toMatchObject({
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'listElements' },
			default: [],
		});
		expect(field('voiceIds')).toMatchObject({
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'listVoices' },
			default: [],
		});
		expect(Object.keys(node.methods.loadOptions).sort()).toEqual([
			'listCustomElements',
			'listCustomVoices',
			'listElements',
			'listVoices',
		]);
	});

	it('Image to Video sends IDs given by an expression as comma-separated text', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: {
				operation: 'imageToVideo',
				model: 'kling-3.0',
				imageSource: 'base64',
				image: PNG,
				elementIds: `={{ "${PRESET_ELEMENTS[0].id}, ${PRESET_ELEMENTS[1].id}" }}`,
			},
		});
		expect(result.error).toBeUndefined();
		const create = bed.apiRequests().find((r) => r.method === 'POST')!;
		const body = JSON.parse(create.body) as { contents: unknown[] };
		expect(body.contents.filter((item) => (item as { type: string }).type === 'element')).toEqual([
			{ type: 'element', element_id: PRESET_ELEMENTS[0].id, id: '1' },
			{ type: 'element', element_id: PRESET_ELEMENTS[1].id, id: '2' },
		]);
	});
});

describe('workflows saved without a Resource', () => {
	it('run Get Resource Packs as before (Video is the default resource)', async () => {
		const result = await bed.run({
			nodeType: KLING_VIDEO_TYPE,
			parameters: { operation: 'getResourcePacks' },
		});
		expect(result.error).toBeUndefined();
		expect(bed.sim.requests.map((r) => [r.method, r.path])).toContainEqual([
			'GET',
			'/account/costs',
		]);
	});
});
