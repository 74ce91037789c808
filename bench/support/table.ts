/** A markdown table: the first row is the header. */
export function markdownTable(rows: (string | number)[][]): string {
  const [header, ...body] = rows;
  if (!header) return '';
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

export const seconds = (s: number) => (Number.isFinite(s) ? s.toFixed(1) : '—');
export const rate = (r: number) => (Number.isFinite(r) ? Math.round(r).toLocaleString('en-US') : '—');
export const mib = (m: number) => (Number.isFinite(m) ? `${Math.round(m)} MiB` : '—');
export const count = (n: number) => n.toLocaleString('en-US');
export const millis = (p: { p50: number; p90: number }) =>
  Number.isFinite(p.p50) ? `${Math.round(p.p50)} / ${Math.round(p.p90)} ms` : '—';
