/** X12 dates (CCYYMMDD, YYMMDD) to and from canonical YYYY-MM-DD. */

/** Two-digit years below this are 20YY, the others 19YY (X12 YYMMDD, ISA09). */
export const CENTURY_PIVOT = 50;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** true for a real Gregorian calendar date */
export function validYmd(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** true when `value` is only ASCII digits */
export function allDigits(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The number written by `count` digits of `value` from `from` (the caller checked they are digits). */
function digitsAt(value: string, from: number, count: number): number {
  let n = 0;
  for (let p = from; p < from + count; p++) n = n * 10 + value.charCodeAt(p) - 48;
  return n;
}

/** The year of a CCYYMMDD or YYMMDD (by the century window) whose characters are digits. */
function yearOf(value: string): number {
  if (value.length === 8) return digitsAt(value, 0, 4);
  const yy = digitsAt(value, 0, 2);
  return (yy < CENTURY_PIVOT ? 2000 : 1900) + yy;
}

/**
 * true for a CCYYMMDD or a YYMMDD (century by the window) that is a real calendar date: read digit by
 * digit, without slices or Date objects (the validator checks every DT element with it).
 */
export function isX12Date(value: string): boolean {
  const length = value.length;
  if ((length !== 8 && length !== 6) || !allDigits(value)) return false;
  const m = length - 4;
  return validYmd(yearOf(value), digitsAt(value, m, 2), digitsAt(value, m + 2, 2));
}

/** "20260302" or "260302" → "2026-03-02"; undefined when not a real calendar date. */
export function x12Date(value: string): string | undefined {
  if (!isX12Date(value)) return undefined;
  const m = value.length - 4;
  return `${value.length === 8 ? value.slice(0, 4) : String(yearOf(value))}-${value.slice(m, m + 2)}-${value.slice(m + 2, m + 4)}`;
}

/** "2026-03-02" → "20260302" */
export function toX12Date(iso: string): string {
  return iso.replaceAll('-', '');
}

/** The UTC calendar date and time of a moment as X12 writes them. */
export function x12Stamp(date: Date): { ccyymmdd: string; yymmdd: string; hhmm: string } {
  const iso = date.toISOString();
  const ccyymmdd = iso.slice(0, 10).replaceAll('-', '');
  return { ccyymmdd, yymmdd: ccyymmdd.slice(2), hhmm: iso.slice(11, 13) + iso.slice(14, 16) };
}
