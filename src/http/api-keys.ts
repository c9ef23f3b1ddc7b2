/**
 * API keys of the buyer/operator API. A key is `edi_<prefix>_<secret>`: the prefix is stored plain
 * and finds the row, the whole key is stored only as its sha256 and compared in constant time.
 * The key itself is shown once, when it is created.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { GatewayError } from '../errors.ts';

export const SCOPES = ['orders:read', 'exceptions:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  /** set: the key sees only this partner's orders and exceptions (a supplier's key) */
  partnerId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_FORMAT = /^edi_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function fromRow(r: Record<string, unknown>): ApiKey {
  return {
    id: String(r.id), name: r.name as string, prefix: r.prefix as string, scopes: r.scopes as Scope[], partnerId: (r.partner_id as string | null) ?? null,
    createdAt: r.created_at as Date, lastUsedAt: (r.last_used_at as Date | null) ?? null, revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}

export async function createApiKey(db: Queryable, input: { name: string; scopes: string[]; partnerId?: string }): Promise<{ key: string; apiKey: ApiKey }> {
  const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (input.scopes.length === 0 || unknown.length) {
    throw new GatewayError('api-key-scope', `scopes must be some of ${SCOPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`, { expose: true });
  }
  if (!input.name.trim()) throw new GatewayError('api-key-name', 'an API key needs a name', { expose: true });
  const prefix = randomBytes(8).toString('hex');
  const key = `edi_${prefix}_${randomBytes(32).toString('base64url')}`;
  const r = await db.query(
    'insert into api_keys (name, prefix, key_hash, scopes, partner_id) values ($1, $2, $3, $4, $5) returning *',
    [input.name.trim(), prefix, hashKey(key).toString('hex'), [...new Set(input.scopes)], input.partnerId ?? null],
  );
  return { key, apiKey: fromRow(r.rows[0]) };
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return (await db.query('select * from api_keys order by id')).rows.map(fromRow);
}

export async function revokeApiKey(db: Queryable, id: string): Promise<ApiKey | undefined> {
  if (!/^[0-9]{1,18}$/.test(id)) return undefined;
  const r = await db.query('update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 returning *', [id]);
  return r.rows[0] ? fromRow(r.rows[0]) : undefined;
}

/** The live key a presented secret belongs to, or undefined (malformed, unknown, wrong, revoked). */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKey | undefined> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return undefined;
  const r = await db.query('select * from api_keys where prefix = $1', [m[1]]);
  const row = r.rows[0];
  if (!row) return undefined;
  const stored = Buffer.from(row.key_hash as string, 'hex');
  const given = hashKey(presented);
  if (stored.length !== given.length || !timingSafeEqual(stored, given) || row.revoked_at !== null) return undefined;
  await db.query(`update api_keys set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [row.id]);
  return fromRow(row);
}
