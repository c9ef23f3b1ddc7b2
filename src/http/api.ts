/**
 * /api/v1: the buyer status API (orders) and the operator API (exceptions), described by
 * src/http/openapi.json, served at /api/v1/openapi.json. Every other route needs an API key and names
 * its scope next to its path; a supplier's key (restricted to a partner) sees only that partner.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import { readFileSync } from 'node:fs';
import type { AppContext } from '../context.ts';
import { getOrderViewJson, listOrders } from '../acks/queries.ts';
import { ORDER_STATES, type OrderState } from '../acks/order-state.ts';
import { getException, listExceptions, type ExceptionRow } from '../store/exceptions.ts';
import { approveException, retryException, resolveExceptionBy } from '../pipeline/exception-actions.ts';
import type { QueueName } from '../pipeline/queues.ts';
import { readBody } from './body.ts';
import { badRequest } from './problem.ts';
import { apiKeyAuth, keyActor, keyPartner, requireScope, type AuthOptions } from './auth.ts';

const OPENAPI = readFileSync(new URL('./openapi.json', import.meta.url));

function query(ctx: Koa.Context, name: string): string | undefined {
  const v = ctx.query[name];
  if (Array.isArray(v)) throw badRequest('invalid-query', `query parameter ${name} is given more than once`);
  return v === undefined || v === '' ? undefined : v;
}

function intQuery(ctx: Koa.Context, name: string, fallback: number, max: number): number {
  const raw = query(ctx, name);
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw badRequest('invalid-query', `${name} must be a whole number from 1 to ${max}`);
  return Number(raw);
}

/** The partner a request may see: the key's own, or the one asked for (a restricted key may not ask for another). */
function partnerScope(ctx: Koa.Context): string | undefined {
  const asked = query(ctx, 'partner');
  const own = keyPartner(ctx);
  if (own && asked && asked !== own) throw badRequest('partner-forbidden', 'this API key sees only its own partner', 403);
  return own ?? asked;
}

function exceptionJson(x: ExceptionRow): Record<string, unknown> {
  return {
    id: x.id, documentId: x.documentId, partnerId: x.partnerId, queue: x.queue, reasonCode: x.reasonCode, message: x.message, attempts: x.attempts,
    detail: x.detail, state: x.state, openedAt: x.openedAt, resolvedAt: x.resolvedAt, resolvedBy: x.resolvedBy, resolution: x.resolution,
  };
}

/** The exception, when this key may act on it (404 otherwise, so a supplier's key learns nothing about others). */
async function visibleException(app: AppContext, ctx: Koa.Context): Promise<ExceptionRow> {
  const id = ctx.params.id ?? '';
  const ex = /^[0-9]{1,18}$/.test(id) ? await getException(app.pool, id) : undefined;
  const own = keyPartner(ctx);
  if (!ex || (own && ex.partnerId !== own)) throw badRequest('exception-not-found', `no exception ${id}`, 404);
  return ex;
}

export function apiRouter(app: AppContext, options: { auth?: AuthOptions; maxBodyBytes?: number } = {}): Router {
  const router = new Router({ prefix: '/api/v1' });
  const auth = apiKeyAuth(app.pool, options.auth);
  const bodyLimit = options.maxBodyBytes ?? 64 * 1024;

  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = OPENAPI;
  });

  router.get('/orders', auth, requireScope('orders:read'), async (ctx) => {
    const state = query(ctx, 'state');
    if (state !== undefined && !ORDER_STATES.includes(state as OrderState)) throw badRequest('invalid-query', `state must be one of ${ORDER_STATES.join(', ')}`);
    const overdue = query(ctx, 'overdue');
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') throw badRequest('invalid-query', 'overdue must be true or false');
    const sinceRaw = query(ctx, 'since');
    const since = sinceRaw === undefined ? undefined : new Date(sinceRaw);
    if (since && (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(sinceRaw!))) throw badRequest('invalid-query', 'since must be an ISO 8601 date or date-time');
    const cursor = query(ctx, 'cursor');
    if (cursor !== undefined && !/^[0-9]{1,18}$/.test(cursor)) throw badRequest('invalid-query', 'cursor is not one this API gave');
    ctx.body = await listOrders(app.pool, { state: state as OrderState | undefined, partnerId: partnerScope(ctx), overdue: overdue === 'true', since, cursor, limit: intQuery(ctx, 'limit', 50, 200) });
  });

  router.get('/orders/:poNumber', auth, requireScope('orders:read'), async (ctx) => {
    const po = ctx.params.poNumber ?? '';
    if (po.length > 64) throw badRequest('invalid-po', 'a PO number has at most 64 characters');
    const order = await getOrderViewJson(app.pool, po, partnerScope(ctx));
    if (!order) throw badRequest('order-not-found', `no order ${po}`, 404);
    ctx.type = 'application/json';
    ctx.body = order;
  });

  router.get('/exceptions', auth, requireScope('exceptions:write'), async (ctx) => {
    const state = query(ctx, 'state') ?? 'open';
    if (state !== 'open' && state !== 'resolved') throw badRequest('invalid-query', 'state must be open or resolved');
    const items = await listExceptions(app.pool, { state, partnerId: partnerScope(ctx), limit: intQuery(ctx, 'limit', 100, 1000) });
    ctx.body = { items: items.map(exceptionJson) };
  });

  router.post('/exceptions/:id/retry', auth, requireScope('exceptions:write'), async (ctx) => {
    const ex = await visibleException(app, ctx);
    const result = await retryException({ pool: app.pool, boss: app.boss }, ex.id, keyActor(ctx));
    app.wake(ex.queue as QueueName);
    ctx.body = { exception: exceptionJson(result.exception), jobId: result.jobId };
  });

  router.post('/exceptions/:id/resolve', auth, requireScope('exceptions:write'), async (ctx) => {
    const ex = await visibleException(app, ctx);
    if (!ctx.is('application/json')) throw badRequest('unsupported-media-type', 'send the note as application/json: {"note": "..."}', 415);
    const body = await readBody(ctx, bodyLimit);
    let note: unknown;
    try {
      note = (JSON.parse(body.toString('utf8')) as { note?: unknown } | null)?.note;
    } catch {
      throw badRequest('invalid-json', 'the body is not JSON');
    }
    if (typeof note !== 'string' || !note.trim() || note.length > 2000) throw badRequest('invalid-note', 'note must be a non-empty string of at most 2000 characters');
    ctx.body = exceptionJson(await resolveExceptionBy(app.pool, ex.id, keyActor(ctx), note.trim()));
  });

  router.post('/exceptions/:id/approve', auth, requireScope('exceptions:write'), async (ctx) => {
    const ex = await visibleException(app, ctx);
    if (keyPartner(ctx)) throw badRequest('approve-forbidden', 'a key restricted to a partner cannot approve what that partner acknowledged: the buyer does', 403);
    ctx.body = exceptionJson(await approveException(app, ex.id, keyActor(ctx)));
  });

  return router;
}
