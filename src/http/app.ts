/**
 * The Koa application, built by a factory so tests build the real thing with test settings; only
 * main.ts listens. Routers are listed here explicitly.
 */
import Koa from 'koa';
import type { AppContext } from '../context.ts';
import { errorHandler } from './problem.ts';
import { requestId } from './request-id.ts';
import { healthRouter } from './health.ts';
import { odooWebhookRouter } from './odoo-webhook.ts';
import { apiRouter } from './api.ts';
import { cxmlRouter } from './cxml.ts';

export function createApp(app: AppContext): Koa {
  const koa = new Koa({ proxy: false });
  koa.silent = true; // errors are logged by errorHandler, never dumped to stderr
  koa.use(requestId(app.log));
  koa.use(errorHandler());
  const routers = [healthRouter(app), cxmlRouter(app), apiRouter(app), odooWebhookRouter(app)];
  for (const r of routers) koa.use(r.routes()).use(r.allowedMethods());
  return koa;
}
