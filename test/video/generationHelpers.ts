import { CURRENT_TASKS_PATH, PRODUCTS, PRODUCT_IDS } from '../../nodes/shared/kling/products';
import type { RecordedRequest } from '../../simulator';
import type { KlingTestbed } from '../harness/kling';

/**
 * What Kling Video sent the simulator on the current generation (creates and task reads; the
 * admin routes and video downloads left out).
 */
/** The current generation's create paths (from the product table) and its task reads. */
const CURRENT_PATHS = [
	...PRODUCT_IDS.map((product) => PRODUCTS[product].endpoint)
		.filter((endpoint) => endpoint.generation === 'current')
		.map((endpoint) => endpoint.path),
	CURRENT_TASKS_PATH,
];

export function klingRequests(bed: KlingTestbed): RecordedRequest[] {
	return bed.sim.requests.filter((request) =>
		CURRENT_PATHS.some((path) => request.path === path || request.path.startsWith(`${path}/`)),
	);
}

/**
 * The body of the one create request, as Kling got it. The external id the node's plumbing
 * adds when the user gave none is checked for its shape and left out, so that each test states
 * the rest of the body exactly.
 */
export function sentCreate(bed: KlingTestbed, path: string): Record<string, unknown> {
	const creates = klingRequests(bed).filter((request) => request.method === 'POST');
	expect(creates).toHaveLength(1);
	expect(creates[0].path).toBe(path);
	const body = JSON.parse(creates[0].body) as Record<string, unknown>;
	const options = body.options as Record<string, unknown> | undefined;
	if (options && typeof options.external_task_id === 'string') {
		if (/^n8n-/.test(options.external_task_id)) delete options.external_task_id;
		if (Object.keys(options).length === 0) delete body.options;
	}
	return body;
}
