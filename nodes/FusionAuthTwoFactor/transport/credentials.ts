import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialValueProblem } from '../../shared/credentialValues';

/*
 * The FusionAuth credential as one execution's requests use it.
 *
 * Without help, n8n's authenticated request looks the credential up again for every request: in
 * the n8n app a database read and a decryption, and concurrent lookups queue behind each other
 * (n8n 2.41.1 kept 21 requests in flight with 500 allowed). Handed `{ credentialsDecrypted }`
 * (n8n-core 1.x and 2.x read only its `data`), it skips that lookup and still applies the
 * credential's own `authenticate`.
 *
 * A credential field may be an expression, and n8n resolves it against the item the node names
 * (`getCredentials(type, itemIndex)` in 1.x and 2.x alike), so `{{ $json.apiKey }}` may give every
 * item its own key. Whether this credential does is probed once: it is also resolved for an item
 * that does not exist, where an expression reading the item ($json, $input.item, $('Node').item,
 * $itemIndex) fails or differs from the first item's value. Only then is it read for every item.
 *
 * Nothing outlives the execution: the values live in this object, which the node drops at its end.
 */

/** The one field that may differ from item to item. */
const PER_ITEM_FIELD = 'apiKey';

/** How the credential dialog names the fields, for errors. */
const LABELS: Record<string, string> = {
	baseUrl: 'Base URL',
	tenantId: 'Tenant ID',
	ignoreSslIssues: 'Ignore SSL Issues',
};

export class ExecutionCredentials {
	private constructor(
		private readonly context: IExecuteFunctions | ILoadOptionsFunctions,
		private readonly type: string,
		/** The credential as resolved for the first item. */
		readonly first: ICredentialDataDecryptedObject,
		/** Whether an expression in it depends on the item. */
		readonly perItem: boolean,
	) {}

	/** Reads the credential for the first item, and probes whether it depends on the item. */
	static async read(context: IExecuteFunctions | ILoadOptionsFunctions, type: string): Promise<ExecutionCredentials> {
		const first = await context.getCredentials(type, 0);
		// The editor's list searches have no items: one read serves them.
		const itemCount = 'getInputData' in context ? context.getInputData().length : 1;
		let perItem = false;
		if (itemCount > 1) {
			try {
				const probe = await context.getCredentials(type, itemCount);
				perItem = !sameValues(first, probe);
			} catch {
				// An expression that reads the item has none to read here.
				perItem = true;
			}
		}
		return new ExecutionCredentials(context, type, first, perItem);
	}

	/** What n8n's authenticated request takes as `credentialsDecrypted` for this item's request. */
	async forItem(itemIndex: number): Promise<ICredentialsDecrypted> {
		const data = this.perItem ? await this.context.getCredentials(this.type, itemIndex) : this.first;
		if (this.perItem) {
			this.checkShared(data, itemIndex);
			const problem = credentialValueProblem(data);
			if (problem !== undefined) throw new NodeOperationError(this.context.getNode(), problem, { itemIndex });
		}
		const node = this.context.getNode().credentials?.[this.type];
		return {
			id: node?.id ?? '',
			name: node?.name ?? '',
			type: this.type,
			// A copy per request: n8n may add to the object it is given.
			data: { ...data },
		};
	}

	/**
	 * Only the API Key may change from item to item: the Base URL, the Tenant ID of calls sent
	 * without credentials and the TLS setting come from the first item, and a key must never go to
	 * another item's server.
	 */
	private checkShared(data: ICredentialDataDecryptedObject, itemIndex: number): void {
		for (const name of new Set([...Object.keys(this.first), ...Object.keys(data)])) {
			if (name === PER_ITEM_FIELD) continue;
			if (String(data[name] ?? '').trim() === String(this.first[name] ?? '').trim()) continue;
			const label = LABELS[name] ?? name;
			throw new NodeOperationError(
				this.context.getNode(),
				`The ${label} in the FusionAuth credential is an expression that gives item ${itemIndex} another value than the first item`,
				{
					itemIndex,
					description: `Only the API Key may depend on the item. Run items for another ${label} through another credential.`,
				},
			);
		}
	}
}

function sameValues(a: ICredentialDataDecryptedObject, b: ICredentialDataDecryptedObject): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const key of keys) {
		if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
	}
	return true;
}
