/**
 * Validates a transaction set's segments (ST..SE) against its declarative TransactionSpec: segment order,
 * mandatory and repeated segments and loops, unexpected segments, then every element (presence, length,
 * type, code values, composites, repetitions, syntax rules). Each problem is a DocumentError with the
 * segment id, its 1-based position (ST = 1), element and component positions, and the AK3/IK3 code
 * (no `element`) or AK4/IK4 code (with `element`).
 */
import type { DocumentError } from '../types.ts';
import type { Delimiters, Segment } from './segments.ts';
import type { ElementSpec, LoopSpec, SegmentSpec, SyntaxRule, TransactionSpec } from './spec/types.ts';
import { validDate6, validDate8, validTime } from './datetime.ts';

type Node = SegmentSpec | LoopSpec;

/** A node list (a transaction body or a loop's children) compiled once for the walk. */
interface Sequence {
  nodes: readonly Node[];
  /** the segment id that starts each node (a segment's id, a loop's first child's) */
  triggers: readonly string[];
  /** segment id → the indexes of the nodes it starts (a segment, or a loop by its first child), ascending */
  byId: ReadonlyMap<string, readonly number[]>;
  /** the compiled children of each loop node */
  loops: ReadonlyArray<Sequence | undefined>;
  /** the compiled elements of each segment node */
  segments: ReadonlyArray<CompiledSegment | undefined>;
  /** indexes of the mandatory nodes, ascending (the only ones a missing-node check needs to look at) */
  mandatory: readonly number[];
  /** a zero count per node: each walk of the sequence starts from a copy (a copy is cheaper than a fill) */
  zeroCounts: readonly number[];
}

interface CompiledElement {
  spec: ElementSpec;
  /** spec.codes as a set */
  codes?: ReadonlySet<string>;
  components?: readonly CompiledElement[];
}

interface CompiledRule extends SyntaxRule {
  /** the lowest element position the rule names: a P, E, C or L rule holds when the segment ends before it */
  lowest: number;
}

interface CompiledSegment {
  spec: SegmentSpec;
  elements: readonly CompiledElement[];
  /** 1-based positions of the mandatory elements, ascending */
  mandatory: readonly number[];
  rules: readonly CompiledRule[];
}

interface Walk {
  segments: readonly Segment[];
  /** index of the next segment to read; the body ends before `end` (SE) */
  i: number;
  end: number;
  errors: DocumentError[];
  delimiters: Delimiters;
  knownIds: ReadonlySet<string>;
}

/** An enclosing level of the walk: its sequence, where it stands, and the level enclosing it (a chain, no list per loop). */
interface Level {
  sequence: Sequence;
  pos: number;
  outer: Level | undefined;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;

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

function compileElement(spec: ElementSpec): CompiledElement {
  return {
    spec,
    ...(spec.codes ? { codes: new Set(spec.codes) } : {}),
    ...(spec.components ? { components: spec.components.map(compileElement) } : {}),
  };
}

function compileSegment(spec: SegmentSpec): CompiledSegment {
  const mandatory: number[] = [];
  spec.elements.forEach((element, i) => {
    if (element.req === 'M') mandatory.push(i + 1);
  });
  const rules = (spec.syntax ?? []).map((rule) => ({ ...rule, lowest: Math.min(...rule.elements) }));
  return { spec, elements: spec.elements.map(compileElement), mandatory, rules };
}

function compileSequence(nodes: readonly Node[]): Sequence {
  const byId = new Map<string, number[]>();
  nodes.forEach((node, k) => {
    const id = triggerId(node);
    const list = byId.get(id);
    if (list) list.push(k);
    else byId.set(id, [k]);
  });
  return {
    nodes,
    triggers: nodes.map(triggerId),
    byId,
    loops: nodes.map((node) => (node.kind === 'loop' ? compileSequence(node.children) : undefined)),
    segments: nodes.map((node) => (node.kind === 'segment' ? compileSegment(node) : undefined)),
    mandatory: nodes.flatMap((node, k) => (node.req === 'M' ? [k] : [])),
    zeroCounts: nodes.map(() => 0),
  };
}

const compiled = new WeakMap<TransactionSpec, { body: Sequence; knownIds: ReadonlySet<string> }>();

function compiledSpec(spec: TransactionSpec): { body: Sequence; knownIds: ReadonlySet<string> } {
  let entry = compiled.get(spec);
  if (!entry) compiled.set(spec, (entry = { body: compileSequence(spec.body), knownIds: collectIds(spec.body, new Set(['ST', 'SE'])) }));
  return entry;
}

/** Index of the first character outside what X12 allows in data (the basic and extended sets: printable ASCII, and Latin-1), or -1. */
function outsideCharacterSets(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c > 0x7e && (c < 0xa0 || c > 0xff))) return i;
  }
  return -1;
}

