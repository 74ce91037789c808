import fp from 'fastify-plugin';
import { badRequest } from '../problem.ts';

/**
 * Where a string with a NUL byte hides in what was sent: PostgreSQL cannot store one, so it must
 * be refused as bad input (naming the field) rather than fail as a server error. Walks with an
 * explicit stack: a deeply nested body cannot exhaust the call stack.
 */
export function findNul(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\0')) return at;
    } else if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i += 1) stack.push([item[i], `${at}/${i}`]);
    } else if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) {
      for (const [key, inner] of Object.entries(item)) {
        if (key.includes('\0')) return `${at}/${key.replaceAll('\0', '\\0')}`;
        stack.push([inner, `${at}/${key}`]);
      }
    }
  }
  return undefined;
}

/** Refuses NUL bytes in path parameters, the query and JSON bodies, naming the field. */
export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      const where =
        findNul(request.params, 'params:') ?? findNul(request.query, 'querystring:') ?? findNul(request.body, '');
      if (where !== undefined) {
        const field = where === '' ? '/' : where.replace(/^(params|querystring):$/, '$1:/');
        throw badRequest(`Dữ liệu gửi lên chứa ký tự NUL không hợp lệ (${field}).`, [
          { field, message: 'chứa ký tự NUL' },
        ]);
      }
    });
  },
  { name: 'input-guard', dependencies: ['errors'] },
);
