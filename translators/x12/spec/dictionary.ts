/**
 * The X12 segment dictionary (004010, with the 005010 differences) for the segments the 850, 855,
 * 856 and 810 specs use: every element with its requirement, type and min/max length, written
 * compactly as "<req> <type> <min> <max>". Code lists are added per set with `withCodes`, only for
 * codes the translators depend on, so partners' other codes stay valid.
 */
import { TranslationError } from '../../errors.ts';
import type { ElementSpec, ElementType, LoopSpec, Requirement, SegmentSpec, SyntaxRule } from './types.ts';

type Version = '004010' | '005010';
/** "<req> <type> <min> <max>", or a composite: ["<req>", ...component definitions] */
type ElementDef = string | readonly [string, ...string[]];

const COMPOSITE_C001 = ['X', 'M ID 2 2', 'O R 1 15', 'O R 1 10', 'O ID 2 2', 'O R 1 15', 'O R 1 10', 'O ID 2 2', 'O R 1 15', 'O R 1 10', 'O ID 2 2', 'O R 1 15', 'O R 1 10', 'O ID 2 2', 'O R 1 15', 'O R 1 10'] as const;
const COMPOSITE_C040 = ['O', 'M ID 2 3', 'M AN 1 30', 'X ID 2 3', 'X AN 1 30', 'X ID 2 3', 'X AN 1 30'] as const;

/** n repetitions of an id-qualifier / id pair, as PO1, IT1, LIN, SLN and ACK end with */
function pairs(n: number, valueMax = 48): string[] {
  return Array.from({ length: n }, () => ['X ID 2 2', `X AN 1 ${valueMax}`]).flat();
}

/** P (paired) syntax notes for n element pairs from element `first` on (PO106/PO107, PO108/PO109 ...) */
function pairRules(first: number, n: number): SyntaxRule[] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'P' as const, elements: [first + 2 * i, first + 2 * i + 1] }));
}

/** n optional free elements, for segments carried through but never read (their content is the partner's business) */
function loose(n: number): string[] {
  return Array.from({ length: n }, () => 'O AN 1 264');
}

