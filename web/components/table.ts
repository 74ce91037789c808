import { h, type Child } from '../dom.ts';

/**
 * The one table of the app: a caption (its accessible name, visible or not), headers with their
 * scope, a row header where one cell names the row, and a wrapper that scrolls sideways on a
 * narrow screen instead of the page. A page describes its columns; it does not build rows by hand.
 */

export interface Column<T> {
  /** The column's header; '' for a column of buttons. */
  header: string;
  cell: (row: T) => Child;
  /** This cell names its row (a <th scope="row">), as a person's or an agency's name does. */
  rowHeader?: boolean;
  /** The cell's class: 'num' for figures. */
  className?: string;
}

export interface TableOptions<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** The table's name, read by screen readers and by the tests; shown unless `captionHidden`. */
  caption?: string;
  captionHidden?: boolean;
  /** The table's class: 'figures', 'audit', 'work-table' (a phone shows its rows as cards). */
  className?: string;
  /** Each cell carries its column's header as `data-label`, which a phone's stylesheet shows beside it. */
  labelled?: boolean;
  /** A row's own attributes: its class, a data- key. */
  rowAttrs?: (row: T) => Record<string, unknown>;
}

/** One row of a table, for a page that adds rows as they come (a token just made). */
export function tableRow<T>(options: Pick<TableOptions<T>, 'columns' | 'labelled' | 'rowAttrs'>, row: T) {
  return h(
    'tr',
    options.rowAttrs?.(row) ?? null,
    options.columns.map((column) =>
      h(
        column.rowHeader ? 'th' : 'td',
        {
          ...(column.rowHeader ? { scope: 'row' } : {}),
          ...(column.className ? { class: column.className } : {}),
          ...(options.labelled && column.header ? { 'data-label': column.header } : {}),
        },
        column.cell(row),
      ),
    ),
  );
}

/** The table in its scrolling wrapper; `body` is its <tbody>, for rows added later. */
export function dataTable<T>(options: TableOptions<T>): HTMLElement & { body: HTMLElement } {
  const body = h(
    'tbody',
    null,
    options.rows.map((row) => tableRow(options, row)),
  );
  const wrap = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      options.className ? { class: options.className } : null,
      options.caption
        ? h('caption', options.captionHidden ? { class: 'visually-hidden' } : null, options.caption)
        : null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          options.columns.map((column) => h('th', { scope: 'col' }, column.header)),
        ),
      ),
      body,
    ),
  );
  return Object.assign(wrap, { body });
}
