import type { Config } from '../config.ts';
import { withDatabase } from './database.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';
import { listExceptions } from '../store/exceptions.ts';
import { approveException, retryException, resolveExceptionBy } from '../pipeline/exception-actions.ts';
import { createOdooClient } from '../odoo/client.ts';
import { loadPartners } from '../partners/registry.ts';
import { createLogger } from '../log.ts';

export async function exceptionsCommand(config: Config, args: ParsedArgs, out: Out): Promise<number> {
  const [, sub, id] = args.positionals;
  return withDatabase(config, async (pool, url) => {
    if (sub === 'list') {
      const state = flag(args, 'state') ?? (args.flags.has('all') ? undefined : 'open');
      out.json(await listExceptions(pool, { state: state as 'open' | 'resolved' | undefined, partnerId: flag(args, 'partner'), limit: Number(flag(args, 'limit') ?? 100) }));
      return 0;
    }
    if (sub === 'retry' && id) {
      out.json(await retryException({ pool, url, schema: config.bossSchema }, id, flag(args, 'by') ?? process.env.USER ?? 'cli'));
      return 0;
    }
    if (sub === 'resolve' && id) {
      const note = flag(args, 'note');
      if (!note) throw new CliError('exceptions resolve <id> --note "what was done"', 2);
      out.json(await resolveExceptionBy(pool, id, flag(args, 'by') ?? process.env.USER ?? 'cli', note));
      return 0;
    }
    if (sub === 'approve' && id) {
      const odoo = config.odoo ? createOdooClient(config.odoo) : undefined;
      out.json(await approveException({ pool, odoo, partners: loadPartners(config.partnersDir), log: createLogger({ level: 'warn' }) }, id, flag(args, 'by') ?? process.env.USER ?? 'cli'));
      return 0;
    }
    throw new CliError('usage: exceptions list [--state open|resolved] [--all] [--partner P] | exceptions retry <id> | exceptions resolve <id> --note "..." | exceptions approve <id> [--by NAME]', 2);
  });
}
