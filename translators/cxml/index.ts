/**
 * cXML translators: bytes in, canonical documents out (translateCxml), and the OrderRequest we send
 * (renderOrderRequest). Pure: no I/O; the gateway passes the partner profile.
 */
import type { TranslateResult } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { readCxml, type CxmlDocument, type ReadLimits } from './read.ts';
import { translateConfirmation } from './confirmation.ts';
import { translateShipNotice } from './ship-notice.ts';
import { translateInvoice } from './invoice.ts';
import { translateOrderRequest } from './order-request.ts';
import { translateResponse } from './response.ts';
import { translateStatusUpdate } from './status-update.ts';
import type { CxmlTranslation } from './translation.ts';

export { readCxml, type CxmlDocument } from './read.ts';
export { renderOrderRequest, withSharedSecret, type RenderOrderOptions } from './order-request.ts';
export { renderResponse, STATUS_TEXT } from './response.ts';
export { renderProfileResponse, ACCEPTED_REQUESTS } from './profile-response.ts';

export interface TranslateCxmlOptions extends ReadLimits {
  profile?: PartnerProfile;
}

type Translator = (doc: CxmlDocument, profile?: PartnerProfile) => CxmlTranslation<TranslateResult['documents'][number]>;

/** The request (or Response) each translator reads; an explicit list, nothing registers itself. */
const TRANSLATORS: Readonly<Record<string, Translator>> = {
  ConfirmationRequest: translateConfirmation,
  ShipNoticeRequest: translateShipNotice,
  InvoiceDetailRequest: translateInvoice,
  OrderRequest: translateOrderRequest,
  StatusUpdateRequest: translateStatusUpdate,
  Response: translateResponse,
};

/** Documents that need no translation: answered synchronously by the gateway. */
const ANSWERED_DIRECTLY = new Set(['ProfileRequest']);

/** A document already read by readCxml → canonical documents or a rejection carrying the cXML status (406, 450 ...). */
export function translateCxmlDocument(doc: CxmlDocument, profile?: PartnerProfile): TranslateResult {
  if (ANSWERED_DIRECTLY.has(doc.name)) return { format: 'cxml', documents: [], rejected: [] };
  const translate = doc.kind === 'message' ? undefined : TRANSLATORS[doc.name];
  if (!translate) {
    const where = doc.kind === 'message' ? '/cXML/Message' : '/cXML/Request';
    return { format: 'cxml', documents: [], rejected: [{ interchange: doc.payloadId, errors: [{ path: `${where}/${doc.name}`, code: '450', message: `${doc.name} is not supported` }] }] };
  }
  const result = translate(doc, profile);
  if (!result.document) return { format: 'cxml', documents: [], rejected: [{ interchange: doc.payloadId, errors: result.errors }] };
  return { format: 'cxml', documents: [result.document], rejected: [] };
}

/** Raw bytes → TranslateResult. Throws TranslationError (code = cXML status 400/406) when the bytes are not a readable cXML document. */
export function translateCxml(raw: Buffer | string, options: TranslateCxmlOptions = {}): TranslateResult {
  return translateCxmlDocument(readCxml(raw, options), options.profile);
}
