/**
 * One pass from text to the reader's nodes for the plain XML that cXML documents are in practice:
 * elements with ASCII names, quoted attributes, text, the five predefined entities and character
 * references, CDATA, comments, an XML declaration at the start and one external DOCTYPE before the
 * root. Anything else (a processing instruction, an unusual name, a duplicate attribute, a close tag
 * with spaces, a name fast-xml-parser treats as dangerous, nesting past the limit ...) returns
 * undefined and the full path in read.ts decides, with its own checks and messages. So this pass
 * accepts only documents the full path accepts, and gives the nodes it would give (the differential
 * test in test/cxml-plain-xml.test.ts holds it to that); it replaces the structure scan,
 * XMLValidator.validate, fast-xml-parser's parse and toNodes, four passes over text and tree.
 */
import type { XmlNode, XmlValue } from './nodes.ts';

const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y;
const XML_DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]\1(?:\s+encoding\s*=\s*(["'])[A-Za-z0-9._-]+\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;
const DOCTYPE = /^<!DOCTYPE\s+(\S+)\s+(?:SYSTEM\s+(["'])([^"']*)\2|PUBLIC\s+(["'])[^"']*\4\s+(["'])([^"']*)\5)\s*>$/;
const CHARACTER_REFERENCE = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// names fast-xml-parser refuses or renames (its criticalProperties and DANGEROUS_PROPERTY_NAMES)
const SPECIAL_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** The rest of the pass is skipped: the full path reads the document. */
class NotPlain extends Error {}
const notPlain = new NotPlain();

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

function readName(text: string, at: number): string {
  NAME.lastIndex = at;
  const m = NAME.exec(text);
  if (!m || SPECIAL_NAMES.has(m[0])) throw notPlain;
  return m[0];
}

/** Entity and character references decoded; any other '&' is not plain. */
function decode(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp);
    if (semi === -1 || semi - amp > 12) throw notPlain;
    const name = raw.slice(amp + 1, semi);
    let value = PREDEFINED[name];
    if (value === undefined || !Object.prototype.hasOwnProperty.call(PREDEFINED, name)) {
      const num = CHARACTER_REFERENCE.exec(name);
      if (!num) throw notPlain;
      const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
      const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!ok) throw notPlain;
      value = String.fromCodePoint(cp);
    }
    out += raw.slice(from, amp) + value;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function skipComment(text: string, lt: number): number {
  const close = text.indexOf('-->', lt + 4);
  if (close === -1) throw notPlain;
  const body = text.slice(lt + 4, close);
  if (body.includes('--') || body.endsWith('-')) throw notPlain;
  return close + 3;
}

interface Open { name: string; children: XmlNode; text: string; attrs: Array<[string, string]> | undefined }

/** The element's node as toNodes in read.ts builds it: children, then '#text', then attributes; text-only or empty without attributes collapses to a string. */
function close(open: Open): XmlValue {
  const node = open.children;
  if (open.text.length > 0) node['#text'] = open.text;
  if (open.attrs) {
    for (const [k, v] of open.attrs) node[k] = v;
    return node;
  }
  let keys = 0;
  for (const k in node) if (k !== '#text' || ++keys > 1) return node;
  return keys === 0 ? '' : open.text;
}

function add(parent: XmlNode, name: string, node: XmlValue): void {
  const list = parent[name] as XmlValue[] | undefined;
  if (list && Object.prototype.hasOwnProperty.call(parent, name)) list.push(node);
  else parent[name] = [node];
}

/** Reads one start tag from '<' on: its name, attributes ('@name' keys) and whether it closes itself. */
function startTag(text: string, lt: number): { name: string; attrs?: Array<[string, string]>; end: number; empty: boolean } {
  const name = readName(text, lt + 1);
  let i = lt + 1 + name.length;
  let attrs: Array<[string, string]> | undefined;
  for (;;) {
    const spaced = isSpace(text.charCodeAt(i));
    while (isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 62) return { name, attrs, end: i + 1, empty: false };
    if (c === 47) {
      if (text.charCodeAt(i + 1) !== 62) throw notPlain;
      return { name, attrs, end: i + 2, empty: true };
    }
    if (!spaced) throw notPlain;
    const key = `@${readName(text, i)}`;
    i += key.length - 1;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 61) throw notPlain;
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw notPlain;
    const endQuote = text.indexOf(quote, i + 1);
    if (endQuote === -1) throw notPlain;
    const raw = text.slice(i + 1, endQuote);
    if (raw.includes('<')) throw notPlain;
    attrs ??= [];
    if (attrs.some(([k]) => k === key)) throw notPlain;
    attrs.push([key, decode(raw)]);
    i = endQuote + 1;
  }
}

