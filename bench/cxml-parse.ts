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

const pool = new ParsePool(1);
await pool.parse(Buffer.from(invoiceWithLines(1)), []); // worker started and warm

/** Longest event-loop stall while `work` runs (resolution 5 ms). */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return h.max / 1e6;
}
const onWorker: number[] = [];
const stalls: number[] = [];
let body: Buffer = Buffer.from(xml); // its memory moves to the worker and back
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  stalls.push(await longestStall(async () => {
    const { parsed, raw: back } = await pool.parse(body, []);
    if (!parsed.ok) throw new Error(parsed.message);
    body = back;
  }));
  onWorker.push(performance.now() - t);
}
await pool.close();
// reference: the same loop left idle as long, so the machine's own scheduling delays show
const idle = await longestStall(() => new Promise((r) => setTimeout(r, median(onWorker))));
// in-thread parsing runs last, so its garbage (GC pauses on this thread) is not counted as a stall above
const validate = median(Array.from({ length: runs }, () => time(() => XMLValidator.validate(xml))));
const translate = median(Array.from({ length: runs }, () => time(() => {
  const r = translateCxml(raw);
  if (r.documents.length !== 1) throw new Error(JSON.stringify(r.rejected).slice(0, 500));
})));

console.log(`InvoiceDetailRequest, ${lines} lines, ${mb.toFixed(1)} MB`);
console.log(`reference  XMLValidator.validate       ${validate.toFixed(0)} ms  ${(mb / (validate / 1000)).toFixed(1)} MB/s`);
console.log(`translate  read + canonical invoice    ${translate.toFixed(0)} ms  ${(mb / (translate / 1000)).toFixed(1)} MB/s  (${(translate / validate).toFixed(1)}x the validator)`);
console.log(`worker     parse on the worker pool    ${median(onWorker).toFixed(0)} ms; longest event-loop stall meanwhile ${stalls.map((x) => x.toFixed(1)).join(' / ')} ms (goal < 50 ms)`);
console.log(`reference  idle event loop as long     longest stall ${idle.toFixed(1)} ms (the machine's scheduling alone)`);
console.log(`peak RSS   ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
