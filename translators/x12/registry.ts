/**
 * The transaction sets the gateway reads, as one explicit list: each with its specs (per version) and
 * its translator. Nothing registers itself by being imported.
 */
import type { TransactionSpec } from './spec/types.ts';
import type { TransactionTranslator } from './transaction.ts';
import { SPEC_850 } from './spec/850.ts';
import { SPEC_855 } from './spec/855.ts';
import { SPEC_856 } from './spec/856.ts';
import { SPEC_810 } from './spec/810.ts';
import { specs997 } from './spec/997.ts';
import { specs999 } from './spec/999.ts';
import { translateFunctionalAck } from './inbound-ack.ts';
import { translate850 } from './transactions/850.ts';
import { translate855 } from './transactions/855.ts';
import { translate856 } from './transactions/856.ts';
import { translate810 } from './transactions/810.ts';

export interface TransactionSetEntry {
  setId: string;
  /** one per version; the nearest version is used for others (003060 → 004010, 005020 → 005010) */
  specs: readonly TransactionSpec[];
  /** absent while the translator is not written yet: the set is then validated and acknowledged only */
  translate?: TransactionTranslator;
  /** an acknowledgement itself: never answered with a 997/999 */
  isAcknowledgement?: boolean;
}

export const TRANSACTION_SETS: readonly TransactionSetEntry[] = [
  { setId: '850', specs: SPEC_850, translate: translate850 },
  { setId: '855', specs: SPEC_855, translate: translate855 },
  { setId: '856', specs: SPEC_856, translate: translate856 },
  { setId: '810', specs: SPEC_810, translate: translate810 },
  { setId: '997', specs: specs997, translate: translateFunctionalAck, isAcknowledgement: true },
  { setId: '999', specs: specs999, translate: translateFunctionalAck, isAcknowledgement: true },
];

const BY_ID = new Map(TRANSACTION_SETS.map((entry) => [entry.setId, entry]));

export function transactionSet(setId: string): TransactionSetEntry | undefined {
  return BY_ID.get(setId);
}

/** The spec for a group version (GS08): 005010 for 005xxx and later, 004010 otherwise. */
export function specFor(entry: TransactionSetEntry, groupVersion: string): TransactionSpec | undefined {
  const wanted = groupVersion.slice(0, 3) >= '005' ? '005010' : '004010';
  return entry.specs.find((spec) => spec.version === wanted) ?? entry.specs[0];
}