export function validateTransaction(segments: readonly Segment[], spec: TransactionSpec, delimiters: Delimiters): DocumentError[] {
  const { body, knownIds } = compiledSpec(spec);
  const last = segments[segments.length - 1];
  const end = last?.id === 'SE' ? segments.length - 1 : segments.length;
  const walk: Walk = { segments, i: 1, end, errors: [], delimiters, knownIds };
  if (segments[0]) checkCharacters(walk, segments[0], 0);
  walkSequence(walk, body, 0, undefined);
  if (last?.id === 'SE') checkCharacters(walk, last, segments.length - 1);
  return walk.errors;
}

/** The first node at or after `from` that `id` starts and that is not used up; else the first used-up one; else -1. */
function findForward(sequence: Sequence, from: number, id: string, counts: readonly number[] | undefined): number {
  // the usual case, a segment repeating or a loop starting again where the walk stands, without the map lookup
  if (sequence.triggers[from] === id && !(counts && counts[from]! >= sequence.nodes[from]!.max)) return from;
  const candidates = sequence.byId.get(id);
  if (candidates === undefined) return -1;
  let fallback = -1;
  for (let c = 0; c < candidates.length; c++) {
    const k = candidates[c]!;
    if (k < from) continue;
    if (counts && counts[k]! >= sequence.nodes[k]!.max) {
      if (fallback < 0) fallback = k;
      continue;
    }
    return k;
  }
  return fallback;
}

function startedByEnclosing(enclosing: Level | undefined, id: string): boolean {
  for (let level = enclosing; level; level = level.outer) if (findForward(level.sequence, level.pos, id, undefined) >= 0) return true;
  return false;
}

/** Reads segments into `sequence` (a transaction body or a loop's children) until one belongs to an enclosing level. */
function walkSequence(walk: Walk, sequence: Sequence, start: number, enclosing: Level | undefined, startCounts?: number[]): void {
  const { nodes } = sequence;
  const inLoop = startCounts !== undefined;
  const counts = startCounts ?? sequence.zeroCounts.slice();
  let pos = start;
  while (walk.i < walk.end) {
    const segment = walk.segments[walk.i]!;
    const position = walk.i + 1;
    // inside a loop, its trigger segment starts the next occurrence (found by the enclosing level)
    const k = findForward(sequence, inLoop && counts[0]! > 0 ? Math.max(pos, 1) : pos, segment.id, counts);
    if (k >= 0) {
      if (k > pos) reportMissing(walk, sequence, counts, pos, k, segment, position);
      pos = k;
      const node = nodes[k]!;
      counts[k]!++;
      if (node.kind === 'segment') {
        if (counts[k]! > node.max) walk.errors.push(segmentError(segment, position, '5', `${segment.id} is used more than ${node.max} time${node.max === 1 ? '' : 's'}`));
        validateElements(walk, segment, sequence.segments[k]!, position);
        walk.i++;
      } else {
        if (counts[k]! > node.max) walk.errors.push(segmentError(segment, position, '4', `loop ${node.id} occurs more than ${node.max} times`));
        const loop = sequence.loops[k]!;
        // the trigger segment is read by the loop itself, as its first child
        walkSequence(walk, loop, 0, { sequence, pos: k, outer: enclosing }, loop.zeroCounts.slice());
      }
      continue;
    }
    if (startedByEnclosing(enclosing, segment.id)) break;
    walk.errors.push(unplaced(walk, sequence, pos, segment, position));
    walk.i++;
  }
  const at = walk.segments[walk.i] ?? walk.segments[walk.segments.length - 1];
  if (at) reportMissing(walk, sequence, counts, pos, nodes.length, at, Math.min(walk.i + 1, walk.segments.length));
}

