import { badRequest } from './problem.ts';

// Cursors are opaque to clients: base64url of the last item's sort key (or of an offset).

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): unknown[] | undefined {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** The sort key a page continues after; a cursor that is not one of ours is a 400 naming the field. */
export function readCursor<T extends 'string' | 'number'>(
  cursor: string | undefined,
  type: T,
): (T extends 'string' ? string : number) | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor)?.[0];
  // A number outside what the database keys can hold is not one of ours either.
  const valid =
    type === 'number'
      ? Number.isSafeInteger(key) && (key as number) >= 0
      : typeof key === 'string' && !key.includes('\0');
  if (!valid)
    throw badRequest('Con trỏ trang (cursor) không hợp lệ.', [
      { field: 'querystring:/cursor', message: 'Không phải nextCursor của trang trước.' },
    ]);
  return key as T extends 'string' ? string : number;
}

/**
 * Where a sorted list continues: the last item's id and, in a sorted order, its sort key. The
 * cursor names its order, so a cursor of one order is refused in another (400) rather than
 * giving a page that skips or repeats rows.
 */
export function readSortedCursor(
  cursor: string | undefined,
  sort: string | undefined,
): { id: string; key?: string } | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  const [id, value, order] = key ?? [];
  const valid =
    typeof id === 'string' &&
    !id.includes('\0') &&
    (sort === undefined
      ? key!.length === 1
      : key!.length === 3 && typeof value === 'string' && !value.includes('\0') && order === sort);
  if (!valid)
    throw badRequest('Con trỏ trang (cursor) không hợp lệ.', [
      {
        field: 'querystring:/cursor',
        message: 'Không phải nextCursor của trang trước (cùng bộ lọc và cùng thứ tự sắp xếp).',
      },
    ]);
  return sort === undefined ? { id: id as string } : { id: id as string, key: value as string };
}

export function encodeSortedCursor(position: { id: string; key?: string }, sort: string | undefined): string {
  return encodeCursor(sort === undefined ? [position.id] : [position.id, position.key ?? '', sort]);
}
