import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  /** The Unix socket it listens on. */
  socket: string;
  stop(): Promise<void>;
}

/** Where a running `npm start` leaves the embedded database's URL, so the CLI can reach it. */
export function embeddedUrlFile(dataDir: string): string {
  return join(dataDir, 'database-url');
}

/** The socket's file name, as libpq and node-postgres look for it in a directory given as the host. */
const SOCKET_NAME = '.s.PGSQL.5432';
/** Longest path a Unix socket may have (sun_path is 108 bytes on Linux, 104 on macOS, with its NUL). */
const MAX_SOCKET_PATH = 103;

/** Whether something accepts connections on the Unix socket at `path`. */
export function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1000, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Owner only: directories 0700, files 0600, under `dir`. PGlite writes the files of a new
 * database (and a few at run time) as 0666 whatever the umask, so this runs after it starts and
 * after it stops; in between, the 0700 directories keep everyone else out.
 */
async function ownerOnly(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await ownerOnly(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) under `<dataDir>/pglite`, served with the PostgreSQL
 * wire protocol on a Unix socket in the data directory: everything then talks to it through `pg`
 * exactly as to a real server, and the CLI can connect while `npm start` runs. Not on TCP: PGlite
 * takes any user without a password, so whoever could reach a port could read and change
 * everything (password hashes, webhook secrets); the socket is reachable only through the data
 * directory, which is its owner's alone (0700, its files 0600). PGlite runs as any user, root
 * included, which a real PostgreSQL refuses.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  /** Client connections served at once (they share PGlite's one session); default 32. */
  maxConnections?: number;
}): Promise<EmbeddedDatabase> {
  await mkdir(options.dataDir, { recursive: true });
  await chmod(options.dataDir, 0o700);
  // A path too long for a socket (a deep DONDOC_DATA_DIR) gets a private directory of its own.
  let socketDir = options.dataDir;
  let ownSocketDir = false;
  if (join(socketDir, SOCKET_NAME).length > MAX_SOCKET_PATH) {
    socketDir = await mkdtemp(join(tmpdir(), 'dondoc-pg-'));
    ownSocketDir = true;
  }
  const socket = join(socketDir, SOCKET_NAME);
  // A socket left by a process that died is removed; a live one means the data directory is in use,
  // and opening it a second time could damage it.
  if (
    await lstat(socket).then(
      () => true,
      () => false,
    )
  ) {
    if (await socketAnswers(socket))
      throw new Error(
        `The embedded database of ${options.dataDir} is already served at ${socket} (is another Đôn đốc running on this data directory?)`,
      );
    await rm(socket, { force: true });
  }

  const dir = join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(dir);
  await ownerOnly(dir);
  // The multiplexer serialises transactions of different connections onto PGlite's one session.
  const server = new PGLiteSocketServer({
    db,
    path: socket,
    maxConnections: Math.max(32, options.maxConnections ?? 0),
  });
  try {
    await server.start();
    await chmod(socket, 0o600);
  } catch (error) {
    await db.close();
    throw new Error(`The embedded database could not listen on ${socket}`, { cause: error });
  }
  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
  const urlFile = embeddedUrlFile(options.dataDir);
  await writeFile(urlFile, `${url}\n`, { mode: 0o600 });
  return {
    url,
    dataDir: dir,
    socket,
    async stop() {
      await rm(urlFile, { force: true });
      await server.stop();
      await db.close();
      await rm(socket, { force: true });
      if (ownSocketDir) await rm(socketDir, { recursive: true, force: true });
      await ownerOnly(dir);
    },
  };
}
