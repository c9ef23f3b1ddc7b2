/**
 * translate / ack / render: the translators from the command line, with no database. `ack` shows
 * what the gateway would send back, numbered from 000000001 (the running gateway numbers from Postgres).
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config.ts';
import { loadPartners, type PartnerRegistry } from '../partners/registry.ts';
import { translateDocument, detectFormat } from '../../translators/index.ts';
import { acknowledgeX12 } from '../../translators/x12/index.ts';
import { render850 } from '../../translators/x12/render850.ts';
import { renderOrderRequest } from '../../translators/cxml/index.ts';
import { TranslationError } from '../../translators/errors.ts';
import type { Order } from '../../translators/types.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import { validatorFor, describeErrors } from '../partners/schema.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';

function read(path: string | undefined, usage: string): Buffer {
  if (!path) throw new CliError(usage, 2);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
}

function partner(registry: PartnerRegistry, id: string | undefined): PartnerProfile | undefined {
  if (!id) return undefined;
  const p = registry.get(id);
  if (!p) throw new CliError(`no partner profile "${id}" (known: ${registry.all().map((x) => x.id).join(', ')})`, 2);
  return p;
}

export async function translateCommands(config: Config, command: 'translate' | 'ack' | 'render', args: ParsedArgs, out: Out): Promise<number> {
  const registry = loadPartners(config.partnersDir);
  const profile = partner(registry, flag(args, 'partner'));
  const file = args.positionals[1];
  try {
    if (command === 'translate') {
      const raw = read(file, 'usage: translate <file> [--partner <id>]');
      const result = translateDocument(raw, { profile, profiles: profile ? undefined : registry.byX12 });
      out.json({ documents: result.documents, rejected: result.rejected });
      return result.rejected.length > 0 ? 1 : 0;
    }
    if (command === 'ack') {
      const raw = read(file, 'usage: ack <file> [--partner <id>] [--999]');
      if (detectFormat(raw) !== 'x12') throw new TranslationError('not-x12', 'ack answers X12 files; cXML is answered synchronously by POST /cxml');
      let n = 0;
      const acks = acknowledgeX12(raw, {
        profile, profiles: profile ? undefined : registry.byX12, ours: config.ours, use999: args.flags.has('999'),
        controlNumbers: () => String(++n).padStart(9, '0'),
      });
      out.text(acks.join(''));
      return 0;
    }
    const raw = read(file, 'usage: render <order.json> [--partner <id>] [--version 004010|005010] [--format x12|cxml]');
    let order: Order;
    try {
      order = JSON.parse(raw.toString('utf8')) as Order;
    } catch (err) {
      throw new CliError(`${file} is not JSON: ${(err as Error).message}`, 2);
    }
    const validate = validatorFor('order.schema.json');
    if (!validate(order)) throw new CliError(`${file} is not a canonical order:\n${describeErrors(validate.errors).map((l) => `  ${l}`).join('\n')}`, 2);
    const format = flag(args, 'format') ?? (profile?.formats.includes('x12') ? 'x12' : profile?.formats[0] ?? 'x12');
    const target = profile ?? registry.all().find((p) => p.formats.includes(format as 'x12' | 'cxml'));
    if (!target) throw new CliError(`render needs --partner <id> of a partner trading ${format}`, 2);
    if (format === 'cxml') {
      out.text(renderOrderRequest(order, { profile: target, ourIdentity: config.ours.cxml, payloadId: `${order.poNumber}.${order.revision ?? '0'}@cli`, timestamp: new Date().toISOString() }));
    } else {
      const version = flag(args, 'version') as '004010' | '005010' | undefined;
      if (version && version !== '004010' && version !== '005010') throw new CliError('--version is 004010 or 005010', 2);
      out.text(render850(order, { profile: target, ours: config.ours, version, controlNumbers: { interchange: '000000001', group: '000000001', transaction: '000000001' } }));
    }
    return 0;
  } catch (err) {
    if (err instanceof TranslationError) throw new CliError(`${err.code}: ${err.message}`, 2);
    throw err;
  }
}
