import { api, currentUser, type Answer } from '../api.ts';
import type { Agency } from '../api-types.d.ts';
import { h } from '../dom.ts';
import { pickerField, registryPicker } from '../components/picker.ts';

/**
 * The registry (province) a coordinator's page works in. A coordinator of one province has its
 * own and no choice; a deployment-wide coordinator picks one, kept in the page's address
 * (?danh-muc=…) so that a link or a reload shows the same province.
 * @param page the hash route, e.g. '#/co-quan'
 */
export async function registryChoice(
  query: URLSearchParams,
  page: string,
): Promise<{ key: string; name: string; picker: HTMLElement | null }> {
  const user = currentUser();
  const registries = (await api('GET /v1/registries')).items;
  const nameOf = (key: string) => registries.find((r) => r.key === key)?.name ?? key;
  if (user.registry) return { key: user.registry, name: nameOf(user.registry), picker: null };
  let key = query.get('danh-muc') ?? '';
  if (!registries.some((r) => r.key === key)) {
    // Start where the work is: the registry of the newest plan, else the first province.
    const plans = (await api('GET /v1/plans')).items;
    key = plans[0]?.registry ?? registries[0]?.key ?? '';
  }
  // Found by name ("vinh phuc", "Hà Nội"), not scrolled for among 34 provinces and their keys.
  const chooser = registryPicker({
    onpick: (chosen) => {
      const picked = chosen[0]?.value;
      if (picked && picked !== key) location.hash = `${page}?${new URLSearchParams({ 'danh-muc': picked })}`;
    },
  });
  chooser.set(key ? [{ value: key, label: nameOf(key) }] : []);
  return {
    key,
    name: nameOf(key),
    picker: h('div', { class: 'filters no-print' }, pickerField('Danh mục (tỉnh)', chooser)),
  };
}

/** The agencies of a registry still at work (not merged into another), by code. */
export async function activeAgencies(key: string) {
  const items: Agency[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer<'GET /v1/registries/{key}/agencies'> = await api('GET /v1/registries/{key}/agencies', {
      params: { key },
      query: new URLSearchParams({ limit: '500', ...(cursor ? { cursor } : {}) }),
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 5000);
  return items;
}
