import { h } from './dom.ts';

/**
 * Names, not codes: how the pages show an agency, a plan and a registry. The short name where
 * space is tight, the full name on hover and in print, the code only as secondary text.
 */

export interface AgencyLabel {
  code: string | null;
  name: string;
  shortName?: string;
}

/**
 * An agency in a card or a cell: its short name (full name on hover), the full name in print,
 * and its code, small, after it.
 */
export function agencyName(agency: AgencyLabel | null | undefined, fallbackCode?: string | null) {
  if (!agency) return h('span', { class: 'agency' }, fallbackCode ?? '—');
  const short = agency.shortName || agency.name;
  const code = agency.code ? h('small', { class: 'code' }, ` (${agency.code})`) : null;
  if (short === agency.name) return h('span', { class: 'agency', title: agency.name }, short, code);
  return h(
    'span',
    { class: 'agency', title: agency.name },
    h('span', { class: 'screen-only' }, short),
    h('span', { class: 'print-only' }, agency.name),
    code,
  );
}

/** An agency as plain text, for a sentence or a chart's label. */
export const agencyText = (agency: AgencyLabel | null | undefined, fallbackCode?: string | null) =>
  agency ? agency.shortName || agency.name : (fallbackCode ?? '—');

/** "2866/QĐ-UBND — Kế hoạch cải cách hành chính năm 2027". */
export const planText = (plan: { code: string; title: string } | null | undefined) =>
  plan ? `${plan.code} — ${plan.title}` : '—';

/** A registry as people call it ("Vĩnh Phúc (trước 01/7/2025)"), its key small. */
export function registryName(registry: { key: string; name: string } | null | undefined) {
  if (!registry) return h('span', null, '—');
  return h('span', { class: 'registry' }, registry.name, h('small', { class: 'code' }, ` (${registry.key})`));
}
