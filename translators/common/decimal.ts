/**
 * Decimal arithmetic on strings, exact (integer units: safe Number integers, BigInt beyond), for money and
 * quantities. Never a float.
 * Canonical form: optional '-', digits, optional '.' and digits ("8.42", "30", "-0.5").
 */
import { TranslationError } from '../errors.ts';

/**
 * A decimal as an integer number of units of 10^-scale. Units stay a plain number while they are safe
 * integers (up to 15 digits parsed; results checked), and become a BigInt beyond: exact either way, and
 * the common case (prices, quantities) never pays for BigInt.
 */
type Units = number | bigint;
interface Scaled { units: Units; scale: number }

const SAFE_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: SAFE_DIGITS + 1 }, (_, k) => 10 ** k);

/** the scale of a decimal (digits after '.'), or -1 when the text is not a decimal (optional sign, digits, at most one '.', at least one digit) */
function decimalScale(value: string): number {
  const first = value.charCodeAt(0);
  let digits = 0;
  let scale = -1;
  for (let p = first === 45 || first === 43 ? 1 : 0; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else return -1;
  }
  if (digits === 0) return -1;
  return scale < 0 ? 0 : scale;
}

/** true for a number as X12 R or canonical decimals write it: "12", "-3.5", ".25", "7." */
export function isDecimal(value: string): boolean {
  return decimalScale(value) >= 0;
}

function notADecimal(value: string): TranslationError {
  return new TranslationError('DECIMAL_INVALID', `not a decimal number: "${value}"`);
}

/** Parsed and checked in one pass (the same rules as decimalScale); a BigInt beyond SAFE_DIGITS digits. */
function scaled(value: string): Scaled {
  const first = value.charCodeAt(0);
  const negative = first === 45;
  const signed = negative || first === 43;
  let n = 0;
  let digits = 0;
  let scale = -1;
  for (let p = signed ? 1 : 0; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else throw notADecimal(value);
  }
  if (digits === 0) throw notADecimal(value);
  if (scale < 0) scale = 0;
  if (digits <= SAFE_DIGITS) return { units: negative ? -n : n, scale };
  const big = BigInt((signed ? value.slice(1) : value).replace('.', ''));
  return { units: negative ? -big : big, scale };
}

function big(units: Units): bigint {
  return typeof units === 'bigint' ? units : BigInt(units);
}

function sum(a: Units, b: Units): Units {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return big(a) + big(b);
}

function product(a: Units, b: Units): Units {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r;
  }
  return big(a) * big(b);
}

function negate(a: Units): Units {
  return typeof a === 'bigint' ? -a : a === 0 ? 0 : -a;
}

function rescale(a: Scaled, scale: number): Units {
  const k = scale - a.scale;
  if (k === 0) return a.units;
  return k <= SAFE_DIGITS ? product(a.units, POWERS_OF_TEN[k]!) : big(a.units) * 10n ** BigInt(k);
}

function format(units: Units, scale: number): string {
  const negative = units < 0;
  const digits = (typeof units === 'bigint' ? (negative ? -units : units) : Math.abs(units)).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  const text = scale > 0 ? `${int}.${frac}` : int;
  return negative ? `-${text}` : text;
}

/** true when `value` is a decimal already in canonical spelling: no sign but a '-' on a non-zero value, no leading zeros, no bare '.' ends */
function isCanonical(value: string): boolean {
  return decimalScale(value) >= 0 && hasCanonicalSpelling(value);
}

/** isCanonical for a value already known to be a decimal */
function hasCanonicalSpelling(value: string): boolean {
  const negative = value.charCodeAt(0) === 45;
  const start = negative ? 1 : 0;
  const first = value.charCodeAt(start);
  if (first < 48 || first > 57) return false;
  if (first === 48 && start + 1 < value.length && value.charCodeAt(start + 1) !== 46) return false;
  if (value.charCodeAt(value.length - 1) === 46) return false;
  if (negative) {
    for (let p = start; p < value.length; p++) {
      const c = value.charCodeAt(p);
      if (c > 48 && c <= 57) return true;
    }
    return false;
  }
  return true;
}

/** The canonical spelling of a decimal, keeping its places: "+007.50" → "7.50", ".5" → "0.5", "-0" → "0". */
export function normalizeDecimal(value: string): string {
  return isCanonical(value) ? value : respelled(value);
}

/** normalizeDecimal, or undefined when `value` is not a decimal (one check instead of isDecimal then normalizeDecimal). */
export function canonicalDecimal(value: string): string | undefined {
  if (decimalScale(value) < 0) return undefined;
  return hasCanonicalSpelling(value) ? value : respelled(value);
}

function respelled(value: string): string {
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
  return format(sum(rescale(x, scale), rescale(y, scale)), scale);
}

export function subtractDecimal(a: string, b: string): string {
  return addDecimal(a, negateDecimal(b));
}

export function negateDecimal(a: string): string {
  const x = scaled(a);
  return format(negate(x.units), x.scale);
}

export function multiplyDecimal(a: string, b: string): string {
  const x = scaled(a);
  const y = scaled(b);
  return format(product(x.units, y.units), x.scale + y.scale);
}

/** -1, 0 or 1, by value ("1.50" equals "1.5"). */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.max(x.scale, y.scale);
  const left = rescale(x, scale);
  const right = rescale(y, scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** a × b rounded half away from zero to `places` decimals, as roundDecimal(multiplyDecimal(a, b), places) */
export function multiplyRounded(a: string, b: string, places = 2): string {
  const x = scaled(a);
  const y = scaled(b);
  return roundScaled({ units: product(x.units, y.units), scale: x.scale + y.scale }, places);
}

/** Rounded half away from zero ("half-up" as invoices mean it) to `places` decimals, always written with them. */
export function roundDecimal(value: string, places = 2): string {
  return roundScaled(scaled(value), places);
}

function roundScaled(x: Scaled, places: number): string {
  if (x.scale <= places) return format(rescale(x, places), places);
  const drop = x.scale - places;
  const negative = x.units < 0;
  if (typeof x.units === 'number' && drop <= SAFE_DIGITS) {
    const divisor = POWERS_OF_TEN[drop]!;
    const magnitude = Math.abs(x.units);
    let q = Math.trunc(magnitude / divisor);
    let r = magnitude - q * divisor;
    if (r < 0) { q--; r += divisor; } else if (r >= divisor) { q++; r -= divisor; }
    if (r * 2 >= divisor) q += 1;
    return format(negative ? -q : q, places);
  }
  const divisor = 10n ** BigInt(drop);
  const magnitude = big(x.units) < 0n ? -big(x.units) : big(x.units);
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return format(negative ? -q : q, places);
}

/** An X12 implied-decimal numeric (Nn) as a decimal: ("842", 2) → "8.42", ("-5", 2) → "-0.05". undefined when not digits. */
export function impliedDecimal(value: string, places: number): string | undefined {
  const negative = value.charCodeAt(0) === 45;
  const start = negative ? 1 : 0;
  if (value.length === start) return undefined;
  for (let p = start; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (c < 48 || c > 57) return undefined;
  }
  return format(value.length - start <= SAFE_DIGITS ? Number(value) : BigInt(value), places);
}

export function sumDecimals(values: readonly string[]): string {
  const total: Scaled = { units: 0, scale: 0 };
  for (let i = 0; i < values.length; i++) {
    const x = scaled(values[i]!);
    const scale = Math.max(total.scale, x.scale);
    total.units = sum(rescale(total, scale), rescale(x, scale));
    total.scale = scale;
  }
  return format(total.units, total.scale);
}
