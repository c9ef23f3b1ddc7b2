/** 850 Purchase Order, 004010 and 005010: the segments real orders carry, with the codes the 850 reader depends on. */
import { loop, MANY, segment as s, type Version } from './dictionary.ts';
import type { LoopSpec, SegmentSpec, TransactionSpec } from './types.ts';

/** BEG01: 00 original, 01 cancellation, 04 change, 05 replace, 06 confirmation, 07 duplicate */
export const BEG_PURPOSE_CODES = ['00', '01', '04', '05', '06', '07'] as const;


/** The N1 party loop shared by header and detail. */
export function partyLoop(v: Version, max: number): LoopSpec {
  return loop('N1', 'O', max, [
    s(v, 'N1', 'M', 1), s(v, 'N2', 'O', 2), s(v, 'N3', 'O', 2), s(v, 'N4', 'O', MANY),
    s(v, 'REF', 'O', 12), s(v, 'PER', 'O', MANY), s(v, 'SI', 'O', MANY), s(v, 'FOB', 'O', 1),
    s(v, 'TD1', 'O', 2), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12), s(v, 'TD4', 'O', 5), s(v, 'PKG', 'O', 200),
  ]);
}

/** The header segments of the 850 between BEG and the N1 loop, shared with the 855. */
export function orderHeader(v: Version): (SegmentSpec | LoopSpec)[] {
  return [
    s(v, 'CUR', 'O', 1), s(v, 'REF', 'O', MANY), s(v, 'PER', 'O', 3), s(v, 'TAX', 'O', MANY), s(v, 'FOB', 'O', MANY),
    s(v, 'CTP', 'O', MANY), s(v, 'PAM', 'O', 10), s(v, 'CSH', 'O', 5), s(v, 'TC2', 'O', MANY),
    loop('SAC', 'O', 25, [s(v, 'SAC', 'M', 1), s(v, 'CUR', 'O', 1)]),
    s(v, 'ITD', 'O', MANY), s(v, 'DIS', 'O', 20), s(v, 'DTM', 'O', 10), s(v, 'PID', 'O', 200), s(v, 'MEA', 'O', 40),
    s(v, 'PWK', 'O', 25), s(v, 'PKG', 'O', 200), s(v, 'TD1', 'O', 2), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12),
    s(v, 'TD4', 'O', 5), s(v, 'MAN', 'O', 10), s(v, 'TXI', 'O', MANY), s(v, 'AMT', 'O', MANY),
    // MTX came in 004030; the 004010 spec also reads 004020-004060 groups
    loop('N9', 'O', 1000, [s(v, 'N9', 'M', 1), s(v, 'DTM', 'O', MANY), s(v, 'MSG', 'O', 1000), s(v, 'MTX', 'O', MANY)]),
  ];
}

/** The PO1 loop from PO1 through TXI, shared with the 855. */
export function orderLineHead(v: Version): (SegmentSpec | LoopSpec)[] {
  return [
    s(v, 'PO1', 'M', 1), s(v, 'LIN', 'O', MANY), s(v, 'SI', 'O', MANY), s(v, 'CUR', 'O', 1),
    loop('CTP', 'O', MANY, [s(v, 'CTP', 'M', 1), s(v, 'CUR', 'O', 1)]),
    s(v, 'MEA', 'O', 40),
    loop('PID', 'O', 1000, [s(v, 'PID', 'M', 1), s(v, 'MEA', 'O', 10)]),
    s(v, 'PWK', 'O', 25), s(v, 'PO4', 'O', MANY), s(v, 'REF', 'O', MANY), s(v, 'PER', 'O', 3),
    loop('SAC', 'O', 25, [s(v, 'SAC', 'M', 1), s(v, 'CUR', 'O', 1), s(v, 'CTP', 'O', 1)]),
    s(v, 'IT8', 'O', 1), s(v, 'CSH', 'O', MANY),
    s(v, 'ITD', 'O', 2), s(v, 'DIS', 'O', 20), s(v, 'TAX', 'O', MANY), s(v, 'FOB', 'O', MANY), s(v, 'SDQ', 'O', 500),
    s(v, 'DTM', 'O', 10), s(v, 'TC2', 'O', MANY), s(v, 'TD1', 'O', 1), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12),
    s(v, 'TD4', 'O', 5), s(v, 'MAN', 'O', 10), s(v, 'MSG', 'O', 12), s(v, 'SPI', 'O', MANY), s(v, 'TXI', 'O', MANY),
  ];
}

function spec(v: Version): TransactionSpec {
  return {
    id: '850', version: v, functionalId: 'PO',
    body: [
      s(v, 'BEG', 'M', 1, { 1: BEG_PURPOSE_CODES }),
      ...orderHeader(v),
      partyLoop(v, 200),
      loop('SPI', 'O', MANY, [s(v, 'SPI', 'M', 1), s(v, 'REF', 'O', 5), s(v, 'DTM', 'O', 5), s(v, 'MSG', 'O', 50)]),
      loop('PO1', 'M', 100000, [
        ...orderLineHead(v),
        loop('QTY', 'O', MANY, [s(v, 'QTY', 'M', 1), s(v, 'SI', 'O', MANY)]),
        loop('SCH', 'O', 200, [s(v, 'SCH', 'M', 1), s(v, 'TD1', 'O', 2), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12), s(v, 'TD4', 'O', 5), s(v, 'REF', 'O', MANY)]),
        loop('PKG', 'O', 200, [s(v, 'PKG', 'M', 1), s(v, 'MEA', 'O', MANY)]),
        loop('LDT', 'O', MANY, [s(v, 'LDT', 'M', 1), s(v, 'QTY', 'O', MANY), s(v, 'MSG', 'O', MANY), s(v, 'REF', 'O', 3)]),
        loop('N9', 'O', 1000, [s(v, 'N9', 'M', 1), s(v, 'DTM', 'O', MANY), s(v, 'MSG', 'O', 1000)]),
        partyLoop(v, 200),
        loop('SLN', 'O', 1000, [s(v, 'SLN', 'M', 1), s(v, 'MSG', 'O', MANY), s(v, 'SI', 'O', MANY), s(v, 'PID', 'O', 1000),
          s(v, 'TC2', 'O', MANY), s(v, 'DTM', 'O', 10), s(v, 'CTP', 'O', 25), s(v, 'PO4', 'O', 1), s(v, 'TAX', 'O', 3),
          s(v, 'N9', 'O', MANY), s(v, 'SAC', 'O', 25), s(v, 'REF', 'O', MANY)]),
      ]),
      loop('CTT', 'O', 1, [s(v, 'CTT', 'M', 1), s(v, 'AMT', 'O', 1)]),
    ],
  };
}

export const SPEC_850: readonly TransactionSpec[] = [spec('004010'), spec('005010')];
