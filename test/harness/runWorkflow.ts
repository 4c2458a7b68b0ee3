import './n8nEnvironment';

import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { TestCredentialsHelper } from './credentialsHelper';
import { KLING_VIDEO_EXTEND_TYPE, TEST_START_TYPE, TestNodeTypes } from './nodeTypes';

export const nodeTypes = new TestNodeTypes();

export interface RunNodeOptions {
	/** Parameters of the node under test. */
	parameters: INodeParameters;
	/** Items the start node emits; one empty item by default. */
	items?: IDataObject[];
	/** Whole items (with binary data) the start node emits instead of `items`. */
	inputItems?: INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	nodeType?: string;
	continueOnFail?: boolean;
	additionalData?: Partial<IWorkflowExecuteAdditionalData>;
}

export interface NodeRunResult {
	/** Output items of the node under test (first output). */
	items: INodeExecutionData[];
	/** The workflow's error, when the node stopped it. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

export const NODE_NAME = 'Kling';

export function makeAdditionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks: ExecutionLifecycleHooks,
	overrides: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executionId: '1',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		...overrides,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The workflow Start -> node under test, and the data n8n-core runs it with. */
export interface PreparedExecution {
	workflow: Workflow;
	nodes: INode[];
	connections: IConnections;
	additionalData: IWorkflowExecuteAdditionalData;
	runExecutionData: IRunExecutionData;
}

export function prepareExecution(options: RunNodeOptions): PreparedExecution {
	const nodes: INode[] = [
		{
			id: 'start',
			name: 'Start',
			type: TEST_START_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'kling',
			name: NODE_NAME,
			type: options.nodeType ?? KLING_VIDEO_EXTEND_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { klingApi: { id: '1', name: 'Kling account' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes,
		connections,
		nodeTypes,
		active: false,
	});
	const additionalData = makeAdditionalData(
		options.credentials ?? {},
		new ExecutionLifecycleHooks('manual', '1', {} as never),
		options.additionalData,
	);
	const inputItems = options.inputItems ?? (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [inputItems] }, source: null }],
		},
	});
	return { workflow, nodes, connections, additionalData, runExecutionData };
}

/**
 * Runs (or, with runExecutionData of a waiting execution, resumes) a prepared execution inside
 * n8n-core's WorkflowExecute and resolves with n8n's result of the run.
 */
export async function execute(
	prepared: PreparedExecution,
	runExecutionData: IRunExecutionData = prepared.runExecutionData,
	mode: WorkflowExecuteMode = 'manual',
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks(mode, '1', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: prepared.nodes,
		connections: prepared.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	let resolveFinished: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveFinished(run));
	const additionalData = { ...prepared.additionalData, hooks };
	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	await workflowExecute.processRunExecutionData(prepared.workflow);
	return await finished;
}

/** The output and error of the node under test in a run. */
export function resultOf(run: IRun): NodeRunResult {
	const nodeRuns = run.data.resultData.runData[NODE_NAME] ?? [];
	const items = nodeRuns[nodeRuns.length - 1]?.data?.main?.[0] ?? [];
	return {
		items,
		error: run.data.resultData.error as NodeRunResult['error'],
		run,
	};
}

/** Runs Start -> node under test inside n8n-core's WorkflowExecute, as n8n runs a workflow. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	return resultOf(await execute(prepareExecution(options)));
}
