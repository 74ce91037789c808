// @ts-check
import { api } from '../api.js';
import { field, h, s, show } from '../dom.js';
import { day, instant, number, percent, periodTitle } from '../format.js';
import { watchAssignments } from '../live.js';
import { BUCKETS } from './buckets.js';
import { narrativeDraftLink } from './narrative-links.js';

/**
 * @typedef {{ onTime: number, late: number, within: number, overdue: number, total: number,
 *   completionRate: number | null, onTimeRate: number | null }} Figures
 * @typedef {[string, Figures, URLSearchParams]} Row name, figures, the list's filters behind them
 */

/** @param {URLSearchParams} params */
const listLink = (params) => `#/danh-sach?${params}`;

/** @param {URLSearchParams} params @param {Record<string, string>} more */
const withParams = (params, more) => new URLSearchParams({ ...Object.fromEntries(params), ...more });

/** "Quý I/2027", "Hiện tại". @param {string} period */
const periodLabel = (period) => (period === 'now' ? 'Hiện tại' : periodTitle(period));

/**
 * A horizontal stacked bar per row: the four buckets side by side, each a link to its assignments.
 * @param {Row[]} rows
 * @param {string} label
 */
function stackedBars(rows, label) {
  const width = 640;
  const labelWidth = 170;
  const barHeight = 22;
  const gap = 8;
  const max = Math.max(1, ...rows.map(([, c]) => c.total));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${rows.length * (barHeight + gap) + gap}`,
    role: 'img',
    'aria-label': label,
    class: 'chart',
  });
  rows.forEach(([name, counts, params], i) => {
    const y = gap + i * (barHeight + gap);
    svg.append(
      s('text', { x: 0, y: y + barHeight * 0.7, class: 'axis' }, name.length > 24 ? `${name.slice(0, 23)}…` : name),
    );
    let x = labelWidth;
    for (const [key, title, colour] of BUCKETS) {
      const n = counts[key];
      if (!n) continue;
      const w = ((width - labelWidth - 40) * n) / max;
      const link = s('a', { href: listLink(withParams(params, { bucket: key })) });
      link.append(
        s('rect', { x, y, width: w, height: barHeight, fill: colour }, s('title', {}, `${title}: ${number(n)}`)),
      );
      if (w > 18) link.append(s('text', { x: x + w / 2, y: y + barHeight * 0.7, class: 'bar-label' }, number(n)));
      svg.append(link);
      x += w;
    }
    svg.append(s('text', { x: x + 4, y: y + barHeight * 0.7, class: 'axis' }, number(counts.total)));
  });
  return svg;
}

/**
 * A table of the four buckets and the two rates; every count links to the assignments behind it.
 * @param {string} caption
 * @param {string} what
 * @param {Row[]} rows
 */
function bucketTable(caption, what, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'figures' },
      h('caption', null, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, what),
          BUCKETS.map(([, title]) => h('th', { scope: 'col' }, title)),
          h('th', { scope: 'col' }, 'Tổng số'),
          h('th', { scope: 'col' }, 'Tỷ lệ hoàn thành'),
          h('th', { scope: 'col' }, 'Tỷ lệ đúng hạn'),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map(([name, c, params]) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, name),
            BUCKETS.map(([key]) =>
              h(
                'td',
                { class: 'num' },
                c[key] ? h('a', { href: listLink(withParams(params, { bucket: key })) }, number(c[key])) : '0',
              ),
            ),
            h('td', { class: 'num' }, number(c.total)),
            h('td', { class: 'num' }, percent(c.completionRate)),
            h('td', { class: 'num' }, percent(c.onTimeRate)),
          ),
        ),
      ),
    ),
  );
}

/**
 * The leadership dashboard: a plan's four buckets as of a period's cut-off (or today), by agency,
 * by reform area and quarter by quarter, counted by the server (GET /v1/dashboard). It reads the
 * figures again, at most twice a second, whenever an assignment changes.
 * @param {string[]} _params @param {URLSearchParams} query
 */
export async function renderDashboard(_params, query) {
  const plans = (await api('GET', '/v1/plans')).items;
  if (!plans.length) {
    show(h('h1', null, 'Tổng quan'), h('p', { class: 'note' }, 'Chưa có kế hoạch nào.'));
    return;
  }
  const planCode = query.get('plan') ?? plans[0].code;
  const period = /^(now|\d{4}-(Q1|H1|Q3|Y))$/.test(query.get('ky') ?? '')
    ? /** @type {string} */ (query.get('ky'))
    : 'now';
  const address = location.hash;
  const read = () => api('GET', `/v1/dashboard?${new URLSearchParams({ plan: planCode, period })}`);
  draw(plans, await read());

  /** @type {number | undefined} */
  let timer;
  let reading = false;
  let again = false;
  const refresh = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      const data = await read();
      // The reader may have moved on while the figures were on their way.
      if (location.hash === address) draw(plans, data);
    } finally {
      reading = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  };
  // A burst of changes (an import, a deadline morning) becomes one read.
  watchAssignments(() => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), 500);
  });
}

/** @param {any[]} plans @param {any} data the answer of GET /v1/dashboard */
function draw(plans, data) {
  const planCode = data.plan;
  const period = data.period;
  // The list behind a number: the same plan, the same day, the same agency when the figures are one agency's.
  const base = () =>
    new URLSearchParams({
      plan: planCode,
      ...(period === 'now' ? {} : { asOf: data.asOf }),
      ...(data.agency ? { agency: data.agency } : {}),
    });
  const byAgency = data.byAgency.map(
    (/** @type {any} */ a) => /** @type {Row} */ ([a.agencyCode, a, withParams(base(), { agency: a.agencyCode })]),
  );
  const byArea = data.byArea.map(
    (/** @type {any} */ a) =>
      /** @type {Row} */ ([
        a.area ?? '(không ghi lĩnh vực)',
        a,
        withParams(base(), a.area === null ? { noArea: 'true' } : { area: a.area }),
      ]),
  );
  const byQuarter = data.trend.map((/** @type {any} */ t) => {
    const params = base();
    if (t.period === 'now') params.delete('asOf');
    else params.set('asOf', t.asOf);
    return /** @type {Row} */ ([`${periodLabel(t.period)} (${day(t.asOf)})`, t, params]);
  });

  const planSelect = h(
    'select',
    { name: 'plan' },
    plans.map((/** @type {any} */ p) =>
      h('option', { value: p.code, selected: p.code === planCode }, `${p.code} — ${p.title}`),
    ),
  );
  const periodSelect = h(
    'select',
    { name: 'ky' },
    h('option', { value: 'now', selected: period === 'now' }, 'Hiện tại'),
    [...data.periods]
      .reverse()
      .map((/** @type {any} */ p) => h('option', { value: p.id, selected: p.id === period }, periodTitle(p.id))),
  );
  const choose = (/** @type {boolean} */ planChanged) => {
    const p = new URLSearchParams({ plan: /** @type {HTMLSelectElement} */ (planSelect).value });
    // Another plan has other periods: it opens at today.
    const ky = planChanged ? 'now' : /** @type {HTMLSelectElement} */ (periodSelect).value;
    if (ky !== 'now') p.set('ky', ky);
    location.hash = `#/tong-quan?${p}`;
  };
  planSelect.addEventListener('change', () => choose(true));
  periodSelect.addEventListener('change', () => choose(false));
  const asOfText =
    period === 'now'
      ? `Số liệu đến ngày ${day(data.asOf)} (hiện tại)`
      : `${periodLabel(period)}: số liệu đến ngày ${day(data.asOf)}`;

  show(
    h('h1', null, 'Tổng quan'),
    h(
      'form',
      { class: 'filters no-print', onsubmit: (/** @type {Event} */ e) => e.preventDefault() },
      field('Kế hoạch', planSelect),
      field('Kỳ', periodSelect),
    ),
    h('p', { class: 'print-only' }, `Kế hoạch ${planCode}`),
    h('p', { id: 'so-lieu-den-ngay' }, `${asOfText}${data.agency ? `; cơ quan ${data.agency}` : ''}.`),
    narrativeDraftLink(data),
    h(
      'ul',
      { class: 'totals', 'aria-label': 'Tổng số theo bốn nhóm' },
      BUCKETS.map(([key, title, colour]) =>
        h(
          'li',
          { class: 'total', 'data-bucket': key },
          h('span', { class: 'swatch', 'data-colour': colour }),
          h('span', { class: 'label' }, title),
          h(
            'a',
            { id: `tong-${key}`, class: 'big', href: listLink(withParams(base(), { bucket: key })) },
            number(data.total[key]),
          ),
        ),
      ),
      h(
        'li',
        { class: 'total' },
        h('span', { class: 'label' }, 'Tỷ lệ hoàn thành'),
        h('span', { class: 'big', id: 'ty-le-hoan-thanh' }, percent(data.total.completionRate)),
      ),
      h(
        'li',
        { class: 'total' },
        h('span', { class: 'label' }, 'Tỷ lệ đúng hạn'),
        h('span', { class: 'big', id: 'ty-le-dung-han' }, percent(data.total.onTimeRate)),
      ),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Theo cơ quan'),
      byAgency.length
        ? [stackedBars(byAgency, 'Biểu đồ theo cơ quan'), bucketTable('Số nhiệm vụ theo cơ quan', 'Cơ quan', byAgency)]
        : h('p', { class: 'note' }, 'Chưa có nhiệm vụ nào được giao đến ngày này.'),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Theo lĩnh vực cải cách'),
      byArea.length
        ? [stackedBars(byArea, 'Biểu đồ theo lĩnh vực'), bucketTable('Số nhiệm vụ theo lĩnh vực', 'Lĩnh vực', byArea)]
        : h('p', { class: 'note' }, 'Chưa có nhiệm vụ nào được giao đến ngày này.'),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Xu hướng theo kỳ báo cáo'),
      h('p', { class: 'note' }, 'Bốn nhóm tại ngày chốt số liệu của mỗi kỳ (ngày 14 tháng cuối kỳ).'),
      stackedBars(byQuarter, 'Biểu đồ xu hướng theo kỳ'),
      bucketTable('Số nhiệm vụ theo kỳ', 'Kỳ', byQuarter),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Đôn đốc đang mở theo mức'),
      data.escalations.length
        ? h(
            'ul',
            { 'aria-label': 'Đôn đốc đang mở theo mức' },
            data.escalations.map((/** @type {any} */ e) =>
              h(
                'li',
                null,
                `Mức ${e.level}: `,
                h(
                  'a',
                  { href: listLink(withParams(base(), { escalationLevel: String(e.level) })) },
                  `${number(e.assignments)} nhiệm vụ`,
                ),
              ),
            ),
          )
        : h('p', { class: 'note' }, 'Không có nhiệm vụ nào đang bị đôn đốc.'),
    ),
    h(
      'p',
      { class: 'note', id: 'cap-nhat' },
      `Cập nhật lúc ${instant(new Date().toISOString())}; trang tự cập nhật khi có thay đổi.`,
    ),
    h(
      'p',
      { class: 'legend' },
      BUCKETS.map(([, title, colour]) =>
        h('span', null, h('span', { class: 'swatch', 'data-colour': colour }), ` ${title} `),
      ),
    ),
  );
  // The swatches take their colour from data attributes: no inline style, which the CSP forbids.
  for (const el of document.querySelectorAll('.swatch')) {
    const colour = el.getAttribute('data-colour');
    if (colour) /** @type {HTMLElement} */ (el).style.background = colour;
  }
}
