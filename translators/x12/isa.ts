/**
 * Reads an ISA header: the delimiters from its positions (element separator = 4th character,
 * ISA11 repetition separator from 00402 on, ISA16 component separator, the segment terminator right after
 * ISA16), then checks every ISA field against its TA1 note code.
 */
import type { DocumentError } from '../types.ts';
import type { Delimiters, Segment } from './segments.ts';
import type { InterchangeInfo } from './transaction.ts';
import { validDate6, validTime } from './datetime.ts';

export interface IsaHeader {
  segment: Segment;
  delimiters: Delimiters;
  info: InterchangeInfo;
  /** where the segment after ISA starts */
  end: number;
  /** TA1 note codes (segment 'ISA', element = ISA element number) */
  errors: DocumentError[];
  warnings: DocumentError[];
}

export interface UnreadableIsa {
  offset: number;
  errors: DocumentError[];
}

const ALNUM = /^[A-Za-z0-9]$/;
const LINE_BREAKS_ALL = /[\r\n]+/g;
/** I05 interchange id qualifiers */
const ID_QUALIFIERS = new Set([
  ...Array.from({ length: 38 }, (_, i) => String(i + 1).padStart(2, '0')).filter((q) => q !== '05' && q !== '06'),
  'AM', 'NR', 'SA', 'SN', 'ZZ',
]);
/** an ISA header is never longer than this, even when it is not fixed width */
const ISA_SEARCH_LIMIT = 400;
const FIXED_ISA_LENGTH = 105; // 'ISA' through ISA16, without the terminator

function isaError(code: string, element: number | undefined, message: string): DocumentError {
  return { segment: 'ISA', position: 1, ...(element === undefined ? {} : { element }), code, message };
}

export function readIsa(text: string, offset: number): IsaHeader | UnreadableIsa {
  const element = text[offset + 3];
  if (element === undefined || ALNUM.test(element) || element === ' ' || element === '\r' || element === '\n') {
    return { offset, errors: [isaError('026', undefined, `the character after ISA (${JSON.stringify(element ?? '')}) cannot be a data element separator`)] };
  }
  let sep = offset + 3;
  for (let n = 1; n < 16; n++) {
    sep = text.indexOf(element, sep + 1);
    if (sep < 0 || sep - offset > ISA_SEARCH_LIMIT) {
      return { offset, errors: [isaError('023', n, `the ISA segment ends after ${n} of its 16 elements`)] };
    }
  }
  const component = text[sep + 1];
  const terminator = text[sep + 2];
  if (component === undefined || terminator === undefined) {
    return { offset, errors: [isaError('023', 16, 'the file ends inside the ISA segment')] };
  }
  const errors: DocumentError[] = [];
  const warnings: DocumentError[] = [];
  if (ALNUM.test(terminator) || terminator === element || terminator === component || terminator === ' ' && component === ' ') {
    return { offset, errors: [isaError('004', 16, `${JSON.stringify(terminator)} after ISA16 cannot be a segment terminator`)] };
  }
  if (ALNUM.test(component) || component === element) {
    errors.push(isaError('027', 16, `ISA16 ${JSON.stringify(component)} cannot be a component separator`));
  }
  let body = text.slice(offset, sep + 2);
  if (terminator !== '\r' && terminator !== '\n' && element !== '\r' && element !== '\n') body = body.replace(LINE_BREAKS_ALL, '');
  const elements = body.split(element);
  if (body.length !== FIXED_ISA_LENGTH) {
    warnings.push({ segment: 'ISA', position: 1, code: 'isa-not-fixed-width', message: `the ISA segment is ${body.length + 1} characters long instead of 106 (read by its separators)` });
  }
  const f = (n: number) => elements[n] ?? '';
  const version = f(12);
  const isa11 = f(11);
  const repetition = version >= '00402' && isa11 !== 'U' && isa11.length === 1 && !ALNUM.test(isa11) && isa11 !== element && isa11 !== component && isa11 !== terminator ? isa11 : undefined;
  if (version < '00402' && isa11 !== 'U') {
    warnings.push({ segment: 'ISA', position: 1, element: 11, code: 'isa11-not-u', message: `ISA11 is ${JSON.stringify(isa11)} in a ${version} interchange, which has no repetition separator; read as data` });
  }
  if (version >= '00402' && isa11 !== 'U' && repetition === undefined) errors.push(isaError('016', 11, `ISA11 ${JSON.stringify(isa11)} is neither U nor a usable repetition separator`));
  const delimiters: Delimiters = { element, component, segment: terminator, ...(repetition === undefined ? {} : { repetition }) };
  const info: InterchangeInfo = {
    senderQualifier: f(5),
    senderId: f(6).trim(),
    receiverQualifier: f(7),
    receiverId: f(8).trim(),
    controlNumber: f(13),
    date: f(9),
    time: f(10),
    version,
    test: f(15) === 'T',
    ackRequested: f(14) === '1',
  };
  errors.push(...checkIsaFields(f));
  return { segment: { id: 'ISA', elements, offset }, delimiters, info, end: sep + 3, errors, warnings };
}

function checkIsaFields(f: (n: number) => string): DocumentError[] {
  const errors: DocumentError[] = [];
  const check = (ok: boolean, code: string, n: number, what: string) => {
    if (!ok) errors.push(isaError(code, n, `ISA${String(n).padStart(2, '0')} ${JSON.stringify(f(n))}: ${what}`));
  };
  check(/^0[0-6]$/.test(f(1)), '010', 1, 'authorization information qualifier must be 00 to 06');
  check(f(2).length === 10 || f(2).trim() === '', '011', 2, 'authorization information must be 10 characters');
  check(f(3) === '00' || f(3) === '01', '012', 3, 'security information qualifier must be 00 or 01');
  check(f(4).length === 10 || f(4).trim() === '', '013', 4, 'security information must be 10 characters');
  check(ID_QUALIFIERS.has(f(5)), '005', 5, 'not an interchange id qualifier');
  check(f(6).trim() !== '' && f(6).trim().length <= 15, '006', 6, 'sender id must be 1 to 15 characters');
  check(ID_QUALIFIERS.has(f(7)), '007', 7, 'not an interchange id qualifier');
  check(f(8).trim() !== '' && f(8).trim().length <= 15, '008', 8, 'receiver id must be 1 to 15 characters');
  check(validDate6(f(9)), '014', 9, 'not a YYMMDD date');
  check(/^\d{4}$/.test(f(10)) && validTime(f(10)), '015', 10, 'not an HHMM time');
  check(/^00[2-9]\d\d$/.test(f(12)), '017', 12, 'not an interchange control version number');
  check(/^\d{9}$/.test(f(13)), '018', 13, 'interchange control number must be 9 digits');
  check(f(14) === '0' || f(14) === '1', '019', 14, 'acknowledgment requested must be 0 or 1');
  check(f(15) === 'P' || f(15) === 'T' || f(15) === 'I', '020', 15, 'usage indicator must be P, T or I');
  return errors;
}
