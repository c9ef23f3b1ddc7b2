/**
 * Item identifier qualifiers (X12 LIN/PO1/IT1/SLN product id qualifiers, cXML id kinds) ⇄ named ids
 * of the canonical ItemIds. When two qualifiers give the same name, the better one wins whatever the
 * order they came in (VN over VC, UK over EN over UP for the GTIN); EN and UP are also normalised
 * into `gtin` (GTIN-14). Qualifiers without a name are kept as "x12:<qualifier>".
 */
import type { ItemIds } from '../types.ts';
import { checkDigitMatches, isGtinShaped, toGtin14 } from './gtin.ts';

interface Meaning { name: string; rank: number; gtinRank?: number }

/** qualifier → the named id it carries; `gtinRank` marks GTIN-family ids that also fill `gtin`. */
export const ITEM_ID_QUALIFIERS: Readonly<Record<string, Meaning>> = {
  VN: { name: 'vendorPart', rank: 0 },
  VP: { name: 'vendorPart', rank: 1 },
  VC: { name: 'vendorPart', rank: 2 },
  BP: { name: 'buyerPart', rank: 0 },
  IN: { name: 'buyerPart', rank: 1 },
  MG: { name: 'manufacturerPart', rank: 0 },
  UK: { name: 'gtin', rank: 0, gtinRank: 0 },
  EN: { name: 'ean', rank: 0, gtinRank: 1 },
  UP: { name: 'upc', rank: 0, gtinRank: 2 },
  N4: { name: 'ndc', rank: 0 },
  ND: { name: 'ndc', rank: 1 },
  HI: { name: 'hibcc', rank: 0 },
  DI: { name: 'udi', rank: 0 },
};

/** ITEM_ID_QUALIFIERS as a Map: looking up a freshly read qualifier in a Map is cheaper than as an object key */
const MEANINGS: ReadonlyMap<string, Meaning> = new Map(Object.entries(ITEM_ID_QUALIFIERS));

export interface QualifiedId { qualifier: string; value: string }

export interface ItemIdProblem {
  /** index of the offending id in the input list */
  index: number;
  code: 'GTIN_CHECK_DIGIT' | 'GTIN_FORMAT';
  message: string;
}

/**
 * The ranks of the names already set, as two parallel lists: an id list has a handful of entries, so a
 * linear search beats allocating a Map per line.
 */
interface Held { names: string[]; ranks: number[] }

/** Sets `name` to `value` unless a better-ranked (lower) id already holds it. */
function offer(itemIds: ItemIds, held: Held, name: string, rank: number, value: string): void {
  const k = held.names.indexOf(name);
  if (k >= 0) {
    if (held.ranks[k]! <= rank) return;
    held.ranks[k] = rank;
  } else {
    held.names.push(name);
    held.ranks.push(rank);
  }
  itemIds[name] = value;
}

/** The named ids of a list of qualified ids, with the GTIN problems found on the way. */
export function itemIdsFromQualified(ids: readonly QualifiedId[]): { itemIds: ItemIds; problems: ItemIdProblem[] } {
  const itemIds: ItemIds = {};
  const ranks: Held = { names: [], ranks: [] };
  const problems: ItemIdProblem[] = [];
  for (let index = 0; index < ids.length; index++) {
    const { qualifier, value } = ids[index]!;
    if (!value) continue;
    const meaning = MEANINGS.get(qualifier);
    if (!meaning) {
      offer(itemIds, ranks, `x12:${qualifier}`, 0, value);
      continue;
    }
    if (meaning.gtinRank === undefined) {
      offer(itemIds, ranks, meaning.name, meaning.rank, value);
      continue;
    }
    if (!isGtinShaped(value)) {
      problems.push({ index, code: 'GTIN_FORMAT', message: `${qualifier} "${value}" is not an 8, 12, 13 or 14 digit GTIN` });
      offer(itemIds, ranks, meaning.name === 'gtin' ? `x12:${qualifier}` : meaning.name, meaning.rank, value);
      continue;
    }
    if (!checkDigitMatches(value)) {
      problems.push({ index, code: 'GTIN_CHECK_DIGIT', message: `${qualifier} "${value}" has a wrong GS1 check digit` });
    }
    if (meaning.name !== 'gtin') offer(itemIds, ranks, meaning.name, meaning.rank, value);
    offer(itemIds, ranks, 'gtin', meaning.gtinRank, toGtin14(value));
  }
  return { itemIds, problems };
}

/**
 * The qualified ids to send for `itemIds`, in the order of `qualifiers` (the profile's precedence),
 * skipping qualifiers whose id is absent and values already sent under an earlier qualifier.
 */
export function qualifiedFromItemIds(itemIds: ItemIds, qualifiers: readonly string[]): QualifiedId[] {
  const out: QualifiedId[] = [];
  const sent = new Set<string>();
  for (const qualifier of qualifiers) {
    const name = ITEM_ID_QUALIFIERS[qualifier]?.name ?? `x12:${qualifier}`;
    const value = itemIds[name];
    if (!value || sent.has(`${name}\u0000${value}`)) continue;
    sent.add(`${name}\u0000${value}`);
    out.push({ qualifier, value: qualifier === 'UK' ? toGtin14(value) : value });
  }
  return out;
}
