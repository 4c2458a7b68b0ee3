import os from 'node:os';

export interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	node: string;
	platform: string;
}

export function describeMachine(): Machine {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

export function machineLine(machine: Machine): string {
	return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, Node ${machine.node}, ${machine.platform}`;
}
