import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers } from 'n8n-workflow';

import { KlingVideo } from '../../nodes/KlingVideo/KlingVideo.node';
import { KlingVideoExtend } from '../../nodes/KlingVideoExtend/KlingVideoExtend.node';
import { CURRENT_CREATE_TYPE, KlingCurrentCreate } from './currentCreateNode';

/**
 * The start node of test workflows: it emits the items a test hands it, as n8n's Manual
 * Trigger (which lives in n8n-nodes-base, not installed here) passes its input on.
 */
export class TestStart implements INodeType {
	description = {
		displayName: 'Test Start',
		name: 'testStart',
		group: ['trigger'],
		version: 1,
		description: 'Emits the items of the test',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export const TEST_START_TYPE = 'test.testStart';
export const KLING_VIDEO_EXTEND_TYPE = 'n8n-nodes-kling.klingVideoExtend';
export const KLING_VIDEO_TYPE = 'n8n-nodes-kling.klingVideo';

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>([
		[TEST_START_TYPE, new TestStart()],
		[KLING_VIDEO_EXTEND_TYPE, new KlingVideoExtend()],
		[KLING_VIDEO_TYPE, new KlingVideo()],
		[CURRENT_CREATE_TYPE, new KlingCurrentCreate()],
	]);

	register(typeName: string, type: INodeType | IVersionedNodeType): void {
		this.types.set(typeName, type);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}
