/**
 * Validates a transaction set's segments (ST..SE) against its declarative TransactionSpec: segment order,
 * mandatory and repeated segments and loops, unexpected segments, then every element (presence, length,
 * type, code values, composites, repetitions, syntax rules). Each problem is a DocumentError with the
 * segment id, its 1-based position (ST = 1), element and component positions, and the AK3/IK3 code
 * (no `element`) or AK4/IK4 code (with `element`).
 */
import type { DocumentError } from '../types.ts';
import type { Delimiters, Segment } from './segments.ts';
import type { ElementSpec, LoopSpec, SegmentSpec, TransactionSpec } from './spec/types.ts';
import { validDate6, validDate8, validTime } from './datetime.ts';

type Node = SegmentSpec | LoopSpec;

interface Walk {
  segments: readonly Segment[];
  /** index of the next segment to read; the body ends before `end` (SE) */
  i: number;
  end: number;
  errors: DocumentError[];
  delimiters: Delimiters;
  knownIds: ReadonlySet<string>;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;

function triggerId(node: Node): string {
  return node.kind === 'segment' ? node.id : triggerId(node.children[0]!);
}

function collectIds(nodes: readonly Node[], into: Set<string>): Set<string> {
  for (const node of nodes) {
    if (node.kind === 'segment') into.add(node.id);
    else collectIds(node.children, into);
  }
  return into;
}

const knownIdsCache = new WeakMap<TransactionSpec, Set<string>>();

/** A character outside what X12 allows in data: the basic and extended sets (printable ASCII) and Latin-1. */
const OUTSIDE_CHARACTER_SETS = /[^\x20-\x7e\u00a0-\u00ff]/;

export function validateTransaction(segments: readonly Segment[], spec: TransactionSpec, delimiters: Delimiters): DocumentError[] {
  let knownIds = knownIdsCache.get(spec);
  if (!knownIds) knownIdsCache.set(spec, (knownIds = collectIds(spec.body, new Set(['ST', 'SE']))));
  const last = segments[segments.length - 1];
  const end = last?.id === 'SE' ? segments.length - 1 : segments.length;
  const walk: Walk = { segments, i: 1, end, errors: [], delimiters, knownIds };
  if (segments[0]) checkCharacters(walk, segments[0], 0);
  walkSequence(walk, spec.body, 0, []);
  if (last?.id === 'SE') checkCharacters(walk, last, segments.length - 1);
  return walk.errors;
}

interface Level {
  nodes: readonly Node[];
  pos: number;
}

function findForward(nodes: readonly Node[], from: number, id: string, counts: readonly number[] | undefined): number {
  let fallback = -1;
  for (let k = from; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (triggerId(node) !== id) continue;
    if (counts && counts[k]! >= node.max) {
      if (fallback < 0) fallback = k;
      continue;
    }
    return k;
  }
  return fallback;
}

/** Reads segments into `nodes` (a transaction body or a loop's children) until one belongs to an enclosing level. */
function walkSequence(walk: Walk, nodes: readonly Node[], start: number, ancestors: readonly Level[], startCounts?: number[]): void {
  const inLoop = startCounts !== undefined;
  const counts = startCounts ?? new Array<number>(nodes.length).fill(0);
  let pos = start;
  while (walk.i < walk.end) {
    const segment = walk.segments[walk.i]!;
    const position = walk.i + 1;
    // inside a loop, its trigger segment starts the next occurrence (found by the enclosing level)
    const k = findForward(nodes, inLoop && counts[0]! > 0 ? Math.max(pos, 1) : pos, segment.id, counts);
    if (k >= 0) {
      reportMissing(walk, nodes, counts, pos, k, segment, position);
      pos = k;
      const node = nodes[k]!;
      counts[k]!++;
      if (node.kind === 'segment') {
        if (counts[k]! > node.max) walk.errors.push(segmentError(segment, position, '5', `${segment.id} is used more than ${node.max} time${node.max === 1 ? '' : 's'}`));
        validateElements(walk, segment, node, position);
        walk.i++;
      } else {
        if (counts[k]! > node.max) walk.errors.push(segmentError(segment, position, '4', `loop ${node.id} occurs more than ${node.max} times`));
        const level = { nodes, pos: k };
        const loopCounts = new Array<number>(node.children.length).fill(0);
        // the trigger segment is read by the loop itself, as its first child
        walkSequence(walk, node.children, 0, [...ancestors, level], loopCounts);
      }
      continue;
    }
    if (ancestors.some((level) => findForward(level.nodes, level.pos, segment.id, undefined) >= 0)) break;
    walk.errors.push(unplaced(walk, nodes, pos, segment, position));
    walk.i++;
  }
  const at = walk.segments[walk.i] ?? walk.segments[walk.segments.length - 1];
  if (at) reportMissing(walk, nodes, counts, pos, nodes.length, at, Math.min(walk.i + 1, walk.segments.length));
}

function reportMissing(walk: Walk, nodes: readonly Node[], counts: readonly number[], from: number, to: number, at: Segment, position: number): void {
  for (let m = from; m < to; m++) {
    const node = nodes[m]!;
    if (node.req === 'M' && counts[m] === 0) {
      const id = triggerId(node);
      walk.errors.push({ segment: id, position, code: '3', message: `mandatory ${node.kind === 'loop' ? `loop ${node.id} (segment ${id})` : `segment ${id}`} is missing before ${at.id} at position ${position}` });
    }
  }
}

function unplaced(walk: Walk, nodes: readonly Node[], pos: number, segment: Segment, position: number): DocumentError {
  const id = segment.id;
  if (!SEGMENT_ID.test(id)) return segmentError(segment, position, '1', `${JSON.stringify(id.slice(0, 20))} is not a segment id`);
  if (!walk.knownIds.has(id)) return segmentError(segment, position, '6', `${id} is not part of this transaction set`);
  if (nodes.slice(0, pos).some((node) => triggerId(node) === id)) return segmentError(segment, position, '7', `${id} is out of sequence`);
  return segmentError(segment, position, '2', `${id} is not expected here`);
}

function segmentError(segment: Segment, position: number, code: string, message: string): DocumentError {
  return { segment: SEGMENT_ID.test(segment.id) ? segment.id : segment.id.slice(0, 3), position, code, message };
}

function elementError(segment: Segment, position: number, element: number, code: string, message: string, component?: number): DocumentError {
  return { segment: segment.id, position, element, ...(component === undefined ? {} : { component }), code, message };
}

function checkCharacters(walk: Walk, segment: Segment, index: number): boolean {
  const elements = segment.elements;
  let bad = false;
  for (let n = 1; n < elements.length; n++) {
    const value = elements[n]!;
    const match = OUTSIDE_CHARACTER_SETS.exec(value);
    if (match) {
      walk.errors.push(elementError(segment, index + 1, n, '6', `${segment.id}${String(n).padStart(2, '0')} holds the character U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, outside the X12 character sets`));
      bad = true;
    }
  }
  return bad;
}

function validateElements(walk: Walk, segment: Segment, spec: SegmentSpec, position: number): void {
  const { delimiters } = walk;
  const elements = segment.elements;
  if (checkCharacters(walk, segment, position - 1)) return;
  for (let n = spec.elements.length + 1; n < elements.length; n++) {
    if (elements[n] !== '') {
      walk.errors.push(elementError(segment, position, n, '3', `${segment.id} has ${elements.length - 1} elements, at most ${spec.elements.length} are defined`));
      break;
    }
  }
  for (let n = 1; n <= spec.elements.length; n++) {
    const elementSpec = spec.elements[n - 1]!;
    const value = elements[n] ?? '';
    if (value === '') {
      if (elementSpec.req === 'M') walk.errors.push(elementError(segment, position, n, '1', `mandatory ${elementSpec.ref} is missing`));
      continue;
    }
    const repetitions = delimiters.repetition !== undefined && value.includes(delimiters.repetition) ? value.split(delimiters.repetition) : [value];
    if (repetitions.length > (elementSpec.repeat ?? 1)) {
      walk.errors.push(elementError(segment, position, n, '12', `${elementSpec.ref} repeats ${repetitions.length} times, at most ${elementSpec.repeat ?? 1} allowed`));
      continue;
    }
    for (const repetition of repetitions) {
      if (elementSpec.components) validateComposite(walk, segment, position, n, elementSpec, repetition);
      else {
        const problem = checkValue(elementSpec, repetition);
        if (problem) walk.errors.push(elementError(segment, position, n, problem[0], `${elementSpec.ref} ${JSON.stringify(repetition)}: ${problem[1]}`));
      }
    }
  }
  for (const rule of spec.syntax ?? []) checkRule(walk, segment, position, rule.kind, rule.elements);
}

function validateComposite(walk: Walk, segment: Segment, position: number, n: number, spec: ElementSpec, value: string): void {
  const components = spec.components!;
  const parts = value.split(walk.delimiters.component);
  if (parts.length > components.length) {
    walk.errors.push(elementError(segment, position, n, '13', `${spec.ref} has ${parts.length} components, at most ${components.length} are defined`, components.length + 1));
    return;
  }
  for (let c = 1; c <= components.length; c++) {
    const componentSpec = components[c - 1]!;
    const part = parts[c - 1] ?? '';
    if (part === '') {
      if (componentSpec.req === 'M') walk.errors.push(elementError(segment, position, n, '1', `mandatory component ${componentSpec.ref} of ${spec.ref} is missing`, c));
      continue;
    }
    const problem = checkValue(componentSpec, part);
    if (problem) walk.errors.push(elementError(segment, position, n, problem[0], `${componentSpec.ref} ${JSON.stringify(part)}: ${problem[1]}`, c));
  }
}

/** [AK4 code, explanation] for a simple value, or undefined when it is valid. */
export function checkValue(spec: ElementSpec, value: string): [string, string] | undefined {
  let length = value.length;
  switch (spec.type) {
    case 'N0': case 'N1': case 'N2': case 'N3': case 'N4':
      if (!INTEGER.test(value)) return ['6', `not an implied-decimal number (${spec.type})`];
      if (value.startsWith('-')) length--;
      break;
    case 'R':
      if (!DECIMAL.test(value)) return ['6', 'not a decimal number'];
      length = value.replace(/[-.]/g, '').length;
      break;
    case 'DT':
      if (length > spec.max || length < spec.min) break;
      if (!(length === 8 ? validDate8(value) : length === 6 && validDate6(value))) return ['8', `not a valid ${length === 6 ? 'YYMMDD' : 'CCYYMMDD'} date`];
      break;
    case 'TM':
      if (length > spec.max || length < spec.min) break;
      if (!validTime(value)) return ['9', 'not a valid HHMM[SS[dd]] time'];
      break;
    default:
      break;
  }
  if (length < spec.min) return ['4', `shorter than ${spec.min}`];
  if (length > spec.max) return ['5', `longer than ${spec.max}`];
  if (spec.type === 'ID' && spec.codes && !spec.codes.includes(value)) return ['7', `not one of ${spec.codes.join(', ')}`];
  return undefined;
}

function checkRule(walk: Walk, segment: Segment, position: number, kind: 'P' | 'R' | 'E' | 'C' | 'L', elements: readonly number[]): void {
  const present = elements.filter((n) => (segment.elements[n] ?? '') !== '');
  const missing = elements.filter((n) => (segment.elements[n] ?? '') === '');
  const name = (n: number) => `${segment.id}${String(n).padStart(2, '0')}`;
  const list = elements.map(name).join(', ');
  const report = (n: number, code: string, message: string) => walk.errors.push(elementError(segment, position, n, code, message));
  switch (kind) {
    case 'P':
      if (present.length > 0 && missing.length > 0) report(missing[0]!, '2', `${list} must be used together`);
      break;
    case 'R':
      if (present.length === 0) report(elements[0]!, '2', `at least one of ${list} is required`);
      break;
    case 'E':
      if (present.length > 1) report(present[1]!, '10', `only one of ${list} may be used`);
      break;
    case 'C':
      if (present.includes(elements[0]!) && missing.length > 0) report(missing[0]!, '2', `${name(elements[0]!)} requires ${elements.slice(1).map(name).join(', ')}`);
      break;
    case 'L':
      if (present.includes(elements[0]!) && present.length === 1 && elements.length > 1) report(elements[1]!, '2', `${name(elements[0]!)} requires at least one of ${elements.slice(1).map(name).join(', ')}`);
      break;
  }
}
