/**
 * `api-keys create --name N --scope orders:read[,exceptions:write] [--partner P]` prints the
 * new key once (only its hash is stored); `api-keys list` shows every key without secrets;
 * `api-keys revoke <id>` stops a key (within the API's few seconds of caching).
 */
import type { Config } from '../config.ts';
import { withDatabase } from './database.ts';
import { flag, type ParsedArgs } from './args.ts';
import { CliError, type Out } from './output.ts';
import { loadPartners } from '../partners/registry.ts';
import { createApiKey, listApiKeys, revokeApiKey, SCOPES } from '../http/api-keys.ts';

const USAGE = `usage: api-keys create --name N --scope <${SCOPES.join('|')}>[,<scope>...] [--partner P] | api-keys list | api-keys revoke <id>`;

function scopesOf(args: ParsedArgs): string[] {
  return (flag(args, 'scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export async function apiKeysCommand(config: Config, args: ParsedArgs, out: Out): Promise<number> {
  const [, sub, id] = args.positionals;
  if (sub === 'create') {
    const name = flag(args, 'name');
    const scopes = scopesOf(args);
    if (!name || scopes.length === 0) throw new CliError(USAGE, 2);
    const partnerId = flag(args, 'partner');
    if (partnerId && !loadPartners(config.partnersDir).get(partnerId)) throw new CliError(`no partner profile "${partnerId}" in ${config.partnersDir}`, 2);
    return withDatabase(config, async (pool) => {
      const { key, apiKey } = await createApiKey(pool, { name, scopes, partnerId });
      out.json({ ...apiKey, key, note: 'store this key now: it is not shown again' });
      return 0;
    });
  }
  if (sub === 'list') return withDatabase(config, async (pool) => (out.json(await listApiKeys(pool)), 0));
  if (sub === 'revoke' && id) {
    return withDatabase(config, async (pool) => {
      const revoked = await revokeApiKey(pool, id);
      if (!revoked) throw new CliError(`no API key ${id}`, 1);
      out.json(revoked);
      return 0;
    });
  }
  throw new CliError(USAGE, 2);
}
