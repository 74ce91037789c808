// Notification texts and the workflow's refusals name agencies by code ("của SYT", "do UBND-TDG
// chủ trì", "cơ quan SNGV"): the workflow that writes them knows codes only, and what running
// workflows record does not change. People read names, so the texts are given names when they are
// read or sent (the API, e-mails, digests, webhooks), from the registry of the assignment's plan.

/**
 * An agency code as the texts write it, with the "cơ quan " some put before it: upper-case ASCII
 * letters and digits, parts joined by "-", standing alone (not inside "2866/QĐ-UBND" or a word).
 */
const CODE = /(?:cơ quan )?(?<![\p{L}\p{N}/_.-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)(?![\p{L}\p{N}/_-])/gu;

/** The codes a text may name, to look their names up at once. */
export function agencyCodesIn(text: string): string[] {
  return [...new Set([...unquoted(text)].flatMap((part) => [...part.matchAll(CODE)].map((m) => m[1]!)))];
}

/** The parts of a text that are the system's own words: not a quoted title, not a person's reason. */
function* unquoted(text: string): Generator<string> {
  const reasonAt = text.indexOf('Lý do:');
  const head = reasonAt >= 0 ? text.slice(0, reasonAt) : text;
  const parts = head.split(/("[^"]*")/);
  for (let i = 0; i < parts.length; i += 2) yield parts[i]!;
}

/**
 * The text with each agency code the registry knows replaced by the agency's name ("cơ quan SYT"
 * and "SYT" alike become "Sở Y tế"). A quoted task title and what follows "Lý do:" are a plan's and
 * a person's own words, kept as written; a code no registry knows stays as it is.
 */
export function withAgencyNames(text: string, nameOf: (code: string) => string | undefined): string {
  const reasonAt = text.indexOf('Lý do:');
  const head = reasonAt >= 0 ? text.slice(0, reasonAt) : text;
  const tail = reasonAt >= 0 ? text.slice(reasonAt) : '';
  const named = head
    .split(/("[^"]*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(CODE, (whole, code: string) => nameOf(code) ?? whole)))
    .join('');
  return named + tail;
}
