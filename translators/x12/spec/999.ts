/** 999 Implementation Acknowledgment (005010X231A1), with the same structure accepted under 004010. */
import type { TransactionSpec } from './types.ts';
import { composite, el, errorCodeElements, seg } from './build.ts';
import { loop } from './dictionary.ts';


const ctx = seg('CTX', 'O', 10, [
  composite('CTX01', 'M', [el('C99801', 'M', 'AN', 1, 35), el('C99802', 'O', 'AN', 1, 35)], { repeat: 10 }),
  el('CTX02', 'O', 'ID', 2, 3),
  el('CTX03', 'O', 'N0', 1, 10),
  el('CTX04', 'O', 'AN', 1, 4),
  composite('CTX05', 'O', [el('C03001', 'M', 'N0', 1, 2), el('C03002', 'O', 'N0', 1, 2), el('C03003', 'O', 'N0', 1, 4)]),
  composite('CTX06', 'O', [el('C99901', 'M', 'AN', 1, 4), el('C99902', 'O', 'AN', 1, 4)]),
]);

function spec999(version: '004010' | '005010'): TransactionSpec {
  return {
    id: '999',
    version,
    functionalId: 'FA',
    body: [
      seg('AK1', 'M', 1, [el('AK101', 'M', 'ID', 2, 2), el('AK102', 'M', 'N0', 1, 9), el('AK103', 'O', 'AN', 1, 12)]),
      loop('AK2', 'O', Infinity, [
        seg('AK2', 'M', 1, [el('AK201', 'M', 'ID', 3, 3), el('AK202', 'M', 'AN', 4, 9), el('AK203', 'O', 'AN', 1, 35)]),
        loop('IK3', 'O', Infinity, [
          seg('IK3', 'M', 1, [el('IK301', 'M', 'ID', 2, 3), el('IK302', 'M', 'N0', 1, 10), el('IK303', 'O', 'AN', 1, 4), el('IK304', 'O', 'ID', 1, 3)]),
          ctx,
          loop('IK4', 'O', Infinity, [
            seg('IK4', 'M', 1, [
              composite('IK401', 'M', [el('C03001', 'M', 'N0', 1, 2), el('C03002', 'O', 'N0', 1, 2), el('C03003', 'O', 'N0', 1, 4)]),
              el('IK402', 'O', 'N0', 1, 4),
              el('IK403', 'M', 'ID', 1, 3),
              el('IK404', 'O', 'AN', 1, 99),
            ]),
            ctx,
          ]),
        ]),
        seg('IK5', 'M', 1, [el('IK501', 'M', 'ID', 1, 1, { codes: ['A', 'E', 'M', 'R', 'W', 'X'] }), ...errorCodeElements('IK5', 2, 6)]),
      ]),
      seg('AK9', 'M', 1, [
        el('AK901', 'M', 'ID', 1, 1, { codes: ['A', 'E', 'M', 'P', 'R', 'W', 'X'] }),
        el('AK902', 'M', 'N0', 1, 6),
        el('AK903', 'M', 'N0', 1, 6),
        el('AK904', 'M', 'N0', 1, 6),
        ...errorCodeElements('AK9', 5, 9),
      ]),
    ],
  };
}

export const specs999: TransactionSpec[] = [spec999('004010'), spec999('005010')];
