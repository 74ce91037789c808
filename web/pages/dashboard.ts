import { api, withParams } from '../api.ts';
import type { Dashboard, PlanSummary } from '../api-types.d.ts';
import { field, h, s, show } from '../dom.ts';
import { day, instant, number, percent, periodTitle } from '../format.ts';
import { watchAssignments } from '../live.ts';
import { BUCKETS } from './buckets.ts';
import { narrativeDraftLink } from './narrative-links.ts';
import { agencyName } from '../names.ts';
import { dataTable } from '../components/table.ts';

interface Figures {
  onTime: number;
  late: number;
  within: number;
  overdue: number;
  total: number;
  completionRate: number | null;
  onTimeRate: number | null;
}

/** A row of figures: its name, its figures, the list's filters behind them. */
type Row = [string, Figures, URLSearchParams];

const listLink = (params: URLSearchParams) => `#/danh-sach?${params}`;

/** "Quý I/2027", "Hiện tại". */
const periodLabel = (period: string) => (period === 'now' ? 'Hiện tại' : periodTitle(period));

/** A horizontal stacked bar per row: the four buckets side by side, each a link to its assignments. */
function stackedBars(rows: Row[], label: string) {
  const width = 640;
  const labelWidth = 170;
  const barHeight = 22;
  const gap = 8;
  const max = Math.max(1, ...rows.map(([, c]) => c.total));
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${rows.length * (barHeight + gap) + gap}`,
    role: 'group',
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
 * @param agencies the rows' agencies, to name them in full on hover and in print
 */
function bucketTable(caption: string, what: string, rows: Row[], agencies?: Dashboard['byAgency']) {
  // A row and its place, so that the row's agency (when the rows are agencies) names it in full.
  const indexed = rows.map((row, i): [Row, number] => [row, i]);
  return dataTable({
    caption,
    className: 'figures',
    rows: indexed,
    columns: [
      {
        header: what,
        rowHeader: true,
        // Each row opens its work.
        cell: ([[name, , params], i]) => {
          const agency = agencies?.[i];
          return h('a', { href: listLink(params) }, agency ? agencyName(agency.agency, agency.agencyCode) : name);
        },
      },
      ...BUCKETS.map(([key, title]) => ({
        header: title,
        className: 'num',
        cell: ([[, c, params]]: [Row, number]) =>
          c[key] ? h('a', { href: listLink(withParams(params, { bucket: key })) }, number(c[key])) : '0',
      })),
      { header: 'Tổng số', className: 'num', cell: ([[, c]]) => number(c.total) },
      { header: 'Tỷ lệ hoàn thành', className: 'num', cell: ([[, c]]) => percent(c.completionRate) },
      { header: 'Tỷ lệ đúng hạn', className: 'num', cell: ([[, c]]) => percent(c.onTimeRate) },
    ],
  });
}

/**
 * The leadership dashboard: a plan's four buckets as of a period's cut-off (or today), by agency,
 * by reform area and quarter by quarter, counted by the server (GET /v1/dashboard). It reads the
 * figures again, at most twice a second, whenever an assignment changes.
 */
export async function renderDashboard(_params: string[], query: URLSearchParams) {
  const plans = (await api('GET /v1/plans')).items;
  if (!plans.length) {
    show(h('h1', null, 'Tổng quan'), h('p', { class: 'note' }, 'Chưa có kế hoạch nào.'));
    return;
  }
  const planCode = query.get('plan') ?? plans[0].code;
  const period = /^(now|\d{4}-(Q1|H1|Q3|Y))$/.test(query.get('ky') ?? '') ? (query.get('ky') as string) : 'now';
  const address = location.hash;
  const load = () => api('GET /v1/dashboard', { query: new URLSearchParams({ plan: planCode, period }) });
  draw(plans, await load());

  let timer: number | undefined;
  let reading = false;
  let again = false;
  const refresh = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      const data = await load();
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

/**
 * The official header of the printed page, as a provincial report opens: the People's Committee,
 * the plan's number and title, the period and the day the figures are taken at.
 */
function printHeader(plan: PlanSummary | undefined, data: Dashboard) {
  const province = String(plan?.province ?? '').trim();
  const committee = /^(tỉnh|thành phố)\b/i.test(province) ? province : `tỉnh ${province}`;
  return h(
    'header',
    { class: 'print-only print-header' },
    h('p', { class: 'committee' }, `ỦY BAN NHÂN DÂN ${committee.toUpperCase()}`),
    h('p', { class: 'doc-title' }, 'BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ'),
    h('p', null, `Kế hoạch ${plan?.code ?? data.plan}${plan?.title ? `: ${plan.title}` : ''}`),
    h('p', null, `Kỳ báo cáo: ${data.label}`),
    h('p', null, `Số liệu đến ngày ${day(data.asOf)}${data.reconstructed ? ' (số liệu dựng lại)' : ''}`),
  );
}

/** @param data the answer of GET /v1/dashboard */
function draw(plans: PlanSummary[], data: Dashboard) {
  const planCode = data.plan;
  const period = data.period;
  const plan = plans.find((p) => p.code === planCode);
  // The list behind a number: the same plan, the same day, the same agency when the figures are one agency's.
  const base = () =>
    new URLSearchParams({
      // The figures of every plan in scope have no plan to narrow the list to.
      ...(planCode ? { plan: planCode } : {}),
      ...(period === 'now' ? {} : { asOf: data.asOf }),
      ...(data.agency ? { agency: data.agency } : {}),
    });
  // Agencies come ranked by the server, worst first (most overdue, then lowest on-time rate).
  const byAgency = data.byAgency.map(
    (a) => [a.agency?.shortName ?? a.agencyCode, a, withParams(base(), { agency: a.agencyCode })] as Row,
  );
  const byArea = data.byArea.map(
    (a) =>
      [
        a.area ?? '(không ghi lĩnh vực)',
        a,
        withParams(base(), a.area === null ? { noArea: 'true' } : { area: a.area }),
      ] as Row,
  );
  const byQuarter = data.trend.map((t) => {
    const params = base();
    if (t.period === 'now') params.delete('asOf');
    else params.set('asOf', t.asOf);
    const name =
      t.period === 'now' ? `Hiện tại (${day(t.asOf)})` : `${t.label ?? periodLabel(t.period)} (${day(t.asOf)})`;
    return [t.reconstructed ? `${name} *` : name, t, params] as Row;
  });
  const anyReconstructed = data.reconstructed || data.trend.some((t) => t.reconstructed);

  const planSelect = h(
    'select',
    { name: 'plan' },
    plans.map((p) => h('option', { value: p.code, selected: p.code === planCode }, `${p.code} — ${p.title}`)),
  );
  const periodSelect = h(
    'select',
    { name: 'ky' },
    h('option', { value: 'now', selected: period === 'now' }, 'Hiện tại'),
    [...data.periods]
      .reverse()
      .map((p) => h('option', { value: p.id, selected: p.id === period }, p.label ?? periodTitle(p.id))),
  );
  const choose = (planChanged: boolean) => {
    const p = new URLSearchParams({ plan: (planSelect as HTMLSelectElement).value });
    // Another plan has other periods: it opens at today.
    const ky = planChanged ? 'now' : (periodSelect as HTMLSelectElement).value;
    if (ky !== 'now') p.set('ky', ky);
    location.hash = `#/tong-quan?${p}`;
  };
  planSelect.addEventListener('change', () => choose(true));
  periodSelect.addEventListener('change', () => choose(false));
  const agencyWords = data.agency
    ? `; cơ quan ${data.byAgency.find((a) => a.agencyCode === data.agency)?.agency?.shortName ?? data.agency}`
    : '';

  show(
    printHeader(plan, data),
    h('h1', { class: 'no-print' }, 'Tổng quan'),
    h(
      'form',
      { class: 'filters no-print', onsubmit: (e: Event) => e.preventDefault() },
      field('Kế hoạch', planSelect),
      field('Kỳ', periodSelect),
    ),
    h('p', { class: 'no-print plan-line' }, `Kế hoạch ${planCode}${plan?.title ? ` — ${plan.title}` : ''}`),
    h('p', { id: 'so-lieu-den-ngay', class: 'no-print' }, `${data.label}${agencyWords}.`),
    data.reconstructed
      ? h(
          'p',
          { class: 'note reconstructed', id: 'dung-lai' },
          'Số liệu dựng lại: kế hoạch được nhập sau ngày chốt của kỳ này, nên các nhóm được tính từ thời hạn và ngày hoàn thành của từng nhiệm vụ.',
        )
      : null,
    narrativeDraftLink(data),
    h(
      'ul',
      { class: 'totals', 'aria-label': 'Tổng số theo bốn nhóm' },
      BUCKETS.map(([key, , colour]) =>
        h(
          'li',
          { class: 'total', 'data-bucket': key },
          h('span', { class: 'swatch', 'data-colour': colour }),
          h('span', { class: 'label' }, data.bucketLabels?.[key] ?? key),
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
      { 'aria-labelledby': 'theo-co-quan' },
      h('h2', { id: 'theo-co-quan' }, 'Theo cơ quan'),
      h('p', { class: 'note' }, 'Xếp từ cơ quan chậm nhất: nhiều việc quá hạn nhất, rồi tỷ lệ đúng hạn thấp nhất.'),
      byAgency.length
        ? [
            bucketTable('Số nhiệm vụ theo cơ quan', 'Cơ quan', byAgency, data.byAgency),
            h('div', { class: 'screen-chart' }, stackedBars(byAgency, 'Biểu đồ theo cơ quan')),
          ]
        : h('p', { class: 'note' }, 'Chưa có nhiệm vụ nào được giao đến ngày này.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'don-doc-theo-muc' },
      h('h2', { id: 'don-doc-theo-muc' }, 'Đôn đốc đang mở theo mức'),
      data.escalations.length
        ? h(
            'ul',
            { 'aria-label': 'Đôn đốc đang mở theo mức', class: 'escalations' },
            data.escalations.map((e) =>
              h(
                'li',
                null,
                `${e.label ?? `Mức ${e.level}`}: `,
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
      'section',
      { 'aria-labelledby': 'theo-linh-vuc' },
      h('h2', { id: 'theo-linh-vuc' }, 'Theo lĩnh vực cải cách'),
      byArea.length
        ? [
            bucketTable('Số nhiệm vụ theo lĩnh vực', 'Lĩnh vực', byArea),
            h('div', { class: 'screen-chart' }, stackedBars(byArea, 'Biểu đồ theo lĩnh vực')),
          ]
        : h('p', { class: 'note' }, 'Chưa có nhiệm vụ nào được giao đến ngày này.'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'xu-huong' },
      h('h2', { id: 'xu-huong' }, 'Xu hướng theo kỳ báo cáo'),
      h('p', { class: 'note' }, 'Bốn nhóm tại ngày chốt số liệu của mỗi kỳ (ngày 14 tháng cuối kỳ).'),
      stackedBars(byQuarter, 'Biểu đồ xu hướng theo kỳ'),
      bucketTable('Số nhiệm vụ theo kỳ', 'Kỳ', byQuarter),
      anyReconstructed
        ? h(
            'p',
            { class: 'note' },
            '* Số liệu dựng lại từ thời hạn và ngày hoàn thành: kế hoạch được nhập sau ngày chốt của kỳ.',
          )
        : null,
    ),
    h(
      'p',
      { class: 'note', id: 'cap-nhat' },
      `Cập nhật lúc ${instant(new Date().toISOString())}; trang tự cập nhật khi có thay đổi.`,
    ),
    h(
      'p',
      { class: 'legend' },
      BUCKETS.map(([key, title, colour]) =>
        h(
          'span',
          null,
          h('span', { class: 'swatch', 'data-colour': colour }),
          ` ${data.bucketLabels?.[key] ?? title} `,
        ),
      ),
    ),
  );
  // The swatches take their colour from data attributes: no inline style, which the CSP forbids.
  for (const el of document.querySelectorAll('.swatch')) {
    const colour = el.getAttribute('data-colour');
    if (colour) (el as HTMLElement).style.background = colour;
  }
}
