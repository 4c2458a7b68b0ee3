/**
 * Kling's talking videos and speech, all on the legacy `/v1` API (an API key or an access key +
 * secret key): Text to Speech (synchronous), Avatar (an image and a speech make a talking
 * video), face identification (synchronous) and Lip-Sync (a new speech on a face of a video).
 * Kling's docs: "TTS", "Avatar", "Face Recognition", "Lip Sync".
 */
export const TTS_PATH = '/v1/audio/tts';
export const IDENTIFY_FACE_PATH = '/v1/videos/identify-face';

/** Text to Speech: at most 1,000 characters; speed 0.8 to 2.0 with one decimal. */
export const MAX_TTS_CHARS = 1000;
export const TTS_SPEED = { min: 0.8, max: 2.0, default: 1.0 } as const;
export const TTS_LANGUAGES = ['en', 'zh'] as const;

/**
 * Kling's TTS voices (the "Voice Guide" catalogue of `/v1/audio/tts`, separate from the voices
 * of video generation: a presets-voices id answers "Voice id not found"). The editor offers
 * these; an expression can give any other id of the catalogue.
 */
export const TTS_VOICES: ReadonlyArray<{ id: string; name: string; language: 'en' | 'zh' }> = [
	{ id: 'oversea_male1', name: 'Oversea Male 1', language: 'en' },
	{ id: 'oversea_female1', name: 'Oversea Female 1', language: 'en' },
	{ id: 'uk_boy1', name: 'UK Boy', language: 'en' },
	{ id: 'uk_man2', name: 'UK Man', language: 'en' },
	{ id: 'chinese_male1', name: 'Chinese Male 1', language: 'zh' },
	{ id: 'chinese_female1', name: 'Chinese Female 1', language: 'zh' },
	{ id: 'zhinen_xuesheng', name: 'Student', language: 'zh' },
	{ id: 'ai_shatang', name: 'Shatang', language: 'zh' },
];

/** The speech Avatar takes: 2 s to 5 minutes (Kling's update of 12/04/2025). */
export const AVATAR_SOUND = { product: 'Avatar', minSeconds: 2, maxSeconds: 300 } as const;
/** The speech Lip-Sync takes: 2 to 60 s; the part used lasts at least 2 s. */
export const LIP_SYNC_SOUND = { product: 'Lip-Sync', minSeconds: 2, maxSeconds: 60 } as const;
export const MIN_LIP_SYNC_MS = 2000;
/** sound_volume and original_audio_volume: 0 to 2, 1 by default. */
export const VOLUME_RANGE = { min: 0, max: 2 } as const;
/** Avatar's face image: at most 10 MB (its other limits are Image to Video's). */
export const MAX_AVATAR_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_AVATAR_PROMPT = 2500;
