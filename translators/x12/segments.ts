/**
 * The X12 segment model shared by the envelope reader, the validators and the transaction translators.
 * `elements[0]` is the segment id, so `elements[n]` is element n as X12 numbers it (BEG03 = elements[3]).
 */
export interface Delimiters {
  element: string;
  /** ISA16 */
  component: string;
  /** ISA11 from 00402 on; undefined when ISA11 is the standards identifier `U` */
  repetition?: string;
  segment: string;
}

export interface Segment {
  id: string;
  elements: string[];
  /** byte offset of the segment's first character in the (BOM-stripped) input */
  offset: number;
  /**
   * Set by the scanner to `elements` when the segment holds only printable ASCII besides its separators,
   * so the validator need not look at its characters again; a copy with other elements no longer matches.
   */
  plainElements?: readonly string[] | undefined;
}

/** Element n of a segment, or '' when absent. */
export function el(segment: Segment, n: number): string {
  return segment.elements[n] ?? '';
}

/** Component c (1-based) of element n, split on the component separator. */
export function comp(segment: Segment, n: number, c: number, delimiters: Delimiters): string {
  const value = segment.elements[n];
  if (value === undefined) return '';
  return value.split(delimiters.component)[c - 1] ?? '';
}
