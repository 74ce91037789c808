import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { build as esbuildBuild } from 'esbuild';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assignmentPagePath } from '../../domain/delivery-message.ts';

/**
 * The web app's files: TypeScript modules (checked by `tsc -p web`, strict) and a stylesheet. The
 * page loads one script, `/app/app.js`, which esbuild bundles from web/main.ts when the server starts: a cold
 * load is the page, the stylesheet, that script and the icon, instead of one request per module.
 */
export const webRoot = fileURLToPath(new URL('../../web/', import.meta.url));

/** The one script the page loads, its name under /app/. */
export const BUNDLE = 'app.js';

/**
 * web/main.ts and every module it imports, as one minified ES module (esbuild, in memory). Where
 * esbuild is not installed (the production image installs no development dependency), the bundle
 * `npm run build:web` made when the image was built, web/dist/app.js.
 */
export async function bundleWeb(): Promise<Buffer> {
  let build: typeof esbuildBuild;
  try {
    ({ build } = await import('esbuild'));
  } catch {
    return readFile(join(webRoot, 'dist', BUNDLE));
  }
  const result = await build({
    entryPoints: [join(webRoot, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    charset: 'utf8',
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

async function loadAssets(dir: string, prefix = ''): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      for (const [key, asset] of await loadAssets(path, `${name}/`)) assets.set(key, asset);
    } else if (types[extname(entry.name)]) {
      const body = await readFile(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(name, { body, type: types[extname(entry.name)]!, etag });
    }
  }
  return assets;
}

/**
 * The web app at `/` (index.html) and `/app/<file>`: read into memory once at start, answered with
 * an ETag so that a browser revalidates rather than downloads. The pages talk only to the public API.
 * `/assignments/<id>`, the link older e-mails carry, is sent on to the assignment's page.
 */
export default fp(
  async (app) => {
    const assets = await loadAssets(webRoot);
    // The bundle built ahead (web/dist/) is served only as /app/app.js, never under its own name.
    for (const name of assets.keys()) if (name.startsWith('dist/')) assets.delete(name);
    const bundle = await bundleWeb();
    assets.set(BUNDLE, {
      body: bundle,
      type: types['.js']!,
      etag: `"${createHash('sha256').update(bundle).digest('base64url').slice(0, 22)}"`,
    });
    const send = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      const asset = assets.get(name);
      if (!asset) return reply.callNotFound();
      reply.header('cache-control', 'no-cache').header('etag', asset.etag);
      if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
      return reply.type(asset.type).send(asset.body);
    };
    const hidden = { hide: true } as never;
    // Outside the request budget: answered from memory, mostly 304, at about the cost of counting
    // them; an office behind one address would otherwise spend the budget of its sign-ins on its
    // own pages.
    const config = { public: true, rateLimit: false as const };
    app.get('/', { config, schema: hidden }, send('index.html'));
    app.get<{ Params: { '*': string } }>('/app/*', { config, schema: hidden }, async (request, reply) =>
      send(request.params['*'])(request, reply),
    );
    // The links of e-mails and webhooks sent before they pointed at the page itself: the page, for
    // whoever follows one. Public, since it says nothing: the page asks the person to sign in.
    app.get<{ Params: { id: string } }>(
      '/assignments/:id',
      { config: { public: true }, schema: hidden },
      async (request, reply) =>
        reply.header('cache-control', 'no-cache').redirect(assignmentPagePath(request.params.id.slice(0, 300)), 302),
    );
  },
  { name: 'web' },
);
