/**
 * The declarative structure of a transaction set, per version, that the validator walks.
 * Written once per set in translators/x12/spec/<set>.ts; element references follow X12 (BEG03).
 */
export type Requirement = 'M' | 'O' | 'X'; // mandatory, optional, relational (checked by `syntax` rules)
/** AN string, ID code, Nn implied-decimal numeric with n places, R decimal, DT date, TM time */
export type ElementType = 'AN' | 'ID' | 'N0' | 'N1' | 'N2' | 'N3' | 'N4' | 'R' | 'DT' | 'TM';

export interface ElementSpec {
  /** e.g. 'BEG03' */
  ref: string;
  req: Requirement;
  type: ElementType;
  min: number;
  max: number;
  /** the code values we depend on; other values are AK4 code 7 when given */
  codes?: readonly string[];
  /** a composite: its components, validated in turn */
  components?: readonly ElementSpec[];
  /** how many repetitions the element allows (5010 repetition separator); default 1 */
  repeat?: number;
}

/** X12 syntax notes: P paired, R at least one, E only one, C conditional, L list conditional (element positions) */
export interface SyntaxRule { kind: 'P' | 'R' | 'E' | 'C' | 'L'; elements: readonly number[] }

export interface SegmentSpec {
  kind: 'segment';
  id: string;
  req: 'M' | 'O';
  /** maximum use; Infinity for >1 */
  max: number;
  elements: readonly ElementSpec[];
  syntax?: readonly SyntaxRule[];
}

export interface LoopSpec {
  kind: 'loop';
  /** loop id as the guides name it, e.g. 'N1', 'PO1', 'HL' */
  id: string;
  req: 'M' | 'O';
  max: number;
  /** the first child is the loop's trigger segment */
  children: readonly (SegmentSpec | LoopSpec)[];
}

export interface TransactionSpec {
  /** transaction set id: '850', '855', '856', '810', '997', '999' */
  id: string;
  version: '004010' | '005010';
  /** the functional identifier code GS01 must carry: PO, PR, SH, IN, FA */
  functionalId: string;
  /** everything between ST and SE, in order; ST and SE themselves are checked by the envelope reader */
  body: readonly (SegmentSpec | LoopSpec)[];
}
