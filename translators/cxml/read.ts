/**
 * The safe cXML reader. Untrusted bytes go through checks on the raw text first (encoding declaration
 * against the bytes, invalid XML characters, DOCTYPE with an internal subset or repeated, any markup
 * declaration, entity references other than the five predefined ones and character references,
 * nesting depth, a second root, a root other than cXML), then XMLValidator.validate (fast-xml-parser
 * accepts malformed XML without it), then fast-xml-parser configured so values stay as sent: no
 * number coercion, no trimming, attributes kept, every element an array (so one repeated element is
 * never an object). The DTD named in DOCTYPE is never fetched: it is only read as a name. Plain
 * documents (plain-xml.ts) are read in one pass that accepts only what these checks accept and gives
 * the same nodes; anything else goes through them all.
 *
 * Every failure is a TranslationError whose code is the cXML status to answer (400, or 406 for a
 * well-formed document that is not a cXML envelope we can read).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TranslationError } from '../errors.ts';
import { all, attr, first, text, type XmlNode, type XmlValue } from './nodes.ts';
import { parsePlainXml } from './plain-xml.ts';

export interface ReadLimits {
  /** deepest element nesting accepted; cXML documents stay well under 40 */
  maxDepth?: number;
}

export interface CxmlCredential { domain: string; identity: string; sharedSecret?: string }

export interface CxmlDocument {
  payloadId: string;
  timestamp: string;
  version?: string;
  /** 'request' | 'response' | 'message' */
  kind: 'request' | 'response' | 'message';
  /** the element inside Request or Message (OrderRequest, InvoiceDetailRequest, ...); 'Response' for a Response */
  name: string;
  /** the element named by `name` */
  body: XmlNode;
  deploymentMode: 'production' | 'test';
  from: CxmlCredential[];
  to: CxmlCredential[];
  sender: CxmlCredential[];
  userAgent?: string;
  /** the DTD URL named in DOCTYPE, as text (never fetched) */
  dtd?: string;
  /** the cXML root element */
  root: XmlNode;
}

const DEFAULT_MAX_DEPTH = 64;
const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const SUPPORTED_ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1']);

// preserveOrder output is turned into nodes by toNodes below: fast-xml-parser's own object building
// tracks a path matcher and asks isArray for every element and attribute, about 20% of its parse time
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true, // decodes character references; named ones other than the XML five were refused before
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false, // callbacks get the matcher, not a path string built per tag
});

type OrderedNode = Record<string, unknown>;

/**
 * fast-xml-parser's preserveOrder output as the nodes the translators read, exactly as its object
 * output with `isArray` true for every element: each element an array of values; a value is the text
 * when the element has neither attributes nor children ('' when empty), else an object with its
 * '@attributes', child arrays and '#text' (all text pieces joined, kept only when not empty).
 */
function toNodes(ordered: OrderedNode[]): XmlNode {
  const out: XmlNode = {};
  let text: string | undefined;
  for (const child of ordered) {
    let name: string | undefined;
    for (const k in child) {
      if (k !== ':@') {
        name = k;
        break;
      }
    }
    if (name === undefined) continue;
    const value = child[name];
    if (name === '#text') {
      text = text === undefined ? String(value) : text + String(value);
      continue;
    }
    if (!value) continue;
    let node: XmlValue = toNodes(value as OrderedNode[]);
    const attrs = child[':@'] as Record<string, string> | undefined;
    if (attrs) Object.assign(node, attrs);
    else {
      const keys = Object.keys(node);
      if (keys.length === 0) node = '';
      else if (keys.length === 1 && node['#text'] !== undefined) node = node['#text'] as string;
    }
    if (Object.prototype.hasOwnProperty.call(out, name)) (out[name] as XmlValue[]).push(node);
    else out[name] = [node];
  }
  if (text !== undefined && text.length > 0) out['#text'] = text;
  return out;
}

function fail(message: string, path = '/', code = '400'): never {
  throw new TranslationError(code, message, [{ path, code, message }]);
}

/** Bytes to text, refusing encodings we do not read and declarations the bytes contradict. */
export function decodeXml(raw: Buffer): string {
  if (raw.length === 0) fail('empty body');
  if ((raw[0] === 0xfe && raw[1] === 0xff) || (raw[0] === 0xff && raw[1] === 0xfe) || raw[0] === 0 || raw[1] === 0) {
    fail('UTF-16 and UTF-32 are not accepted: send UTF-8');
  }
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  const head = raw.subarray(bom ? 3 : 0, Math.min(raw.length, 200)).toString('latin1');
  const decl = /^<\?xml\s[^>]*?\?>/.exec(head);
  const declared = decl ? /\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl[0])?.[1]?.toLowerCase() : undefined;
  if (declared !== undefined && !SUPPORTED_ENCODINGS.has(declared)) fail(`encoding "${declared}" is not accepted: send UTF-8`);
  const utf8 = declared === undefined || declared === 'utf-8' || declared === 'utf8';
  if (bom && !utf8) fail(`the bytes start with a UTF-8 byte-order mark but the declaration says "${declared}"`);
  const body = raw.subarray(bom ? 3 : 0);
  if (utf8) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      fail(`the bytes are not valid UTF-8 but the document ${declared ? 'declares' : 'implies (no encoding declared)'} UTF-8`);
    }
  }
  if ((declared === 'us-ascii' || declared === 'ascii') && body.some((b) => b > 0x7f)) fail('the document declares US-ASCII but holds bytes above 0x7F');
  return body.toString('latin1');
}

