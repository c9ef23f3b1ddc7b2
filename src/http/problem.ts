/**
 * Errors as RFC 9457 application/problem+json, logged in one place, never with a stack trace in the
 * answer. Only a GatewayError marked `expose` shows its message; everything else is "internal error".
 */
import type Koa from 'koa';
import { GatewayError, isGatewayError } from '../errors.ts';

export function problem(ctx: Koa.Context, status: number, code: string, detail: string, extra: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.type = 'application/problem+json';
  ctx.body = { type: `urn:edi-gateway:problem:${code}`, title: code, status, detail, requestId: ctx.state.requestId as string | undefined, ...extra };
}

export function errorHandler(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) problem(ctx, 404, 'not-found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      const log = ctx.state.log as { error: (o: object, m: string) => void; warn: (o: object, m: string) => void } | undefined;
      if (isGatewayError(err)) {
        const status = err.status;
        (status >= 500 ? log?.error : log?.warn)?.call(log, { code: err.code, status, err: { message: err.message } }, 'request failed');
        problem(ctx, status, err.code, err.expose ? err.message : 'internal error');
        return;
      }
      const status = (err as { status?: number; expose?: boolean }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        problem(ctx, status, 'bad-request', (err as { expose?: boolean }).expose ? (err as Error).message : 'bad request');
        return;
      }
      log?.error({ err: { message: (err as Error)?.message } }, 'request failed');
      problem(ctx, 500, 'internal-error', 'internal error');
    }
  };
}

export function badRequest(code: string, message: string, status = 400): GatewayError {
  return new GatewayError(code, message, { expose: true, status });
}
