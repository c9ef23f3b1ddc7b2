/** GS1 GTIN check digits (GTIN-8, UPC-12, EAN-13, GTIN-14) and normalisation to GTIN-14. */

/** The GS1 mod-10 check digit of the digits before it. */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** true for an 8/12/13/14-digit GTIN whose last digit is its check digit. */
export function isValidGtin(value: string): boolean {
  return isGtinShaped(value) && checkDigitMatches(value);
}

/** true when the last digit of a GTIN-shaped value (isGtinShaped) is the check digit of the others. */
export function checkDigitMatches(value: string): boolean {
  let sum = 0;
  for (let i = 1; i < value.length; i++) sum += (value.charCodeAt(value.length - 1 - i) - 48) * (i % 2 === 1 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === value.charCodeAt(value.length - 1) - 48;
}

/** true when the value has the shape of a GTIN (digits of a GTIN length), whatever its check digit. */
export function isGtinShaped(value: string): boolean {
  const length = value.length;
  if (length !== 8 && length !== 12 && length !== 13 && length !== 14) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Left-padded with zeros to 14 digits, the form GS1 compares GTINs in. */
export function toGtin14(value: string): string {
  return value.padStart(14, '0');
}
