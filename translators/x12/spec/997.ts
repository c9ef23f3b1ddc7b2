/** 997 Functional Acknowledgment, 004010 and 005010. */
import type { TransactionSpec } from './types.ts';
import { composite, el, errorCodeElements, seg } from './build.ts';
import { loop } from './dictionary.ts';

const ACK_CODES = ['A', 'E', 'M', 'R', 'W', 'X'] as const;
const GROUP_ACK_CODES = ['A', 'E', 'M', 'P', 'R', 'W', 'X'] as const;

function spec997(version: '004010' | '005010'): TransactionSpec {
  const v5 = version === '005010';
  return {
    id: '997',
    version,
    functionalId: 'FA',
    body: [
      seg('AK1', 'M', 1, [el('AK101', 'M', 'ID', 2, 2), el('AK102', 'M', 'N0', 1, 9), ...(v5 ? [el('AK103', 'O', 'AN', 1, 12)] : [])]),
      loop('AK2', 'O', Infinity, [
        seg('AK2', 'M', 1, [el('AK201', 'M', 'ID', 3, 3), el('AK202', 'M', 'AN', 4, 9), ...(v5 ? [el('AK203', 'O', 'AN', 1, 35)] : [])]),
        loop('AK3', 'O', Infinity, [
          seg('AK3', 'M', 1, [el('AK301', 'M', 'ID', 2, 3), el('AK302', 'M', 'N0', 1, 6), el('AK303', 'O', 'AN', 1, 6), el('AK304', 'O', 'ID', 1, 3)]),
          seg('AK4', 'O', 99, [
            composite('AK401', 'M', [el('C03001', 'M', 'N0', 1, 2), el('C03002', 'O', 'N0', 1, 2), ...(v5 ? [el('C03003', 'O', 'N0', 1, 4)] : [])]),
            el('AK402', 'O', 'N0', 1, 4),
            el('AK403', 'M', 'ID', 1, 3),
            el('AK404', 'O', 'AN', 1, 99),
          ]),
        ]),
        seg('AK5', 'M', 1, [el('AK501', 'M', 'ID', 1, 1, { codes: ACK_CODES }), ...errorCodeElements('AK5', 2, 6)]),
      ]),
      seg('AK9', 'M', 1, [
        el('AK901', 'M', 'ID', 1, 1, { codes: GROUP_ACK_CODES }),
        el('AK902', 'M', 'N0', 1, 6),
        el('AK903', 'M', 'N0', 1, 6),
        el('AK904', 'M', 'N0', 1, 6),
        ...errorCodeElements('AK9', 5, 9),
      ]),
    ],
  };
}

export const specs997: TransactionSpec[] = [spec997('004010'), spec997('005010')];
