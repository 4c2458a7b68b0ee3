import type { ModelLimits } from '../../nodes/shared/kling/models';
import type { ProductId } from '../../nodes/shared/kling/products';
import { PRODUCTS, PRODUCT_IDS, limitsOf, modelsOf } from '../../nodes/shared/kling/products';
import type { CurrentProduct, ProductLimits } from '../../simulator';
import { CURRENT_PRODUCT_LIMITS } from '../../simulator';

/**
 * The node's product table (nodes/shared/kling) and the simulator's (simulator/models.ts) are
 * written apart on purpose: the simulator stands in for Kling, so it must not learn Kling's rules
 * from the code it tests. This contract compares the two, so that they cannot drift apart
 * unnoticed: every current-generation product the node speaks, with the same models, each with
 * the same resolutions, durations, aspect ratios, sound choices, multi-shot, last frame, counts
 * of elements and voices, and prompt length.
 */
const currentProducts = PRODUCT_IDS.filter(
	(product) => PRODUCTS[product].endpoint.generation === 'current',
);

/** The simulator's name of a product: its path without the slash. */
function simulatorName(product: ProductId): CurrentProduct {
	return PRODUCTS[product].endpoint.path.slice(1) as CurrentProduct;
}

function durations(limits: ModelLimits): number[] {
	const { durations: range } = limits;
	if (range === undefined) return [];
	if (Array.isArray(range)) return [...range];
	return Array.from({ length: range.max - range.min + 1 }, (_, index) => range.min + index);
}

/** What both tables say, in the simulator's terms. */
function nodeSide(limits: ModelLimits) {
	return {
		resolutions: [...limits.resolutions].sort(),
		durations: durations(limits),
		aspectRatios: [...(limits.aspectRatios ?? [])].sort(),
		audio: [...(limits.audio ?? [])].sort(),
		multiShot: limits.multiShot !== undefined,
		multiShotSetting: limits.multiShot === 'setting',
		lastFrame: limits.lastFrame,
		maxVoices: limits.maxVoices,
		maxPromptChars: limits.maxPrompt,
	};
}

function simulatorSide(limits: ProductLimits) {
	return {
		resolutions: [...limits.resolutions].sort(),
		durations: [...limits.durations],
		aspectRatios: [...limits.aspectRatios].sort(),
		audio: [...limits.audio].sort(),
		multiShot: limits.multiShot,
		multiShotSetting: limits.multiShotSetting,
		lastFrame: limits.lastFrame,
		maxVoices: limits.maxVoices,
		maxPromptChars: limits.maxPromptChars,
	};
}

describe('contract: the node’s product table and the simulator’s', () => {
	it('covers every current-generation product of both', () => {
		expect(currentProducts.length).toBeGreaterThanOrEqual(2);
		const spoken = currentProducts.map(simulatorName).sort();
		for (const name of spoken) expect(Object.keys(CURRENT_PRODUCT_LIMITS)).toContain(name);
	});

	describe.each(currentProducts)('%s', (product) => {
		const simulated = CURRENT_PRODUCT_LIMITS[simulatorName(product)] as Record<
			string,
			ProductLimits
		>;

		it('has the same models', () => {
			expect([...modelsOf(product)].sort()).toEqual(Object.keys(simulated).sort());
		});

		it.each(modelsOf(product))('has the same limits on %s', (model) => {
			const limits = limitsOf(product, model)!;
			expect(nodeSide(limits)).toEqual(simulatorSide(simulated[model]));
			// The simulator's count is the most any combination allows; the node's is per model
			// without the combination rules, which its own checks carry.
			expect(limits.maxElements).toBeLessThanOrEqual(simulated[model].maxElements);
			expect(limits.maxElements > 0).toBe(simulated[model].maxElements > 0);
		});
	});
});
