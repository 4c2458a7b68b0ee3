/**
 * n8n-core reads its settings (user folder, binary data mode) when it is first imported, so
 * this module must be imported before anything from n8n-core: it points n8n at a fresh
 * temporary folder per test file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'kling-n8n-'));

process.env.N8N_USER_FOLDER = N8N_USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'kling-tests-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.N8N_TEMPLATES_ENABLED = 'false';
process.env.N8N_BLOCK_ENV_ACCESS_IN_NODE = 'false';
