// @ts-check
import { all } from '../api.js';
import { h, show } from '../dom.js';
import { day, number } from '../format.js';
import { BUCKETS } from './buckets.js';
import { assignmentCard } from './cards.js';

/** The filters of GET /v1/assignments a list's address may carry. */
const FILTERS = ['plan', 'agency', 'area', 'noArea', 'status', 'q', 'bucket', 'asOf', 'escalationLevel'];

/**
 * The assignments behind a number of the dashboard: plan, agency, area, bucket as of a day,
 * escalation level. The server picks them with the same rules that counted them, so the list has
 * exactly as many rows as the number said. @param {string[]} _p @param {URLSearchParams} query
 */
export async function renderList(_p, query) {
  const filters = new URLSearchParams();
  for (const key of FILTERS) {
    const value = query.get(key);
    if (value) filters.set(key, value);
  }
  const items = await all(`/v1/assignments${filters.size ? `?${filters}` : ''}`);
  const bucketName = BUCKETS.find(([key]) => key === query.get('bucket'))?.[1];
  const asOf = query.get('asOf');
  const level = query.get('escalationLevel');
  const described = [
    query.get('plan') && `kế hoạch ${query.get('plan')}`,
    query.get('agency') && `cơ quan ${query.get('agency')}`,
    query.get('area') && `lĩnh vực ${query.get('area')}`,
    query.get('noArea') === 'true' && 'không ghi lĩnh vực',
    level && `đang bị đôn đốc mức ${level}`,
    (bucketName || level) && asOf && `đến ngày ${day(asOf)}`,
    bucketName,
  ].filter(Boolean);
  show(
    h('h1', null, 'Danh sách nhiệm vụ'),
    h('p', null, `${described.join(' · ') || 'Tất cả'}: ${number(items.length)} nhiệm vụ.`),
    items.map((/** @type {any} */ a) => assignmentCard(a)),
  );
}
