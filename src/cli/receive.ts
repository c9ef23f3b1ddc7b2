import { readFileSync } from 'node:fs';
import type { Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { loadPartners } from '../partners/registry.ts';
import { ingestDocument } from '../pipeline/ingest.ts';
import { replayDocument } from '../pipeline/replay.ts';
import { withQueue } from './database.ts';
import { queueExport } from '../pipeline/poll-orders.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';

/** `receive <file> --partner <id>`: store a file as if it arrived; `replay <id>`: process a stored document again. */
export async function receiveCommands(config: Config, command: 'receive' | 'replay', args: ParsedArgs, out: Out): Promise<number> {
  const target = args.positionals[1];
  if (!target) throw new CliError(command === 'receive' ? 'usage: receive <file> --partner <id>' : 'usage: replay <documentId>', 2);
  return withQueue(config, async (pool, boss) => {
    const log = createLogger({ level: 'warn' });
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
  });
}

/**
 * `send-order <odooPurchaseOrderId>`: queues the export of an Odoo purchase order now, even one confirmed
 * before EDI with its supplier began (an unchanged order already sent is still not sent twice).
 */
export async function sendOrderCommand(config: Config, args: ParsedArgs, out: Out): Promise<number> {
  const id = Number(args.positionals[1]);
  if (!Number.isInteger(id) || id <= 0) throw new CliError('usage: send-order <odooPurchaseOrderId>', 2);
  return withQueue(config, async (_pool, boss) => {
    await queueExport({ boss, wake: () => undefined }, id, 'replay');
    out.json({ odooPurchaseOrderId: id, queued: true });
    return 0;
  });
}
