/**
 * One pass over an X12 file: the envelope reader's events, each transaction set validated against its
 * spec and translated, and a verdict for every transaction, group and interchange (what the 997/999 and
 * TA1 will say). `walkX12` yields as it goes, one transaction at a time; `inspectX12` collects it all.
 */
import type { CanonicalDocument, DocumentError, FunctionalAck } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { TranslationError } from '../errors.ts';
import type { Delimiters } from './segments.ts';
import type { GroupInfo, InterchangeInfo } from './transaction.ts';
import { readX12, type RawTransaction } from './reader.ts';
import { specFor, transactionSet } from './registry.ts';
import { validateTransaction } from './validator.ts';
import { ta1ToAck } from './inbound-ack.ts';

export interface X12Options {
  /** the profile of the sender, when the caller already knows it */
  profile?: PartnerProfile;
  /** finds the sender's profile by ISA05/ISA06 (id without padding) */
  profiles?: (qualifier: string, id: string) => PartnerProfile | undefined;
}

export interface TransactionReport {
  setId: string;
  /** ST02, raw */
  controlNumber: string;
  /** offset of ST in the decoded input */
  offset: number;
  segmentCount: number;
  /** AK5/IK5 codes from the ST/SE envelope and the group */
  setErrors: DocumentError[];
  /** AK3/IK3 (no element) and AK4/IK4 (with element) errors */
  errors: DocumentError[];
  /** business problems found by the translator: exceptions, not in the 997 */
  warnings: DocumentError[];
  accepted: boolean;
  /** an acknowledgement (997/999) is never acknowledged */
  isAcknowledgement: boolean;
}

export type GroupStatus = 'A' | 'P' | 'R';

export interface GroupReport {
  info: GroupInfo;
  /** 1-based within its interchange */
  index: number;
  /** GE01 as sent; undefined when GE is missing */
  declaredCount?: string;
  /** AK9 codes */
  errors: DocumentError[];
  transactions: TransactionReport[];
  acceptedCount: number;
  /** AK901: A all accepted, P some, R none or the group itself is in error */
  status: GroupStatus;
}

export interface InterchangeReport {
  /** undefined when the ISA header could not be read at all */
  info?: InterchangeInfo;
  delimiters?: Delimiters;
  offset: number;
  partnerId?: string;
  /** TA1 note codes; the interchange is rejected when there is any */
  errors: DocumentError[];
  warnings: DocumentError[];
  accepted: boolean;
  groups: GroupReport[];
  /** TA1 segments the interchange carried, read as acknowledgements */
  ta1s: FunctionalAck[];
}

export type X12Outcome =
  | { type: 'junk'; offset: number; error: DocumentError }
  /** a transaction set read, checked and (when sound) translated; drop its document if its interchange ends rejected */
  | { type: 'transaction'; interchange: InterchangeInfo; group: GroupInfo; report: TransactionReport; document?: CanonicalDocument }
  | { type: 'interchange'; report: InterchangeReport };

function setError(code: string, message: string): DocumentError {
  return { segment: 'ST', position: 1, code, message };
}

function checkTransaction(raw: RawTransaction, profile: PartnerProfile | undefined): { report: TransactionReport; document?: CanonicalDocument } {
  const { input } = raw;
  const entry = transactionSet(input.setId);
  const setErrors = [...raw.setErrors];
  const errors: DocumentError[] = [];
  const warnings: DocumentError[] = [];
  let document: CanonicalDocument | undefined;
  const spec = entry && specFor(entry, input.group.version);
  if (!entry || !spec) {
    setErrors.push(setError('1', `transaction set ${input.setId} is not supported`));
  } else if (spec.functionalId !== input.group.functionalId) {
    setErrors.push(setError('1', `transaction set ${input.setId} does not belong in a functional group ${JSON.stringify(input.group.functionalId)} (expected ${spec.functionalId})`));
  } else {
    errors.push(...validateTransaction(input.segments, spec, input.delimiters));
    if (errors.length === 0 && setErrors.length === 0 && entry.translate) {
      try {
        const result = entry.translate(input, profile);
        errors.push(...result.errors);
        warnings.push(...result.warnings);
        document = result.document;
      } catch (error) {
        if (!(error instanceof TranslationError)) throw error;
        errors.push(...(error.errors.length > 0 ? error.errors : [{ segment: 'ST', position: 1, code: error.code, message: error.message }]));
      }
    }
  }
  if (errors.length > 0 && !setErrors.some((e) => e.code === '5')) setErrors.push(setError('5', 'one or more segments in error'));
  const accepted = setErrors.length === 0;
  if (document && profile) document.partnerId = profile.id;
  if (document && input.interchange.test) document.test = true;
  return {
    report: {
      setId: input.setId,
      controlNumber: input.controlNumber,
      offset: raw.offset,
      segmentCount: input.segments.length,
      setErrors,
      errors,
      warnings,
      accepted,
      isAcknowledgement: entry?.isAcknowledgement === true,
    },
    ...(accepted && document ? { document } : {}),
  };
}

