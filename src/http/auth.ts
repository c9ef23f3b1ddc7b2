/**
 * Bearer API-key authentication and scopes for /api/v1. 401 without a valid key, 403 without the
 * scope a route needs ('admin' holds every scope). A verified key is remembered for a few seconds,
 * keyed by the key's sha256, so a busy client costs no extra query per request; a revoked key stops
 * working within that time.
 */
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import type { Queryable } from '../db/pool.ts';
import { GatewayError } from '../errors.ts';
import { verifyApiKey, type ApiKey, type Scope } from './api-keys.ts';

export interface AuthOptions { cacheSeconds?: number; maxCached?: number }

export function apiKeyAuth(db: Queryable, options: AuthOptions = {}): Koa.Middleware {
  const ttl = (options.cacheSeconds ?? 5) * 1000;
  const max = options.maxCached ?? 1000;
  const cache = new Map<string, { key: ApiKey; until: number }>();
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
    if (!m) {
      ctx.set('WWW-Authenticate', 'Bearer realm="edi-gateway"');
      throw new GatewayError('unauthenticated', 'an API key is required: Authorization: Bearer <key>', { expose: true, status: 401 });
    }
    const id = createHash('sha256').update(m[1]!).digest('base64');
    const now = Date.now();
    const hit = cache.get(id);
    let key = hit && hit.until > now ? hit.key : undefined;
    if (!key) {
      key = await verifyApiKey(db, m[1]!);
      if (!key) {
        ctx.set('WWW-Authenticate', 'Bearer realm="edi-gateway", error="invalid_token"');
        throw new GatewayError('unauthenticated', 'the API key is not valid', { expose: true, status: 401 });
      }
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      if (ttl > 0) cache.set(id, { key, until: now + ttl });
    }
    ctx.state.apiKey = key;
    await next();
  };
}

export function requireScope(scope: Scope): Koa.Middleware {
  return async (ctx, next) => {
    const key = ctx.state.apiKey as ApiKey | undefined;
    if (!key || !(key.scopes.includes(scope) || key.scopes.includes('admin'))) {
      throw new GatewayError('insufficient-scope', `this API key lacks the scope ${scope}`, { expose: true, status: 403 });
    }
    await next();
  };
}

/** The partner a key is restricted to, or undefined for a buyer's or operator's key. */
export function keyPartner(ctx: Koa.Context): string | undefined {
  return (ctx.state.apiKey as ApiKey | undefined)?.partnerId ?? undefined;
}

/** Who did it, for audit fields: the key's name and id. */
export function keyActor(ctx: Koa.Context): string {
  const key = ctx.state.apiKey as ApiKey;
  return `api-key:${key.name}#${key.id}`;
}
