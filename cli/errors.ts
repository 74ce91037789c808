import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { Invalid, NotFound, RevisionNeeded, ServiceError, type FieldError } from '../services/errors.ts';
import { CliDatabaseError } from '../runtime/cli-database.ts';
import { writeErr } from './output.ts';

/** Bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/** Printed to stderr; the command exits with `code`. */
export class Failure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** parseArgs' complaints (English, from Node) said in the command line's language. */
export function usageMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '');
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `không có tùy chọn ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(error.message) ? `${option}: thiếu giá trị` : `${option}: không nhận giá trị`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `thừa tham số: ${option}`;
    default:
      return error.message;
  }
}

/** parseArgs, with its complaints as a UsageError. */
export function parseOptions<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(usageMessage(error as Error));
  }
}

/** The options every command with subcommands takes besides its own. */
const commonOptions = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

type CommandConfig<O extends ParseArgsOptionsConfig> = {
  args: string[];
  options: O & typeof commonOptions;
  strict: true;
  allowPositionals: true;
};

/**
 * A command line of `dondoc <command> <subcommand> …`: its options (with --json and --help), the
 * subcommand (one of `known`) and the arguments after it; `undefined` when --help was asked (the
 * caller prints its usage).
 */
export function commandLine<const O extends ParseArgsOptionsConfig, S extends string>(
  args: string[],
  options: O,
  known: readonly S[],
) {
  const config: CommandConfig<O> = {
    args,
    options: { ...options, ...commonOptions },
    strict: true,
    allowPositionals: true,
  };
  const { values, positionals } = parseOptions(config);
  if ((values as { help?: boolean }).help) return undefined;
  const [given, ...rest] = positionals;
  return { values, subcommand: subcommandOf(given, known), rest };
}

/**
 * The subcommand a command was given, one of `known`; else a usage error listing `listed` (the
 * subcommands the command's help shows, when another door handles some of them).
 */
export function subcommandOf<S extends string>(
  given: string | undefined,
  known: readonly S[],
  listed: readonly string[] = known,
): S {
  if (given === undefined) throw new UsageError(`thiếu lệnh con (${listed.join(', ')})`);
  if (!(known as readonly string[]).includes(given)) throw new UsageError(`lệnh con không hợp lệ: "${given}"`);
  return given as S;
}

/**
 * The application's refusals as exit codes: what is not there exits with 1; what the user can fix
 * by other arguments with 2, naming each field through `fieldName` (the option that carried it).
 */
export function failureOf(error: ServiceError, fieldName: (field: string) => string = (field) => field): Failure {
  const errors: FieldError[] = error instanceof Invalid ? error.errors : [];
  if (error instanceof RevisionNeeded) {
    const { counts, changes } = error.revision;
    const lines = changes
      .slice(0, 50)
      .map((c) => `  ${c.kind} ${c.key}${c.title ? ` ${c.title}` : ''}${c.detail ? `: ${c.detail}` : ''}`);
    return new Failure(
      `${error.message}\nThêm ${counts.added}, hủy ${counts.cancelled}, chuyển cơ quan ${counts.moved}, đổi thời hạn ${counts.deadlineChanged}, sửa nội dung ${counts.textChanged}:\n${lines.join('\n')}`,
      2,
    );
  }
  if (errors.length === 0) return new Failure(error.message, error instanceof NotFound ? 1 : 2);
  const lines = errors.map((e) => {
    const name = fieldName(e.field);
    return name ? `${name}: ${e.message}` : e.message;
  });
  return new Failure(lines.join('\n'), 2);
}

/** Runs one command, turning what it throws into a message on stderr and an exit code. */
export async function runCommand(name: string, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (thrown) {
    const error = thrown instanceof ServiceError ? failureOf(thrown) : thrown;
    if (error instanceof UsageError) {
      writeErr(`dondoc ${name}: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof Failure || error instanceof CliDatabaseError) {
      writeErr(`dondoc ${name}: ${error.message}\n`);
      return error instanceof Failure ? error.code : 1;
    }
    throw error;
  }
}
