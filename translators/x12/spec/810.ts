/** 810 Invoice, 004010 and 005010, with the codes the 810 reader depends on (SAC01, TXI01 is left open). */
import { loop, MANY, segment as s, type Version } from './dictionary.ts';
import { partyLoop } from './850.ts';
import type { TransactionSpec } from './types.ts';

/** SAC01: A allowance, C charge, N no allowance or charge */
export const SAC_INDICATOR_CODES = ['A', 'C', 'N'] as const;


function spec(v: Version): TransactionSpec {
  const sac = () => loop('SAC', 'O', 25, [s(v, 'SAC', 'M', 1, { 1: SAC_INDICATOR_CODES }), s(v, 'TXI', 'O', 10)]);
  return {
    id: '810', version: v, functionalId: 'IN',
    body: [
      s(v, 'BIG', 'M', 1),
      s(v, 'NTE', 'O', 100), s(v, 'CUR', 'O', 1), s(v, 'REF', 'O', 12), s(v, 'YNQ', 'O', 10), s(v, 'PER', 'O', 3),
      partyLoop(v, 200),
      s(v, 'ITD', 'O', MANY), s(v, 'DTM', 'O', 10), s(v, 'FOB', 'O', 1), s(v, 'PID', 'O', 200), s(v, 'MEA', 'O', 40),
      s(v, 'PWK', 'O', 25), s(v, 'PKG', 'O', 25), s(v, 'TD1', 'O', 1), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12),
      s(v, 'TD4', 'O', 5), s(v, 'MAN', 'O', 10), s(v, 'PO4', 'O', 1), s(v, 'TXI', 'O', MANY), s(v, 'CTP', 'O', 1),
      loop('IT1', 'O', 200000, [
        s(v, 'IT1', 'M', 1), s(v, 'CUR', 'O', 1), s(v, 'IT3', 'O', 5), s(v, 'TXI', 'O', 10), s(v, 'CTP', 'O', 25),
        s(v, 'MEA', 'O', 40),
        loop('PID', 'O', 1000, [s(v, 'PID', 'M', 1), s(v, 'MEA', 'O', 10)]),
        s(v, 'PWK', 'O', 25), s(v, 'PKG', 'O', 25), s(v, 'PO4', 'O', 1), s(v, 'ITD', 'O', 2), s(v, 'REF', 'O', MANY),
        s(v, 'YNQ', 'O', 10), s(v, 'PER', 'O', 5), s(v, 'DTM', 'O', 10), s(v, 'CAD', 'O', MANY),
        sac(),
        loop('SLN', 'O', 1000, [s(v, 'SLN', 'M', 1), s(v, 'DTM', 'O', 1), s(v, 'REF', 'O', MANY), s(v, 'PID', 'O', 1000), s(v, 'SAC', 'O', 25), s(v, 'TC2', 'O', 2), s(v, 'TXI', 'O', 10)]),
        loop('N1', 'O', 200, [s(v, 'N1', 'M', 1), s(v, 'N2', 'O', 2), s(v, 'N3', 'O', 2), s(v, 'N4', 'O', 1), s(v, 'REF', 'O', 12), s(v, 'PER', 'O', 3)]),
      ]),
      s(v, 'TDS', 'M', 1), s(v, 'TXI', 'O', 10), s(v, 'CAD', 'O', 1), s(v, 'AMT', 'O', MANY),
      sac(),
      loop('ISS', 'O', 100, [s(v, 'ISS', 'M', 1), s(v, 'PID', 'O', 1)]),
      s(v, 'CTT', 'O', 1),
    ],
  };
}

export const SPEC_810: readonly TransactionSpec[] = [spec('004010'), spec('005010')];
