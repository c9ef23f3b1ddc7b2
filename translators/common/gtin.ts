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
  return gtinFault(value) === undefined;
}

/**
 * What is wrong with a GTIN, in one pass over its digits: 'format' when it is not 8, 12, 13 or 14
 * digits, 'check-digit' when its last digit is not the check digit of the others, undefined when valid.
 */
export function gtinFault(value: string): 'format' | 'check-digit' | undefined {
  const length = value.length;
  if (length !== 8 && length !== 12 && length !== 13 && length !== 14) return 'format';
  let sum = 0;
  for (let i = 1; i < length; i++) {
    const digit = value.charCodeAt(length - 1 - i) - 48;
    if (digit < 0 || digit > 9) return 'format';
    sum += digit * (i % 2 === 1 ? 3 : 1);
  }
  const check = value.charCodeAt(length - 1) - 48;
  if (check < 0 || check > 9) return 'format';
  return (10 - (sum % 10)) % 10 === check ? undefined : 'check-digit';
}

/** Left-padded with zeros to 14 digits, the form GS1 compares GTINs in. */
export function toGtin14(value: string): string {
  return value.padStart(14, '0');
}
