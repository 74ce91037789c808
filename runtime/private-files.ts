/**
 * Files this process creates from now on are its owner's alone (0600, directories 0700), and so
 * are those of the processes it starts (the Temporal dev server's database and log): the data
 * directory holds password hashes, webhook secrets, the bootstrap token and deliverables. Called
 * by the processes that keep data on this machine (`npm start`, the CLI with its own embedded
 * database); with DATABASE_URL the API and the worker keep no such files.
 */
export function keepFilesPrivate(): void {
  process.umask(0o077);
}
