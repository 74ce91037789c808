// @ts-check
import { all } from '../api.js';
import { h, show } from '../dom.js';
import { number } from '../format.js';
import { BUCKETS, bucketOf, quarterOf } from './buckets.js';
import { assignmentCard } from './cards.js';

/** The assignments behind a number of the dashboard: plan, agency, area, quarter and bucket. @param {string[]} _p @param {URLSearchParams} query */
export async function renderList(_p, query) {
  const filters = new URLSearchParams();
  for (const key of ['plan', 'agency', 'area', 'status', 'q']) {
    const value = query.get(key);
    if (value) filters.set(key, value);
  }
  const bucket = query.get('bucket');
  const quarter = query.get('quarter');
  const items = (await all(`/v1/assignments${filters.size ? `?${filters}` : ''}`)).filter(
    (/** @type {any} */ a) => (!bucket || bucketOf(a) === bucket) && (!quarter || quarterOf(a) === quarter),
  );
  const bucketName = BUCKETS.find(([key]) => key === bucket)?.[1];
  const described = [
    query.get('plan') && `kế hoạch ${query.get('plan')}`,
    query.get('agency') && `cơ quan ${query.get('agency')}`,
    query.get('area') && `lĩnh vực ${query.get('area')}`,
    quarter && `hạn trong quý ${quarter}`,
    bucketName,
  ].filter(Boolean);
  show(
    h('h1', null, 'Danh sách nhiệm vụ'),
    h('p', null, `${described.join(' · ') || 'Tất cả'}: ${number(items.length)} nhiệm vụ.`),
    items.map((/** @type {any} */ a) => assignmentCard(a)),
  );
}
