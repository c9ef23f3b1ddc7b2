import type Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';

/** Takes X-Request-Id from the caller when it is short and plain, else makes one; echoes it; gives the request a child logger. */
export function requestId(log: Logger, options: { header?: string; maxLength?: number } = {}): Koa.Middleware {
  const header = options.header ?? 'x-request-id';
  const max = options.maxLength ?? 128;
  return async (ctx, next) => {
    const given = ctx.get(header);
    const id = given && given.length <= max && /^[A-Za-z0-9._:-]+$/.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = log.child({ requestId: id });
    ctx.set('X-Request-Id', id);
    await next();
  };
}
