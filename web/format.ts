/** Vietnamese formats: days as dd/mm/yyyy, numbers with Vietnamese separators, times in Vietnam. */

const numberFormat = new Intl.NumberFormat('vi-VN');
const percentFormat = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });
const instantFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "2026-03-19" → "19/03/2026". */
export function day(iso: string | null | undefined) {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** An instant inside a sentence, in Vietnam: "14:05 ngày 19/03/2026". */
export function when(iso: string | null | undefined) {
  if (!iso) return '—';
  const [date = '', time = ''] = instant(iso).split(' ');
  return `${time} ngày ${date}`;
}

/** An instant, in Vietnam: "19/03/2026 14:05". */
export function instant(iso: string | null | undefined) {
  if (!iso) return '—';
  return instantFormat.format(new Date(iso)).replace(',', '');
}

const dayFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** The day of an instant, in Vietnam: "19/03/2026". */
export function dayOfInstant(iso: string | null | undefined) {
  if (!iso) return '—';
  return dayFormat.format(new Date(iso));
}

export const number = (n: number) => numberFormat.format(n);

export const percent = (rate: number | null) => (rate === null ? '—' : percentFormat.format(rate));

/** Today in Vietnam, as YYYY-MM-DD. */
export function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/** Days from today (Vietnam) to `iso`; negative when past. */
export function daysUntil(iso: string) {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 86_400_000);
}

export const statusNames: Record<string, string> = {
  assigned: 'Đã giao',
  acknowledged: 'Đã tiếp nhận',
  in_progress: 'Đang thực hiện',
  submitted: 'Chờ duyệt',
  completed: 'Hoàn thành',
  cancelled: 'Đã hủy',
};

export const roleNames: Record<string, string> = {
  coordinator: 'Cơ quan thường trực',
  agency: 'Cơ quan chủ trì / phối hợp',
  leadership: 'Lãnh đạo',
};

const periodKinds: Record<string, (year: string) => string> = {
  Q1: (y) => `quý I/${y}`,
  H1: (y) => `6 tháng đầu năm ${y}`,
  Q3: (y) => `quý III/${y}`,
  Y: (y) => `năm ${y}`,
};

/**
 * A period's report, as domain/labels.ts `periodLabel` writes it: "2025-Q1" → "Báo cáo quý I/2025",
 * "2026-H1" → "Báo cáo 6 tháng đầu năm 2026", "2026-Y" → "Báo cáo năm 2026".
 */
export function periodName(id: string) {
  const [year = '', kind = ''] = id.split('-');
  const words = periodKinds[kind];
  return words ? `Báo cáo ${words(year)}` : id;
}

const periodTitles: Record<string, (year: string) => string> = {
  Q1: (y) => `Quý I/${y}`,
  H1: (y) => `6 tháng đầu năm ${y}`,
  Q3: (y) => `Quý III/${y}`,
  Y: (y) => `Năm ${y}`,
};

/** "2026-Q3" → "Quý III/2026", "2026-Y" → "Năm 2026". */
export function periodTitle(id: string) {
  const [year = '', kind = ''] = id.split('-');
  return periodTitles[kind]?.(year) ?? id;
}

/** The reporting period whose report falls due next (the 20th of March, June, September, December). */
export function currentPeriod() {
  const [y, m, d] = today().split('-').map(Number);
  const year = y as number;
  const month = (m as number) + (d > 20 ? 1 : (0 as number));
  if (month > 12) return `${year + 1}-Q1`;
  return `${year}-${month <= 3 ? 'Q1' : month <= 6 ? 'H1' : month <= 9 ? 'Q3' : 'Y'}`;
}
