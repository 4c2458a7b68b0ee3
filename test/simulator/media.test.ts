import { makeAac, makeMp3, makeMp4, makeWav, readAudioInfo, readVideoInfo } from '../../simulator';

/** A RIFF chunk: id, little-endian size, body, a pad byte for odd sizes. */
function riffChunk(id: string, body: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.write(id, 0, 'latin1');
	head.writeUInt32LE(body.length, 4);
	return Buffer.concat([head, body, Buffer.alloc(body.length % 2)]);
}

function wavWith(chunks: Buffer[]): Buffer {
	const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
	const head = Buffer.alloc(8);
	head.write('RIFF', 0, 'latin1');
	head.writeUInt32LE(body.length, 4);
	return Buffer.concat([head, body]);
}

function fmt(sampleRate: number, channels: number, bits: number, format = 1): Buffer {
	const body = Buffer.alloc(16);
	body.writeUInt16LE(format, 0);
	body.writeUInt16LE(channels, 2);
	body.writeUInt32LE(sampleRate, 4);
	body.writeUInt32LE((sampleRate * channels * bits) / 8, 8);
	body.writeUInt16LE((channels * bits) / 8, 12);
	body.writeUInt16LE(bits, 14);
	return riffChunk('fmt ', body);
}

describe('simulator media headers: how long a sound or a video is', () => {
	it('reads a WAV from fmt and data: data bytes / byte rate, past other chunks', () => {
		expect(readAudioInfo(makeWav(3.5))).toEqual({ format: 'wav', seconds: 3.5 });
		// 44.1 kHz stereo 16-bit, a LIST chunk of odd size before fmt and data.
		const stereo = wavWith([
			riffChunk('LIST', Buffer.alloc(5, 1)),
			fmt(44100, 2, 16),
			riffChunk('data', Buffer.alloc(44100 * 4 * 2)),
		]);
		expect(readAudioInfo(stereo)).toEqual({ format: 'wav', seconds: 2 });
		// A streamed WAV leaves the data size 0: the bytes present count.
		const streamed = makeWav(2.5);
		streamed.writeUInt32LE(0, 40);
		expect(readAudioInfo(streamed).seconds).toBe(2.5);
	});

	it('refuses WAVs it cannot read, naming what is missing', () => {
		expect(() => readAudioInfo(wavWith([fmt(16000, 1, 16)]))).toThrow(
			'is a WAV file without a readable data chunk',
		);
		expect(() => readAudioInfo(wavWith([riffChunk('data', Buffer.alloc(100))]))).toThrow(
			'is a WAV file without a readable fmt chunk before its data',
		);
		expect(() =>
			readAudioInfo(wavWith([fmt(8000, 1, 8, 0x55), riffChunk('data', Buffer.alloc(10))])),
		).toThrow('is a WAV file in an unsupported encoding (format tag 85)');
	});

	it('reads an MP3 by walking frame headers, or from a Xing/Info header, after an ID3v2 tag', () => {
		// 48 kHz MPEG-1 layer III frames of 1152 samples: 24 ms each; 5 s is 208 frames (4.992 s).
		for (const options of [{}, { xing: true }, { id3: true }, { id3: true, xing: true }]) {
			const info = readAudioInfo(makeMp3(5, options));
			expect(info.format).toBe('mp3');
			expect(info.seconds).toBeCloseTo(4.992, 9);
		}
		// An Info header's frame count wins over the frames present (encoders write it).
		const lying = makeMp3(2, { xing: true });
		lying.writeUInt32BE(1000, 4 + 17 + 8);
		expect(readAudioInfo(lying).seconds).toBeCloseTo(24, 9);
	});

	it('reads MPEG-2 layer III frames (576 samples, 72 × bitrate / rate bytes)', () => {
		// MPEG-2, layer III, no CRC; 64 kbit/s, 22.05 kHz, mono: floor(72 × 64000 / 22050) = 208 bytes.
		const frame = Buffer.alloc(208);
		frame.set([0xff, 0xf3, 0x80, 0xc0]);
		const stream = Buffer.concat(Array.from({ length: 100 }, () => frame));
		expect(readAudioInfo(stream).seconds).toBeCloseTo((100 * 576) / 22050, 9);
		// An ID3v1 trailer ends the walk.
		const tagged = Buffer.concat([stream, Buffer.from('TAG'), Buffer.alloc(125)]);
		expect(readAudioInfo(tagged).seconds).toBeCloseTo((100 * 576) / 22050, 9);
	});

	it('reads AAC in ADTS frames and M4A from mvhd; refuses MOV and other formats as sounds', () => {
		// 141 frames of 1024 samples at 48 kHz.
		expect(readAudioInfo(makeAac(3))).toEqual({ format: 'aac', seconds: (141 * 1024) / 48000 });
		expect(readAudioInfo(makeMp4(4.25, 'M4A '))).toEqual({ format: 'm4a', seconds: 4.25 });
		expect(() => readAudioInfo(makeMp4(4, 'qt  '))).toThrow(
			'must be MP3, WAV, M4A or AAC audio (got MOV)',
		);
		expect(() => readAudioInfo(Buffer.from('OggS\0\x02rest of it'))).toThrow(
			'must be MP3, WAV, M4A or AAC audio (got OGG)',
		);
		expect(() => readAudioInfo(Buffer.from('hello, not audio'))).toThrow(
			'must be MP3, WAV, M4A or AAC audio (got an unknown format)',
		);
		expect(() => readAudioInfo(Buffer.from('ID3\x04\0\0\0\0\0\x02ab'))).toThrow(
			'is an MP3 file without a readable MPEG frame header',
		);
	});

	it('reads an MP4 or MOV video from mvhd (version 0 and 1), and refuses what is not one', () => {
		expect(readVideoInfo(makeMp4(9.5))).toEqual({ format: 'mp4', seconds: 9.5 });
		expect(readVideoInfo(makeMp4(10, 'qt  '))).toEqual({ format: 'mov', seconds: 10 });
		// mvhd version 1: 64-bit times and duration, timescale 600.
		const v1 = Buffer.alloc(8 + 112);
		v1.writeUInt32BE(v1.length, 0);
		v1.write('mvhd', 4, 'latin1');
		v1[8] = 1;
		v1.writeUInt32BE(600, 8 + 20);
		v1.writeBigUInt64BE(600n * 42n, 8 + 24);
		const moov = Buffer.concat([Buffer.from([0, 0, 0, 8 + v1.length]), Buffer.from('moov'), v1]);
		const ftyp = makeMp4(1).subarray(0, 24);
		expect(readVideoInfo(Buffer.concat([ftyp, moov]))).toEqual({ format: 'mp4', seconds: 42 });
		expect(() => readVideoInfo(ftyp)).toThrow('is an MP4 file without a readable moov/mvhd header');
		expect(() => readVideoInfo(makeWav(3))).toThrow('must be an MP4 or MOV video (got RIFF WAVE)');
		expect(() => readVideoInfo(makeMp4(3, 'M4A '))).toThrow(
			'must be an MP4 or MOV video (got M4A audio)',
		);
	});
});
