// @ts-check
import { all, api } from '../api.js';
import { field, h, s, show } from '../dom.js';
import { instant, number, percent } from '../format.js';
import { watchAssignments } from '../live.js';
import { BUCKETS, count, quarterOf } from './buckets.js';

/** @param {URLSearchParams} params */
const listLink = (params) => `#/danh-sach?${params}`;

/**
 * A horizontal stacked bar per row: the four buckets side by side, each a link to its assignments.
 * @param {[string, ReturnType<typeof count>, URLSearchParams][]} rows
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
      const link = s('a', { href: listLink(new URLSearchParams({ ...Object.fromEntries(params), bucket: key })) });
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
 * @param {[string, ReturnType<typeof count>, URLSearchParams][]} rows
 */
function bucketTable(caption, what, rows) {
  return h(
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
              c[key]
                ? h(
                    'a',
                    { href: listLink(new URLSearchParams({ ...Object.fromEntries(params), bucket: key })) },
                    number(c[key]),
                  )
                : '0',
            ),
          ),
          h('td', { class: 'num' }, percent(c.completionRate)),
          h('td', { class: 'num' }, percent(c.onTimeRate)),
        ),
      ),
    ),
  );
}

/** @param {string[]} _params @param {URLSearchParams} query */
export async function renderDashboard(_params, query) {
  const plans = (await api('GET', '/v1/plans')).items;
  if (!plans.length) {
    show(h('h1', null, 'Tổng quan'), h('p', { class: 'note' }, 'Chưa có kế hoạch nào.'));
    return;
  }
  const planCode = query.get('plan') ?? plans[0].code;
  const quarter = query.get('quarter') ?? '';
  const [everything, escalations] = await Promise.all([
    all(`/v1/assignments?plan=${encodeURIComponent(planCode)}`),
    all('/v1/escalations?open=true', 2000).catch(() => []),
  ]);
  const quarters = [...new Set(everything.map(quarterOf).filter(Boolean))].sort();
  const items = quarter ? everything.filter((a) => quarterOf(a) === quarter) : everything;
  const base = () => new URLSearchParams({ plan: planCode, ...(quarter ? { quarter } : {}) });
  const totals = count(items);

  /** @param {(a: any) => string} key @param {string} param */
  const groupBy = (key, param) => {
    /** @type {Map<string, any[]>} */
    const groups = new Map();
    for (const a of items) {
      const k = key(a);
      groups.set(k, [...(groups.get(k) ?? []), a]);
    }
    return [...groups.entries()]
      .sort(([x], [y]) => x.localeCompare(y, 'vi'))
      .map(
        ([name, list]) =>
          /** @type {[string, ReturnType<typeof count>, URLSearchParams]} */ ([
            name,
            count(list),
            (() => {
              const p = base();
              p.set(param, name);
              return p;
            })(),
          ]),
      );
  };
  const byAgency = groupBy((a) => a.agencyCode, 'agency');
  const byArea = groupBy((a) => a.task.area ?? '(không ghi lĩnh vực)', 'area');
  const byQuarter = quarters.map((q) => {
    const p = new URLSearchParams({ plan: planCode, quarter: /** @type {string} */ (q) });
    return /** @type {[string, ReturnType<typeof count>, URLSearchParams]} */ ([
      `Quý ${q?.slice(6)}/${q?.slice(0, 4)}`,
      count(everything.filter((a) => quarterOf(a) === q)),
      p,
    ]);
  });
  /** @type {Map<number, number>} */
  const levels = new Map();
  for (const e of escalations) if (e.plan === planCode) levels.set(e.level, (levels.get(e.level) ?? 0) + 1);

  const planSelect = h(
    'select',
    { name: 'plan' },
    plans.map((/** @type {any} */ p) =>
      h('option', { value: p.code, selected: p.code === planCode }, `${p.code} — ${p.title}`),
    ),
  );
  const quarterSelect = h(
    'select',
    { name: 'quarter' },
    h('option', { value: '' }, 'Cả kế hoạch'),
    quarters.map((q) =>
      h('option', { value: q, selected: q === quarter }, `Hạn trong quý ${q?.slice(6)}/${q?.slice(0, 4)}`),
    ),
  );
  const choose = () => {
    const p = new URLSearchParams({ plan: /** @type {HTMLSelectElement} */ (planSelect).value });
    const q = /** @type {HTMLSelectElement} */ (quarterSelect).value;
    if (q) p.set('quarter', q);
    location.hash = `#/tong-quan?${p}`;
  };
  planSelect.addEventListener('change', choose);
  quarterSelect.addEventListener('change', choose);

  show(
    h('h1', null, 'Tổng quan'),
    h(
      'form',
      { class: 'filters no-print', onsubmit: (/** @type {Event} */ e) => e.preventDefault() },
      field('Kế hoạch', planSelect),
      field('Kỳ', quarterSelect),
    ),
    h('p', { class: 'print-only' }, `Kế hoạch ${planCode}${quarter ? `, hạn trong quý ${quarter}` : ''}`),
    h(
      'ul',
      { class: 'totals', 'aria-label': 'Tổng số theo bốn nhóm' },
      BUCKETS.map(([key, title, colour]) =>
        h(
          'li',
          { class: 'total', style: undefined, 'data-bucket': key },
          h('span', { class: 'swatch', 'data-colour': colour }),
          h('span', { class: 'label' }, title),
          h(
            'a',
            {
              id: `tong-${key}`,
              class: 'big',
              href: listLink(new URLSearchParams({ ...Object.fromEntries(base()), bucket: key })),
            },
            number(totals[key]),
          ),
        ),
      ),
      h(
        'li',
        { class: 'total' },
        h('span', { class: 'label' }, 'Tỷ lệ hoàn thành'),
        h('span', { class: 'big', id: 'ty-le-hoan-thanh' }, percent(totals.completionRate)),
      ),
      h(
        'li',
        { class: 'total' },
        h('span', { class: 'label' }, 'Tỷ lệ đúng hạn'),
        h('span', { class: 'big', id: 'ty-le-dung-han' }, percent(totals.onTimeRate)),
      ),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Theo cơ quan'),
      stackedBars(byAgency, 'Biểu đồ theo cơ quan'),
      bucketTable('Số nhiệm vụ theo cơ quan', 'Cơ quan', byAgency),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Theo lĩnh vực cải cách'),
      stackedBars(byArea, 'Biểu đồ theo lĩnh vực'),
      bucketTable('Số nhiệm vụ theo lĩnh vực', 'Lĩnh vực', byArea),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Xu hướng theo quý (theo hạn hoàn thành)'),
      stackedBars(byQuarter, 'Biểu đồ theo quý'),
    ),
    h(
      'section',
      null,
      h('h2', null, 'Đôn đốc đang mở theo mức'),
      levels.size
        ? h(
            'ul',
            null,
            [...levels.entries()]
              .sort(([a], [b]) => a - b)
              .map(([level, n]) => h('li', null, `Mức ${level}: ${number(n)} nhiệm vụ`)),
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
  watchAssignments(() => void renderDashboard(_params, query));
}
