import { api } from '../api.ts';
import { field, h, show, type Child } from '../dom.ts';
import { agencyName } from '../names.ts';
import { currentPeriod, day, instant, number, percent, periodName, periodTitle } from '../format.ts';
import { BUCKETS } from './buckets.ts';
import { dataTable } from '../components/table.ts';
import { narrativeDownloads } from './narrative-links.ts';
import type { PeriodicReport, TaskFigures } from '../api-types.d.ts';

const KINDS = ['Q1', 'H1', 'Q3', 'Y'];
// Whether a period's report came, in the words the XLSX and CSV use (GET /v1/labels `reportStatuses`):
// one parallel set, as the buckets are.
const STATUS_NAMES = {
  'on-time': 'Đã gửi – đúng hạn',
  late: 'Đã gửi – muộn',
  missing: 'Chưa gửi – quá hạn',
  pending: 'Chưa gửi – chưa đến hạn',
} as Record<string, string>;

/**
 * The periodic report the coordinator compiles: for a period (Quý I, 6 tháng, Quý III, cả năm) and
 * optionally one plan, who filed on time, late, or not at all; read on screen, downloaded as XLSX
 * or CSV.
 */
export async function renderPeriodicReport(_p: string[], query: URLSearchParams) {
  const now = currentPeriod();
  const period = /^\d{4}-(Q1|H1|Q3|Y)$/.test(query.get('ky') ?? '') ? (query.get('ky') as string) : now;
  const plan = query.get('ke-hoach') ?? '';
  const plans = (await api('GET /v1/plans')).items;
  const filter = new URLSearchParams({ period, ...(plan ? { plan } : {}) });
  const report = await api('GET /v1/reports/periodic', { query: filter });

  // The years the plans run through, and the present one.
  const thisYear = Number(now.slice(0, 4));
  const years = new Set([thisYear - 1, thisYear, Number(period.slice(0, 4))]);
  for (const p of plans)
    for (let y = Number(p.periodStart.slice(0, 4)); y <= Number(p.periodEnd.slice(0, 4)); y++) years.add(y);
  const periodSelect = h(
    'select',
    { name: 'ky' },
    [...years]
      .sort((a, b) => b - a)
      .map((y) =>
        h(
          'optgroup',
          { label: `Năm ${y}` },
          KINDS.map((k) =>
            h('option', { value: `${y}-${k}`, selected: `${y}-${k}` === period }, periodTitle(`${y}-${k}`)),
          ),
        ),
      ),
  );
  const planSelect = h(
    'select',
    { name: 'ke-hoach' },
    h('option', { value: '' }, 'Mọi kế hoạch'),
    plans.map((p) => h('option', { value: p.code, selected: p.code === plan }, `${p.code} — ${p.title}`)),
  );
  const choose = () => {
    const next = new URLSearchParams({ ky: (periodSelect as HTMLSelectElement).value });
    const chosenPlan = (planSelect as HTMLSelectElement).value;
    if (chosenPlan) next.set('ke-hoach', chosenPlan);
    location.hash = `#/bao-cao?${next}`;
  };
  periodSelect.addEventListener('change', choose);
  planSelect.addEventListener('change', choose);

  const download = (format: 'xlsx' | 'csv', text: string) =>
    h(
      'a',
      {
        class: 'button',
        href: `/v1/reports/periodic?${new URLSearchParams({ ...Object.fromEntries(filter), format })}`,
        download: `bao-cao-${period}.${format}`,
      },
      text,
    );
  const totals = { onTime: 0, late: 0, missing: 0, pending: 0 };
  for (const a of report.agencies) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += a[k];

  show(
    h('h1', null, 'Báo cáo định kỳ'),
    h(
      'form',
      { class: 'filters no-print', onsubmit: (e: Event) => e.preventDefault() },
      field('Kỳ báo cáo', periodSelect),
      field('Kế hoạch', planSelect),
    ),
    h('h2', { id: 'ky-dang-xem' }, `${periodName(period)}${plan ? `, kế hoạch ${plan}` : ''}`),
    h(
      'p',
      { class: 'downloads no-print' },
      download('xlsx', `Tải ${periodName(period).toLowerCase()} (XLSX)`),
      ' ',
      download('csv', 'Tải CSV'),
      ' ',
      narrativeDownloads({
        period,
        plan: plans.find((p) => p.code === plan)?.slug ?? (plan || undefined),
        agencies: report.tasks.agencies,
      }),
    ),
    h(
      'ul',
      { class: 'totals', 'aria-label': 'Tổng số báo cáo theo tình trạng' },
      [
        [STATUS_NAMES['on-time'], totals.onTime],
        [STATUS_NAMES.late, totals.late],
        [STATUS_NAMES.missing, totals.missing],
        [STATUS_NAMES.pending, totals.pending],
      ].map(([label, n]) =>
        h(
          'li',
          { class: 'total' },
          h('span', { class: 'label' }, label),
          h('span', { class: 'big' }, number(Number(n))),
        ),
      ),
    ),
    report.agencies.length
      ? [
          dataTable({
            caption: 'Theo cơ quan chủ trì',
            className: 'figures',
            rows: report.agencies,
            columns: [
              { header: 'Cơ quan', rowHeader: true, cell: (a) => agencyName(a.agency, a.agencyCode) },
              ...(['on-time', 'late', 'missing', 'pending'] as const).map((status) => ({
                header: STATUS_NAMES[status] ?? status,
                className: 'num',
                cell: (a: PeriodicReport['agencies'][number]) =>
                  number({ 'on-time': a.onTime, late: a.late, missing: a.missing, pending: a.pending }[status]),
              })),
            ],
          }),
          h(
            'details',
            null,
            h('summary', null, `Từng nhiệm vụ (${number(report.rows.length)})`),
            dataTable({
              caption: 'Từng nhiệm vụ',
              captionHidden: true,
              rows: report.rows,
              columns: [
                { header: 'Cơ quan', cell: (r) => agencyName(r.agency, r.agencyCode) },
                { header: 'Kế hoạch', cell: (r) => r.plan },
                {
                  header: 'Nhiệm vụ',
                  cell: (r) =>
                    h(
                      'a',
                      { href: `#/nhiem-vu/${encodeURIComponent(r.assignmentId)}` },
                      `${r.taskNumber}. ${r.taskTitle}`,
                    ),
                },
                { header: 'Tình trạng', cell: (r) => STATUS_NAMES[r.status] ?? r.status },
                { header: 'Gửi lúc', cell: (r) => instant(r.filedAt) },
              ],
            }),
          ),
        ]
      : h('p', { class: 'note' }, 'Chưa có nhiệm vụ nào phải báo cáo kỳ này.'),
    tasksSection(report.tasks),
  );
}

