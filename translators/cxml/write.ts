/**
 * Plain string building for the cXML we produce (PERFORMANCE.md: a template string is 10× faster than
 * an XML builder): escaping, the document prolog and the Header.
 */
export const DEFAULT_CXML_VERSION = '1.2.069';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value escaped; characters XML cannot carry at all are dropped. */
export function esc(value: string): string {
  return value
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** ` name="value"` for each defined value, in the order given. */
export function attrs(values: Record<string, string | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out += ` ${name}="${esc(value)}"`;
  return out;
}

export function el(name: string, content: string | undefined, attributes: Record<string, string | undefined> = {}): string {
  if (content === undefined) return '';
  return `<${name}${attrs(attributes)}>${esc(content)}</${name}>`;
}

export function prolog(version: string, dtdFile = 'cXML.dtd'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/${esc(version)}/${dtdFile}">\n`;
}

export interface CxmlIdentity { domain: string; identity: string }

export function credential(id: CxmlIdentity, sharedSecret?: string): string {
  return `<Credential${attrs({ domain: id.domain })}>${el('Identity', id.identity)}${sharedSecret === undefined ? '' : el('SharedSecret', sharedSecret)}</Credential>`;
}

export function header(from: CxmlIdentity, to: CxmlIdentity, sender: CxmlIdentity, userAgent: string): string {
  return `<Header><From>${credential(from)}</From><To>${credential(to)}</To><Sender>${credential(sender)}${el('UserAgent', userAgent)}</Sender></Header>`;
}
