import type { PartnerProfile } from '../../profile.ts';
import type { TransactionInput } from '../transaction.ts';

/** The canonical fields every translated document takes from its envelope and profile. */
export function envelopeFields(input: TransactionInput, profile?: PartnerProfile): { partnerId?: string; test?: boolean } {
  const fields: { partnerId?: string; test?: boolean } = {};
  if (profile) fields.partnerId = profile.id;
  if (input.interchange.test) fields.test = true;
  return fields;
}
