import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { optionsField, simplifyField, waitFields } from '../fields/commonFields';
import { PRODUCTS } from '../kling/products';
import type { TaskOperation, TaskOperations } from './actionNode';
import { operationKey, waitsForCompletion } from './actionNode';

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
	/** Options of its own, shown in its Options collection beside everyone's. */
	options?: INodeProperties[];
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

/** The subtitle of a node without resources: the chosen operation's name, as its option says. */
export function operationSubtitle(operations: NodeOperation[]): string {
	const names = Object.fromEntries(operations.map(({ value, name }) => [value, name]));
	return `={{ ${JSON.stringify(names).replace(/","/g, '", "').replace(/":"/g, '": "')}[$parameter["operation"]] }}`;
}

/** The operations of a node without a Resource field, as execute() and webhook() look them up. */
export function operationsByValue(operations: NodeOperation[], resource = ''): TaskOperations {
	return Object.fromEntries(
		operations.map((operation) => [operationKey(resource, operation.value), operation]),
	);
}

/** The operations that create tasks (Additional Fields), and those the user's wait applies to. */
export function creatingOperations(operations: NodeOperation[]): string[] {
	return values(operations.filter((operation) => operation.creates !== undefined));
}

export function waitingOperations(operations: NodeOperation[]): string[] {
	return values(operations.filter(waitsForCompletion));
}

/** The waiting operations whose task ends in a video (Download Video); not elements or voices. */
function downloadingOperations(operations: NodeOperation[]): string[] {
	return values(
		operations.filter(
			(operation) =>
				waitsForCompletion(operation) && PRODUCTS[operation.creates!].result === 'video',
		),
	);
}

/**
 * A node's fields in the order n8n's own nodes use: the Operation, the creating operations' fields,
 * the wait fields, the creates' Additional Fields (`createFields`), the other operations' fields,
 * then Simplify and Options.
 */
export function operationProperties(
	operations: NodeOperation[],
	defaultValue: string,
	createFields: CreateFields,
): INodeProperties[] {
	return [
		operationField(operations, defaultValue),
		...operationFields(operations, createFields),
		simplifyField,
		...optionsFields(operations),
	];
}

/**
 * Options: everyone's, and for an operation with options of its own a variant that adds them
 * (shown for it alone; the common one is hidden there).
 */
function optionsFields(operations: NodeOperation[]): INodeProperties[] {
	const own = operations.filter((operation) => operation.options?.length);
	if (own.length === 0) return [optionsField];
	const byName = (a: INodeProperties, b: INodeProperties) =>
		a.displayName.localeCompare(b.displayName);
	return [
		{ ...optionsField, displayOptions: { hide: { operation: values(own) } } },
		...own.map(
			(operation): INodeProperties => ({
				...optionsField,
				options: [...(optionsField.options as INodeProperties[]), ...operation.options!].sort(
					byName,
				),
				displayOptions: { show: { operation: [operation.value] } },
			}),
		),
	];
}

type CreateFields = (creating: string[], waiting: string[]) => INodeProperties[];

function operationFields(operations: NodeOperation[], createFields: CreateFields) {
	const creates = operations.filter((operation) => operation.creates !== undefined);
	const others = operations.filter((operation) => operation.creates === undefined);
	const waiting = waitingOperations(operations);
	return [
		...creates.flatMap((operation) => operation.properties),
		...(waiting.length > 0 ? waitFields(waiting, downloadingOperations(operations)) : []),
		...(creates.length > 0 ? createFields(creatingOperations(operations), waiting) : []),
		...others.flatMap((operation) => operation.properties),
	];
}

/**
 * One resource of a node with a Resource field (n8n's resource → operation pattern): its
 * operations, and the operation the Operation field starts on.
 */
export interface NodeResource {
	value: string;
	name: string;
	description: string;
	operations: NodeOperation[];
	defaultOperation: string;
	/** The Additional Fields of its creates, when not the node's (see resourceProperties). */
	createFields?: CreateFields;
}

/** The operations of every resource, as execute() and webhook() look them up. */
export function resourceOperations(resources: NodeResource[]): TaskOperations {
	return Object.assign(
		{},
		...resources.map((resource) => operationsByValue(resource.operations, resource.value)),
	) as TaskOperations;
}

/** A field shown only for one resource, on top of its own display rules. */
function forResource(resource: string, property: INodeProperties): INodeProperties {
	const show = { ...property.displayOptions?.show, resource: [resource] };
	return { ...property, displayOptions: { ...property.displayOptions, show } };
}

/**
 * The fields of a node with resources: Resource, then each resource's Operation and fields (each
 * shown for its resource only), then Simplify and Options. A saved workflow without a Resource
 * reads as the default resource. A resource's creates take `createFields` unless it has its own.
 */
export function resourceProperties(
	resources: NodeResource[],
	defaultResource: string,
	createFields: CreateFields,
): INodeProperties[] {
	const resourceField: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources
			.map(({ name, value, description }) => ({ name, value, description }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultResource,
	};
	return [
		resourceField,
		...resources.map((resource) =>
			forResource(resource.value, operationField(resource.operations, resource.defaultOperation)),
		),
		...resources.flatMap((resource) =>
			operationFields(resource.operations, resource.createFields ?? createFields).map((property) =>
				forResource(resource.value, property),
			),
		),
		simplifyField,
		...optionsFields(resources.flatMap((resource) => resource.operations)),
	];
}

/** The subtitle of a node with resources: the operation's name, and the resource's beside it. */
export function resourceSubtitle(resources: NodeResource[], defaultResource: string): string {
	const names = Object.fromEntries(
		resources.flatMap((resource) =>
			resource.operations.map((operation) => [
				operationKey(resource.value, operation.value),
				resource.value === defaultResource ? operation.name : `${operation.name}: ${resource.name}`,
			]),
		),
	);
	return `={{ ${JSON.stringify(names)}[($parameter["resource"] || "${defaultResource}") + ":" + $parameter["operation"]] }}`;
}
