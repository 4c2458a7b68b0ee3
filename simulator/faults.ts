import { STATUS_CODES, type ServerResponse } from 'http';

import { isCurrentPath } from './paths';
import { KlingError, envelope, failure, newRequestId, writeJson } from './errors';
import type { FaultKind, FaultSpec, JsonAnswer } from './types';

const KINDS: readonly FaultKind[] = ['kling-error', 'delay', 'malformed', 'html', 'reset'];

interface Rule {
	readonly spec: FaultSpec;
	readonly method: string | undefined;
	/** undefined: the task API of both generations (/v1 and the current paths). */
	readonly pathPrefix: string | undefined;
	/** Fires left; undefined means unlimited (rate-only rules). */
	remaining: number | undefined;
	readonly random: () => number;
}

/** What to do with one request, decided before it is handled. */
export interface FaultPlan {
	delayBeforeMs: number;
	delayAfterMs: number;
	fault: FaultSpec | undefined;
}

export class FaultRegistry {
	private rules: Rule[] = [];
	private serial = 0;

	add(input: unknown): FaultSpec {
		const spec = validateFaultSpec(input);
		const [method, pathPrefix] = parseMatch(spec.match);
		this.serial += 1;
		this.rules.push({
			spec,
			method,
			pathPrefix,
			remaining: spec.count ?? (spec.rate === undefined ? 1 : undefined),
			// Each rule gets its own seeded generator so a run is reproducible whatever else is queued.
			random: mulberry32(0x4b4c494e + this.serial),
		});
		return spec;
	}

	clear(): void {
		this.rules = [];
		this.serial = 0;
	}

	get pending(): FaultSpec[] {
		return this.rules.map((rule) => rule.spec);
	}

	/**
	 * Rules are tried in the order they were queued. Delays add up; the first other rule that fires
	 * decides the answer, and later rules are left untouched for the next request.
	 */
	plan(method: string, path: string): FaultPlan {
		const plan: FaultPlan = { delayBeforeMs: 0, delayAfterMs: 0, fault: undefined };
		for (const rule of [...this.rules]) {
			if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
			const matches =
				rule.pathPrefix === undefined
					? path.startsWith('/v1') || isCurrentPath(path)
					: path.startsWith(rule.pathPrefix);
			if (!matches) continue;
			if (rule.spec.rate !== undefined && rule.random() >= rule.spec.rate) continue;
			if (rule.remaining !== undefined) {
				rule.remaining -= 1;
				if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
			}
			if (rule.spec.kind === 'delay') {
				const ms = rule.spec.ms ?? 0;
				if (rule.spec.afterHandling) plan.delayAfterMs += ms;
				else plan.delayBeforeMs += ms;
				continue;
			}
			plan.fault = rule.spec;
			break;
		}
		return plan;
	}
}

/**
 * Answers with the fault. `handled` is the real answer when the request was handled first
 * (afterHandling), so a malformed body can be a truncated version of it.
 */
export function writeFault(res: ServerResponse, fault: FaultSpec, handled?: JsonAnswer): void {
	switch (fault.kind) {
		case 'kling-error': {
			const headers: Record<string, string> = {};
			if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
			writeJson(res, failure(new KlingError(fault.code ?? 5000), headers));
			return;
		}
		case 'malformed': {
			const complete = JSON.stringify(
				handled?.body ??
					envelope(0, 'SUCCEED', { task_id: '000000000000000000', task_status: 'submitted' }),
			);
			const truncated = complete.slice(0, Math.max(1, Math.floor(complete.length / 2)));
			res.writeHead(200, {
				'Content-Type': 'application/json',
				'Content-Length': Buffer.byteLength(truncated),
			});
			res.end(truncated);
			return;
		}
		case 'html': {
			const status = fault.status ?? 502;
			const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
			const page =
				`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
				`<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n` +
				`<!-- request ${newRequestId()} -->\r\n</body>\r\n</html>\r\n`;
			res.writeHead(status, {
				'Content-Type': 'text/html',
				'Content-Length': Buffer.byteLength(page),
			});
			res.end(page);
			return;
		}
		case 'reset':
		case 'delay':
			// A delay never reaches here; treat it like a reset rather than answer nothing forever.
			res.socket?.destroy();
			return;
	}
}

export function validateFaultSpec(input: unknown): FaultSpec {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		throw new TypeError('a fault must be an object');
	}
	const spec = input as Record<string, unknown>;
	if (!KINDS.includes(spec.kind as FaultKind)) {
		throw new TypeError(`fault kind must be one of ${KINDS.join(', ')}`);
	}
	const number = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
		const value = spec[name];
		if (value === undefined) return;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
			throw new TypeError(`fault ${name} must be a number in [${min}, ${max}]`);
		}
	};
	number('code', 0);
	number('ms', 0);
	number('status', 100, 599);
	number('retryAfter', 0);
	number('count', 1);
	number('rate', 0, 1);
	if (spec.match !== undefined && typeof spec.match !== 'string') {
		throw new TypeError("fault match must be a string like 'POST /v1/videos/video-extend'");
	}
	if (spec.afterHandling !== undefined && typeof spec.afterHandling !== 'boolean') {
		throw new TypeError('fault afterHandling must be a boolean');
	}
	return { ...(spec as unknown as FaultSpec) };
}

/**
 * 'POST /v1/x' -> ['POST', '/v1/x']; 'GET' -> ['GET', undefined]; '/v1/x' -> [undefined, '/v1/x'].
 * No path means every task request of both generations: /v1/… and /text-to-video/…,
 * /image-to-video/…, /tasks.
 */
function parseMatch(match: string | undefined): [string | undefined, string | undefined] {
	const parts = (match ?? '').trim().split(/\s+/).filter(Boolean);
	let method: string | undefined;
	let path: string | undefined;
	for (const part of parts) {
		if (part.startsWith('/')) path = part;
		else if (part !== '*') method = part.toUpperCase();
	}
	return [method, path];
}

function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
