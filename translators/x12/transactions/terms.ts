/** ITD terms of sale as canonical PaymentTerms. */
import type { PaymentTerms } from '../../types.ts';
import { el } from '../segments.ts';
import type { At, Findings } from './findings.ts';

export function readTerms(at: At, findings: Findings): PaymentTerms {
  const terms: PaymentTerms = {};
  const percent = findings.decimal(at, 3);
  const discountDays = findings.decimal(at, 5);
  const netDays = findings.decimal(at, 7);
  if (percent !== undefined) terms.discountPercent = percent;
  if (discountDays !== undefined) terms.discountDays = discountDays;
  if (netDays !== undefined) terms.netDays = netDays;
  if (el(at.segment, 12)) terms.description = el(at.segment, 12);
  return terms;
}
