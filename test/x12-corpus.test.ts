// Every X12 file of the shared corpus goes through translateX12 and acknowledgeX12: only TranslationError
// may come out, files marked broken (_ERR, _MALFORMED, _INVALID) are rejected, and the outputs are kept as
// golden files (regenerate with UPDATE_GOLDEN=1 after checking the differences by hand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acknowledgeX12, translateX12 } from '../translators/x12/index.ts';
import { TranslationError } from '../translators/errors.ts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const corpus = fileURLToPath(new URL('../../shared/corpus/x12', import.meta.url));
const goldenRoot = fileURLToPath(new URL('./golden/x12/corpus', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const ours = { isaQualifier: 'ZZ', isaId: 'EXAMPLEHEALTH', gsId: 'EXAMPLEHLTH' };

const SCHEMA_OF: Record<string, string> = { order: 'order', 'order-ack': 'order-ack', 'ship-notice': 'ship-notice', invoice: 'invoice', 'functional-ack': 'functional-ack' };
const ajv = new Ajv.default({ allErrors: false, strict: false });
addFormats.default(ajv);
const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));
for (const name of readdirSync(schemasDir).filter((n) => n.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, name), 'utf8')), name);

/** the contract: every canonical document the engine produces is valid against its JSON Schema */
function assertCanonical(documents: Array<{ type: string }>): void {
  for (const document of documents) {
    const validate = ajv.getSchema(`${SCHEMA_OF[document.type]}.schema.json`);
    assert.ok(validate, `no schema for ${document.type}`);
    assert.ok(validate(document), JSON.stringify(validate.errors));
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function run(raw: Buffer): unknown {
  let n = 0;
  try {
    const result = translateX12(raw);
    const acks = acknowledgeX12(raw, { ours, controlNumbers: () => String(++n).padStart(9, '0'), now: new Date('2026-03-02T10:20:00Z') });
    return { result, acks };
  } catch (error) {
    if (error instanceof TranslationError) return { thrown: { code: error.code, message: error.message } };
    throw error;
  }
}

if (!existsSync(corpus)) {
  test('X12 corpus', (t) => t.skip(`corpus not found at ${corpus}`));
} else {
  for (const path of files(corpus).filter((p) => !p.endsWith('.md'))) {
    const name = relative(corpus, path);
    test(`corpus ${name}`, () => {
      const output = run(readFileSync(path)) as { thrown?: unknown; result?: { rejected: unknown[]; documents: Array<{ type: string }> } };
      assertCanonical(output.result?.documents ?? []);
      const broken = /_(ERR|MALFORMED|INVALID)\.edi$/.test(name);
      if (broken) assert.ok(output.thrown || (output.result?.rejected.length ?? 0) > 0, 'a broken file must be rejected');
      const golden = join(goldenRoot, `${name}.json`);
      const text = `${JSON.stringify(output, null, 1)}\n`;
      if (update || !existsSync(golden)) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, text);
      }
      assert.equal(text, readFileSync(golden, 'utf8'));
    });
  }
}
