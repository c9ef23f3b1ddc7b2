/** Product id qualifier/value pairs of PO1, IT1, LIN, SLN and ACK as canonical ItemIds, GTIN problems as warnings. */
import type { ItemIds } from '../../types.ts';
import { ItemIdsBuilder, type QualifiedId } from '../../common/item-ids.ts';
import type { At, Findings } from './findings.ts';

export interface PairsRead {
  itemIds: ItemIds;
  /** pairs the caller asked to keep apart (lots, serial numbers, PO line numbers ...), in order */
  set: Array<QualifiedId & { element: number }>;
}

const NONE: ReadonlySet<string> = new Set();

/** Only the pairs whose qualifier is in `apart` (what `readPairs` returns as `set`), without reading the item ids. */
export function pairsApart(at: At, first: number, apart: ReadonlySet<string>): PairsRead['set'] {
  const set: PairsRead['set'] = [];
  const elements = at.segment.elements;
  for (let n = first; n + 1 < elements.length; n += 2) {
    const qualifier = elements[n]!;
    const value = elements[n + 1]!;
    if (qualifier && value && apart.has(qualifier)) set.push({ qualifier, value, element: n + 1 });
  }
  return set;
}

/**
 * Reads the qualifier/id pairs from element `first` (its qualifier) to the end of the segment.
 * Qualifiers in `apart` are returned in `set` instead of becoming item ids.
 */
export function readPairs(at: At, first: number, findings: Findings, apart: ReadonlySet<string> = NONE): PairsRead {
  const builder = new ItemIdsBuilder();
  const set: PairsRead['set'] = [];
  const elements = at.segment.elements;
  for (let n = first; n + 1 < elements.length; n += 2) {
    const qualifier = elements[n]!;
    const value = elements[n + 1]!;
    if (!qualifier || !value) continue;
    if (apart.has(qualifier)) {
      set.push({ qualifier, value, element: n + 1 });
      continue;
    }
    const problem = builder.add(qualifier, value);
    if (problem) findings.warning(at, problem.code, problem.message, n + 1);
  }
  return { itemIds: builder.itemIds, set };
}
