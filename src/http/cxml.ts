/**
 * POST /cxml: the inbound cXML exchange. In order: content type (415), body size on the stream (413),
 * safe reading (400; large bodies on a worker thread), authentication (401/403, audit row only),
 * replay by payloadID (the stored answer byte for byte, or 409 for a different body), then the
 * document: stored with its first job in one transaction before 200, refused with 406/450 when its
 * content cannot be taken (stored quarantined, nothing processed). 5xx only for our own faults.
 * Every answer is a cXML Response whose Status code is also the HTTP status.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { isGatewayError } from '../errors.ts';
import { documentLogger } from '../log.ts';
import { sha256 } from '../store/documents.ts';
import { QUEUES } from '../pipeline/queues.ts';
import { renderProfileResponse, renderResponse } from '../../translators/cxml/index.ts';
import { readBody } from './body.ts';
import { authenticate } from './cxml-auth.ts';
import { ParsePool, parseInbound, type ParsedInbound } from './cxml-parse.ts';
import { findAnswered, recordAnswer, recordRefusal, storeRequest, type Refusal } from './cxml-store.ts';

export interface CxmlRouterOptions {
  /** bodies larger than this are parsed on a worker thread */
  workerThresholdBytes?: number;
  workers?: number;
  /** the URL partners reach us at, listed in the ProfileResponse */
  publicUrl?: string;
}

const XML_TYPES = new Set(['text/xml', 'application/xml']);

function respond(ctx: Koa.Context, status: number, body: Buffer | string): void {
  ctx.status = status;
  ctx.type = 'text/xml; charset=utf-8';
  ctx.body = body;
}

export function cxmlRouter(app: AppContext, options: CxmlRouterOptions = {}): Router {
  const router = new Router();
  const threshold = options.workerThresholdBytes ?? 256 * 1024;
  let pool: ParsePool | undefined;
  const us = app.config.ours.cxml?.identity ?? 'gateway';
  const answer = (code: number, detail?: string, inner?: string): string =>
    renderResponse({ code, detail, inner, payloadId: `${Date.now()}.${randomUUID()}@${us}`, timestamp: new Date().toISOString().replace('Z', '+00:00') });

  // our own faults: a cXML 500 (the network retries), never a problem+json to a cXML client
  const guard: Koa.Middleware = async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      ctx.state.log?.error({ err: { message: (err as Error).message, stack: (err as Error).stack } }, 'cXML request failed');
      respond(ctx, 500, answer(500, 'temporary failure on our side: retry later'));
    }
  };

  router.post('/cxml', guard, async (ctx) => {
    const remoteAddress = ctx.request.ip;
    const refuse = async (status: number, reason: string, extra: Partial<Refusal> = {}): Promise<void> => {
      ctx.state.log?.warn({ status, reason, partnerId: extra.partnerId }, 'cXML request refused');
      await recordRefusal(app.pool, { status, reason, remoteAddress, ...extra }).catch((err: Error) => ctx.state.log?.error({ err: { message: err.message } }, 'could not record the refusal'));
      respond(ctx, status, answer(status, reason));
    };

    const type = (ctx.request.type || '').toLowerCase();
    const charset = ctx.request.charset?.toLowerCase();
    if (!XML_TYPES.has(type)) return refuse(415, `Content-Type must be text/xml or application/xml, not "${type || 'none'}"`);
    if (charset && !['utf-8', 'utf8', 'us-ascii', 'iso-8859-1'].includes(charset)) return refuse(415, `charset "${charset}" is not accepted: send UTF-8`);

    let raw: Buffer;
    try {
      raw = await readBody(ctx, app.config.maxBodyBytes);
    } catch (err) {
      if (isGatewayError(err) && err.status === 413) return refuse(413, err.message);
      throw err;
    }

    const profiles = app.partners.all();
    let parsed: ParsedInbound;
    let sha: string | undefined; // hashed on the worker for a large body, here for a small one once it reads
    if (raw.length > threshold) {
      pool ??= new ParsePool(options.workers ?? 2);
      ({ parsed, raw, sha256: sha } = await pool.parse(raw, profiles));
    } else parsed = parseInbound(raw, profiles);
    if (!parsed.ok) return refuse(parsed.status, parsed.message, { size: raw.length });

    const { envelope, summary } = parsed;
    const auth = authenticate(envelope, app.partners, app.config.ours);
    if (!auth.ok) {
      return refuse(auth.status, auth.reason, { partnerId: auth.partnerId, payloadId: envelope.payloadId, senderDomain: envelope.sender[0]?.domain, senderIdentity: envelope.sender[0]?.identity, size: raw.length });
    }
    const partnerId = auth.profile.id;
    const bodySha = sha ?? sha256(raw);
    // a payloadID seen before: the stored answer byte for byte, or 409 for a different body
    const replay = async (): Promise<void> => {
      const prior = await findAnswered(app.pool, partnerId, envelope.payloadId);
      if (!prior) throw new Error('payloadID conflict without a stored answer');
      if (prior.bodySha256 === bodySha) respond(ctx, prior.status, prior.response);
      else respond(ctx, 409, answer(409, `payloadID ${envelope.payloadId} was already received with a different body`));
    };

    const rejection = summary.errors;
    const status = rejection ? Number(rejection[0]!.code) || 406 : 200;
    const detail = rejection?.map((e) => `${e.path ?? ''}: ${e.message}`).join('; ');
    const inner = envelope.name === 'ProfileRequest' ? renderProfileResponse({ url: options.publicUrl ?? `${ctx.protocol}://${ctx.host}/cxml`, effectiveDate: new Date().toISOString().replace('Z', '+00:00') }) : undefined;
    const response = Buffer.from(answer(status, detail, inner));
    const answered = { partnerId, payloadId: envelope.payloadId, bodySha256: bodySha, status, response, requestName: envelope.name };
    const stores = envelope.name !== 'ProfileRequest';
    const state = rejection ? 'input_quarantined' : 'input_received';
    const update = summary.statusUpdate;
    const correlationId = randomUUID();
    // new payloadIDs are the common case: store first, and replay when the answer's unique key says it was seen
    const stored = await (stores
      ? storeRequest(app.pool, app.boss, QUEUES.parse, {
        document: {
          direction: 'inbound', partnerId, format: 'cxml', docType: envelope.name, transport: 'http', raw, sha256: bodySha, state, remoteAddress,
          source: { remoteAddress }, correlationId, businessKeys: { payloadId: envelope.payloadId }, test: envelope.deploymentMode === 'test',
        },
        refused: rejection && { status, errors: rejection },
        statusUpdate: update?.referencePayloadId ? { referencePayloadId: update.referencePayloadId, detail: { statusCode: update.statusCode, statusText: update.statusText } } : undefined,
        answer: answered,
      })
      : recordAnswer(app.pool, answered).then((inserted) => (inserted ? null : undefined)))
      .catch((err: { code?: string }) => {
        if (err.code === '23505') return undefined;
        throw err;
      });
    if (stored === undefined) return replay();
    if (stored) {
      const log = documentLogger(app.log, { documentId: stored.documentId, partnerId, correlationId });
      if (stored.created) log.info({ state, transport: 'http', size: raw.length, docType: envelope.name }, 'document stored');
      else log.info({ transport: 'http' }, 'duplicate of a stored document: not stored again');
      if (stored.created && !rejection) app.wake(QUEUES.parse);
    }
    ctx.state.log?.info({ partnerId, payloadId: envelope.payloadId, request: envelope.name, status, test: envelope.deploymentMode === 'test' }, 'cXML request answered');
    respond(ctx, status, response);
  });

  return router;
}