function reportMissing(walk: Walk, sequence: Sequence, counts: readonly number[], from: number, to: number, at: Segment, position: number): void {
  const { mandatory } = sequence;
  for (let i = 0; i < mandatory.length; i++) {
    const m = mandatory[i]!;
    if (m < from) continue;
    if (m >= to) break;
    const node = sequence.nodes[m]!;
    if (counts[m] === 0) {
      const id = triggerId(node);
      walk.errors.push({ segment: id, position, code: '3', message: `mandatory ${node.kind === 'loop' ? `loop ${node.id} (segment ${id})` : `segment ${id}`} is missing before ${at.id} at position ${position}` });
    }
  }
}

function unplaced(walk: Walk, sequence: Sequence, pos: number, segment: Segment, position: number): DocumentError {
  const id = segment.id;
  if (!SEGMENT_ID.test(id)) return segmentError(segment, position, '1', `${JSON.stringify(id.slice(0, 20))} is not a segment id`);
  if (!walk.knownIds.has(id)) return segmentError(segment, position, '6', `${id} is not part of this transaction set`);
  if ((sequence.byId.get(id)?.[0] ?? pos) < pos) return segmentError(segment, position, '7', `${id} is out of sequence`);
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
  if (segment.plainElements === elements) return false;
  let bad = false;
  for (let n = 1; n < elements.length; n++) {
    const value = elements[n]!;
    const at = outsideCharacterSets(value);
    if (at >= 0) {
      walk.errors.push(elementError(segment, index + 1, n, '6', `${segment.id}${String(n).padStart(2, '0')} holds the character U+${value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}, outside the X12 character sets`));
      bad = true;
    }
  }
  return bad;
}

function validateElements(walk: Walk, segment: Segment, compiledSegment: CompiledSegment, position: number): void {
  const { delimiters } = walk;
  const defined = compiledSegment.elements;
  const elements = segment.elements;
  if (checkCharacters(walk, segment, position - 1)) return;
  for (let n = defined.length + 1; n < elements.length; n++) {
    if (elements[n] !== '') {
      walk.errors.push(elementError(segment, position, n, '3', `${segment.id} has ${elements.length - 1} elements, at most ${defined.length} are defined`));
      break;
    }
  }
  const repetition = delimiters.repetition;
  // elements past the segment's end are absent: only the mandatory ones among them need a look (below)
  const last = Math.min(defined.length, elements.length - 1);
  for (let n = 1; n <= last; n++) {
    const element = defined[n - 1]!;
    const elementSpec = element.spec;
    const value = elements[n] ?? '';
    if (value === '') {
      if (elementSpec.req === 'M') walk.errors.push(elementError(segment, position, n, '1', `mandatory ${elementSpec.ref} is missing`));
      continue;
    }
    if (repetition !== undefined && value.includes(repetition)) {
      const repetitions = value.split(repetition);
      if (repetitions.length > (elementSpec.repeat ?? 1)) {
        walk.errors.push(elementError(segment, position, n, '12', `${elementSpec.ref} repeats ${repetitions.length} times, at most ${elementSpec.repeat ?? 1} allowed`));
        continue;
      }
      for (const one of repetitions) validateValue(walk, segment, position, n, element, one);
    } else {
      validateValue(walk, segment, position, n, element, value);
    }
  }
  const mandatory = compiledSegment.mandatory;
  for (let m = 0; m < mandatory.length; m++) {
    const n = mandatory[m]!;
    if (n > last) walk.errors.push(elementError(segment, position, n, '1', `mandatory ${defined[n - 1]!.spec.ref} is missing`));
  }
  const rules = compiledSegment.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (rule.kind !== 'R' && rule.lowest >= elements.length) continue;
    checkRule(walk, segment, position, rule.kind, rule.elements);
  }
}

function validateValue(walk: Walk, segment: Segment, position: number, n: number, element: CompiledElement, value: string): void {
  if (element.components) {
    validateComposite(walk, segment, position, n, element, value);
    return;
  }
  const problem = checkValue(element.spec, value, element.codes);
  if (problem) walk.errors.push(elementError(segment, position, n, problem[0], `${element.spec.ref} ${JSON.stringify(value)}: ${problem[1]}`));
}

function validateComposite(walk: Walk, segment: Segment, position: number, n: number, element: CompiledElement, value: string): void {
  const spec = element.spec;
  const components = element.components!;
  const parts = value.split(walk.delimiters.component);
  if (parts.length > components.length) {
    walk.errors.push(elementError(segment, position, n, '13', `${spec.ref} has ${parts.length} components, at most ${components.length} are defined`, components.length + 1));
    return;
  }
  for (let c = 1; c <= components.length; c++) {
    const component = components[c - 1]!;
    const part = parts[c - 1] ?? '';
    if (part === '') {
      if (component.spec.req === 'M') walk.errors.push(elementError(segment, position, n, '1', `mandatory component ${component.spec.ref} of ${spec.ref} is missing`, c));
      continue;
    }
    const problem = checkValue(component.spec, part, component.codes);
    if (problem) walk.errors.push(elementError(segment, position, n, problem[0], `${component.spec.ref} ${JSON.stringify(part)}: ${problem[1]}`, c));
  }
}

