/**
 * What a transaction translator collects while it reads: errors (syntax and structure, they reject the
 * set in the 997/999, with AK3/AK4 codes) and warnings (business problems), each with its segment
 * position (ST = 1), plus readers for element values that report what they cannot read.
 */
import type { DocumentError } from '../../types.ts';
import { allDigits, x12Date } from '../../common/dates.ts';
import { canonicalDecimal } from '../../common/decimal.ts';
import type { Segment } from '../segments.ts';

/** A segment and its 1-based position in the transaction set. */
export interface At { segment: Segment; position: number }

export class Findings {
  readonly errors: DocumentError[] = [];
  readonly warnings: DocumentError[] = [];

  error(at: At, code: string, message: string, element?: number): void {
    this.errors.push(problem(at, code, message, element));
  }

  warning(at: At, code: string, message: string, element?: number): void {
    this.warnings.push(problem(at, code, message, element));
  }

  /** Element n as a canonical decimal, or undefined when empty; AK4 6 (invalid character) when not a number. */
  decimal(at: At, n: number): string | undefined {
    const raw = at.segment.elements[n] ?? '';
    if (raw === '') return undefined;
    const value = canonicalDecimal(raw);
    if (value === undefined) this.error(at, '6', `${ref(at, n)} "${raw}" is not a number`, n);
    return value;
  }

  /** Element n (CCYYMMDD or YYMMDD) as YYYY-MM-DD, or undefined when empty; AK4 8 (invalid date) when not a date. */
  date(at: At, n: number): string | undefined {
    const raw = at.segment.elements[n] ?? '';
    if (raw === '') return undefined;
    const date = x12Date(raw);
    if (!date) this.error(at, '8', `${ref(at, n)} "${raw}" is not a date`, n);
    return date;
  }

  /** Element n, reporting AK4 1 (mandatory element missing) when it is empty and the canonical document needs it. */
  required(at: At, n: number, what: string): string | undefined {
    const value = at.segment.elements[n] ?? '';
    if (value === '') this.error(at, '1', `${ref(at, n)} (${what}) is missing`, n);
    return value || undefined;
  }
}

function problem(at: At, code: string, message: string, element?: number): DocumentError {
  const p: DocumentError = { segment: at.segment.id, position: at.position, code, message };
  if (element !== undefined) p.element = element;
  return p;
}

/** "PO102" */
export function ref(at: At, n: number): string {
  return `${at.segment.id}${String(n).padStart(2, '0')}`;
}

/** Every segment of a transaction set with its position. */
export function positioned(segments: readonly Segment[]): At[] {
  return segments.map((segment, i) => ({ segment, position: i + 1 }));
}

/** A line number as the canonical documents compare them: digits without leading zeros ("00010" → "10"). */
export function lineNumber(raw: string): string {
  if (raw.charCodeAt(0) !== 48 || !allDigits(raw)) return raw;
  let p = 0;
  while (p < raw.length - 1 && raw.charCodeAt(p) === 48) p++;
  return raw.slice(p);
}
