/**
 * POST /odoo/webhook: an Odoo automation rule ("Send Webhook Notification" on purchase.order) tells the
 * gateway a PO changed; the export is queued at once instead of at the next poll. The token (env
 * ODOO_WEBHOOK_TOKEN) comes as `Authorization: Bearer <token>` or `?token=` (Odoo's webhook action
 * cannot set headers), compared in constant time.
 */
import Router from '@koa/router';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GatewayError } from '../errors.ts';
import { readBody } from './body.ts';
import { queueExport } from '../pipeline/poll-orders.ts';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function odooWebhookRouter(app: AppContext): Router {
  const router = new Router();
  router.post('/odoo/webhook', async (ctx) => {
    const expected = app.config.odooWebhookToken;
    if (!expected) throw new GatewayError('webhook-disabled', 'the Odoo webhook is not configured (ODOO_WEBHOOK_TOKEN)', { expose: true, status: 404 });
    const given = ctx.get('authorization').replace(/^Bearer\s+/i, '') || String(ctx.query.token ?? '');
    if (!given || !sameSecret(given, expected)) throw new GatewayError('unauthorized', 'missing or wrong webhook token', { expose: true, status: 401 });
    if (!ctx.is('application/json')) throw new GatewayError('unsupported-media-type', 'the webhook body must be application/json', { expose: true, status: 415 });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(ctx, 64 * 1024)).toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('bad-json', 'the webhook body is not JSON', { expose: true, status: 400 });
    }
    const model = body._model ?? 'purchase.order';
    if (model !== 'purchase.order') throw new GatewayError('unsupported-model', `model ${String(model)} is not handled`, { expose: true, status: 422 });
    const raw = Array.isArray(body.ids) ? body.ids : [body._id ?? body.id];
    const ids = raw.map(Number).filter((n) => Number.isInteger(n) && n > 0);
    if (ids.length === 0 || ids.length > 500) throw new GatewayError('bad-ids', 'give the purchase order as _id, id or ids (1 to 500 positive integers)', { expose: true, status: 422 });
    if (!app.ready()) throw new GatewayError('not-ready', 'the gateway is starting: retry', { expose: true, status: 503 });
    for (const id of ids) await queueExport(app, id, 'webhook');
    ctx.status = 202;
    ctx.body = { queued: ids };
  });
  return router;
}
