import Router from '@koa/router';
import type { AppContext } from '../context.ts';
import { renderMetrics } from './metrics.ts';

export function healthRouter(app: AppContext): Router {
  const router = new Router();
  // the process is alive and serving HTTP
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  // the database answers, migrations ran and the job queue runs
  router.get('/readyz', async (ctx) => {
    let database = false;
    try {
      await app.pool.query('select 1');
      database = true;
    } catch {
      database = false;
    }
    const ready = database && app.ready();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not-ready', database, queue: app.ready() };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = 'text/plain; version=0.0.4';
    ctx.body = await renderMetrics(app);
  });
  return router;
}
