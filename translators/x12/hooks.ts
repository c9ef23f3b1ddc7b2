/**
 * Partner hooks: small named steps that run before the default mapping (rewriting the transaction's
 * segments) or after it (adjusting the canonical document), so one partner's quirk never forks a
 * translator. A profile lists them by name in `x12.hooks`, applied in that order; the registry below is
 * an explicit list, nothing registers itself.
 */
import type { CanonicalDocument } from '../types.ts';
import type { PartnerProfile } from '../profile.ts';
import { TranslationError } from '../errors.ts';
import type { Segment } from './segments.ts';
import type { TransactionInput, TransactionResult, TransactionTranslator } from './transaction.ts';

export interface TranslatorHook {
  name: string;
  description: string;
  /** the transaction sets (ST01) it applies to; it is skipped for the others */
  sets: readonly string[];
  before?(input: TransactionInput): TransactionInput;
  after?(result: TransactionResult, input: TransactionInput): TransactionResult;
}

function rewrite(input: TransactionInput, change: (segment: Segment) => Segment): TransactionInput {
  return { ...input, segments: input.segments.map(change) };
}

/** Suppliers that send the lot number as REF*BT (batch number) under the item instead of REF*LT. */
const lotInRefBt: TranslatorHook = {
  name: 'lot-in-ref-bt',
  description: 'REF*BT (batch number) carries the lot: read it as REF*LT.',
  sets: ['856'],
  before: (input) => rewrite(input, (s) => (s.id === 'REF' && s.elements[1] === 'BT' ? { ...s, elements: ['REF', 'LT', ...s.elements.slice(2)] } : s)),
};

/** Suppliers that put the unit price in element 5 (basis of unit price) of PO1/IT1 and leave element 4 empty. */
const priceInPo1Element5: TranslatorHook = {
  name: 'price-in-po1-element-5',
  description: 'PO1/IT1 element 5 carries the unit price when element 4 is empty: move it to element 4.',
  sets: ['850', '855', '810'],
  before: (input) =>
    rewrite(input, (s) => {
      if ((s.id !== 'PO1' && s.id !== 'IT1') || s.elements[4] || !/^\d*\.?\d+$/.test(s.elements[5] ?? '')) return s;
      const elements = [...s.elements];
      elements[4] = elements[5]!;
      elements[5] = '';
      return { ...s, elements };
    }),
};

export const HOOKS: readonly TranslatorHook[] = [lotInRefBt, priceInPo1Element5];

/** The names in a profile's `x12.hooks` that are not in the registry (for the profile check at start). */
export function unknownHooks(profile: PartnerProfile): string[] {
  return (profile.x12?.hooks ?? []).filter((name) => !HOOKS.some((h) => h.name === name));
}

/** `translate` wrapped with the profile's hooks for set `setId`: befores in order, the mapping, afters in order. */
export function withHooks<D extends CanonicalDocument>(setId: string, translate: TransactionTranslator<D>): TransactionTranslator<D> {
  return (input, profile) => {
    const names = profile?.x12?.hooks ?? [];
    if (names.length === 0) return translate(input, profile);
    const hooks = names.map((name) => {
      const hook = HOOKS.find((h) => h.name === name);
      if (!hook) throw new TranslationError('UNKNOWN_HOOK', `partner ${profile?.id} names hook "${name}", which does not exist`);
      return hook;
    }).filter((h) => h.sets.includes(setId));
    let current = input;
    for (const hook of hooks) if (hook.before) current = hook.before(current);
    let result: TransactionResult = translate(current, profile);
    for (const hook of hooks) if (hook.after) result = hook.after(result, current);
    return result as TransactionResult<D>;
  };
}
