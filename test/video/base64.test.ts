import { isBase64 } from '../../nodes/shared/checks/imageInput';

describe('isBase64 (images given as Base64 text)', () => {
	it('takes Base64 with and without padding, and refuses anything else', () => {
		expect(isBase64(Buffer.from('a PNG, say').toString('base64'))).toBe(true);
		expect(isBase64('QUJD')).toBe(true);
		expect(isBase64('QUI=')).toBe(true);
		expect(isBase64('QQ==')).toBe(true);
		for (const text of ['', '====', 'QQ===', 'Q=Q=', 'QUJD!', 'QUJ-', 'Q', 'QUJDR']) {
			expect([text, isBase64(text)]).toEqual([text, false]);
		}
	});

	it('reads an image of many megabytes without running out of stack', () => {
		const text = Buffer.alloc(30 * 1024 * 1024, 7).toString('base64');
		expect(isBase64(text)).toBe(true);
		expect(isBase64(`${text.slice(0, -8)}*${text.slice(-7)}`)).toBe(false);
	});
});
