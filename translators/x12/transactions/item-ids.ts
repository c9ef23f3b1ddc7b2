/** Product id qualifier/value pairs of PO1, IT1, LIN, SLN and ACK as canonical ItemIds, GTIN problems as warnings. */
import type { ItemIds } from '../../types.ts';
import { itemIdsFromQualified, type QualifiedId } from '../../common/item-ids.ts';
import type { At, Findings } from './findings.ts';

export interface PairsRead {
  itemIds: ItemIds;
  /** pairs the caller asked to keep apart (lots, serial numbers, PO line numbers ...), in order */
  set: Array<QualifiedId & { element: number }>;
}

/**
 * Reads the qualifier/id pairs from element `first` (its qualifier) to the end of the segment.
 * Qualifiers in `apart` are returned in `set` instead of becoming item ids.
 */
export function readPairs(at: At, first: number, findings: Findings, apart: ReadonlySet<string> = new Set()): PairsRead {
  const ids: Array<QualifiedId & { element: number }> = [];
  const set: PairsRead['set'] = [];
  const elements = at.segment.elements;
  for (let n = first; n + 1 < elements.length; n += 2) {
    const qualifier = elements[n] ?? '';
    const value = elements[n + 1] ?? '';
    if (!qualifier || !value) continue;
    (apart.has(qualifier) ? set : ids).push({ qualifier, value, element: n + 1 });
  }
  const { itemIds, problems } = itemIdsFromQualified(ids);
  for (const p of problems) findings.warning(at, p.code, p.message, ids[p.index]!.element);
  return { itemIds, set };
}
