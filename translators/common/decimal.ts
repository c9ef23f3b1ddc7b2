/**
 * Decimal arithmetic on strings, exact (BigInt), for money and quantities. Never a float.
 * Canonical form: optional '-', digits, optional '.' and digits ("8.42", "30", "-0.5").
 */
import { TranslationError } from '../errors.ts';

interface Scaled { units: bigint; scale: number }

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** true for a number as X12 R or canonical decimals write it: "12", "-3.5", ".25", "7." */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function scaled(value: string): Scaled {
  if (!DECIMAL.test(value)) throw new TranslationError('DECIMAL_INVALID', `not a decimal number: "${value}"`);
  const negative = value.startsWith('-');
  const body = value.replace(/^[+-]/, '');
  const [int = '', frac = ''] = body.split('.');
  const units = BigInt((int || '0') + frac);
  return { units: negative ? -units : units, scale: frac.length };
}

function rescale(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  const text = scale > 0 ? `${int}.${frac}` : int;
  return negative ? `-${text}` : text;
}

/** The canonical spelling of a decimal, keeping its places: "+007.50" → "7.50", ".5" → "0.5", "-0" → "0". */
export function normalizeDecimal(value: string): string {
  const a = scaled(value.endsWith('.') ? value.slice(0, -1) : value);
  return format(a.units, a.scale);
}

/** The shortest spelling X12 wants for R elements: no leading or trailing zeros ("14.50" → "14.5"). */
export function minimalDecimal(value: string): string {
  const text = normalizeDecimal(value);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function addDecimal(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  return format(rescale(x, scale) + rescale(y, scale), scale);
}

export function subtractDecimal(a: string, b: string): string {
  return addDecimal(a, negateDecimal(b));
}

export function negateDecimal(a: string): string {
  const x = scaled(a);
  return format(-x.units, x.scale);
}

export function multiplyDecimal(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  return format(x.units * y.units, x.scale + y.scale);
}

/** -1, 0 or 1, by value ("1.50" equals "1.5"). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Rounded half away from zero ("half-up" as invoices mean it) to `places` decimals, always written with them. */
export function roundDecimal(value: string, places = 2): string {
  const x = scaled(value);
  if (x.scale <= places) return format(rescale(x, places), places);
  const divisor = 10n ** BigInt(x.scale - places);
  const magnitude = x.units < 0n ? -x.units : x.units;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return format(x.units < 0n ? -q : q, places);
}

/** An X12 implied-decimal numeric (Nn) as a decimal: ("842", 2) → "8.42", ("-5", 2) → "-0.05". undefined when not digits. */
export function impliedDecimal(value: string, places: number): string | undefined {
  if (!/^-?\d+$/.test(value)) return undefined;
  return format(BigInt(value), places);
}

export function sumDecimals(values: readonly string[]): string {
  return values.reduce((total, v) => addDecimal(total, v), '0');
}
