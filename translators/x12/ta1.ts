/** The TA1 Interchange Acknowledgment we send: A/000 when the envelope is sound, R with the first TA1 note code otherwise. */
import type { InterchangeReport } from './process.ts';
import type { SegmentElements } from './render.ts';

export function renderTa1(interchange: InterchangeReport): SegmentElements | undefined {
  const info = interchange.info;
  if (!info) return undefined;
  const first = interchange.errors[0];
  return ['TA1', info.controlNumber, info.date, info.time, first ? 'R' : 'A', first ? first.code : '000'];
}
