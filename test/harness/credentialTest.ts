import './n8nEnvironment';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	INode,
	INodeType,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';

import { KlingApi } from '../../credentials/KlingApi.credentials';
import { KlingVideoExtend } from '../../nodes/KlingVideoExtend/KlingVideoExtend.node';
import { makeAdditionalData } from './runWorkflow';
import { TestNodeTypes } from './nodeTypes';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * Runs the credential's `test` the way n8n's CredentialsTester does (n8n/packages/cli): a
 * temporary copy of the node that uses the credential, whose only property routes the test
 * request, run by n8n-core's RoutingNode; then the test's rules are applied to the answer.
 */
export async function testKlingCredential(
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = new KlingApi();
	const testRequest = credentialType.test as ICredentialTestRequest;
	const nodeType = new KlingVideoExtend();
	const tempNodeType: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new TestNodeTypes();
	nodeTypes.register('temp.kling', tempNodeType);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp.kling',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { klingApi: { id: 'temp', name: 'temp' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = makeAdditionalData(
		{ klingApi: data },
		new ExecutionLifecycleHooks('internal', 'test', {} as never),
	);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, tempNodeType, {
		id: 'temp',
		name: 'temp',
		type: credentialType.name,
		data,
	});
	let response;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const status = error.cause?.response?.status;
		if (status !== undefined && (status < 199 || status > 299)) {
			return { status: 'Error', message: error.cause.response.statusText || `HTTP ${status}` };
		}
		return { status: 'Error', message: String(error.cause?.code ?? error.message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const body = response?.[0]?.[0]?.json as Record<string, unknown> | undefined;
		if (body?.[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
