import type { INodeParameters } from 'n8n-workflow';

import { expectNoSecrets } from '../harness/kling';
import { SECRET, TOKEN, TriggerBed, type PostOptions } from '../trigger/setup';
import { captureLogs } from './logCapture';

/**
 * Hostile requests at the Kling Trigger's public URL. Each case states the answer a sender
 * gets and whether a workflow run started; none may start a run it should not, and no answer,
 * item or log may carry a secret.
 */
const bed = new TriggerBed({ credentials: { webhookSecret: SECRET } });
beforeAll(() => bed.start());
afterAll(() => bed.stop());

const task = {
	task_id: '900000000000000001',
	task_status: 'succeed',
	task_status_msg: '',
	created_at: 1_781_080_000_000,
	updated_at: 1_781_080_100_000,
	task_info: { external_task_id: 'hostile-1' },
	task_result: { videos: [] },
};

interface TriggerCase {
	name: string;
	parameters?: INodeParameters;
	/** Sent signed with the credential's secret, like Kling does. */
	signed?: unknown;
	/** Sent as raw bytes with these options. */
	raw?: { body: string | Buffer; options?: PostOptions };
	/** The answer's status; several where n8n's own body parser may answer first. */
	status: number | number[];
	runs: number;
}

const tokenCheck = { tokenCheck: true, token: TOKEN };
const cases: TriggerCase[] = [
	{ name: 'a genuine signed callback', signed: task, status: 200, runs: 1 },
	{ name: 'an unsigned callback', raw: { body: JSON.stringify(task) }, status: 401, runs: 0 },
	{
		name: 'a signed callback whose task_id is a number',
		signed: { ...task, task_id: 42 },
		status: 400,
		runs: 0,
	},
	{ name: 'a signed array', signed: [task], status: 400, runs: 0 },
	{ name: 'a signed string', signed: 'task', status: [400, 422], runs: 0 },
	{ name: 'a signed null', signed: null, status: 400, runs: 0 },
	{
		name: 'a signed object without task_id',
		signed: { task_status: 'succeed' },
		status: 400,
		runs: 0,
	},
	{
		name: 'a signed callback of a status not chosen',
		signed: { ...task, task_status: 'processing' },
		status: 200,
		runs: 0,
	},
	{
		name: 'a signed callback of an unknown status',
		signed: { ...task, task_status: '<script>' },
		status: 200,
		runs: 0,
	},
	{
		name: 'a signed unicode task id',
		signed: { ...task, task_id: '任务-①' },
		status: 200,
		runs: 1,
	},
	{
		name: 'a body over 1 MB',
		raw: { body: JSON.stringify({ ...task, pad: 'x'.repeat(1024 * 1024) }) },
		status: 413,
		runs: 0,
	},
	{ name: 'an empty body (unsigned)', raw: { body: '' }, status: 401, runs: 0 },
	{
		name: 'form data',
		raw: { body: 'task_id=1', options: { contentType: 'application/x-www-form-urlencoded' } },
		status: 401,
		runs: 0,
	},
	{
		name: 'the right token but no signature',
		parameters: tokenCheck,
		raw: { body: JSON.stringify(task), options: { query: `?token=${TOKEN}` } },
		status: 401,
		runs: 0,
	},
	{
		name: 'a signed callback with a wrong token',
		parameters: tokenCheck,
		signed: task,
		status: 401,
		runs: 0,
	},
	{
		name: 'forged signature headers',
		raw: {
			body: JSON.stringify(task),
			options: {
				headers: {
					'webhook-id': 'x',
					'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
					'webhook-signature': 'v1,AAAA',
				},
			},
		},
		status: 401,
		runs: 0,
	},
];

it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
	await bed.reset(entry.parameters ?? {});
	const logs = captureLogs();
	let status: number;
	let answer: string;
	try {
		if (entry.raw) {
			const response = await bed.post(entry.raw.body, entry.raw.options);
			status = response.status;
			answer = JSON.stringify(response.data);
		} else {
			const response = await bed.deliver(entry.signed, { secrets: [SECRET] });
			status = response.status;
			answer = response.body;
		}
	} finally {
		logs.restore();
	}
	expect([entry.status].flat()).toContain(status);
	expect(bed.harness.runs).toHaveLength(entry.runs);
	const secrets = bed.secrets([SECRET, SECRET.slice('whsec_'.length)]);
	expectNoSecrets(answer, secrets);
	expectNoSecrets(JSON.stringify(bed.harness.runs), secrets);
	expectNoSecrets(logs.text(), secrets);
});