/** Characters XML does not allow, refused before either reading path runs. */
export const INVALID_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function checkReference(text: string, amp: number): void {
  const semi = text.indexOf(';', amp);
  const name = semi === -1 || semi - amp > 12 ? '' : text.slice(amp + 1, semi);
  if (PREDEFINED_ENTITIES.has(name)) return;
  const num = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
  if (num) {
    const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (ok) return;
    fail(`character reference &${name}; is not an XML character (line ${lineOf(text, amp)})`);
  }
  fail(`entity reference ${name ? `&${name};` : 'or bare "&"'} is not allowed (line ${lineOf(text, amp)}): only &amp; &lt; &gt; &quot; &apos; and character references`);
}


/**
 * One pass over the text: prolog rules, references, depth and the single cXML root. XMLValidator
 * checks well-formedness afterwards; this pass refuses what it would let through or what is hostile.
 */
function scanStructure(text: string, maxDepth: number): { dtd?: string } {
  let depth = 0;
  let rootSeen = false;
  let rootClosed = false;
  let dtd: string | undefined;
  let doctypes = 0;
  const n = text.length;
  // position of the next '&' at or after the scan, found once per '&' (an indexOf per text run would be quadratic)
  let amp = text.indexOf('&');
  const checkReferences = (from: number, to: number): void => {
    if (amp !== -1 && amp < from) amp = text.indexOf('&', from);
    while (amp !== -1 && amp < to) {
      checkReference(text, amp);
      amp = text.indexOf('&', amp + 1);
    }
  };
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? n : lt;
    if (depth === 0) {
      if (/\S/.test(text.slice(i, end))) fail(`text outside the root element (line ${lineOf(text, i)})`);
    } else {
      checkReferences(i, end);
    }
    if (lt === -1) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close === -1) fail('unterminated comment');
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (depth === 0) fail('CDATA outside the root element');
      const close = text.indexOf(']]>', lt + 9);
      if (close === -1) fail('unterminated CDATA section');
      i = close + 3;
    } else if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt + 2);
      if (close === -1) fail('unterminated processing instruction');
      if (lt > 0 && /^<\?xml[\s?]/i.test(text.slice(lt, lt + 6))) fail('XML declaration not at the start of the document');
      i = close + 2;
    } else if (text.startsWith('<!DOCTYPE', lt)) {
      doctypes++;
      if (doctypes > 1) fail('more than one DOCTYPE');
      if (rootSeen) fail('DOCTYPE after the root element');
      const close = text.indexOf('>', lt);
      if (close === -1) fail('unterminated DOCTYPE');
      const decl = text.slice(lt, close + 1);
      if (decl.includes('[')) fail('DOCTYPE with an internal subset is not accepted');
      const m = /^<!DOCTYPE\s+(\S+)\s+(?:SYSTEM\s+(["'])([^"']*)\2|PUBLIC\s+(["'])[^"']*\4\s+(["'])([^"']*)\5)\s*>$/.exec(decl);
      if (!m) fail('DOCTYPE is not of the form <!DOCTYPE cXML SYSTEM "...dtd">');
      if (m[1] !== 'cXML') fail(`DOCTYPE names root "${m[1]}", not cXML`);
      dtd = m[3] ?? m[6];
      i = close + 1;
    } else if (text.startsWith('<!', lt)) {
      fail(`markup declaration ${text.slice(lt, lt + 10).split(/\s/)[0]} is not accepted (line ${lineOf(text, lt)})`);
    } else if (text[lt + 1] === '/') {
      const close = text.indexOf('>', lt);
      if (close === -1) fail('unterminated end tag');
      depth--;
      if (depth === 0) rootClosed = true;
      i = close + 1;
    } else {
      let j = lt + 1;
      let quote = 0;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
          else if (c === 38) checkReference(text, j);
          else if (c === 60) fail(`"<" inside an attribute value (line ${lineOf(text, j)})`);
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62) break;
      }
      if (j >= n) fail('unterminated start tag');
      if (depth === 0) {
        if (rootSeen || rootClosed) fail(`a second root element (line ${lineOf(text, lt)})`);
        rootSeen = true;
        const name = /^<([^\s/>]+)/.exec(text.slice(lt, lt + 64))?.[1];
        if (name !== 'cXML') fail(`the root element is <${name}>, not <cXML>`);
      }
      if (text.charCodeAt(j - 1) !== 47) {
        depth++;
        if (depth > maxDepth) fail(`elements nested deeper than ${maxDepth} levels (line ${lineOf(text, lt)})`);
      } else if (depth === 0) rootClosed = true;
      i = j + 1;
    }
  }
  if (!rootSeen) fail('no root element');
  return { dtd };
}

