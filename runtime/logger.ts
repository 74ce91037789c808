import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Query parameters whose values are secrets: never written to a log. */
const SECRET_PARAMETER = /([?&](?:access_token|token|api_key|apikey|key|secret|password|signature)=)[^&#]*/gi;

/**
 * Path segments that are secrets: our tokens (`dd_`), invitation links (`inv_`), webhook keys
 * (`whsec_`) and calendar feeds (`cal_`) by their prefix, whatever follows `/calendar/` (a feed's
 * secret, even mistyped), and whatever follows `/invitations/` unless it is an invitation's id (a
 * UUID): a link's secret may be mistyped or cut short, and is still someone's.
 */
const SECRET_SEGMENT = /(?<=\/)(?:dd|inv|whsec|cal)_[^/?#]*/gi;
const CALENDAR_SEGMENT = /(\/calendar\/)[^/?#]+/gi;
const INVITATION_SEGMENT =
  /(\/invitations\/)(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:[/?#]|$))[^/?#]+/gi;

/** A URL as it may be logged: secret path segments and query parameters replaced. */
export function redactUrl(url: string): string {
  return url
    .replace(SECRET_PARAMETER, '$1[redacted]')
    .replace(INVITATION_SEGMENT, '$1[redacted]')
    .replace(CALENDAR_SEGMENT, '$1[redacted]')
    .replace(SECRET_SEGMENT, '[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** What a request line says of the request: never its query secrets, headers or body. */
function requestSerializer(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactUrl(request.url),
    host: request.hostname,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Errors as pino writes them, less what a failed query carries: drizzle puts the statement's
 * parameters (names, e-mail addresses, token hashes) in the message and in `params`.
 */
function errorSerializer(error: Error) {
  const serialized = stdSerializers.err(error) as ReturnType<typeof stdSerializers.err> & {
    params?: unknown;
    stack?: string;
  };
  const strip = (text: string) => text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, '\nparams: [redacted]');
  if ('params' in serialized) serialized.params = '[redacted]';
  if (typeof serialized.message === 'string') serialized.message = strip(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = strip(serialized.stack);
  return serialized;
}

/**
 * JSON lines for machines; pino-pretty only when a person is watching a terminal.
 * Authorization headers and anything named token are redacted wherever they appear, secret query
 * parameters in request URLs too, and a failed query's parameters never reach the log.
 */
export function createLogger(options: {
  name: string;
  level?: string;
  pretty?: boolean;
  /** Where the lines go (tests); standard output by default. */
  destination?: DestinationStream;
}): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const base: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'password', '*.password'],
      censor: '[redacted]',
    },
    // Fastify takes these over its own, so request lines go through them too.
    serializers: { req: requestSerializer, err: errorSerializer },
  };
  if (options.destination) return pino(base, options.destination);
  if (!pretty) return pino(base);
  return pino({
    ...base,
    transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
  });
}
