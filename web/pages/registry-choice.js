// @ts-check
import { api, currentUser } from '../api.js';
import { h } from '../dom.js';
import { pickerField, registryPicker } from '../components/picker.js';

/**
 * The registry (province) a coordinator's page works in. A coordinator of one province has its
 * own and no choice; a deployment-wide coordinator picks one, kept in the page's address
 * (?danh-muc=…) so that a link or a reload shows the same province.
 * @param {URLSearchParams} query
 * @param {string} page the hash route, e.g. '#/co-quan'
 * @returns {Promise<{ key: string, name: string, picker: HTMLElement | null }>}
 */
export async function registryChoice(query, page) {
  const user = currentUser();
  const registries = /** @type {any[]} */ ((await api('GET', '/v1/registries')).items);
  const nameOf = (/** @type {string} */ key) => registries.find((r) => r.key === key)?.name ?? key;
  if (user.registry) return { key: user.registry, name: nameOf(user.registry), picker: null };
  let key = query.get('danh-muc') ?? '';
  if (!registries.some((r) => r.key === key)) {
    // Start where the work is: the registry of the newest plan, else the first province.
    const plans = (await api('GET', '/v1/plans')).items;
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

/** The agencies of a registry still at work (not merged into another), by code. @param {string} key */
export async function activeAgencies(key) {
  /** @type {any[]} */
  const items = [];
  let cursor = null;
  do {
    const page = await api(
      'GET',
      `/v1/registries/${encodeURIComponent(key)}/agencies?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < 5000);
  return items;
}

/**
 * A <datalist> of agencies, so a code field offers "SNV — Sở Nội vụ" as the person types.
 * @param {string} id
 * @param {any[]} agencies
 */
export function agencyDatalist(id, agencies) {
  return h(
    'datalist',
    { id },
    agencies.map((a) => h('option', { value: a.code }, a.name)),
  );
}
