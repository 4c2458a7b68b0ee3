import { KlingError } from './errors';
import type {
	ResourcePackInfo,
	ResourcePackSpec,
	ResourcePackStatus,
	ResourcePackType,
} from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const TYPES: readonly ResourcePackType[] = ['decreasing_total', 'constant_period'];

/** What an account has unless told otherwise: plenty of units, and one pack long expired. */
export function defaultResourcePacks(now = Date.now()): ResourcePackSpec[] {
	return [
		{
			resource_pack_name: 'Video Generation - 1,000,000 units (simulated)',
			resource_pack_id: 'sim-pack-video-online',
			resource_pack_type: 'decreasing_total',
			total_quantity: 1_000_000,
			purchase_time: now - DAY_MS,
			effective_time: now - DAY_MS,
			invalid_time: now + 365 * DAY_MS,
		},
		{
			resource_pack_name: 'Video Generation - 100 units (simulated, expired)',
			resource_pack_id: 'sim-pack-video-expired',
			resource_pack_type: 'decreasing_total',
			total_quantity: 100,
			remaining_quantity: 40,
			purchase_time: now - 400 * DAY_MS,
			effective_time: now - 400 * DAY_MS,
			invalid_time: now - 35 * DAY_MS,
		},
	];
}

interface Pack {
	readonly name: string;
	readonly id: string;
	readonly type: ResourcePackType;
	readonly total: number;
	remaining: number;
	readonly purchaseTime: number;
	readonly effectiveTime: number;
	readonly invalidTime: number;
}

/**
 * Each account's resource packs. Tasks take units from online packs, the one that expires first
 * first; a failed task gives its units back.
 */
export class ResourcePackLedger {
	private readonly accounts = new Map<string, Pack[]>();
	private serial = 0;

	constructor(private readonly initial: () => readonly ResourcePackSpec[]) {}

	/** Replaces an account's packs. Throws a TypeError naming the bad field. */
	set(account: string, specs: readonly unknown[]): void {
		this.accounts.set(
			account,
			specs.map((spec, index) => this.toPack(spec, index)),
		);
	}

	list(account: string, now = Date.now()): ResourcePackInfo[] {
		return this.packs(account).map((pack) => ({
			resource_pack_name: pack.name,
			resource_pack_id: pack.id,
			resource_pack_type: pack.type,
			total_quantity: pack.total,
			remaining_quantity: pack.remaining,
			purchase_time: pack.purchaseTime,
			effective_time: pack.effectiveTime,
			invalid_time: pack.invalidTime,
			status: statusOf(pack, now),
		}));
	}

	/**
	 * Takes `units` from the account's online packs, or throws 1102 when together they hold fewer.
	 * Returns what gives them back.
	 */
	take(account: string, units: number, now = Date.now()): () => void {
		const online = this.packs(account)
			.filter((pack) => statusOf(pack, now) === 'online')
			.sort((a, b) => a.invalidTime - b.invalidTime);
		const available = online.reduce((sum, pack) => sum + pack.remaining, 0);
		if (available < units) {
			throw new KlingError(
				1102,
				`resource pack used up or expired: the task needs ${units} units, ${available} remain`,
			);
		}
		const taken: Array<[Pack, number]> = [];
		let needed = units;
		for (const pack of online) {
			if (needed <= 0) break;
			const amount = Math.min(pack.remaining, needed);
			pack.remaining -= amount;
			needed -= amount;
			taken.push([pack, amount]);
		}
		let given = false;
		return () => {
			if (given) return;
			given = true;
			for (const [pack, amount] of taken) pack.remaining += amount;
		};
	}

	clear(): void {
		this.accounts.clear();
	}

	private packs(account: string): Pack[] {
		let packs = this.accounts.get(account);
		if (!packs) {
			packs = this.initial().map((spec, index) => this.toPack(spec, index));
			this.accounts.set(account, packs);
		}
		return packs;
	}

	private toPack(input: unknown, index: number): Pack {
		const where = `resource pack ${index}`;
		if (typeof input !== 'object' || input === null || Array.isArray(input)) {
			throw new TypeError(`${where} must be an object`);
		}
		const spec = input as Record<string, unknown>;
		const name = spec.resource_pack_name;
		if (typeof name !== 'string' || name === '') {
			throw new TypeError(`${where}: resource_pack_name must be a non-empty string`);
		}
		const quantity = (field: string, fallback?: number): number => {
			const value = spec[field] ?? fallback;
			if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
				throw new TypeError(`${where}: ${field} must be a number >= 0`);
			}
			return value;
		};
		const type = spec.resource_pack_type ?? 'decreasing_total';
		if (!TYPES.includes(type as ResourcePackType)) {
			throw new TypeError(`${where}: resource_pack_type must be one of ${TYPES.join(', ')}`);
		}
		const id = spec.resource_pack_id ?? `sim-pack-${(this.serial += 1)}`;
		if (typeof id !== 'string') throw new TypeError(`${where}: resource_pack_id must be a string`);
		const now = Date.now();
		const total = quantity('total_quantity');
		const purchaseTime = quantity('purchase_time', now - DAY_MS);
		const effectiveTime = quantity('effective_time', purchaseTime);
		return {
			name,
			id,
			type: type as ResourcePackType,
			total,
			remaining: quantity('remaining_quantity', total),
			purchaseTime,
			effectiveTime,
			invalidTime: quantity('invalid_time', effectiveTime + 365 * DAY_MS),
		};
	}
}

function statusOf(pack: Pack, now: number): ResourcePackStatus {
	if (now < pack.effectiveTime) return 'toBeOnline';
	if (now >= pack.invalidTime) return 'expired';
	return pack.remaining <= 0 ? 'runOut' : 'online';
}
