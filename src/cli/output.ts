export interface Out { json(value: unknown): void; text(value: string): void; error(value: string): void }

export const stdio: Out = {
  json: (v) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
  text: (v) => process.stdout.write(v.endsWith('\n') ? v : `${v}\n`),
  error: (v) => process.stderr.write(v.endsWith('\n') ? v : `${v}\n`),
};

/** A command-line failure with the exit code it means. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}
