/**
 * The cXML Response: rendering ours (the synchronous answer to every POST /cxml) and reading a
 * partner's (the answer to our OrderRequest) into a FunctionalAck with ackFormat 'cxml-response'.
 */
import type { DocumentError, FunctionalAck } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { attr, first, text } from './nodes.ts';
import { attrs, esc, prolog, DEFAULT_CXML_VERSION } from './write.ts';
import { canonicalBase, type CxmlTranslation } from './translation.ts';
import type { CxmlDocument } from './read.ts';

/** Status texts as the cXML User's Guide names them; 413 and 415 are the HTTP ones we also answer with. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Accepted', 204: 'No Content',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 406: 'Not Acceptable', 409: 'Conflict',
  412: 'Precondition Failed', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type', 417: 'Expectation Failed',
  450: 'Not Implemented', 500: 'Internal Server Error', 560: 'Temporary server error',
};

export interface ResponseOptions {
  code: number;
  /** the body of Status: what a person reading it needs (which field, why) */
  detail?: string;
  payloadId: string;
  /** ISO 8601 with offset */
  timestamp: string;
  version?: string;
  /** a response element after Status (ProfileResponse ...), already rendered */
  inner?: string;
}

export function renderResponse(o: ResponseOptions): string {
  const statusText = STATUS_TEXT[o.code] ?? (o.code < 300 ? 'OK' : 'Error');
  const status = `<Status${attrs({ code: String(o.code), text: statusText, 'xml:lang': o.detail ? 'en-US' : undefined })}>${esc(o.detail ?? '')}</Status>`;
  return `${prolog(o.version ?? DEFAULT_CXML_VERSION)}<cXML${attrs({ payloadID: o.payloadId, timestamp: o.timestamp, 'xml:lang': 'en-US' })}><Response>${status}${o.inner ?? ''}</Response></cXML>\n`;
}

/** The Status of a Response: its code as the group status, the text and detail as errors when it failed. */
export function translateResponse(doc: CxmlDocument, profile?: PartnerProfile): CxmlTranslation<FunctionalAck> {
  const status = first(doc.body, 'Status');
  const code = attr(status, 'code')?.trim() ?? '';
  if (!/^[0-9]{3}$/.test(code)) {
    const error: DocumentError = { path: '/cXML/Response/Status/@code', code: '406', message: `Status code "${code}" is not a three-digit number` };
    return { errors: [error] };
  }
  const ok = code.startsWith('2');
  const message = [attr(status, 'text'), text(status)?.trim()].filter(Boolean).join(': ');
  const ack: FunctionalAck = {
    type: 'functional-ack', ...canonicalBase(doc, profile), ackFormat: 'cxml-response',
    groupStatus: ok ? 'accepted' : 'rejected', statusCode: code, transactions: [], errors: ok ? [] : [message || `status ${code}`],
  };
  if (message) ack.statusText = message;
  return { document: ack, errors: [] };
}
