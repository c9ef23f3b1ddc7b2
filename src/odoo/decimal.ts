/** Odoo speaks floats; the gateway keeps decimal strings. These are the only crossings. */
import { compareDecimal, multiplyDecimal, normalizeDecimal, subtractDecimal } from '../../translators/common/decimal.ts';

/** An Odoo float as a decimal string (12.0 -> "12", 4.8 -> "4.8"). */
export function fromOdooNumber(value: unknown): string {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : 0;
  const text = Math.abs(n) < 1e-6 && n !== 0 ? n.toFixed(12) : String(n);
  return normalizeDecimal(text.includes('e') ? n.toFixed(12) : text);
}

/** A decimal string as the float Odoo's API takes. */
export function toOdooNumber(value: string): number {
  return Number(value);
}

/** |actual - reference| <= percent% of |reference|, in decimal arithmetic. */
export function withinPercent(actual: string, reference: string, percent: number | undefined): boolean {
  const diff = abs(subtractDecimal(actual, reference));
  const allowed = multiplyDecimal(abs(reference), normalizeDecimal(String(percent ?? 0)));
  return compareDecimal(multiplyDecimal(diff, '100'), allowed) <= 0;
}

export function sameDecimal(a: string, b: string): boolean {
  return compareDecimal(a, b) === 0;
}

function abs(v: string): string {
  return v.startsWith('-') ? v.slice(1) : v;
}
