/**
 * One entry for any inbound file: X12 or cXML, told apart by its first meaningful character.
 * Pure: bytes and profiles in, TranslateResult out.
 */
import type { TranslateResult } from './types.ts';
import type { PartnerProfile } from './profile.ts';
import { TranslationError } from './errors.ts';
import { translateX12 } from './x12/index.ts';
import { translateCxml } from './cxml/index.ts';

export type InputFormat = 'x12' | 'cxml';

/** 'x12' when the file starts (after a BOM and white space) with ISA, 'cxml' when with '<', else undefined. */
export function detectFormat(raw: Uint8Array | string): InputFormat | undefined {
  const head = (typeof raw === 'string' ? raw.slice(0, 4096) : Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, 4096)).toString('latin1'))
    .replace(/^(\uFEFF|\xEF\xBB\xBF)/, '')
    .trimStart();
  if (head.startsWith('<')) return 'cxml';
  if (/^ISA/.test(head) || /[\r\n]ISA/.test(head)) return 'x12';
  return undefined;
}

export interface TranslateOptions {
  profile?: PartnerProfile;
  /** finds the sender's profile by its X12 ISA qualifier and id */
  profiles?: (qualifier: string, id: string) => PartnerProfile | undefined;
}

/** Throws TranslationError('not-edi') when the input is neither X12 nor cXML. */
export function translateDocument(raw: Uint8Array | string, options: TranslateOptions = {}): TranslateResult {
  const format = detectFormat(raw);
  if (format === 'x12') return translateX12(raw, options);
  if (format === 'cxml') return translateCxml(typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.length), { profile: options.profile });
  throw new TranslationError('not-edi', 'the input is neither X12 (no ISA header) nor cXML (no XML document)');
}
