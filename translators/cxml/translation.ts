/** What every cXML document translator returns, and the envelope fields every canonical document carries. */
import type { DocumentError } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import type { CxmlDocument } from './read.ts';

export interface CxmlTranslation<D> {
  /** absent when the document cannot be translated */
  document?: D;
  /** problems with their XML path and cXML status code (406 unless said otherwise) */
  errors: DocumentError[];
}

export function canonicalBase(doc: CxmlDocument, profile?: PartnerProfile): { partnerId?: string; test?: true } {
  return { ...(profile ? { partnerId: profile.id } : {}), ...(doc.deploymentMode === 'test' ? { test: true as const } : {}) };
}
