import { readFileSync } from 'node:fs';
import PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { loadPartners } from '../partners/registry.ts';
import { ingestDocument } from '../pipeline/ingest.ts';
import { replayDocument } from '../pipeline/replay.ts';
import { withDatabase } from './database.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';

/** `receive <file> --partner <id>`: store a file as if it arrived; `replay <id>`: process a stored document again. */
export async function receiveCommands(config: Config, command: 'receive' | 'replay', args: ParsedArgs, out: Out): Promise<number> {
  const target = args.positionals[1];
  if (!target) throw new CliError(command === 'receive' ? 'usage: receive <file> --partner <id>' : 'usage: replay <documentId>', 2);
  return withDatabase(config, async (pool, url) => {
    const boss = new PgBoss({ connectionString: url, schema: config.bossSchema, supervise: false, schedule: false });
    boss.on('error', () => undefined);
    await boss.start();
    const log = createLogger({ level: 'warn' });
    try {
      if (command === 'receive') {
        const partnerId = flag(args, 'partner');
        if (!partnerId) throw new CliError('receive needs --partner <id>', 2);
        if (!loadPartners(config.partnersDir).get(partnerId)) throw new CliError(`no partner profile "${partnerId}"`, 2);
        const raw = readFileSync(target);
        const format = raw.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\s+/g, '').startsWith('<') ? 'cxml' : 'x12';
        out.json(await ingestDocument({ pool, boss, log }, { partnerId, format, transport: 'cli', raw, source: { fileName: target.split('/').pop() } }));
      } else {
        out.json(await replayDocument({ pool, boss, log }, target, flag(args, 'by') ?? process.env.USER ?? 'cli'));
      }
      return 0;
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
}
