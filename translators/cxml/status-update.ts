/**
 * StatusUpdateRequest → a FunctionalAck with ackFormat 'cxml-status-update' that names the document
 * it reports on (DocumentReference@payloadID), so the gateway links it to that document.
 */
import type { FunctionalAck } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { attr, first, text } from './nodes.ts';
import { FieldReader } from './fields.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

const BASE = '/cXML/Request/StatusUpdateRequest';

export function translateStatusUpdate(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<FunctionalAck> {
  const r = new FieldReader(profile);
  const referencePayloadId = r.required(attr(first(doc.body, 'DocumentReference'), 'payloadID'), `${BASE}/DocumentReference/@payloadID`, 'DocumentReference@payloadID');
  const status = first(doc.body, 'Status');
  const code = r.required(attr(status, 'code'), `${BASE}/Status/@code`, 'Status@code');
  if (code && !/^[0-9]{3}$/.test(code)) r.error(`${BASE}/Status/@code`, `Status code "${code}" is not a three-digit number`);
  if (r.errors.length) return { errors: r.errors };
  const ok = code.startsWith('2');
  const statusText = [attr(status, 'text'), text(status)?.trim()].filter(Boolean).join(': ');
  const ack: FunctionalAck = {
    type: 'functional-ack', ...canonicalBase(doc, profile), ackFormat: 'cxml-status-update', referencePayloadId,
    groupStatus: ok ? 'accepted' : 'rejected', statusCode: code, transactions: [], errors: ok ? [] : [statusText || `status ${code}`],
  };
  if (statusText) ack.statusText = statusText;
  return { document: ack, errors: [] };
}