/** The digits of an X12 Nn value (optional '-', digits), or -1 when it is not one. */
function integerDigits(value: string): number {
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  if (i === value.length) return -1;
  for (let p = i; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (c < 48 || c > 57) return -1;
  }
  return value.length - i;
}

/** The digits of an X12 R value (optional '-', digits with at most one '.', at least one digit), or -1 when it is not one. */
function decimalDigits(value: string): number {
  let digits = 0;
  let point = false;
  for (let p = value.charCodeAt(0) === 45 ? 1 : 0; p < value.length; p++) {
    const c = value.charCodeAt(p);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !point) point = true;
    else return -1;
  }
  return digits > 0 ? digits : -1;
}

/** [AK4 code, explanation] for a simple value, or undefined when it is valid. */
function checkValue(spec: ElementSpec, value: string, codes: ReadonlySet<string> | undefined): [string, string] | undefined {
  let length = value.length;
  switch (spec.type) {
    case 'N0': case 'N1': case 'N2': case 'N3': case 'N4':
      length = integerDigits(value);
      if (length < 0) return ['6', `not an implied-decimal number (${spec.type})`];
      break;
    case 'R':
      length = decimalDigits(value);
      if (length < 0) return ['6', 'not a decimal number'];
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
  if (codes !== undefined && spec.type === 'ID' && !codes.has(value)) return ['7', `not one of ${spec.codes!.join(', ')}`];
  return undefined;
}

function present(segment: Segment, n: number): boolean {
  const value = segment.elements[n];
  return value !== undefined && value !== '';
}

function elementName(segment: Segment, n: number): string {
  return `${segment.id}${String(n).padStart(2, '0')}`;
}

function elementList(segment: Segment, elements: readonly number[]): string {
  return elements.map((n) => elementName(segment, n)).join(', ');
}

/** A syntax-note violation, unless an earlier note already reported the same code on the same element of this segment (one AK4 each). */
function reportRule(walk: Walk, segment: Segment, position: number, element: number, code: string, message: string): void {
  for (let e = walk.errors.length - 1; e >= 0; e--) {
    const earlier = walk.errors[e]!;
    if (earlier.position !== position) break;
    if (earlier.element === element && earlier.code === code && earlier.component === undefined) return;
  }
  walk.errors.push(elementError(segment, position, element, code, message));
}

function checkRule(walk: Walk, segment: Segment, position: number, kind: 'P' | 'R' | 'E' | 'C' | 'L', elements: readonly number[]): void {
  let presentCount = 0;
  let firstMissing = -1;
  let secondPresent = -1;
  for (let e = 0; e < elements.length; e++) {
    const n = elements[e]!;
    if (present(segment, n)) {
      presentCount++;
      if (presentCount === 2) secondPresent = n;
    } else if (firstMissing < 0) firstMissing = n;
  }
  const firstPresent = present(segment, elements[0]!);
  switch (kind) {
    case 'P':
      if (presentCount > 0 && firstMissing >= 0) reportRule(walk, segment, position, firstMissing, '2', `${elementList(segment, elements)} must be used together`);
      break;
    case 'R':
      if (presentCount === 0) reportRule(walk, segment, position, elements[0]!, '2', `at least one of ${elementList(segment, elements)} is required`);
      break;
    case 'E':
      if (presentCount > 1) reportRule(walk, segment, position, secondPresent, '10', `only one of ${elementList(segment, elements)} may be used`);
      break;
    case 'C':
      if (firstPresent && firstMissing >= 0) reportRule(walk, segment, position, firstMissing, '2', `${elementName(segment, elements[0]!)} requires ${elementList(segment, elements.slice(1))}`);
      break;
    case 'L':
      if (firstPresent && presentCount === 1 && elements.length > 1) reportRule(walk, segment, position, elements[1]!, '2', `${elementName(segment, elements[0]!)} requires at least one of ${elementList(segment, elements.slice(1))}`);
      break;
  }
}
