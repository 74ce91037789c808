import { currentUser } from '../api.ts';
import { h } from '../dom.ts';
import { periodTitle } from '../format.ts';

/**
 * The address of a period's narrative report (.docx): one plan's (by its slug or number) or every
 * plan's of the reader's province; an agency's own, or the province's without `agency`.
 */
export function narrativeUrl({ period, plan, agency }: { period: string; plan?: string; agency?: string }) {
  const query = new URLSearchParams({ period, ...(agency ? { agency } : {}) });
  return plan ? `/v1/plans/${encodeURIComponent(plan)}/reports/narrative?${query}` : `/v1/reports/narrative?${query}`;
}

/**
 * "Tải báo cáo (.docx)": the province's draft and any agency's for the coordinator and leadership
 * (the agency chosen in a list), an agency's own draft for its clerk. Drafted when asked, so a
 * download after late filings has them.
 */
export function narrativeDownloads({
  period,
  plan,
  agencies,
}: {
  period: string;
  plan?: string;
  agencies: { agencyCode: string; agency?: { name: string } }[];
}) {
  const user = currentUser();
  const link = (agency: string | undefined, text: string) =>
    h('a', { class: 'button', href: narrativeUrl({ period, plan, agency }), download: '' }, text);
  if (user.role === 'agency') return [link(user.agencyCode ?? undefined, 'Tải báo cáo của cơ quan (.docx)')];
  const choice = h(
    'select',
    { 'aria-label': 'Cơ quan của báo cáo .docx' },
    agencies.map((a) => h('option', { value: a.agencyCode }, a.agency?.name ?? a.agencyCode)),
  );
  const ofAgency = link(agencies[0]?.agencyCode, 'Tải báo cáo của cơ quan (.docx)');
  choice.addEventListener('change', () => {
    ofAgency.setAttribute('href', narrativeUrl({ period, plan, agency: (choice as HTMLSelectElement).value }));
  });
  return [link(undefined, 'Tải báo cáo (.docx)'), ...(agencies.length > 0 ? [' ', choice, ' ', ofAgency] : [])];
}

/**
 * On the dashboard: the draft of the period shown, or of the last period whose cut-off has passed
 * when it shows today; null before any cut-off. An agency's clerk gets its own draft.
 */
export function narrativeDraftLink(data: {
  plan: string | null;
  period: string;
  asOf: string;
  today: string;
  periods: { id: string; asOf: string }[];
}) {
  const period =
    data.period !== 'now'
      ? data.asOf < data.today
        ? data.period
        : undefined
      : [...data.periods].reverse().find((p) => p.asOf < data.today)?.id;
  if (!period) return null;
  const user = currentUser();
  const agency = user.role === 'agency' ? (user.agencyCode ?? undefined) : undefined;
  return h(
    'p',
    { class: 'no-print' },
    h(
      'a',
      { href: narrativeUrl({ period, plan: data.plan ?? undefined, agency }), download: '' },
      `Tải dự thảo báo cáo CCHC ${periodTitle(period)} (.docx)`,
    ),
  );
}
