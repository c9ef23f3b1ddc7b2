import type { Config } from '../config.ts';
import { findDocuments, getDocument, getRaw, listEvents } from '../store/documents.ts';
import { withDatabase } from './database.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';

export async function documentsCommand(config: Config, args: ParsedArgs, out: Out): Promise<number> {
  const [, sub, id] = args.positionals;
  return withDatabase(config, async (pool) => {
    if (sub === 'list') {
      const docs = await findDocuments(pool, {
        partnerId: flag(args, 'partner'), docType: flag(args, 'type'), state: flag(args, 'state'),
        poNumber: flag(args, 'po'), before: flag(args, 'before'), limit: Number(flag(args, 'limit') ?? 50),
      });
      out.json(docs.map((d) => ({ id: d.id, createdAt: d.createdAt, direction: d.direction, partnerId: d.partnerId, format: d.format, type: d.docType, state: d.state, size: d.size, businessKeys: d.businessKeys, correlationId: d.correlationId })));
      return 0;
    }
    if (sub === 'show' && id) {
      const doc = await getDocument(pool, id);
      if (!doc) throw new CliError(`no document ${id}`, 1);
      const events = await listEvents(pool, id);
      const result: Record<string, unknown> = { ...doc, events };
      if (args.flags.has('raw')) result.raw = (await getRaw(pool, id))!.toString('latin1');
      out.json(result);
      return 0;
    }
    throw new CliError('usage: documents list [--partner P] [--type T] [--state S] [--po PO] [--limit N] | documents show <id> [--raw]', 2);
  });
}
