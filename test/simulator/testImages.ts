import { crc32, deflateSync } from 'zlib';

/**
 * Real image files built in memory, so the simulator's header reading meets actual bytes: a PNG
 * any decoder accepts (grey, 8-bit RGB, IDAT compressed with zlib) and a baseline JPEG header.
 */
export function makePng(width: number, height: number, extraBytes = 0): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	const row = Buffer.alloc(1 + width * 3, 0x80);
	row[0] = 0; // filter: none
	const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
	const chunks = [chunk('IHDR', ihdr), chunk('IDAT', pixels)];
	// An ancillary private chunk pads the file for size limits; decoders skip it.
	if (extraBytes > 0) chunks.push(chunk('prVt', Buffer.alloc(extraBytes, 0x5a)));
	chunks.push(chunk('IEND', Buffer.alloc(0)));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length, 0);
	const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData), 0);
	return Buffer.concat([length, typeAndData, crc]);
}

/** SOI, a JFIF APP0 segment, a quantisation table, SOF0 with the size, EOI. */
export function makeJpeg(width: number, height: number): Buffer {
	const segment = (marker: number, body: Buffer) => {
		const head = Buffer.from([0xff, marker, 0, 0]);
		head.writeUInt16BE(body.length + 2, 2);
		return Buffer.concat([head, body]);
	};
	const app0 = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	const dqt = Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]);
	const sof0 = Buffer.alloc(15);
	sof0[0] = 8;
	sof0.writeUInt16BE(height, 1);
	sof0.writeUInt16BE(width, 3);
	sof0[5] = 3;
	sof0.set([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 6);
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, app0),
		segment(0xdb, dqt),
		segment(0xc0, sof0),
		Buffer.from([0xff, 0xd9]),
	]);
}

export function makeGif(width: number, height: number): Buffer {
	const gif = Buffer.alloc(13);
	gif.write('GIF89a', 0, 'latin1');
	gif.writeUInt16LE(width, 6);
	gif.writeUInt16LE(height, 8);
	return Buffer.concat([gif, Buffer.from([0x3b])]);
}

export const base64 = (bytes: Buffer) => bytes.toString('base64');
