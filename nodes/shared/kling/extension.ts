/**
 * What Kling's video extension still does (Kling's docs, "Video Extension", and its update log):
 * it extends V1.x videos made through the API, and Kling deletes videos after 30 days; Kling
 * retired the V1.x models, so no new video can be extended.
 */
export const WHAT_KLING_EXTENDS =
	'Kling extends only V1.x videos made through its API in the last 30 days';

export const EXTENSION_ADVICE =
	'Kling no longer makes V1.x videos (it retired those models), so videos of its current models (Kling 3.0 Turbo, 3.0, 2.6, 2.5 Turbo) cannot be extended. For a longer video, make one of up to 15 seconds with Kling Video (Kling 3.0 or 3.0 Turbo, with Multi-Shot if you like).';
