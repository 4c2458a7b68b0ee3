import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { NodeOperation } from '../../../shared/action/operations';
import type { KlingItemContext } from '../../../shared/transport/itemContext';
import { perRun } from '../../../shared/transport/runState';
import { sendWithRetries } from '../../../shared/transport/transport';
import { fail } from '../../../shared/checks/validation';

const show = { operation: ['getResourcePacks'] };

export const ACCOUNT_COSTS_PATH = '/account/costs';
/**
 * Kling answers GET /account/costs at most once a second per account; a tenth more keeps two
 * requests apart at Kling's end too when the first one took longer on the way.
 */
const MIN_INTERVAL_MS = 1100;

/** A time field (an ISO date, a date from an expression, or milliseconds) as epoch ms. */
function epochMs(ctx: KlingItemContext, label: string, value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const asDate = value as { toMillis?: () => number };
	const ms =
		typeof value === 'number'
			? value
			: typeof asDate.toMillis === 'function'
				? asDate.toMillis()
				: value instanceof Date
					? value.getTime()
					: Date.parse(String(value));
	if (!Number.isFinite(ms) || ms < 0) {
		fail(
			ctx,
			`${label} must be a date and time, but it is ${JSON.stringify(value)}`,
			'Pick a date, or give an ISO date such as 2026-11-01T00:00:00Z.',
		);
	}
	return Math.round(ms);
}

export async function buildResourcePacksQuery(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const now = Date.now();
	const start = epochMs(this, 'Start Time', this.getNodeParameter('startTime', ''), now);
	const end = epochMs(this, 'End Time', this.getNodeParameter('endTime', ''), now);
	if (end < start) {
		fail(
			this,
			`End Time must not be before Start Time (${new Date(start).toISOString()})`,
			'Leave both empty for the packs valid now.',
		);
	}
	const qs: IDataObject = { start_time: start, end_time: end };
	const name = String(this.getNodeParameter('resourcePackName', '') ?? '').trim();
	if (name !== '') qs.resource_pack_name = name;
	return { ...request, qs };
}

/**
 * The run's reads of /account/costs start a second apart, one after the other: each waits for
 * the time the previous one was sent.
 */
const paceOf = perRun(() => ({ lastSent: Promise.resolve(0) }));

async function paced<T>(ctx: KlingItemContext, send: () => Promise<T>): Promise<T> {
	const pace = paceOf(ctx);
	const previous = pace.lastSent;
	let markSent: (time: number) => void = () => {};
	pace.lastSent = new Promise<number>((resolve) => (markSent = resolve));
	const wait = (await previous) + MIN_INTERVAL_MS - Date.now();
	if (wait > 0) await sleep(wait);
	markSent(Date.now());
	return await send();
}

function isoTime(ms: unknown): string | null {
	const value = Number(ms);
	return ms === undefined || ms === null || !Number.isFinite(value)
		? null
		: new Date(value).toISOString();
}

function simplifyPack(pack: IDataObject): IDataObject {
	return {
		name: pack.resource_pack_name ?? null,
		id: pack.resource_pack_id ?? null,
		type: pack.resource_pack_type ?? null,
		status: pack.status ?? null,
		total: pack.total_quantity ?? null,
		remaining: pack.remaining_quantity ?? null,
		purchasedAt: isoTime(pack.purchase_time),
		effectiveAt: isoTime(pack.effective_time),
		invalidAt: isoTime(pack.invalid_time),
	};
}

/** One item per resource pack (Kling's entry, or a flat one with Simplify). */
export async function sendGetResourcePacks(
	this: KlingItemContext,
	request: IHttpRequestOptions,
): Promise<INodeExecutionData[]> {
	const [answer] = await paced(this, async () => await sendWithRetries(this, request));
	const data = (answer?.json ?? {}) as IDataObject;
	if (data.code !== undefined && data.code !== 0) {
		throw new NodeApiError(this.getNode(), data as JsonObject, {
			message: `Kling could not list the resource packs: ${String(data.msg ?? 'no reason given')} (code ${String(data.code)})`,
			itemIndex: this.getItemIndex(),
		});
	}
	const packs = Array.isArray(data.resource_pack_subscribe_infos)
		? (data.resource_pack_subscribe_infos as IDataObject[])
		: [];
	const simplify = Boolean(this.getNodeParameter('simplify', false));
	const pairedItem = { item: this.getItemIndex() };
	return packs.map((pack) => ({ json: simplify ? simplifyPack(pack) : pack, pairedItem }));
}

const properties: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: 'Packs valid at any time from here to End Time are listed. Empty means now.',
		displayOptions: { show },
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Empty means now',
		displayOptions: { show },
	},
	{
		displayName: 'Resource Pack Name',
		name: 'resourcePackName',
		type: 'string',
		default: '',
		description: 'Only the packs of this name (optional)',
		displayOptions: { show },
	},
];

/** Get Resource Packs: `GET /account/costs`, one item per pack. */
export const getResourcePacks: NodeOperation = {
	value: 'getResourcePacks',
	name: 'Get Resource Packs',
	action: 'Get resource packs',
	description: 'List the account’s resource packs with their remaining units',
	request: () => ({ method: 'GET', url: ACCOUNT_COSTS_PATH }),
	checks: [buildResourcePacksQuery],
	send: sendGetResourcePacks,
	properties,
};
