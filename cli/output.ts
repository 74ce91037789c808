// Where the command line writes. A process writes to its own streams; a command run inside another
// process (the tests run most commands so, to spare a Node start per command) writes to what that
// process gives, for the time of the run.
export interface CliOutput {
  /** Text, or the bytes of a file (an export to stdout). */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
}

const processOutput: CliOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

let current = processOutput;

export function writeOut(text: string | Uint8Array): void {
  current.stdout(text);
}

export function writeErr(text: string): void {
  current.stderr(text);
}

/** Whether a person reads stderr at a terminal (a progress bar is for them); never in a test's run. */
export function stderrIsTerminal(): boolean {
  return current === processOutput && process.stderr.isTTY === true;
}

/** Runs `body` with the command line's output going to `output`; one such run at a time. */
export async function withOutput<T>(output: CliOutput, body: () => Promise<T>): Promise<T> {
  if (current !== processOutput) throw new Error('a command is already running in this process');
  current = output;
  try {
    return await body();
  } finally {
    current = processOutput;
  }
}
