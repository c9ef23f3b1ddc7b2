import type { Config } from '../config.ts';
import type { ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';

export async function translateCommands(_config: Config, command: string, _args: ParsedArgs, _out: Out): Promise<number> {
  throw new CliError(`${command}: not wired yet`, 2);
}
