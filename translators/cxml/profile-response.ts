/**
 * The ProfileResponse we answer a ProfileRequest with: the requests we accept, each at our /cxml URL.
 */
import { attrs, el } from './write.ts';

/** What POST /cxml accepts, in the order the ProfileResponse lists them. */
export const ACCEPTED_REQUESTS = ['ProfileRequest', 'ConfirmationRequest', 'ShipNoticeRequest', 'InvoiceDetailRequest', 'StatusUpdateRequest'] as const;

export function renderProfileResponse(o: { url: string; effectiveDate: string }): string {
  const transactions = ACCEPTED_REQUESTS.map((name) => `<Transaction${attrs({ requestName: name })}>${el('URL', o.url)}</Transaction>`).join('');
  return `<ProfileResponse${attrs({ effectiveDate: o.effectiveDate })}>${transactions}</ProfileResponse>`;
}
