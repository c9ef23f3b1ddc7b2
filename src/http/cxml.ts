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
import { createHash, randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { isGatewayError } from '../errors.ts';
import { withTransaction } from '../db/tx.ts';
import { ingestDocument } from '../pipeline/ingest.ts';
import { QUEUES } from '../pipeline/queues.ts';
import { appendEvent } from '../store/documents.ts';
import { renderProfileResponse, renderResponse } from '../../translators/cxml/index.ts';
import { readBody } from './body.ts';
import { authenticate } from './cxml-auth.ts';
import { ParsePool, parseInbound, type ParsedInbound } from './cxml-parse.ts';
import { findAnswered, findOutboundByPayloadId, recordAnswer, recordRefusal, type Refusal } from './cxml-store.ts';

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
    if (raw.length > threshold) {
      pool ??= new ParsePool(options.workers ?? 2);
      parsed = await pool.parse(raw, profiles);
    } else parsed = parseInbound(raw, profiles);
    if (!parsed.ok) return refuse(parsed.status, parsed.message, { size: raw.length });

    const { envelope, summary } = parsed;
    const auth = authenticate(envelope, app.partners, app.config.ours);
    if (!auth.ok) {
      return refuse(auth.status, auth.reason, { partnerId: auth.partnerId, payloadId: envelope.payloadId, senderDomain: envelope.sender[0]?.domain, senderIdentity: envelope.sender[0]?.identity, size: raw.length });
    }
    const partnerId = auth.profile.id;
    const sha = createHash('sha256').update(raw).digest('hex');
    const replay = async (): Promise<boolean> => {
      const prior = await findAnswered(app.pool, partnerId, envelope.payloadId);
      if (!prior) return false;
      if (prior.bodySha256 === sha) respond(ctx, prior.status, prior.response);
      else respond(ctx, 409, answer(409, `payloadID ${envelope.payloadId} was already received with a different body`));
      return true;
    };
    if (await replay()) return;

    const rejection = summary.errors;
    const status = rejection ? Number(rejection[0]!.code) || 406 : 200;
    const detail = rejection?.map((e) => `${e.path ?? ''}: ${e.message}`).join('; ');
    const inner = envelope.name === 'ProfileRequest' ? renderProfileResponse({ url: options.publicUrl ?? `${ctx.protocol}://${ctx.host}/cxml`, effectiveDate: new Date().toISOString().replace('Z', '+00:00') }) : undefined;
    const response = Buffer.from(answer(status, detail, inner));
    const stores = envelope.name !== 'ProfileRequest';
    const update = summary.statusUpdate;
    const won = await withTransaction(app.pool, async (client) => {
      let documentId: string | undefined;
      if (stores) {
        const ingested = await ingestDocument(app, {
          partnerId, format: 'cxml', transport: 'http', raw, docType: envelope.name, test: envelope.deploymentMode === 'test',
          state: rejection ? 'input_quarantined' : 'input_received', source: { remoteAddress }, businessKeys: { payloadId: envelope.payloadId },
        }, client);
        documentId = ingested.documentId;
        if (rejection) await appendEvent(client, documentId, { state: 'input_quarantined', event: 'cxml-refused', detail: { status, errors: rejection } });
        if (update?.referencePayloadId) {
          const target = await findOutboundByPayloadId(client, update.referencePayloadId);
          if (target) await appendEvent(client, target, { event: 'cxml-status-update', detail: { statusCode: update.statusCode, statusText: update.statusText, documentId } });
        }
      }
      const inserted = await recordAnswer(client, { partnerId, payloadId: envelope.payloadId, bodySha256: sha, status, response, documentId, requestName: envelope.name });
      if (!inserted) throw new LostRace();
      return documentId;
    }).then(() => true, (err: unknown) => {
      if (err instanceof LostRace || (err as { code?: string }).code === '23505') return false;
      throw err;
    });
    if (!won) {
      if (await replay()) return;
      throw new Error('payloadID conflict without a stored answer');
    }
    if (stores && !rejection) app.wake(QUEUES.parse);
    ctx.state.log?.info({ partnerId, payloadId: envelope.payloadId, request: envelope.name, status, test: envelope.deploymentMode === 'test' }, 'cXML request answered');
    respond(ctx, status, response);
  });

  return router;
}

class LostRace extends Error {}