const SEGMENTS: Record<string, { elements: readonly ElementDef[]; syntax?: readonly SyntaxRule[]; v5010?: readonly ElementDef[] }> = {
  BEG: { elements: ['M ID 2 2', 'M ID 2 2', 'M AN 1 22', 'O AN 1 30', 'M DT 8 8', 'O AN 1 30', 'O ID 2 2', 'O ID 3 3', 'O ID 2 2', 'O ID 2 2', 'O ID 2 2', 'O ID 2 2'] },
  BAK: { elements: ['M ID 2 2', 'M ID 2 2', 'M AN 1 22', 'M DT 8 8', 'O AN 1 30', 'O AN 1 30', 'O AN 1 45', 'O AN 1 22', 'O DT 8 8', 'O ID 2 2'],
    v5010: ['M ID 2 2', 'M ID 2 2', 'M AN 1 22', 'M DT 8 8', 'O AN 1 30', 'O AN 1 30', 'O AN 1 45', 'O AN 1 22', 'O DT 8 8', 'O ID 2 2', 'O ID 2 2'] },
  BSN: { elements: ['M ID 2 2', 'M AN 2 30', 'M DT 8 8', 'M TM 4 8', 'O ID 4 4', 'X ID 2 2', 'O ID 3 3'] },
  BIG: { elements: ['M DT 8 8', 'M AN 1 22', 'O DT 8 8', 'O AN 1 22', 'O AN 1 30', 'O AN 1 8', 'O ID 2 2', 'O ID 2 2', 'O ID 2 2', 'O AN 1 22'] },
  CUR: { elements: ['M ID 2 3', 'M ID 3 3', 'O R 4 10', 'O ID 2 3', 'O ID 3 3', 'X ID 3 3', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8'] },
  REF: { elements: ['M ID 2 3', 'X AN 1 30', 'X AN 1 80', COMPOSITE_C040], syntax: [{ kind: 'R', elements: [2, 3] }],
    v5010: ['M ID 2 3', 'X AN 1 50', 'X AN 1 80', COMPOSITE_C040] },
  PER: { elements: ['M ID 2 2', 'O AN 1 60', 'X ID 2 2', 'X AN 1 80', 'X ID 2 2', 'X AN 1 80', 'X ID 2 2', 'X AN 1 80', 'O AN 1 20'],
    syntax: [{ kind: 'P', elements: [3, 4] }, { kind: 'P', elements: [5, 6] }, { kind: 'P', elements: [7, 8] }],
    v5010: ['M ID 2 2', 'O AN 1 60', 'X ID 2 2', 'X AN 1 256', 'X ID 2 2', 'X AN 1 256', 'X ID 2 2', 'X AN 1 256', 'O AN 1 20'] },
  FOB: { elements: ['M ID 2 2', 'X ID 2 2', 'O AN 1 80', 'O ID 2 2', 'X ID 3 3', 'X ID 2 2', 'X AN 1 30', 'X ID 2 2', 'O ID 1 1'] },
  CTP: { elements: ['O ID 2 2', 'X ID 3 3', 'X R 1 17', 'X R 1 15', COMPOSITE_C001, 'O ID 3 3', 'O R 1 10', 'O R 1 15', 'O AN 1 2', 'O R 1 10', 'O R 1 10'] },
  SAC: { elements: ['M ID 1 1', 'X ID 4 4', 'X ID 2 10', 'X AN 1 50', 'O N2 1 15', 'X ID 1 1', 'X R 1 6', 'O R 1 9', 'X ID 2 2', 'X R 1 15', 'O R 1 15', 'O ID 2 2', 'X AN 1 30', 'O AN 1 30', 'X AN 1 80', 'O ID 2 3'],
    syntax: [{ kind: 'R', elements: [2, 3] }, { kind: 'P', elements: [3, 4] }, { kind: 'P', elements: [6, 7] }, { kind: 'P', elements: [9, 10] }] },
  ITD: { elements: ['O ID 2 2', 'O ID 1 2', 'O R 1 6', 'X DT 8 8', 'X N0 1 3', 'X DT 8 8', 'O N0 1 3', 'O N2 1 10', 'O N2 1 10', 'O N2 1 10', 'O N0 1 10', 'O AN 1 80', 'O N0 1 2', 'O ID 1 1', 'O R 1 5'] },
  DTM: { elements: ['M ID 3 3', 'X DT 8 8', 'X TM 4 8', 'O ID 2 2', 'X ID 2 3', 'X AN 1 35'], syntax: [{ kind: 'R', elements: [2, 3, 5] }, { kind: 'P', elements: [5, 6] }] },
  TD1: { elements: ['O AN 3 5', 'X N0 1 7', 'O ID 1 1', 'X ID 2 2', 'X AN 1 50', 'X ID 1 2', 'X R 1 10', 'X ID 2 2', 'X R 1 8', 'X ID 2 2'] },
  TD5: { elements: ['O ID 1 2', 'X ID 1 2', 'X AN 2 80', 'X ID 1 2', 'X AN 1 35', 'X ID 2 2', 'O ID 1 2', 'X AN 2 30', 'O ID 2 2', 'O ID 2 2', 'O ID 1 3', 'O ID 2 2', 'X ID 2 3', 'X ID 2 3', 'O ID 2 2'] },
  TD3: { elements: ['X ID 2 2', 'X AN 1 4', 'X AN 1 10', 'O ID 1 2', 'X R 1 10', 'X ID 2 2', 'O R 1 8', 'O ID 2 2', 'O AN 2 15'] },
  TD4: { elements: ['X ID 2 3', 'X ID 1 3', 'X AN 2 10', 'X AN 1 80', 'O ID 1 1'] },
  N9: { elements: ['M ID 2 3', 'X AN 1 30', 'X AN 1 45', 'O DT 8 8', 'X TM 4 8', 'O ID 2 2', COMPOSITE_C040],
    v5010: ['M ID 2 3', 'X AN 1 50', 'X AN 1 45', 'O DT 8 8', 'X TM 4 8', 'O ID 2 2', COMPOSITE_C040] },
  MSG: { elements: ['M AN 1 264', 'X ID 2 2', 'O N0 1 9'] },
  NTE: { elements: ['O ID 3 3', 'M AN 1 80'] },
  N1: { elements: ['M ID 2 3', 'X AN 1 60', 'X ID 1 2', 'X AN 2 80', 'O ID 2 2', 'O ID 2 3'], syntax: [{ kind: 'R', elements: [2, 3] }, { kind: 'P', elements: [3, 4] }] },
  N2: { elements: ['M AN 1 60', 'O AN 1 60'] },
  N3: { elements: ['M AN 1 55', 'O AN 1 55'] },
  N4: { elements: ['O AN 2 30', 'O ID 2 2', 'O ID 3 15', 'O ID 2 3', 'X ID 1 2', 'X AN 1 30'],
    v5010: ['O AN 2 30', 'O ID 2 2', 'O ID 3 15', 'O ID 2 3', 'X ID 1 2', 'X AN 1 30', 'O ID 1 3'] },
  PO1: { elements: ['O AN 1 20', 'X R 1 15', 'O ID 2 2', 'X R 1 17', 'O ID 2 2', ...pairs(10)],
    syntax: [{ kind: 'C', elements: [3, 2] }, { kind: 'C', elements: [5, 4] }, ...pairRules(6, 10)] },
  PID: { elements: ['M ID 1 1', 'O ID 2 3', 'X ID 2 3', 'X AN 1 12', 'X AN 1 80', 'O ID 2 3', 'O AN 1 35', 'O ID 1 1', 'O ID 2 3'] },
  MEA: { elements: ['O ID 2 2', 'O ID 1 3', 'X R 1 20', COMPOSITE_C001, 'X R 1 20', 'X R 1 20', 'O ID 2 2', 'X ID 1 2', 'O ID 1 2', 'O AN 1 4'],
    v5010: ['O ID 2 2', 'O ID 1 3', 'X R 1 20', COMPOSITE_C001, 'X R 1 20', 'X R 1 20', 'O ID 2 2', 'X ID 1 2', 'O ID 1 2', 'O AN 1 4', 'O ID 1 2', 'O ID 1 3'] },
  PO4: { elements: ['O N0 1 6', 'O R 1 8', 'X ID 2 2', 'O ID 3 5', 'O ID 1 1', 'X R 1 9', 'X ID 2 2', 'X R 1 9', 'X ID 2 2', 'X R 1 8', 'X R 1 8', 'X R 1 8', 'X ID 2 2', 'O N0 1 6', 'O AN 1 45', 'O AN 1 45', 'O AN 1 45', 'O N0 1 3'],
    syntax: [{ kind: 'P', elements: [2, 3] }, { kind: 'C', elements: [5, 6] }, { kind: 'P', elements: [6, 7] }, { kind: 'P', elements: [8, 9] },
      { kind: 'C', elements: [10, 13] }, { kind: 'C', elements: [11, 13] }, { kind: 'C', elements: [12, 13] }, { kind: 'L', elements: [13, 10, 11, 12] },
      { kind: 'C', elements: [17, 16] }, { kind: 'C', elements: [18, 4] }] },
  SDQ: { elements: ['M ID 2 2', 'O ID 1 2', 'M AN 2 80', 'M R 1 15', ...Array.from({ length: 9 }, () => ['X AN 2 80', 'X R 1 15']).flat(), 'O AN 1 30'],
    syntax: pairRules(5, 9) },
  SCH: { elements: ['M R 1 15', 'M ID 2 2', 'X ID 2 3', 'X AN 1 60', 'M ID 3 3', 'M DT 8 8', 'O TM 4 8', 'X ID 3 3', 'X DT 8 8', 'X TM 4 8', 'O AN 1 30', 'O ID 1 2'] },
  ACK: { elements: ['M ID 2 2', 'X R 1 15', 'X ID 2 2', 'O ID 3 3', 'X DT 8 8', 'O AN 1 80', ...pairs(10), 'O ID 1 2', 'O ID 1 2', 'O ID 2 2'] },
  CTT: { elements: ['M N0 1 6', 'O R 1 10', 'X R 1 10', 'X ID 2 2', 'X R 1 8', 'X ID 2 2', 'O AN 1 80'] },
  AMT: { elements: ['M ID 1 3', 'M R 1 18', 'O ID 1 1'] },
  HL: { elements: ['M AN 1 12', 'O AN 1 12', 'M ID 1 2', 'O ID 1 1'] },
  LIN: { elements: ['O AN 1 20', 'M ID 2 2', 'M AN 1 48', ...pairs(14)] },
  SN1: { elements: ['O AN 1 20', 'M R 1 10', 'M ID 2 2', 'O R 1 15', 'X R 1 15', 'X ID 2 2', 'O ID 2 2', 'O ID 2 2'] },
  SLN: { elements: ['M AN 1 20', 'O AN 1 8', 'M ID 1 1', 'X R 1 15', COMPOSITE_C001, 'X R 1 17', 'O ID 2 2', 'O ID 1 1', ...pairs(10)] },
  PRF: { elements: ['M AN 1 22', 'O AN 1 30', 'O AN 1 8', 'O DT 8 8', 'O AN 1 30', 'O AN 1 30', 'O ID 2 2'] },
  MAN: { elements: ['M ID 1 2', 'M AN 1 48', 'O AN 1 48', 'X ID 1 2', 'X AN 1 48', 'O AN 1 48'] },
  CLD: { elements: ['M N0 1 5', 'M R 1 10', 'O AN 3 5', 'X R 1 8', 'O ID 2 2'] },
  PKG: { elements: ['X ID 1 1', 'O ID 2 3', 'X ID 2 2', 'X AN 1 12', 'X AN 1 80', 'O ID 2 2'] },
  YNQ: { elements: ['X ID 2 3', 'M ID 1 1', 'X ID 2 3', 'X AN 1 35', 'X AN 1 264', 'X AN 1 264', 'X AN 1 264', 'X ID 2 3', 'X ID 1 3', 'X AN 1 50'] },
  IT1: { elements: ['O AN 1 20', 'X R 1 10', 'X ID 2 2', 'X R 1 17', 'O ID 2 2', ...pairs(10)] },
  IT3: { elements: ['X R 1 10', 'X ID 2 2', 'X ID 2 2', 'X R 1 9', 'O ID 2 2'] },
  TXI: { elements: ['M ID 2 2', 'X R 1 18', 'X R 1 10', 'X ID 2 2', 'X AN 1 30', 'X ID 1 1', 'O ID 1 1', 'O R 1 15', 'O AN 1 20', 'O AN 1 20'] },
  TDS: { elements: ['M N2 1 15', 'O N2 1 15', 'O N2 1 15', 'O N2 1 15'] },
  ISS: { elements: ['X R 1 15', 'X ID 2 2', 'X R 1 10', 'X ID 2 2', 'O R 1 8', 'O ID 2 2'] },
  CAD: { elements: ['O ID 1 2', 'X AN 2 4', 'X AN 1 35', 'X ID 2 4', 'O AN 2 80', 'X ID 1 2', 'X AN 1 30', 'O ID 1 2', 'O ID 2 3', 'O ID 2 3'] },
  TAX: { elements: ['X AN 1 20', ...Array.from({ length: 5 }, () => ['X ID 2 2', 'X AN 2 30']).flat(), 'O ID 1 1', 'O AN 1 20'] },
  SI: { elements: ['M ID 2 2', ...pairs(10, 30)] },
  PWK: { elements: ['M ID 2 2', 'O ID 1 2', 'O N0 1 2', 'X ID 2 2', 'X AN 2 80', 'O AN 1 80', COMPOSITE_C040, 'O ID 1 2'] },
  TC2: { elements: ['M ID 1 1', 'M AN 1 30'] },
  LDT: { elements: ['M ID 2 2', 'M R 1 15', 'O ID 2 2', 'O DT 8 8'] },
  QTY: { elements: ['M ID 2 2', 'X R 1 15', COMPOSITE_C001, 'X AN 1 30'] },
  MTX: { elements: ['O ID 3 3', 'X AN 1 4096', 'X AN 1 4096', 'X ID 2 2', 'X N0 1 6'] },
  CSH: { elements: loose(9) },
  IT8: { elements: loose(25) },
  PAM: { elements: loose(15) },
  SPI: { elements: loose(8) },
  DIS: { elements: ['M ID 3 3', 'M ID 2 2', 'M R 1 10', 'O ID 2 2', 'O R 1 10', 'O R 1 10'] },
};

function parseElement(ref: string, def: ElementDef): ElementSpec {
  if (typeof def !== 'string') {
    const [req, ...components] = def;
    return {
      ref, req: req as Requirement, type: 'AN', min: 1, max: 264,
      components: components.map((c, i) => parseElement(`${ref}-${String(i + 1).padStart(2, '0')}`, c)),
    };
  }
  const [req, type, min, max] = def.split(' ');
  return { ref, req: req as Requirement, type: type as ElementType, min: Number(min), max: Number(max) };
}

/**
 * The dictionary entry of `id` for `version`, used `max` times at most (Infinity for >1), with
 * code lists for the elements given: `withCodes` maps element number → codes we depend on.
 */
/** Every segment id the dictionary defines. */
export const DICTIONARY_SEGMENT_IDS: readonly string[] = Object.keys(SEGMENTS);

export function segment(
  version: Version,
  id: string,
  req: 'M' | 'O',
  max: number,
  withCodes: Readonly<Record<number, readonly string[]>> = {},
): SegmentSpec {
  const entry = SEGMENTS[id];
  if (!entry) throw new TranslationError('SPEC_UNKNOWN_SEGMENT', `segment ${id} is not in the X12 spec dictionary`);
  const defs = version === '005010' && entry.v5010 ? entry.v5010 : entry.elements;
  const elements = defs.map((def, i) => {
    const spec = parseElement(`${id}${String(i + 1).padStart(2, '0')}`, def);
    const codes = withCodes[i + 1];
    return codes ? { ...spec, codes } : spec;
  });
  return entry.syntax ? { kind: 'segment', id, req, max, elements, syntax: entry.syntax } : { kind: 'segment', id, req, max, elements };
}

export const MANY = Infinity;
export type { Version };

export function loop(id: string, req: 'M' | 'O', max: number, children: (SegmentSpec | LoopSpec)[]): LoopSpec {
  return { kind: 'loop', id, req, max, children };
}