/** Walks every interchange of `raw`, one transaction set at a time. Throws TranslationError('not-x12') only. */
export function* walkX12(raw: Uint8Array | string, options: X12Options = {}): Generator<X12Outcome> {
  let interchange: InterchangeReport | undefined;
  let group: GroupReport | undefined;
  let profile: PartnerProfile | undefined;
  for (const event of readX12(raw)) {
    switch (event.type) {
      case 'junk':
        yield { type: 'junk', offset: event.offset, error: { position: 0, code: '024', message: `${event.length} characters that are not X12 were ignored at offset ${event.offset}: ${JSON.stringify(event.preview)}` } };
        break;
      case 'unreadable':
        yield { type: 'interchange', report: { offset: event.isa.offset, errors: event.isa.errors, warnings: [], accepted: false, groups: [], ta1s: [] } };
        break;
      case 'interchange': {
        const { info, delimiters } = event.header;
        profile = options.profiles?.(info.senderQualifier, info.senderId) ?? options.profile;
        interchange = { info, delimiters, offset: event.header.segment.offset, errors: [], warnings: [], accepted: false, groups: [], ta1s: [], ...(profile ? { partnerId: profile.id } : {}) };
        break;
      }
      case 'group':
        group = { info: event.group.info, index: event.group.index, errors: [], transactions: [], acceptedCount: 0, status: 'A' };
        interchange?.groups.push(group);
        break;
      case 'transaction': {
        const { report, document } = checkTransaction(event.transaction, profile);
        group?.transactions.push(report);
        yield { type: 'transaction', interchange: event.transaction.input.interchange, group: event.transaction.input.group, report, ...(document ? { document } : {}) };
        break;
      }
      case 'group-end': {
        if (!group) break;
        const { trailer } = event;
        group.errors = trailer.errors;
        if (trailer.declaredCount !== undefined) group.declaredCount = trailer.declaredCount;
        group.acceptedCount = group.transactions.filter((t) => t.accepted).length;
        group.status = trailer.errors.length > 0 || group.acceptedCount === 0 ? 'R' : group.acceptedCount < group.transactions.length ? 'P' : 'A';
        group = undefined;
        break;
      }
      case 'ta1': {
        const ack = ta1ToAck(event.segment, event.header.info.test);
        if (profile) ack.partnerId = profile.id;
        interchange?.ta1s.push(ack);
        break;
      }
      case 'interchange-end':
        if (!interchange) break;
        interchange.errors = event.trailer.errors;
        interchange.warnings = event.trailer.warnings;
        interchange.accepted = event.trailer.errors.length === 0;
        yield { type: 'interchange', report: interchange };
        interchange = undefined;
        profile = undefined;
        break;
    }
  }
}

export interface X12Inspection {
  interchanges: InterchangeReport[];
  /** canonical documents of accepted transaction sets in accepted groups and interchanges, in file order */
  documents: CanonicalDocument[];
  /** text that is not X12, before or between interchanges (reported, ignored) */
  junk: DocumentError[];
}

/** Everything the gateway's pipeline needs about a file: lineage, verdicts, errors, warnings, documents. */
export function inspectX12(raw: Uint8Array | string, options: X12Options = {}): X12Inspection {
  const interchanges: InterchangeReport[] = [];
  const documents: CanonicalDocument[] = [];
  const junk: DocumentError[] = [];
  let pending: Array<{ document: CanonicalDocument; report: TransactionReport; group: GroupInfo }> = [];
  for (const outcome of walkX12(raw, options)) {
    if (outcome.type === 'junk') junk.push(outcome.error);
    else if (outcome.type === 'transaction') {
      if (outcome.document) pending.push({ document: outcome.document, report: outcome.report, group: outcome.group });
    } else {
      const report = outcome.report;
      interchanges.push(report);
      if (report.accepted) {
        const rejectedGroups = new Set(report.groups.filter((g) => g.status === 'R').map((g) => g.info));
        documents.push(...report.ta1s);
        for (const item of pending) if (!rejectedGroups.has(item.group)) documents.push(item.document);
      }
      pending = [];
    }
  }
  return { interchanges, documents, junk };
}
