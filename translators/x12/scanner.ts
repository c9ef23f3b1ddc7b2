/**
 * The hot path: text in, one segment at a time out. Knows delimiters, not envelopes.
 * Tolerates what real senders do around terminators: CR/LF, spaces and indentation after a terminator,
 * and line breaks inside segments (80-column wrapped files) when neither delimiter is a line break.
 */
import type { Delimiters, Segment } from './segments.ts';

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

export class SegmentScanner {
  /** where the next segment starts (before blanks); set it back to a segment's offset to read it again */
  pos: number;
  /** the last segment read ran to the end of the input without a terminator */
  unterminated = false;
  private readonly terminatorIsBreak: boolean;
  private readonly breaksAreData: boolean;
  private readonly notPlain: RegExp;

  constructor(
    private readonly text: string,
    private readonly delimiters: Delimiters,
    from: number,
  ) {
    this.pos = from;
    this.terminatorIsBreak = LINE_BREAKS.test(delimiters.segment);
    this.breaksAreData = this.terminatorIsBreak || LINE_BREAKS.test(delimiters.element);
    this.notPlain = notPlain(delimiters);
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
    const plain = !this.notPlain.test(body);
    if (!plain) {
      if (this.terminatorIsBreak) {
        if (body.charCodeAt(body.length - 1) === 13) body = body.slice(0, -1);
      } else if (!this.breaksAreData && LINE_BREAKS.test(body)) {
        body = body.replace(LINE_BREAKS_ALL, '');
      }
    }
    if (this.unterminated) body = body.trimEnd();
    const elements = body.split(this.delimiters.element);
    return { id: elements[0]!, elements, offset: start, plainElements: plain ? elements : undefined };
  }
}
