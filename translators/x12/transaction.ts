/**
 * What the envelope reader hands to a transaction translator, and what the translator gives back.
 * A translator is pure: the transaction's segments and the partner profile in, a canonical document out.
 */
import type { CanonicalDocument, DocumentError } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import type { Delimiters, Segment } from './segments.ts';

export interface InterchangeInfo {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA13 as the raw 9-character string */
  controlNumber: string;
  /** ISA09/ISA10 as sent (YYMMDD, HHMM) */
  date: string;
  time: string;
  /** ISA12, e.g. 00401, 00501 */
  version: string;
  /** ISA15 = T */
  test: boolean;
  ackRequested: boolean;
}

export interface GroupInfo {
  /** GS01: PO, PR, SH, IN, FA ... */
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  /** GS06 raw */
  controlNumber: string;
  /** GS08, e.g. 004010, 005010X... */
  version: string;
}

export interface TransactionInput {
  /** ST through SE inclusive; positions in errors are 1-based indexes into this array (ST = 1) */
  segments: Segment[];
  delimiters: Delimiters;
  interchange: InterchangeInfo;
  group: GroupInfo;
  /** ST01 */
  setId: string;
  /** ST02 raw */
  controlNumber: string;
}

export interface TransactionResult<D extends CanonicalDocument = CanonicalDocument> {
  /** absent when the transaction cannot be translated */
  document?: D;
  /** syntax/structure problems: they reject the transaction in the 997/999 (AK3/AK4 or IK3/IK4 codes) */
  errors: DocumentError[];
  /** business problems (totals that do not add up, bad GTIN check digit ...): reported and opened as exceptions, not in the 997 */
  warnings: DocumentError[];
}

export type TransactionTranslator<D extends CanonicalDocument = CanonicalDocument> = (input: TransactionInput, profile?: PartnerProfile) => TransactionResult<D>;
