// Shared by the x12-translate-* tests: read fixtures through the envelope reader, check against the
// canonical JSON Schemas, compare with golden files (UPDATE_GOLDEN=1 rewrites them).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { PartnerProfile } from '../translators/profile.ts';
import type { TransactionInput, TransactionResult } from '../translators/x12/transaction.ts';
import { readX12 } from '../translators/x12/reader.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const corpusDir = resolve(root, '..', 'shared', 'corpus', 'x12');

export function transactions(text: string | Uint8Array): TransactionInput[] {
  const out: TransactionInput[] = [];
  for (const event of readX12(text)) if (event.type === 'transaction') out.push(event.transaction.input);
  return out;
}

export function fixture(set: string, name: string): TransactionInput {
  const [input] = transactions(readFileSync(join(root, 'test', 'fixtures', 'x12', set, name)));
  assert.ok(input, `fixture ${set}/${name} holds a transaction`);
  return input;
}

export function corpusFiles(set: string): string[] {
  const dir = join(corpusDir, set);
  return existsSync(dir) ? readdirSync(dir).sort().map((n) => join(dir, n)) : [];
}

const ajv = new Ajv({ allErrors: false });
ajv.addSchema(JSON.parse(readFileSync(join(root, 'schemas', 'common.schema.json'), 'utf8')));
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
for (const name of ['order', 'order-ack', 'ship-notice', 'invoice']) {
  validators.set(name, ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'))));
}

/** Asserts that a canonical document is valid against its JSON Schema. */
export function assertSchemaValid(document: { type: string }): void {
  const validate = validators.get(document.type);
  assert.ok(validate, `a schema for ${document.type}`);
  assert.ok(validate(document), `${document.type} is schema-valid: ${JSON.stringify(validate.errors)}`);
}

/** Compares a translation result whole with test/golden/x12-translate/<name>.json. */
export function assertGolden(name: string, result: TransactionResult): void {
  const file = join(root, 'test', 'golden', 'x12-translate', `${name}.json`);
  const actual = JSON.parse(JSON.stringify(result));
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
  }
  assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
}

export function supplierProfile(overrides: Partial<PartnerProfile> = {}, x12: Partial<NonNullable<PartnerProfile['x12']>> = {}): PartnerProfile {
  return {
    id: 'medsurg', name: 'MedSurg Supply Co', enabled: true, formats: ['x12'],
    x12: { isaQualifier: 'ZZ', isaId: 'MEDSURGSUP', gsId: 'MEDSURGSUP', ...x12 },
    ...overrides,
  };
}

/** Translates every `set` transaction of the corpus; asserts each document is schema-valid; returns how many there were (undefined without a corpus). */
export function translateCorpus(set: string, translate: (input: TransactionInput) => TransactionResult): number | undefined {
  const files = corpusFiles(set);
  if (files.length === 0) return undefined;
  let documents = 0;
  for (const file of files) {
    let inputs: TransactionInput[];
    try { inputs = transactions(readFileSync(file)); } catch { continue; }
    for (const input of inputs.filter((i) => i.setId === set)) {
      const result = translate(input);
      if (result.document) { assertSchemaValid(result.document); documents++; }
    }
  }
  return documents;
}
