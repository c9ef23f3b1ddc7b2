/**
 * Reading an inbound cXML body, on the request's thread for small bodies and on a worker thread for
 * large ones (PERFORMANCE.md: fast-xml-parser runs at ~10 MB/s, so a 20 MB invoice would hold the
 * event loop for seconds). The result is plain data so it crosses the thread boundary cheaply.
 */
import { Worker } from 'node:worker_threads';
import { TranslationError } from '../../translators/errors.ts';
import { readCxml, translateCxmlDocument, type CxmlDocument } from '../../translators/cxml/index.ts';
import type { DocumentError, FunctionalAck } from '../../translators/types.ts';
import type { PartnerProfile } from '../../translators/profile.ts';

export type CxmlEnvelope = Pick<CxmlDocument, 'payloadId' | 'timestamp' | 'kind' | 'name' | 'deploymentMode' | 'from' | 'to' | 'sender' | 'userAgent'>;

/**
 * What the request needs from the translation: the first rejection's errors (at most MAX_ERRORS) and,
 * for a StatusUpdateRequest, what it reports. Never the canonical documents themselves: a 20,000-line
 * invoice as objects costs the receiving thread ~100 ms to deserialise; the parse job translates again.
 */
export interface TranslationSummary {
  errors?: DocumentError[];
  statusUpdate?: Pick<FunctionalAck, 'referencePayloadId' | 'statusCode' | 'statusText'>;
}

export type ParsedInbound =
  | { ok: false; status: number; message: string }
  | { ok: true; envelope: CxmlEnvelope; summary: TranslationSummary; profileId?: string };

const MAX_ERRORS = 100;

/** The profile a Sender credential names (domain case-insensitive, identity exact). */
export function profileForSender(profiles: PartnerProfile[], sender: Array<{ domain: string; identity: string }>): PartnerProfile | undefined {
  for (const s of sender) {
    const p = profiles.find((x) => x.cxml?.credentials.some((c) => c.domain.toLowerCase() === s.domain.toLowerCase() && c.identity === s.identity));
    if (p) return p;
  }
  return undefined;
}

/** Reads and translates; the translation uses the profile the Sender names (authentication follows on the request thread). */
export function parseInbound(raw: Buffer, profiles: PartnerProfile[]): ParsedInbound {
  let doc: CxmlDocument;
  try {
    doc = readCxml(raw);
  } catch (err) {
    if (err instanceof TranslationError) return { ok: false, status: Number(err.code) || 400, message: err.message };
    throw err;
  }
  const profile = profileForSender(profiles, doc.sender);
  const { payloadId, timestamp, kind, name, deploymentMode, from, to, sender, userAgent } = doc;
  const result = translateCxmlDocument(doc, profile);
  const summary: TranslationSummary = {};
  if (result.rejected[0]) summary.errors = result.rejected[0].errors.slice(0, MAX_ERRORS);
  const ack = result.documents[0] as FunctionalAck | undefined;
  if (ack?.ackFormat === 'cxml-status-update') summary.statusUpdate = { referencePayloadId: ack.referencePayloadId, statusCode: ack.statusCode, statusText: ack.statusText };
  return { ok: true, envelope: { payloadId, timestamp, kind, name, deploymentMode, from, to, sender, userAgent }, summary, profileId: profile?.id };
}

/** What the pool hands back: the reading, the body (its memory moved back) and the body's hex SHA-256. */
export interface PoolParsed { parsed: ParsedInbound; raw: Buffer; sha256: string }

interface Pending { resolve: (v: PoolParsed) => void; reject: (e: Error) => void }

interface PoolWorker { worker: Worker; pending: Map<number, Pending>; profiles?: PartnerProfile[] }

const sameProfiles = (a: PartnerProfile[] | undefined, b: PartnerProfile[]): boolean => a !== undefined && a.length === b.length && a.every((p, i) => p === b[i]);

/**
 * A fixed set of worker threads, each running parseInbound; a body goes to the worker with the fewest
 * bodies in hand. Partner profiles cross to a worker only when they changed since it last saw them.
 */
export class ParsePool {
  private readonly workers: PoolWorker[] = [];
  private seq = 0;
  private closing = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /** A worker that dies fails what it held and is replaced, so no body waits on a dead thread. */
  private spawn(): PoolWorker {
    const entry = new URL('./cxml-worker.ts', import.meta.url).href;
    // tsx's loader is per thread: register it in the worker before importing the TypeScript entry
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const w: PoolWorker = { worker: new Worker(boot, { eval: true }), pending: new Map() };
    w.worker.on('message', (m: { id: number; result?: ParsedInbound; error?: string; raw: Uint8Array; sha256: string }) => {
      const p = w.pending.get(m.id);
      w.pending.delete(m.id);
      // an idle worker must not keep the process alive; a busy one must
      if (w.pending.size === 0) w.worker.unref();
      if (m.result) p?.resolve({ parsed: m.result, raw: Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength), sha256: m.sha256 });
      else p?.reject(new Error(m.error ?? 'parse worker failed'));
    });
    w.worker.on('error', (err) => {
      for (const p of w.pending.values()) p.reject(err);
      w.pending.clear();
    });
    w.worker.on('exit', (code) => {
      for (const p of w.pending.values()) p.reject(new Error(`parse worker exited with code ${code}`));
      w.pending.clear();
      const i = this.workers.indexOf(w);
      if (i !== -1 && !this.closing) this.workers[i] = this.spawn();
    });
    w.worker.unref();
    return w;
  }

  /**
   * The body's memory moves to the worker and back (no copy of a large body on the event loop), so
   * `raw` is unusable afterwards: use the `raw` returned. A body sharing its memory is copied first.
   */
  parse(raw: Buffer, profiles: PartnerProfile[]): Promise<PoolParsed> {
    const id = ++this.seq;
    const w = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const changed = !sameProfiles(w.profiles, profiles);
    if (changed) w.profiles = profiles;
    const own = raw.byteOffset === 0 && raw.buffer.byteLength === raw.length && raw.buffer instanceof ArrayBuffer ? raw : Buffer.from(raw);
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      w.worker.ref();
      w.worker.postMessage(changed ? { id, raw: own, profiles } : { id, raw: own }, [own.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