/**
 * The tasks at the period's cut-off, in the Government Office's four buckets per lead agency: the
 * same figures as the dashboard for this period.
 */
function tasksSection(tasks: PeriodicReport['tasks']) {
  const rows: [Child, TaskFigures][] = [
    ...tasks.agencies.map((a): [Child, TaskFigures] => [agencyName(a.agency, a.agencyCode), a]),
    ['Tổng cộng', tasks.total],
  ];
  return h(
    'section',
    null,
    h('h2', null, `Tình hình thực hiện nhiệm vụ đến ngày ${day(tasks.asOf)}`),
    dataTable({
      caption: 'Số nhiệm vụ của từng cơ quan chủ trì',
      className: 'figures',
      rows,
      columns: [
        { header: 'Cơ quan', rowHeader: true, cell: ([name]) => name },
        ...BUCKETS.map(([key, title]) => ({
          header: title,
          className: 'num',
          cell: ([, f]: [Child, TaskFigures]) => number(f[key]),
        })),
        { header: 'Tổng số', className: 'num', cell: ([, f]) => number(f.total) },
        { header: 'Tỷ lệ hoàn thành', className: 'num', cell: ([, f]) => percent(f.completionRate) },
        { header: 'Tỷ lệ đúng hạn', className: 'num', cell: ([, f]) => percent(f.onTimeRate) },
      ],
    }),
  );
}
