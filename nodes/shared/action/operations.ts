import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { optionsField, simplifyField, waitFields } from '../fields/commonFields';
import type { TaskOperation } from './actionNode';
import { waitsForCompletion } from './actionNode';

/**
 * One operation of an action node, as the editor shows it and as it runs (Airtable v2's and
 * OpenAi v2's `<operation>.operation.ts`: the description and the execution side by side). A
 * node's operations are one list: the Operation field's options, the subtitle, which operations
 * wait and which take Additional Fields all derive from it.
 */
export interface NodeOperation extends TaskOperation {
	value: string;
	/** The option's name, which the subtitle repeats. */
	name: string;
	action: string;
	description: string;
	/** The operation's own fields, each shown for this operation. */
	properties: INodeProperties[];
}

const values = (operations: NodeOperation[]) => operations.map((operation) => operation.value);

/** The Operation field: the options in n8n's alphabetical order. */
export function operationField(operations: NodeOperation[], defaultValue: string): INodeProperties {
	const options: INodePropertyOptions[] = operations
		.map(({ name, value, action, description }) => ({ name, value, action, description }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options,
		default: defaultValue,
	};
}

/** The node's subtitle: the name of the chosen operation, as its option says. */
export function operationSubtitle(operations: NodeOperation[]): string {
	const names = Object.fromEntries(operations.map(({ value, name }) => [value, name]));
	return `={{ ${JSON.stringify(names).replace(/","/g, '", "').replace(/":"/g, '": "')}[$parameter["operation"]] }}`;
}

/** The operations by value, as execute() and webhook() look them up. */
export function operationsByValue(operations: NodeOperation[]): Record<string, TaskOperation> {
	return Object.fromEntries(operations.map((operation) => [operation.value, operation]));
}

/** The operations that create tasks (Additional Fields), and those the user's wait applies to. */
export function creatingOperations(operations: NodeOperation[]): string[] {
	return values(operations.filter((operation) => operation.creates !== undefined));
}

export function waitingOperations(operations: NodeOperation[]): string[] {
	return values(operations.filter(waitsForCompletion));
}

/**
 * A node's fields in the order n8n's own nodes use: the Operation, the creating operations' fields,
 * the wait fields, the creates' Additional Fields (`createFields`), the other operations' fields,
 * then Simplify and Options.
 */
export function operationProperties(
	operations: NodeOperation[],
	defaultValue: string,
	createFields: (creating: string[], waiting: string[]) => INodeProperties[],
): INodeProperties[] {
	const creates = operations.filter((operation) => operation.creates !== undefined);
	const others = operations.filter((operation) => operation.creates === undefined);
	return [
		operationField(operations, defaultValue),
		...creates.flatMap((operation) => operation.properties),
		...waitFields(waitingOperations(operations)),
		...createFields(creatingOperations(operations), waitingOperations(operations)),
		...others.flatMap((operation) => operation.properties),
		simplifyField,
		optionsField,
	];
}
