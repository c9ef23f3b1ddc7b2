/**
 * Reads a request body with its size limit enforced on the stream: a body over the limit is refused
 * with 413 as soon as it crosses the limit (and a Content-Length over it before reading anything).
 */
import type Koa from 'koa';
import { GatewayError } from '../errors.ts';

export async function readBody(ctx: Koa.Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new GatewayError('body-too-large', `request body of ${declared} bytes exceeds the limit of ${limit} bytes`, { expose: true, status: 413 });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      ctx.req.unpipe();
      ctx.req.resume(); // drain the rest so the connection can answer
      throw new GatewayError('body-too-large', `request body exceeds the limit of ${limit} bytes`, { expose: true, status: 413 });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
