/**
 * The pure part of the parse job: a stored file's bytes (and the partner profiles) in, its canonical
 * documents, rejections and the acknowledgements we owe out. No I/O, so it can run on a worker thread
 * (translate-pool.ts) when the file is large, and the event loop keeps serving requests.
 */
import { walkX12, acknowledgementsFor, rejectionsOf, type X12Inspection, type X12Options } from '../../translators/x12/index.ts';
import { translateCxml } from '../../translators/cxml/index.ts';
import type { CanonicalDocument, DocumentError, FunctionalAck, Rejection } from '../../translators/types.ts';
import { createHash } from 'node:crypto';
import type { OurIdentity, PartnerProfile } from '../../translators/profile.ts';
import { TranslationError } from '../../translators/errors.ts';

/** Where in the file a translated document came from, and the key that makes it one child of its file. */
interface TranslatedDocument { document: CanonicalDocument; childKey: string; interchange?: string; group?: string; transaction?: string; warnings: DocumentError[] }

/**
 * A translated document as the parse job stores it: its canonical JSON text and that text's SHA-256,
 * made where it was translated (a worker thread for a large file), so the event loop never clones,
 * serialises or hashes a large document. Only what the job decides on travels as data.
 */
export interface Translated {
  type: CanonicalDocument['type'];
  test: boolean;
  json: string;
  sha256: string;
  businessKeys: Record<string, string>;
  /** an acknowledgement is matched at translation (recordTranslated): it travels whole, it is small */
  functionalAck?: FunctionalAck;
  childKey: string;
  interchange?: string;
  group?: string;
  transaction?: string;
  warnings: DocumentError[];
}

export interface ParseOutcome {
  translated: Translated[];
  rejected: Rejection[];
  acks: string[];
  partnerId?: string;
  interchangeControl?: string;
  test: boolean;
}

export interface FileToTranslate {
  format: 'x12' | 'cxml' | 'json';
  raw: Uint8Array;
  /** the partner the file came from, when the transport knows it */
  partnerId: string | null;
  payloadId?: string;
  documentId: string;
  correlationId: string;
  test: boolean;
}

export interface TranslateContext {
  profiles: PartnerProfile[];
  ours: OurIdentity;
  /** control numbers allocated for the acknowledgements (ISA13 and GS06 share them); unused ones are skipped */
  controlNumbers: string[];
}

/** How many control numbers the acknowledgements of a file may need: two per ISA it could hold. */
export function controlNumbersNeeded(raw: Uint8Array): number {
  let count = 0;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  for (let at = bytes.indexOf('ISA'); at !== -1; at = bytes.indexOf('ISA', at + 3)) count++;
  return Math.max(2, count * 2);
}

/** Walks the file once: documents of accepted transaction sets whose group and interchange stand, plus the verdicts. */
function walkFile(raw: Uint8Array, options: X12Options): { inspection: X12Inspection; translated: TranslatedDocument[] } {
  const inspection: X12Inspection = { interchanges: [], documents: [], junk: [] };
  const translated: TranslatedDocument[] = [];
  let pending: TranslatedDocument[] = [];
  for (const o of walkX12(raw, options)) {
    if (o.type === 'junk') inspection.junk.push(o.error);
    else if (o.type === 'transaction') {
      if (o.document) {
        pending.push({ document: o.document, warnings: o.report.warnings, childKey: `${o.interchange.controlNumber}/${o.group.controlNumber}/${o.report.controlNumber}`,
          interchange: o.interchange.controlNumber, group: o.group.controlNumber, transaction: o.report.controlNumber });
      }
    } else {
      inspection.interchanges.push(o.report);
      if (o.report.accepted) {
        const rejectedGroups = new Set(o.report.groups.filter((g) => g.status === 'R').map((g) => g.info.controlNumber));
        for (const t of pending) if (!rejectedGroups.has(t.group!)) translated.push(t);
      }
      pending = [];
    }
  }
  inspection.documents = translated.map((t) => t.document);
  return { inspection, translated };
}

function translateX12File(file: FileToTranslate, ctx: TranslateContext): Outcome {
  const byId = new Map(ctx.profiles.map((p) => [p.id, p]));
  const profile = file.partnerId ? byId.get(file.partnerId) : undefined;
  const byX12 = (qualifier: string, id: string) => ctx.profiles.find((p) => p.x12 && p.x12.isaQualifier === qualifier.trim() && p.x12.isaId.trim() === id.trim());
  const options: X12Options = { profile, profiles: profile ? undefined : byX12 };
  const { inspection, translated } = walkFile(file.raw, options);
  const numbers = [...ctx.controlNumbers];
  const acks = acknowledgementsFor(inspection, { ...options, ours: ctx.ours, controlNumbers: () => {
    const n = numbers.shift();
    if (!n) throw new TranslationError('control-numbers', 'more acknowledgement control numbers were needed than allocated');
    return n;
  } });
  const first = inspection.interchanges[0];
  return {
    translated, rejected: rejectionsOf(inspection), acks,
    partnerId: first?.partnerId, interchangeControl: first?.info?.controlNumber,
    test: inspection.interchanges.some((i) => i.info?.test),
  };
}

function translateCxmlFile(file: FileToTranslate, ctx: TranslateContext): Outcome {
  const profile = file.partnerId ? ctx.profiles.find((p) => p.id === file.partnerId) : undefined;
  const result = translateCxml(Buffer.from(file.raw.buffer, file.raw.byteOffset, file.raw.length), { profile });
  const payloadId = file.payloadId ?? file.documentId;
  return {
    translated: result.documents.map((d, i) => ({ document: d, childKey: `${payloadId}/${i}`, warnings: [] })),
    rejected: result.rejected,
    acks: [],
    test: file.test,
  };
}

type Outcome = Omit<ParseOutcome, 'translated'> & { translated: TranslatedDocument[] };

export function businessKeysOf(doc: CanonicalDocument): Record<string, string> {
  const keys: Record<string, string> = {};
  if ('poNumber' in doc && doc.poNumber) keys.poNumber = doc.poNumber;
  if (doc.type === 'invoice') keys.invoiceNumber = doc.invoiceNumber;
  if (doc.type === 'ship-notice') {
    keys.shipmentId = doc.shipmentId;
    const pos = [...new Set(doc.orders.map((o) => o.poNumber).filter(Boolean))];
    if (pos.length > 0) keys.poNumber = pos[0]!;
    if (pos.length > 1) keys.poNumbers = pos.join(',');
  }
  return keys;
}

/**
 * Throws TranslationError when the file is not the format it was stored as. Each document comes out as
 * it is stored: with the file's partner (the transport's, else the interchange's) and correlation id,
 * and test when its envelope or the file says so.
 */
export function translateFile(file: FileToTranslate, ctx: TranslateContext): ParseOutcome {
  const outcome = file.format === 'cxml' ? translateCxmlFile(file, ctx) : translateX12File(file, ctx);
  const partnerId = file.partnerId ?? outcome.partnerId;
  const translated = outcome.translated.map(({ document: d, ...where }): Translated => {
    const document = { ...d, partnerId, correlationId: file.correlationId, test: d.test || file.test || undefined } as CanonicalDocument;
    const json = JSON.stringify(document);
    return {
      ...where, type: document.type, test: document.test === true, json, sha256: createHash('sha256').update(json).digest('hex'),
      businessKeys: businessKeysOf(document), functionalAck: document.type === 'functional-ack' ? document : undefined,
    };
  });
  return { ...outcome, translated };
}
