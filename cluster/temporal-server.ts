import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { processEnvironment } from '../runtime/config.ts';
import { findGo, goInstall, isExecutable, toolCacheDir } from '../runtime/go-tools.ts';
import { TEMPORAL_SERVER_VERSION } from './settings.ts';

/** The Temporal server and its SQL schema tool, built from Temporal's own code. */
export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** Where they came from, for the start-up message. */
  source: string;
}

export class TemporalServerNotFound extends Error {}

const MODULE = 'go.temporal.io/server';
/** `go install` names each program after its folder; they are renamed to what Temporal's images call them. */
const PROGRAMS = [
  { package: 'cmd/server', built: 'server', name: 'temporal-server' },
  { package: 'cmd/tools/sql', built: 'sql', name: 'temporal-sql-tool' },
] as const;

export function temporalServerCacheDir(env: NodeJS.ProcessEnv = processEnvironment()): string {
  return toolCacheDir(`temporal-server-${TEMPORAL_SERVER_VERSION}`, env);
}

/**
 * The cached build in `~/.cache/dondoc/temporal-server-<version>/`, or a new one with Go (about
 * ten minutes of two cores, once): `go install go.temporal.io/server/cmd/server@v<version>` and
 * `…/cmd/tools/sql@v<version>` through the Go module proxy.
 */
export async function findTemporalServer(
  options: { env?: NodeJS.ProcessEnv; log?: (message: string) => void; build?: boolean } = {},
): Promise<TemporalServerTools> {
  const env = options.env ?? processEnvironment();
  const log = options.log ?? (() => {});
  const cacheDir = temporalServerCacheDir(env);
  const paths = PROGRAMS.map((program) => join(cacheDir, program.name));
  const [server, sqlTool] = paths as [string, string];
  if ((await Promise.all(paths.map(isExecutable))).every(Boolean))
    return { server, sqlTool, source: `cache (${cacheDir})` };

  const go = options.build === false ? undefined : await findGo(env);
  if (!go)
    throw new TemporalServerNotFound(
      `The Temporal server ${TEMPORAL_SERVER_VERSION} is not in ${cacheDir}, and Go is not there to build it ` +
        `(go install ${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION} and ${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}).`,
    );
  const started = Date.now();
  for (const program of PROGRAMS) {
    const target = join(cacheDir, program.name);
    if (await isExecutable(target)) continue;
    const module = `${MODULE}/${program.package}@v${TEMPORAL_SERVER_VERSION}`;
    log(`Building ${program.name} ${TEMPORAL_SERVER_VERSION} with Go into ${cacheDir} (go install ${module}); once.`);
    const built = await goInstall({ go, module, binary: program.built, cacheDir, env, log });
    if (!built) throw new TemporalServerNotFound(`Building ${module} failed; what Go said is above.`);
    await rename(built, target);
  }
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return { server, sqlTool, source: `built with Go (${cacheDir})` };
}