function parse(text: string, maxDepth: number): { root: XmlNode; dtd?: string } | undefined {
  const n = text.length;
  let i = 0;
  const decl = XML_DECLARATION.exec(text);
  if (decl) i = decl[0].length;
  let dtd: string | undefined;
  let doctype = false;
  let root: XmlValue | undefined;
  const stack: Open[] = [];
  // the prolog and what follows the root: only spaces, comments, and before the root one DOCTYPE
  const outside = (): void => {
    for (;;) {
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i >= n || !text.startsWith('<!', i)) return;
      if (text.startsWith('<!--', i)) i = skipComment(text, i);
      else if (!doctype && root === undefined && text.startsWith('<!DOCTYPE', i)) {
        const end = text.indexOf('>', i);
        const m = end === -1 ? null : DOCTYPE.exec(text.slice(i, end + 1));
        if (!m || m[1] !== 'cXML' || m[0].includes('[')) throw notPlain;
        doctype = true;
        dtd = m[3] ?? m[6];
        i = end + 1;
      } else throw notPlain;
    }
  };
  outside();
  if (text[i] !== '<') throw notPlain;
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (root !== undefined) break;
      const tag = startTag(text, i);
      if (tag.name !== 'cXML' || tag.empty) throw notPlain;
      stack.push({ name: tag.name, children: {}, text: '', attrs: tag.attrs });
      i = tag.end;
      continue;
    }
    const lt = text.indexOf('<', i);
    if (lt === -1) throw notPlain;
    if (lt > i) {
      const run = text.slice(i, lt);
      if (run.includes(']]>')) throw notPlain;
      top.text += decode(run);
    }
    if (text.charCodeAt(lt + 1) === 47) {
      const end = lt + 2 + top.name.length;
      if (text.charCodeAt(end) !== 62 || !text.startsWith(top.name, lt + 2)) throw notPlain;
      stack.pop();
      const node = close(top);
      const parent = stack[stack.length - 1];
      if (parent) add(parent.children, top.name, node);
      else root = node;
      i = end + 1;
    } else if (text.startsWith('<!--', lt)) i = skipComment(text, lt);
    else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end === -1) throw notPlain;
      top.text += text.slice(lt + 9, end);
      i = end + 3;
    } else if (text.charCodeAt(lt + 1) === 33 || text.charCodeAt(lt + 1) === 63) throw notPlain;
    else {
      const tag = startTag(text, lt);
      if (tag.empty) add(top.children, tag.name, close({ name: tag.name, children: {}, text: '', attrs: tag.attrs }));
      else {
        if (stack.length + 1 > maxDepth) throw notPlain;
        stack.push({ name: tag.name, children: {}, text: '', attrs: tag.attrs });
      }
      i = tag.end;
    }
  }
  outside();
  if (i < n || typeof root !== 'object') throw notPlain;
  return { root, dtd };
}

/** The document's root node and DOCTYPE's DTD when the text is plain XML (see above), else undefined. */
export function parsePlainXml(text: string, maxDepth: number): { root: XmlNode; dtd?: string } | undefined {
  try {
    return parse(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text, maxDepth);
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}
