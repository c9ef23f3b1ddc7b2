/**
 * The command-line tool: `npm run --silent cli -- <command> [args]`.
 * Exit codes: 0 success, 1 the command ran and found problems (rejections, invalid profiles),
 * 2 wrong usage or input that is not X12/cXML at all.
 */
import { parseArgs } from './cli/args.ts';
import { CliError, stdio, type Out } from './cli/output.ts';
import { loadConfig } from './config.ts';

export const USAGE = `usage: npm run --silent cli -- <command>
  serve                                   start the gateway (same as npm start)
  migrate                                 apply database migrations
  partners check                          validate every partner profile
  translate <file> [--partner <id>]       print the canonical JSON of an X12 or cXML file
  ack <file> [--partner <id>] [--999]     print the acknowledgement(s) we would send back
  render <order.json> [--partner <id>] [--version 004010|005010] [--format x12|cxml]
                                          print the 850 / OrderRequest for a canonical order
  receive <file> --partner <id>           store a file as received from the partner and process it
  replay <documentId>                     process a stored inbound document again (never applied twice)
  send-order <odooPurchaseOrderId>        send an Odoo purchase order now, even one confirmed before EDI began
  documents list [--partner P] [--type T] [--state S] [--po PO] [--limit N]
  documents show <id> [--raw]
  exceptions list [--state open|resolved] [--all] [--partner P]
  exceptions retry <id>
  exceptions resolve <id> --note "..."
  exceptions approve <id> [--by NAME]     approve an acknowledged price, quantity or date (needs ODOO_URL)
  api-keys create --name N --scope orders:read [--scope ...] [--partner P] | api-keys list | api-keys revoke <id>
  docs [--write]                          print (or write into README.md) the generated reference tables`;

export async function runCli(argv: string[], out: Out = stdio): Promise<number> {
  const args = parseArgs(argv, new Set(['raw', '999', 'all', 'help', 'write']));
  const [command, sub] = args.positionals;
  try {
    if (!command || args.flags.has('help')) {
      out.text(USAGE);
      return command ? 0 : 2;
    }
    const config = loadConfig();
    switch (command) {
      case 'serve':
        await import('./main.ts');
        return await new Promise<number>(() => undefined); // runs until a signal stops it
      case 'migrate': {
        const { withDatabase } = await import('./cli/database.ts');
        await withDatabase(config, async () => undefined);
        out.text('migrations applied');
        return 0;
      }
      case 'partners':
        if (sub !== 'check') throw new CliError('usage: partners check', 2);
        return (await import('./cli/partners.ts')).partnersCheckCommand(config, out);
      case 'translate':
      case 'ack':
      case 'render':
        return await (await import('./cli/translate.ts')).translateCommands(config, command, args, out);
      case 'receive':
      case 'replay':
        return await (await import('./cli/receive.ts')).receiveCommands(config, command, args, out);
      case 'send-order':
        return await (await import('./cli/receive.ts')).sendOrderCommand(config, args, out);
      case 'documents':
        return await (await import('./cli/documents.ts')).documentsCommand(config, args, out);
      case 'exceptions':
        return await (await import('./cli/exceptions.ts')).exceptionsCommand(config, args, out);
      case 'api-keys':
        return await (await import('./cli/api-keys.ts')).apiKeysCommand(config, args, out);
      case 'docs':
        return (await import('./cli/docs.ts')).docsCommand(args, out);
      default:
        throw new CliError(`unknown command "${command}"\n${USAGE}`, 2);
    }
  } catch (err) {
    if (err instanceof CliError) {
      out.error(err.message);
      return err.exitCode;
    }
    out.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => {
    if (code !== 0 || !process.argv.includes('serve')) process.exit(code);
  });
}
