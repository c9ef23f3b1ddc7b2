/** 855 Purchase Order Acknowledgment, 004010 and 005010, with the BAK and ACK codes the 855 reader depends on. */
import { loop, MANY, segment as s, type Version } from './dictionary.ts';
import { orderHeader, orderLineHead, partyLoop } from './850.ts';
import type { TransactionSpec } from './types.ts';

/** BAK02 acknowledgment types the reader maps (see translators/x12/transactions/855.ts) */
export const BAK_ACK_TYPES = ['AC', 'AD', 'AE', 'AH', 'AK', 'AP', 'AT', 'NA', 'RD', 'RF', 'RJ', 'RO', 'ZZ'] as const;
/** ACK01 line item status codes the reader maps */
export const ACK_STATUS_CODES = [
  'AC', 'AR', 'BP', 'DR', 'IA', 'IB', 'IC', 'ID', 'IE', 'IF', 'IH', 'IP', 'IQ', 'IR', 'IS', 'IW',
  'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'SP',
] as const;


function spec(v: Version): TransactionSpec {
  return {
    id: '855', version: v, functionalId: 'PR',
    body: [
      s(v, 'BAK', 'M', 1, { 2: BAK_ACK_TYPES }),
      ...orderHeader(v),
      partyLoop(v, 200),
      loop('PO1', 'O', 100000, [
        ...orderLineHead(v),
        loop('ACK', 'O', 104, [s(v, 'ACK', 'M', 1, { 1: ACK_STATUS_CODES }), s(v, 'DTM', 'O', 10)]),
        loop('SCH', 'O', 104, [s(v, 'SCH', 'M', 1), s(v, 'TD1', 'O', 2), s(v, 'TD5', 'O', 12), s(v, 'TD3', 'O', 12), s(v, 'TD4', 'O', 5), s(v, 'REF', 'O', MANY)]),
        loop('N9', 'O', 1000, [s(v, 'N9', 'M', 1), s(v, 'DTM', 'O', MANY), s(v, 'MSG', 'O', 1000)]),
        partyLoop(v, 200),
        loop('SLN', 'O', 1000, [s(v, 'SLN', 'M', 1), s(v, 'MSG', 'O', MANY), s(v, 'SI', 'O', MANY), s(v, 'PID', 'O', 1000),
          s(v, 'DTM', 'O', 10), s(v, 'CTP', 'O', 25), s(v, 'PO4', 'O', 1), s(v, 'TAX', 'O', 3), s(v, 'SAC', 'O', 25),
          s(v, 'ACK', 'O', 104), s(v, 'REF', 'O', MANY)]),
      ]),
      loop('CTT', 'O', 1, [s(v, 'CTT', 'M', 1), s(v, 'AMT', 'O', 1)]),
    ],
  };
}

export const SPEC_855: readonly TransactionSpec[] = [spec('004010'), spec('005010')];
