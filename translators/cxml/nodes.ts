/**
 * Navigation over fast-xml-parser output as the safe reader configures it: every element is an array
 * of nodes, a node is a string (text-only element without attributes) or an object with '@name'
 * attributes, '#text' and child arrays.
 */
export type XmlValue = string | XmlNode;
export interface XmlNode { [key: string]: unknown }

function children(node: XmlValue | undefined, name: string): XmlValue[] {
  if (node === undefined || typeof node === 'string') return [];
  const v = node[name];
  return Array.isArray(v) ? (v as XmlValue[]) : [];
}

/** Every child element `name` that has attributes or children, as nodes (text-only ones become { '#text' }). */
export function all(node: XmlValue | undefined, name: string): XmlNode[] {
  return children(node, name).map((c) => (typeof c === 'string' ? { '#text': c } : c));
}

export function first(node: XmlValue | undefined, name: string): XmlNode | undefined {
  const c = children(node, name)[0];
  return typeof c === 'string' ? { '#text': c } : c;
}

/** The text of an element exactly as sent (entities decoded), or undefined when the element is absent. */
export function text(node: XmlValue | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

export function attr(node: XmlValue | undefined, name: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const v = node[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** Trimmed text of the child `name`, undefined when absent or blank. */
export function childText(node: XmlValue | undefined, name: string): string | undefined {
  const t = text(first(node, name))?.trim();
  return t ? t : undefined;
}

/** Extrinsic name → trimmed value, first one wins. */
export function extrinsics(node: XmlValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of all(node, 'Extrinsic')) {
    const name = attr(e, 'name');
    const value = text(e)?.trim();
    if (name && value && !out.has(name)) out.set(name, value);
  }
  return out;
}
