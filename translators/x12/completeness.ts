/**
 * Is an X12 file completely written? The SFTP poller leaves a file alone until this says yes: every
 * interchange must end with its IEA, IEA02 = ISA13, and the group counts (IEA01) and transaction counts
 * (GE01) must match. It reads the envelope only, so it is cheap on large files.
 */
import { TranslationError } from '../errors.ts';
import { readX12 } from './reader.ts';

export type Completeness = { complete: true } | { complete: false; reason: string };

const INCOMPLETE_CODES = new Set(['001', '021', '023']);

export function interchangeCompleteness(raw: Uint8Array | string): Completeness {
  let interchanges = 0;
  try {
    for (const event of readX12(raw)) {
      if (event.type === 'unreadable') return { complete: false, reason: event.isa.errors[0]?.message ?? 'unreadable ISA header' };
      if (event.type === 'group-end') {
        const wrong = event.trailer.errors.find((e) => e.code === '3' || e.code === '5');
        if (wrong) return { complete: false, reason: `group ${event.trailer.group.info.controlNumber}: ${wrong.message}` };
      }
      if (event.type === 'interchange-end') {
        interchanges++;
        const wrong = event.trailer.errors.find((e) => INCOMPLETE_CODES.has(e.code));
        if (wrong) return { complete: false, reason: `interchange ${event.trailer.header.info.controlNumber}: ${wrong.message}` };
      }
    }
  } catch (error) {
    if (error instanceof TranslationError) return { complete: false, reason: error.message };
    throw error;
  }
  return interchanges > 0 ? { complete: true } : { complete: false, reason: 'no interchange found' };
}
