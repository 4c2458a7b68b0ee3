import './n8nEnvironment';

import { Container } from '@n8n/di';
import type { IBinaryData } from 'n8n-workflow';
import { BinaryDataService } from 'n8n-core';

/** The bytes of a binary item, wherever n8n's binary store keeps them. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	if (binary.id) {
		return await Container.get(BinaryDataService).getAsBuffer(binary);
	}
	return Buffer.from(binary.data, 'base64');
}
