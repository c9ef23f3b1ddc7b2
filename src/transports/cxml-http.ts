/**
 * Outbound cXML over HTTPS: POSTs a stored OrderRequest to the profile's orderUrl with our
 * SharedSecret added on the wire (it is never stored), within the profile's timeout. Network errors
 * and 5xx (HTTP or cXML Status) are retried here with exponential backoff and jitter, then thrown as
 * retryable so the delivery job retries later; the same stored bytes (same payloadID) go every time.
 * A 4xx is the partner refusing the document: a non-retryable GatewayError, which opens an exception.
 * The partner's synchronous Response is returned as the acknowledgement of receipt.
 */
import http from 'node:http';
import https from 'node:https';
import { GatewayError } from '../errors.ts';
import { resolveSecret } from '../config.ts';
import type { PartnerProfile } from '../../translators/profile.ts';
import { TranslationError } from '../../translators/errors.ts';
import { readCxml, translateCxmlDocument, withSharedSecret } from '../../translators/cxml/index.ts';
import type { FunctionalAck } from '../../translators/types.ts';
import type { OutboundFile, OutboundTransport } from './sftp/deliver.ts';

export interface CxmlHttpOptions {
  /** extra trusted CA certificates (tests, private networks) */
  ca?: string | Buffer;
  /** attempts within one delivery job before handing the retry to pg-boss */
  attempts?: number;
  baseDelayMs?: number;
  env?: NodeJS.ProcessEnv;
}

interface HttpAnswer { status: number; body: Buffer }

function postOnce(url: URL, body: Buffer, timeoutMs: number, ca?: string | Buffer): Promise<HttpAnswer> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method: 'POST', ca, timeout: timeoutMs,
      headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length, 'user-agent': 'edi-gateway' },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1024 * 1024) req.destroy(new Error('response larger than 1 MiB'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** The cXML Status of a response body and the Response's payloadID, when it is a readable cXML Response. */
function statusOf(body: Buffer): (FunctionalAck & { payloadId: string }) | undefined {
  try {
    const doc = readCxml(body);
    const ack = doc.name === 'Response' ? (translateCxmlDocument(doc).documents[0] as FunctionalAck | undefined) : undefined;
    return ack && { ...ack, payloadId: doc.payloadId };
  } catch (err) {
    if (err instanceof TranslationError) return undefined;
    throw err;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function cxmlHttpTransport(options: CxmlHttpOptions = {}): OutboundTransport {
  const attempts = options.attempts ?? 3;
  const base = options.baseDelayMs ?? 500;
  return {
    async deliver(profile: PartnerProfile, file: OutboundFile) {
      const cx = profile.cxml;
      if (!cx?.orderUrl) throw new GatewayError('cxml-no-url', `partner ${profile.id} has no cxml.orderUrl`, { documentId: file.documentId });
      const secret = cx.outboundSharedSecretEnv ? resolveSecret({ env: cx.outboundSharedSecretEnv }, options.env) : undefined;
      if (cx.outboundSharedSecretEnv && !secret) throw new GatewayError('cxml-no-secret', `${cx.outboundSharedSecretEnv} is empty: cannot authenticate to ${profile.id}`, { documentId: file.documentId });
      const wire = Buffer.from(secret ? withSharedSecret(file.bytes.toString('utf8'), secret) : file.bytes.toString('utf8'));
      const url = new URL(cx.orderUrl);
      let last: GatewayError | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (attempt > 1) await sleep(base * 2 ** (attempt - 2) * (0.5 + Math.random()));
        let answer: HttpAnswer;
        try {
          answer = await postOnce(url, wire, cx.timeoutMs ?? 30_000, options.ca);
        } catch (err) {
          last = new GatewayError('cxml-network', `POST ${url.host} failed: ${(err as Error).message}`, { retryable: true, documentId: file.documentId, cause: err });
          continue;
        }
        const ack = statusOf(answer.body);
        const code = Number(ack?.statusCode ?? answer.status);
        if (answer.status >= 500 || code >= 500) {
          last = new GatewayError('cxml-remote-5xx', `${profile.id} answered ${answer.status} / cXML ${ack?.statusCode ?? '-'}`, { retryable: true, documentId: file.documentId });
          continue;
        }
        if (answer.status >= 400 || code >= 300 || !ack) {
          throw new GatewayError('cxml-refused', `${profile.id} refused the document: HTTP ${answer.status}, cXML ${ack?.statusCode ?? 'none'} ${ack?.statusText ?? ''}`.trim(), { documentId: file.documentId, details: { httpStatus: answer.status, response: answer.body.toString('utf8').slice(0, 2000) } });
        }
        return { remoteRef: ack.payloadId, response: answer.body };
      }
      throw last!;
    },
  };
}
