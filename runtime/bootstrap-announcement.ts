/**
 * What the person who started Đôn đốc is told of a generated first coordinator token. The token
 * itself only when standard output is a terminal: otherwise it goes to a file, a journal or a
 * container's log collector, where whoever reads logs would read a coordinator's key. The file it
 * is kept in is readable by its owner only, and is named either way.
 */
export function bootstrapAnnouncement(generated: { token: string; file: string }, onTerminal: boolean): string {
  const use = 'Use it as "Authorization: Bearer <token>" and create named tokens with POST /v1/tokens.\n\n';
  return onTerminal
    ? `\nFirst coordinator token (shown once; also in ${generated.file}, mode 0600):\n  ${generated.token}\n${use}`
    : `\nFirst coordinator token created: it is in ${generated.file} (mode 0600), not printed here because ` +
        `standard output is not a terminal.\n${use}`;
}
