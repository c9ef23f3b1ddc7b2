/**
 * Inbound acknowledgements: a 997 or 999 transaction set, or a TA1 segment, read into a FunctionalAck
 * that names the control numbers it answers and says in plain words what the partner found wrong.
 */
import type { FunctionalAck } from '../types.ts';
import type { Segment } from './segments.ts';
import { el } from './segments.ts';
import type { TransactionInput, TransactionResult, TransactionTranslator } from './transaction.ts';
import { ELEMENT_CODES, GROUP_CODES, SEGMENT_CODES, TA1_NOTES, TRANSACTION_CODES, describe } from './codes.ts';

type Status = FunctionalAck['transactions'][number]['status'];

function transactionStatus(code: string): Status {
  if (code === 'A') return 'accepted';
  if (code === 'E') return 'accepted-with-errors';
  return 'rejected';
}

function groupStatus(code: string): NonNullable<FunctionalAck['groupStatus']> {
  if (code === 'A') return 'accepted';
  if (code === 'E') return 'accepted-with-errors';
  if (code === 'P') return 'partially-accepted';
  return 'rejected';
}

function codesFrom(segment: Segment, from: number, to: number): string[] {
  const codes: string[] = [];
  for (let n = from; n <= to; n++) if (el(segment, n) !== '') codes.push(el(segment, n));
  return codes;
}

function segmentProblem(segment: Segment): string {
  const loop = el(segment, 3) ? ` in loop ${el(segment, 3)}` : '';
  const code = el(segment, 4);
  return `segment ${el(segment, 1)} at position ${el(segment, 2)}${loop}${code ? `: ${describe(SEGMENT_CODES, code)}` : ''}`;
}

function elementProblem(context: string, segment: Segment, component: string): string {
  const [position = '', componentPosition = '', repetition = ''] = el(segment, 1).split(component);
  const where = `element ${position}${componentPosition ? `, component ${componentPosition}` : ''}${repetition ? `, repetition ${repetition}` : ''}`;
  const data = el(segment, 4) ? ` (${JSON.stringify(el(segment, 4))})` : '';
  return `${context}, ${where}: ${describe(ELEMENT_CODES, el(segment, 3))}${data}`;
}

/** The translator of 997 and 999 transaction sets. */
export const translateFunctionalAck: TransactionTranslator<FunctionalAck> = (input: TransactionInput): TransactionResult<FunctionalAck> => {
  const is999 = input.setId === '999';
  const ack: FunctionalAck = { type: 'functional-ack', ackFormat: is999 ? '999' : '997', transactions: [], errors: [] };
  if (input.interchange.test) ack.test = true;
  let current: FunctionalAck['transactions'][number] | undefined;
  let segmentContext = '';
  for (const segment of input.segments) {
    switch (segment.id) {
      case 'AK1':
        ack.functionalIdCode = el(segment, 1);
        ack.groupControlNumber = el(segment, 2);
        break;
      case 'AK2':
        current = { transactionSetId: el(segment, 1), controlNumber: el(segment, 2), status: 'accepted', errors: [] };
        ack.transactions.push(current);
        break;
      case 'AK3':
      case 'IK3':
        segmentContext = segmentProblem(segment);
        if (el(segment, 4) !== '8' || el(segment, 4) === '') current?.errors.push(segmentContext);
        break;
      case 'AK4':
      case 'IK4':
        current?.errors.push(elementProblem(segmentContext.replace(/: [^:]*$/, ''), segment, input.delimiters.component));
        break;
      case 'AK5':
      case 'IK5':
        if (current) {
          current.status = transactionStatus(el(segment, 1));
          current.errors.push(...codesFrom(segment, 2, 6).map((code) => `transaction set ${current!.controlNumber}: ${describe(TRANSACTION_CODES, code)}`));
        }
        current = undefined;
        break;
      case 'AK9':
        ack.groupStatus = groupStatus(el(segment, 1));
        ack.errors.push(
          `group ${ack.groupControlNumber ?? ''}: ${el(segment, 3) || '?'} of ${el(segment, 2) || '?'} transaction sets received, ${el(segment, 4) || '?'} accepted`,
          ...codesFrom(segment, 5, 9).map((code) => `group ${ack.groupControlNumber ?? ''}: ${describe(GROUP_CODES, code)}`),
        );
        if (ack.groupStatus === 'accepted' && ack.errors.length === 1) ack.errors = [];
        break;
      default:
        break;
    }
  }
  return { document: ack, errors: [], warnings: [] };
};

/** A TA1 segment (stand-alone or ahead of the groups of an interchange) as a FunctionalAck. */
export function ta1ToAck(segment: Segment, test: boolean): FunctionalAck {
  const code = el(segment, 4);
  const note = el(segment, 5);
  const status = code === 'A' ? 'accepted' : code === 'E' ? 'accepted-with-errors' : 'rejected';
  return {
    type: 'functional-ack',
    ackFormat: 'TA1',
    interchangeControlNumber: el(segment, 1),
    groupStatus: status,
    transactions: [],
    errors: note && note !== '000' ? [`interchange ${el(segment, 1)}: ${describe(TA1_NOTES, note)} (TA1 ${code} ${note})`] : [],
    ...(test ? { test: true } : {}),
  };
}
