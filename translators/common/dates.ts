/** X12 dates (CCYYMMDD, YYMMDD) to and from canonical YYYY-MM-DD. */

/** Two-digit years below this are 20YY, the others 19YY (X12 YYMMDD, ISA09). */
export const CENTURY_PIVOT = 50;

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** "20260302" or "260302" → "2026-03-02"; undefined when not a real calendar date. */
export function x12Date(value: string): string | undefined {
  let year: number;
  let rest: string;
  if (/^\d{8}$/.test(value)) {
    year = Number(value.slice(0, 4));
    rest = value.slice(4);
  } else if (/^\d{6}$/.test(value)) {
    const yy = Number(value.slice(0, 2));
    year = (yy < CENTURY_PIVOT ? 2000 : 1900) + yy;
    rest = value.slice(2);
  } else {
    return undefined;
  }
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  if (!valid(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
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
