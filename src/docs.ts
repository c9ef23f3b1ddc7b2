/**
 * Reference tables generated from their single source: the partner-profile JSON Schema and the
 * settings list in config.ts. The README embeds them between markers; a test keeps them equal.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTINGS } from './config.ts';

const SCHEMAS = fileURLToPath(new URL('../schemas/', import.meta.url));

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  description?: string;
  default?: unknown;
  $ref?: string;
  pattern?: string;
}

function load(file: string): Schema {
  return JSON.parse(readFileSync(`${SCHEMAS}${file}`, 'utf8')) as Schema;
}

function resolve(s: Schema): Schema {
  return s.$ref ? load(s.$ref) : s;
}

function typeOf(s: Schema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(resolve(s.items)) : 'any'}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties) return `map of ${typeOf(s.additionalProperties)}`;
  return Array.isArray(s.type) ? s.type.join(' | ') : s.type ?? 'any';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(s: Schema, prefix: string, out: string[]): void {
  const required = new Set(s.required ?? []);
  for (const [name, raw] of Object.entries(s.properties ?? {})) {
    const p = resolve(raw);
    const path = `${prefix}${name}`;
    const dflt = p.default === undefined ? '' : `\`${JSON.stringify(p.default)}\``;
    out.push(`| \`${path}\` | ${cell(typeOf(p))} | ${required.has(name) ? 'yes' : ''} | ${dflt} | ${cell(p.description ?? '')} |`);
    if (p.properties) rows(p, `${path}.`, out);
    if (p.type === 'array' && p.items && resolve(p.items).properties) rows(resolve(p.items), `${path}[].`, out);
  }
}

export function profileReference(): string {
  const out = ['| property | type | required | default | description |', '| --- | --- | --- | --- | --- |'];
  rows(load('partner-profile.schema.json'), '', out);
  return out.join('\n');
}

export function settingsReference(): string {
  const out = ['| variable | default | description |', '| --- | --- | --- |'];
  for (const s of SETTINGS) out.push(`| \`${s.name}\` | ${s.default === '' ? '' : `\`${s.default}\``} | ${cell(s.description)} |`);
  return out.join('\n');
}

/** Replaces the text between `<!-- begin NAME -->` and `<!-- end NAME -->`. */
export function embed(readme: string, name: string, content: string): string {
  const re = new RegExp(`(<!-- begin ${name} -->\\n)[\\s\\S]*?(<!-- end ${name} -->)`);
  if (!re.test(readme)) throw new Error(`README has no ${name} markers`);
  return readme.replace(re, (_m, begin: string, end: string) => `${begin}${content}\n${end}`);
}
