/**
 * What a user should see of the node in n8n's editor, written out as the specification the
 * editor suite and the unit tests check against (never read from the node's own code). Each
 * operation's entry and panels are in its table (test/operations/<resource>/<operation>.test.ts).
 */
import type { PanelFields } from '../operations/table';
import { operationTables } from '../operations/table';

const tables = operationTables();

/** The nodes panel's actions, in the order it lists them: [resource, operation, action title]. */
export const ACTIONS: Array<[resource: string, operation: string, action: string]> = tables.map((table) => [
	table.resource,
	table.operation,
	table.editor.action,
]);

/**
 * The trigger's events as the nodes panel lists them under "Triggers" in the node's view: n8n
 * shows "FusionAuth Two Factor" and "FusionAuth Two Factor Trigger" as one entry, the trigger's
 * events first, one per option of its Events parameter.
 */
export const TRIGGERS: string[] = [
	'On two factor method added',
	'On two factor method removed',
	'On two factor challenge',
	'On two factor success',
	'On two factor failed attempt',
	'On login success',
	'On login failed',
];

/** The trigger's panel in the example "MFA removed" (automatic registration, shared secret). */
export const TRIGGER_PANEL = { fields: ['events', 'registration', 'verification', 'enableEventsInTenant'], required: [] as string[] };

export interface PanelSpec {
	apiVersion: 'current' | 'legacy';
	resource: string;
	operation: string;
	/** Every parameter the panel shows with the operation's defaults, in order (notices aside). */
	fields: string[];
	/** Those marked required. */
	required: string[];
}

/** Each operation's parameter panel in each API version that has it, with its defaults. */
export const PANELS: PanelSpec[] = tables.flatMap((table) =>
	(Object.entries(table.editor.panels) as Array<[PanelSpec['apiVersion'], PanelFields]>).map(([apiVersion, panel]) => ({
		apiVersion,
		resource: table.resource,
		operation: table.operation,
		fields: ['apiVersion', 'resource', 'operation', ...panel.fields, 'options'],
		required: panel.required,
	})),
);
