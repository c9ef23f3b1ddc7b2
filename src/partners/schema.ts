/** ajv set up once with every schema in schemas/ (the canonical documents and the partner profile). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
const BASE = 'https://edi-gateway.local/schemas/';

function schemaFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...schemaFiles(`${dir}/${entry.name}`, `${prefix}${entry.name}/`));
    else if (entry.name.endsWith('.schema.json')) out.push(`${prefix}${entry.name}`);
  }
  return out;
}

let ajv: Ajv | undefined;
function instance(): Ajv {
  if (ajv) return ajv;
  // strict mode on; $data never enabled (RELIABILITY.md); allErrors: operator files are trusted and every problem helps
  const a = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true });
  const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void);
  addFormats(a);
  for (const file of schemaFiles(SCHEMAS_DIR)) a.addSchema(JSON.parse(readFileSync(`${SCHEMAS_DIR}/${file}`, 'utf8')));
  ajv = a;
  return a;
}

export function validatorFor(schemaFile: string): ValidateFunction {
  const v = instance().getSchema(`${BASE}${schemaFile}`);
  if (!v) throw new Error(`no schema ${schemaFile} in schemas/`);
  return v;
}

/** One line per ajv error: the property path and what is wrong with it. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const path = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replace(/\//g, '.');
    if (e.keyword === 'additionalProperties') return `${path}: unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'required') return `${path}: missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
    if (e.keyword === 'enum') return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    return `${path}: ${e.message ?? e.keyword}`;
  });
}
