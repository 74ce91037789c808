import type { Client } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.ts';

/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD (the proto package is the SDK's own dependency, not ours). */
const KEYWORD = 2;
/**
 * A namespace registered a moment ago is not yet known to every service of the server, and an
 * attribute just added takes a moment to be listed: looked at again after 100 ms, doubling up to
 * 1 s between looks, for about 17 s in all (a dev server lists it within 100–200 ms).
 */
const ATTEMPTS = 20;
const waitBefore = (attempt: number) => Math.min(100 * 2 ** (attempt - 1), 1000);

/**
 * Defines in the namespace the search attributes Đôn đốc's workflows set (domain/search-attributes.ts),
 * when they are missing: a workflow that sets one the namespace does not know fails its task until
 * it is defined. Called by every process at start, before the worker runs; a namespace's operator
 * can define them beforehand (deploy/compose/temporal-namespace.sh does), and then this only looks.
 */
export async function ensureSearchAttributes(client: Client): Promise<void> {
  const { namespace } = client.options;
  const { operatorService } = client.connection;
  const missing = async () => {
    const defined = (await operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    return Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in defined));
  };
  let last: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const names = await missing();
      if (names.length === 0) return;
      await operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(names.map((name) => [name, KEYWORD])),
      });
    } catch (error) {
      // Not known yet, or another process defined them at the same moment: looked at again.
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, waitBefore(attempt)));
  }
  const names = Object.keys(SEARCH_ATTRIBUTES);
  throw new Error(
    `The Temporal namespace "${namespace}" lacks the search attribute(s) ${names.join(', ')} (Keyword) and they ` +
      `could not be added${last ? ` (${last instanceof Error ? last.message : String(last)})` : ''}. Add them as its ` +
      `operator: temporal operator search-attribute create --namespace ${namespace} --name ${names[0]} --type Keyword`,
    { cause: last },
  );
}
