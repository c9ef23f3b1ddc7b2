/**
 * Parse time of a 20,000-line InvoiceDetailRequest (safe reader + translation to the canonical
 * invoice), against XMLValidator.validate alone in the same run, and the longest event-loop stall
 * while the same document is parsed on the worker pool the /cxml endpoint uses.
 *
 *   npx tsx bench/cxml-parse.ts [--lines 20000] [--runs 3]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { XMLValidator } from 'fast-xml-parser';
import { translateCxml } from '../translators/cxml/index.ts';
import { ParsePool } from '../src/http/cxml-parse.ts';
import { invoiceWithLines } from './cxml-invoice.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const lines = arg('lines', 20_000);
const runs = arg('runs', 3);
const xml = invoiceWithLines(lines);
const raw = Buffer.from(xml);
const mb = raw.length / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const validate = median(Array.from({ length: runs }, () => time(() => XMLValidator.validate(xml))));
const translate = median(Array.from({ length: runs }, () => time(() => {
  const r = translateCxml(raw);
  if (r.documents.length !== 1) throw new Error(JSON.stringify(r.rejected).slice(0, 500));
})));

const pool = new ParsePool(1);
await pool.parse(Buffer.from(invoiceWithLines(1)), []); // worker started and warm
const h = monitorEventLoopDelay({ resolution: 5 });
h.enable();
const t = performance.now();
const parsed = await pool.parse(raw, []);
const onWorker = performance.now() - t;
h.disable();
await pool.close();
if (!parsed.ok) throw new Error(parsed.message);

console.log(`InvoiceDetailRequest, ${lines} lines, ${mb.toFixed(1)} MB`);
console.log(`reference  XMLValidator.validate       ${validate.toFixed(0)} ms  ${(mb / (validate / 1000)).toFixed(1)} MB/s`);
console.log(`translate  read + canonical invoice    ${translate.toFixed(0)} ms  ${(mb / (translate / 1000)).toFixed(1)} MB/s  (${(translate / validate).toFixed(1)}x the validator)`);
console.log(`worker     parse on the worker pool    ${onWorker.toFixed(0)} ms, longest event-loop stall meanwhile ${(h.max / 1e6).toFixed(1)} ms (goal < 50 ms)`);
console.log(`peak RSS   ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
