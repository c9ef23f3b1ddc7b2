/**
 * The X12 engine's entry points: translate a file into canonical documents, acknowledge it, or inspect
 * it transaction by transaction for the gateway's pipeline. Pure: bytes in, values out.
 */
import type { Rejection, TranslateResult } from '../types.ts';
import { inspectX12, walkX12, type X12Inspection, type X12Options } from './process.ts';
import { acknowledgeInterchange, type AckOptions } from './acknowledge.ts';

export { inspectX12, walkX12, type X12Inspection, type X12Options, type X12Outcome, type InterchangeReport, type GroupReport, type TransactionReport } from './process.ts';
export { interchangeCompleteness } from './completeness.ts';
export type { AckOptions } from './acknowledge.ts';

/** The rejections of an inspection: junk, rejected interchanges and groups, and rejected transaction sets. */
export function rejectionsOf(inspection: X12Inspection): Rejection[] {
  const rejected: Rejection[] = inspection.junk.map((error) => ({ errors: [error] }));
  for (const interchange of inspection.interchanges) {
    const isa13 = interchange.info?.controlNumber;
    const at = isa13 === undefined ? {} : { interchange: isa13 };
    if (!interchange.accepted) rejected.push({ ...at, errors: interchange.errors });
    for (const group of interchange.groups) {
      if (group.errors.length > 0) rejected.push({ ...at, group: group.info.controlNumber, errors: group.errors });
      for (const transaction of group.transactions) {
        if (!transaction.accepted) {
          rejected.push({ ...at, group: group.info.controlNumber, transaction: transaction.controlNumber, errors: [...transaction.setErrors.filter((e) => e.code !== '5'), ...transaction.errors] });
        }
      }
    }
  }
  return rejected;
}

/**
 * Translates every transaction set of an X12 file. Documents of accepted transaction sets in sound groups
 * and interchanges come out canonical (with partnerId when the sender's profile is known, test for ISA15=T);
 * everything else is in `rejected` with its X12 codes. Throws TranslationError('not-x12') when the input
 * holds no ISA header at all.
 */
export function translateX12(raw: Uint8Array | string, options: X12Options = {}): TranslateResult {
  const inspection = inspectX12(raw, options);
  return { format: 'x12', documents: inspection.documents, rejected: rejectionsOf(inspection) };
}

/** The acknowledgement interchanges to send back for `inspection` (one per inbound interchange that needs one). */
export function acknowledgementsFor(inspection: X12Inspection, options: X12Options & AckOptions): string[] {
  const out: string[] = [];
  for (const interchange of inspection.interchanges) {
    const info = interchange.info;
    const profile = info ? options.profiles?.(info.senderQualifier, info.senderId) ?? options.profile : options.profile;
    const ack = acknowledgeInterchange(interchange, profile, options);
    if (ack !== undefined) out.push(ack);
  }
  return out;
}

/** Reads `raw` and returns the TA1/997/999 interchanges to send back, in file order. */
export function acknowledgeX12(raw: Uint8Array | string, options: X12Options & AckOptions): string[] {
  return acknowledgementsFor(inspectX12(raw, options), options);
}
