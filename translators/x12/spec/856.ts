/**
 * 856 Ship Notice/Manifest, 004010 and 005010. The HL loop repeats at every level (shipment, order,
 * tare, pack, item); which segments appear depends on the level, so the one HL loop lists them all.
 */
import { loop, MANY, segment as s, type Version } from './dictionary.ts';
import type { TransactionSpec } from './types.ts';

/** HL03 levels the reader depends on: S shipment, O order, T tare, P pack, I item */
export const HL_LEVEL_CODES = ['S', 'O', 'T', 'P', 'I'] as const;
/** BSN01: 00 original, 01 cancellation, 05 replace, 06 confirmation, 07 duplicate, 14 advance notification */
export const BSN_PURPOSE_CODES = ['00', '01', '05', '06', '07', '14'] as const;


function spec(v: Version): TransactionSpec {
  return {
    id: '856', version: v, functionalId: 'SH',
    body: [
      s(v, 'BSN', 'M', 1, { 1: BSN_PURPOSE_CODES }),
      s(v, 'DTM', 'O', 10),
      loop('HL', 'M', 200000, [
        s(v, 'HL', 'M', 1, { 3: HL_LEVEL_CODES }),
        s(v, 'LIN', 'O', 1), s(v, 'SN1', 'O', 1), s(v, 'SLN', 'O', 1000), s(v, 'PRF', 'O', 1), s(v, 'PO4', 'O', 1),
        s(v, 'PID', 'O', 200), s(v, 'MEA', 'O', 40), s(v, 'PWK', 'O', 25), s(v, 'PKG', 'O', 25), s(v, 'TD1', 'O', 20),
        s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12), s(v, 'TD4', 'O', 5), s(v, 'REF', 'O', MANY), s(v, 'PER', 'O', 3),
        loop('CLD', 'O', 200, [s(v, 'CLD', 'M', 1), s(v, 'REF', 'O', 200), s(v, 'DTM', 'O', 1)]),
        s(v, 'MAN', 'O', MANY), s(v, 'DTM', 'O', 10), s(v, 'FOB', 'O', 1),
        loop('N1', 'O', 200, [s(v, 'N1', 'M', 1), s(v, 'N2', 'O', 2), s(v, 'N3', 'O', 2), s(v, 'N4', 'O', 1), s(v, 'REF', 'O', 12), s(v, 'PER', 'O', 3), s(v, 'FOB', 'O', 1)]),
        s(v, 'SAC', 'O', 25), s(v, 'CUR', 'O', 1), s(v, 'ITD', 'O', 1), s(v, 'YNQ', 'O', 10),
      ]),
      s(v, 'CTT', 'O', 1),
    ],
  };
}

export const SPEC_856: readonly TransactionSpec[] = [spec('004010'), spec('005010')];
