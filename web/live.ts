/**
 * Server-sent events from GET /v1/events: a page that shows assignments asks to hear when they
 * change and reads them again. One stream per open page; closed when the page changes.
 */

let source: EventSource | null = null;

export function watchAssignments(onChange: () => void) {
  stopWatching();
  source = new EventSource('/v1/events');
  source.addEventListener('assignments', () => onChange());
}

export function stopWatching() {
  source?.close();
  source = null;
}