/** Parses text already checked by the safe reader into nodes (every element an array): plain XML in one pass, anything else through every check. */
export function parseXml(text: string, maxDepth = DEFAULT_MAX_DEPTH): { root: XmlNode; dtd?: string } {
  const bad = INVALID_CHAR.exec(text);
  if (bad) fail(`invalid XML character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (line ${lineOf(text, bad.index)})`);
  return parsePlainXml(text, maxDepth) ?? parseXmlWithChecks(text, maxDepth);
}

/** The full path: the structure scan, XMLValidator, fast-xml-parser and toNodes; also the reference the plain pass is tested against. */
export function parseXmlWithChecks(text: string, maxDepth = DEFAULT_MAX_DEPTH): { root: XmlNode; dtd?: string } {
  const { dtd } = scanStructure(text, maxDepth);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) fail(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = toNodes(parser.parse(text) as OrderedNode[]);
  } catch (err) {
    fail(`malformed XML: ${(err as Error).message}`);
  }
  const root = (parsed.cXML as XmlNode[] | undefined)?.[0];
  if (!root || typeof root !== 'object') fail('the root element is not <cXML>');
  return { root, dtd };
}

function credentials(parent: XmlNode | undefined, path: string, withSecret: boolean): CxmlCredential[] {
  return all(parent, 'Credential').map((c, k) => {
    const domain = attr(c, 'domain');
    const identity = text(first(c, 'Identity'))?.trim();
    if (!domain || !identity) fail(`Credential without domain or Identity`, `${path}/Credential[${k + 1}]`, '406');
    const secret = withSecret ? first(c, 'SharedSecret') : undefined;
    return secret === undefined ? { domain, identity } : { domain, identity, sharedSecret: text(secret) ?? '' };
  });
}

/** Reads the cXML envelope: the raw bytes through every check, then payloadID, Header and the one request, response or message. */
export function readCxml(raw: Buffer | string, limits: ReadLimits = {}): CxmlDocument {
  const textValue = typeof raw === 'string' ? raw : decodeXml(raw);
  const { root, dtd } = parseXml(textValue, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  const payloadId = attr(root, 'payloadID');
  const timestamp = attr(root, 'timestamp');
  if (!payloadId) fail('cXML@payloadID is missing', '/cXML/@payloadID', '406');
  if (!timestamp) fail('cXML@timestamp is missing', '/cXML/@timestamp', '406');
  const header = first(root, 'Header');
  const request = all(root, 'Request');
  const response = all(root, 'Response');
  const message = all(root, 'Message');
  if (request.length + response.length + message.length !== 1) fail('cXML holds neither exactly one Request, one Response nor one Message', '/cXML', '406');
  const base = {
    payloadId, timestamp, version: attr(root, 'version'), dtd, root,
    from: credentials(first(header, 'From'), '/cXML/Header/From', false),
    to: credentials(first(header, 'To'), '/cXML/Header/To', false),
    sender: credentials(first(header, 'Sender'), '/cXML/Header/Sender', true),
    userAgent: text(first(first(header, 'Sender'), 'UserAgent'))?.trim(),
  };
  if (response.length === 1) return { ...base, kind: 'response', name: 'Response', body: response[0]!, deploymentMode: 'production' };
  if (!header) fail('cXML Header is missing', '/cXML/Header', '406');
  const wrapper = (request[0] ?? message[0])!;
  const kind = request.length === 1 ? 'request' : 'message';
  const names = Object.keys(wrapper).filter((k) => !k.startsWith('@') && k !== '#text');
  if (names.length !== 1 || all(wrapper, names[0]!).length !== 1) {
    fail(`${kind === 'request' ? 'Request' : 'Message'} must hold exactly one document`, `/cXML/${kind === 'request' ? 'Request' : 'Message'}`, '406');
  }
  const mode = attr(wrapper, 'deploymentMode') ?? 'production';
  if (mode !== 'production' && mode !== 'test') fail(`deploymentMode "${mode}" is neither production nor test`, '/cXML/Request/@deploymentMode', '406');
  return { ...base, kind, name: names[0]!, body: first(wrapper, names[0]!)!, deploymentMode: mode };
}
