import { readKlingTask, simplifyTask } from '../../nodes/shared/kling/task';

/**
 * Kling's charge of a task as Simplify gives it: `cost`, the amount as a number and its unit
 * (resource-pack units, or a currency), from either API generation's fields (Kling's docs:
 * `billing[]` on the current generation, `final_unit_deduction` on the legacy one). Through the
 * nodes and the simulator: test/video/tasks.test.ts, test/videoExtend/operations.test.ts and the
 * trigger's tests.
 */
const cost = (raw: Record<string, unknown>) => simplifyTask(readKlingTask(raw)!).cost;

describe('cost in Simplify', () => {
	it('reads the current generation’s billing in units, as Kling sends it (a decimal string)', () => {
		expect(
			cost({
				id: '1',
				status: 'succeeded',
				billing: [{ charge_type: 'unit', amount: '2.4', package_type: 'video' }],
			}),
		).toEqual({ amount: 2.4, unit: 'units' });
	});

	it('adds up several entries of one kind, and names the currency of a cash charge', () => {
		expect(
			cost({
				id: '1',
				status: 'succeeded',
				billing: [
					{ charge_type: 'cash', amount: '0.1', currency: 'USD', cash_type: 'balance' },
					{ charge_type: 'cash', amount: '0.2', currency: 'USD', cash_type: 'balance' },
				],
			}),
		).toEqual({ amount: 0.3, unit: 'USD' });
	});

	it('reads the legacy generation’s final_unit_deduction in units', () => {
		expect(cost({ task_id: '1', task_status: 'succeed', final_unit_deduction: '4.5' })).toEqual({
			amount: 4.5,
			unit: 'units',
		});
	});

	it('is null while Kling has charged nothing (no billing yet), in both generations', () => {
		expect(cost({ id: '1', status: 'processing', billing: [] })).toBeNull();
		expect(cost({ id: '1', status: 'submitted' })).toBeNull();
		expect(cost({ task_id: '1', task_status: 'processing' })).toBeNull();
	});

	it('keeps a charge of zero (a failed task Kling did not bill) as zero, not as nothing', () => {
		expect(cost({ task_id: '1', task_status: 'failed', final_unit_deduction: '0' })).toEqual({
			amount: 0,
			unit: 'units',
		});
	});
});
