// The one-pass reader of plain XML (translators/cxml/plain-xml.ts) against the full path (structure
// scan, XMLValidator, fast-xml-parser, toNodes): whatever the plain pass accepts, the full path accepts
// too and gives the same nodes, key order included. Real documents, edge cases and mutations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePlainXml } from '../translators/cxml/plain-xml.ts';
import { INVALID_CHAR, parseXmlWithChecks } from '../translators/cxml/read.ts';
import { invoiceWithLines } from '../bench/cxml-invoice.ts';
import { corpusDir, fixture } from './cxml-helpers.ts';

const MAX_DEPTH = 64;

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? xmlFiles(path) : name.endsWith('.xml') ? [path] : [];
  });
}

const corpus = corpusDir();
const documents = [
  fixture('invoice-credit-memo.xml').toString('utf8'),
  fixture('ship-notice-lots.xml').toString('utf8'),
  invoiceWithLines(20),
  ...(corpus ? xmlFiles(join(corpus, 'cxml')).map((f) => readFileSync(f, 'utf8')) : []),
];

/** Whether the plain pass read the text; when it did, the full path must give the same nodes. */
function agree(text: string): boolean {
  const plain = parsePlainXml(text, MAX_DEPTH);
  if (plain === undefined) return false;
  const full = parseXmlWithChecks(text, MAX_DEPTH);
  assert.equal(JSON.stringify(plain), JSON.stringify(full));
  return true;
}

function fullPathAccepts(text: string): boolean {
  try {
    parseXmlWithChecks(text, MAX_DEPTH);
    return true;
  } catch {
    return false;
  }
}

test('plain XML: real documents the full path reads are read in one pass, with the same nodes', () => {
  for (const doc of documents) assert.equal(agree(doc), fullPathAccepts(doc));
});

const WRAP = (inner: string, attrs = ''): string => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.069/cXML.dtd">\n<cXML payloadID="p1" timestamp="t"${attrs}><Request>${inner}</Request></cXML>\n`;

// read in one pass (and identical to the full path)
const PLAIN = [
  WRAP('<X a="007">  <Y/><Y> 0012 </Y><Y b="2"/><Y b="3">u</Y>mid<![CDATA[c&d]]><!-- note --><Z>&amp;&#65;&lt;</Z> tail </X>'),
  WRAP('<X a="&amp;lt;" b=\'q"q\' c = "1>2" d="&#x41;&#10;">&amp;lt; &amp;amp; &#x1F600; &#0065; &quot;&apos;&gt;</X>'),
  WRAP('<X>a\r\nb\rc</X>', ' x="1\r\n2"'),
  WRAP('<X><![CDATA[]]><![CDATA[<a>]]>]]&gt;</X>'),
  WRAP('<a:X xmlns:a="u"><a:Y/></a:X>'),
  WRAP(`${'<a>'.repeat(62)}${'</a>'.repeat(62)}`),
  `<?xml version="1.0" standalone='yes' ?><cXML a="1"><b/></cXML><!-- after -->`,
];
// left to the full path, which reads or refuses them
const OTHER = [
  WRAP('<X>&#X41;</X>'), WRAP('<X>a]]>b</X>'), WRAP('<X b="1"c="2"/>'), WRAP('<X b="1" b="2"/>'), WRAP('<X b/>'), WRAP('<X></X ><Y></Y>'),
  WRAP('<constructor/>'), WRAP('<hasOwnProperty/>'), WRAP('<toString>x</toString>'), WRAP('<X __proto__="1"/>'), WRAP('<X constructor="1"/>'),
  WRAP('<X><!-- a -- b --></X>'), WRAP('<X><!-- a ---></X>'), WRAP('<X><?pi x?></X>'),
  WRAP('<X>&nbsp;</X>'), WRAP('<X>&#0;</X>'), WRAP('<X>a & b</X>'), WRAP(`${'<a>'.repeat(63)}${'</a>'.repeat(63)}`),
  '<cXML payloadID="p" timestamp="t"/>', '<cXML></cXML>', '<cXML>text</cXML>', ' <cXML a="1"/>',
  `<?xml version="1.0"?><!DOCTYPE cXML PUBLIC "-//x" "c.dtd"><cXML a="1"/>`,
  `<?xml version="1.0"?><!DOCTYPE cXML SYSTEM "c[1].dtd"><cXML a="1"><b/></cXML>`,
  `<!DOCTYPE cXML SYSTEM "a.dtd"><!DOCTYPE cXML SYSTEM "a.dtd"><cXML><b/></cXML>`,
  `<cXML><b/></cXML><cXML><b/></cXML>`, `<cXML><b/></cXML>x`, `\uFEFF<cXML><b/></cXML>`,
];

test('plain XML: edge cases are read as the full path reads them, or left to it', () => {
  for (const text of PLAIN) assert.equal(agree(text), true, text);
  for (const text of OTHER) assert.equal(agree(text), false, text);
});

const injections = ['<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '&amp;', '&#65;', '&#x10FFFF;', '<![CDATA[x]]>', '</cXML>', '<cXML>', '<?xml version="1.0"?>', '<a b="1" b="2"/>', '<a b=\'1\'/>', '"', "'", '<', '>', '/', '=', ' ', '\r\n', '<!-- c -->', '<__proto__ x="1"/>', 'constructor', '\uFEFF', 'é', '\u{1F600}'];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...injections), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
);

test('plain XML: mutated documents the plain pass accepts are accepted by the full path with the same nodes', () => {
  fc.assert(fc.property(fc.constantFrom(...documents.slice(0, 3)), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, steps) => {
    let text = seed;
    for (const m of steps) {
      const at = m.at % (text.length + 1);
      if (m.kind === 'drop') text = text.slice(0, at) + text.slice(at + m.length);
      else if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at);
      else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
    }
    if (!INVALID_CHAR.test(text)) agree(text);
  }), { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? 20261123) });
});
