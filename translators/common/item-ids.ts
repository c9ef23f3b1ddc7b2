/**
 * Item identifier qualifiers (X12 LIN/PO1/IT1/SLN product id qualifiers, cXML id kinds) ⇄ named ids
 * of the canonical ItemIds. When two qualifiers give the same name, the better one wins whatever the
 * order they came in (VN over VC, UK over EN over UP for the GTIN); EN and UP are also normalised
 * into `gtin` (GTIN-14). Qualifiers without a name are kept as "x12:<qualifier>".
 */
import type { ItemIds } from '../types.ts';
import { gtinFault, toGtin14 } from './gtin.ts';

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
 * Builds the named ids one qualified id at a time: the better-ranked id wins a name whatever the order
 * ids come in. The ranks of the names set are kept in two parallel lists: an id list has a handful of
 * entries, so a linear search beats a Map per line.
 */
export class ItemIdsBuilder {
  readonly itemIds: ItemIds = {};
  private readonly names: string[] = [];
  private readonly ranks: number[] = [];

  /** Adds one id (ignored when empty); returns its GTIN problem, if it has one. */
  add(qualifier: string, value: string): Omit<ItemIdProblem, 'index'> | undefined {
    if (!value) return undefined;
    const meaning = MEANINGS.get(qualifier);
    if (!meaning) {
      this.offer(`x12:${qualifier}`, 0, value);
      return undefined;
    }
    if (meaning.gtinRank === undefined) {
      this.offer(meaning.name, meaning.rank, value);
      return undefined;
    }
    const fault = gtinFault(value);
    if (fault === 'format') {
      this.offer(meaning.name === 'gtin' ? `x12:${qualifier}` : meaning.name, meaning.rank, value);
      return { code: 'GTIN_FORMAT', message: `${qualifier} "${value}" is not an 8, 12, 13 or 14 digit GTIN` };
    }
    if (meaning.name !== 'gtin') this.offer(meaning.name, meaning.rank, value);
    this.offer('gtin', meaning.gtinRank, toGtin14(value));
    return fault === 'check-digit' ? { code: 'GTIN_CHECK_DIGIT', message: `${qualifier} "${value}" has a wrong GS1 check digit` } : undefined;
  }

  /** Sets `name` to `value` unless a better-ranked (lower) id already holds it. */
  private offer(name: string, rank: number, value: string): void {
    const k = this.names.indexOf(name);
    if (k >= 0) {
      if (this.ranks[k]! <= rank) return;
      this.ranks[k] = rank;
    } else {
      this.names.push(name);
      this.ranks.push(rank);
    }
    this.itemIds[name] = value;
  }
}

/** The named ids of a list of qualified ids, with the GTIN problems found on the way. */
export function itemIdsFromQualified(ids: readonly QualifiedId[]): { itemIds: ItemIds; problems: ItemIdProblem[] } {
  const builder = new ItemIdsBuilder();
  const problems: ItemIdProblem[] = [];
  for (let index = 0; index < ids.length; index++) {
    const problem = builder.add(ids[index]!.qualifier, ids[index]!.value);
    if (problem) problems.push({ index, ...problem });
  }
  return { itemIds: builder.itemIds, problems };
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
