/**
 * The hot path: text in, one segment at a time out. Knows delimiters, not envelopes.
 * Tolerates what real senders do around terminators: CR/LF, spaces and indentation after a terminator,
 * and line breaks inside segments (80-column wrapped files) when neither delimiter is a line break.
 */
import type { Delimiters, Segment } from './segments.ts';
import { DICTIONARY_SEGMENT_IDS } from './spec/dictionary.ts';

const LINE_BREAKS = /[\r\n]/;
const LINE_BREAKS_ALL = /[\r\n]+/g;

function escapeForClass(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A character that is neither printable ASCII nor one of the separators: when a segment has none, it has
 * no line breaks to remove and every element is within the X12 character sets (the validator skips them).
 */
function notPlain(delimiters: Delimiters): RegExp {
  const separators = [delimiters.element, delimiters.component, delimiters.repetition ?? ''].join('');
  return new RegExp(`[^\\x20-\\x7e${[...separators].map(escapeForClass).join('')}]`);
}

/**
 * Known segment ids, each mapped to itself as a string literal. V8 interns literals: two interned strings
 * compare by pointer and carry their hash, so once a freshly split id is swapped for its interned twin,
 * every later look at it (the reader's envelope checks, the validator's map lookups, the translators'
 * switches) is cheaper than comparing characters again.
 */
const INTERNED_IDS: ReadonlyMap<string, string> = new Map(
  ['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'TA1', ...DICTIONARY_SEGMENT_IDS].map((id) => [id, id]),
);

/** Strips a UTF-8 BOM; bytes are decoded as UTF-8 (offsets are then character offsets). */
export function decodeX12(raw: Uint8Array | string): string {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** space, tab, CR, LF, and the DOS end-of-file mark (Ctrl-Z) some senders still append */
export function isBreakOrBlank(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9 || code === 26;
}

export function skipBlanks(text: string, from: number): number {
  let p = from;
  while (p < text.length && isBreakOrBlank(text.charCodeAt(p))) p++;
  return p;
}

/**
 * A character outside printable ASCII and the separators, line breaks aside (they are looked for apart:
 * one follows every terminator in most files). Only used when the terminator is one character that is
 * not a line break or a blank, and line breaks are not data.
 */
function irregular(delimiters: Delimiters): RegExp {
  const separators = [delimiters.element, delimiters.component, delimiters.repetition ?? '', delimiters.segment].join('');
  return new RegExp(`[^\\x20-\\x7e\\r\\n${[...separators].map(escapeForClass).join('')}]`);
}

/** The offset of `character` at or after `from`, or Infinity. */
function nextOf(text: string, character: string, from: number): number {
  const at = text.indexOf(character, from);
  return at < 0 ? Infinity : at;
}

/** How much text one irregular-character search covers: bounded so a file of many interchanges stays linear. */
const PLAIN_SEARCH_CHUNK = 1 << 16;

export class SegmentScanner {
  /** where the next segment starts (before blanks); set it back to a segment's offset to read it again */
  pos: number;
  /** the last segment read ran to the end of the input without a terminator */
  unterminated = false;
  private readonly terminatorIsBreak: boolean;
  private readonly breaksAreData: boolean;
  private readonly notPlain: RegExp;
  private readonly irregular: RegExp | undefined;
  /**
   * [plainFrom, plainUntil) holds no irregular character; nextLf/nextCr are the next line breaks found
   * (-1 before the first search, Infinity when there is none).
   */
  private plainFrom = 0;
  private plainUntil = 0;
  private nextLf = -1;
  private nextCr = -1;

  constructor(
    private readonly text: string,
    private readonly delimiters: Delimiters,
    from: number,
  ) {
    this.pos = from;
    this.terminatorIsBreak = LINE_BREAKS.test(delimiters.segment);
    this.breaksAreData = this.terminatorIsBreak || LINE_BREAKS.test(delimiters.element);
    this.notPlain = notPlain(delimiters);
    this.irregular = delimiters.segment.length === 1 && !this.breaksAreData && !isBreakOrBlank(delimiters.segment.charCodeAt(0)) ? irregular(delimiters) : undefined;
  }

  /**
   * Whether the body text[start, end) holds only printable ASCII and separators (the same answer as
   * `notPlain`). A regex test per segment costs more in calls than scanning, so the text is searched a
   * stretch at a time for irregular characters, and line breaks are tracked with indexOf.
   */
  private isPlain(body: string, start: number, end: number): boolean {
    if (this.irregular === undefined) return !this.notPlain.test(body);
    if (start >= this.plainUntil) {
      const stretch = this.text.slice(start, start + PLAIN_SEARCH_CHUNK);
      const found = this.irregular.exec(stretch);
      this.plainFrom = start;
      this.plainUntil = start + (found ? found.index : stretch.length);
    }
    if (start < this.plainFrom || end > this.plainUntil || this.nextBreak(start) < end) return !this.notPlain.test(body);
    return true;
  }

  /** The offset of the next CR or LF at or after `from`, or Infinity. */
  private nextBreak(from: number): number {
    if (this.nextLf < from) this.nextLf = nextOf(this.text, '\n', from);
    if (this.nextCr < from) this.nextCr = nextOf(this.text, '\r', from);
    return Math.min(this.nextLf, this.nextCr);
  }

  next(): Segment | undefined {
    const text = this.text;
    const start = skipBlanks(text, this.pos);
    if (start >= text.length) {
      this.pos = start;
      return undefined;
    }
    let end = text.indexOf(this.delimiters.segment, start);
    this.unterminated = end < 0;
    if (end < 0) end = text.length;
    this.pos = end + this.delimiters.segment.length;
    let body = text.slice(start, end);
    const plain = this.isPlain(body, start, end);
    if (!plain) {
      if (this.terminatorIsBreak) {
        if (body.charCodeAt(body.length - 1) === 13) body = body.slice(0, -1);
      } else if (!this.breaksAreData && LINE_BREAKS.test(body)) {
        body = body.replace(LINE_BREAKS_ALL, '');
      }
    }
    if (this.unterminated) body = body.trimEnd();
    const elements = body.split(this.delimiters.element);
    const id = INTERNED_IDS.get(elements[0]!) ?? elements[0]!;
    elements[0] = id;
    return { id, elements, offset: start, plainElements: plain ? elements : undefined };
  }
}
