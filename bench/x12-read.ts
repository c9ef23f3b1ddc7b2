// X12 read throughput: parse + validate + translate (walkX12, the path translateX12 takes) of
// (a) one interchange of 1,000 810 invoices with 20 lines each and (b) a ~50 MB 856 of 12,500 ship notices,
// walked transaction by transaction, against a bare split-on-delimiters tokenizer on the same bytes.
// Each case runs in its own process (so its peak RSS is its own): the input is written to a temporary file,
// the child reads it as a Buffer, runs the engine, records its peak RSS, then runs the bare tokenizer.
// Prints MB/s, documents/s, peak RSS and the ratio to the bare tokenizer (goal: within 3x; 856 under 300 MB).
// Run: npx tsx bench/x12-read.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkX12 } from '../translators/x12/index.ts';

function envelope(functionalId: string, sets: string[]): string {
  const body = sets.join('');
  return `ISA*00*          *00*          *ZZ*MEDSURGSUP     *ZZ*EXAMPLEHEALTH  *260302*1015*U*00401*000000905*0*P*>~\nGS*${functionalId}*MEDSURGSUP*EXAMPLEHLTH*20260302*1015*77*X*004010~\n${body}GE*${sets.length}*77~\nIEA*1*000000905~\n`;
}

function invoice(n: number): string {
  const segs = [`ST*810*${String(n).padStart(4, '0')}`, `BIG*20260302*INV-${n}*20260301*PO-${n}`, 'N1*RE*MedSurg Supply*92*MSS', 'N1*BT*Example Health*92*EXH'];
  for (let line = 1; line <= 20; line++) segs.push(`IT1*${line}*12*BX*14.25**VN*AB-${line}*UK*10012345000017`, `PID*F****Syringe 10 mL, 100/box`);
  segs.push('TDS*342000', 'CTT*20');
  segs.push(`SE*${segs.length + 1}*${String(n).padStart(4, '0')}`);
  return segs.map((s) => `${s}~\n`).join('');
}

function shipNotice(n: number): string {
  const segs = [`ST*856*${String(n).padStart(9, '0')}`, `BSN*00*SHIP-${n}*20260302*1015`, 'HL*1**S', 'TD5*B*2*UPSN', 'N1*ST*Example Hospital*92*EXH01', 'HL*2*1*O', `PRF*PO-${n}`];
  let hl = 2;
  for (let pack = 0; pack < 10; pack++) {
    const packId = ++hl;
    segs.push(`HL*${packId}*2*P`, `MAN*GM*00100123450000${String(pack).padStart(4, '0')}`);
    for (let item = 0; item < 4; item++) segs.push(`HL*${++hl}*${packId}*I`, `LIN*${item + 1}*VN*AB-${item}*N4*12345-6789-01`, 'SN1**10*EA', `REF*LT*LOT${item}`, 'DTM*036*20280101');
  }
  segs.push(`CTT*${hl}`);
  segs.push(`SE*${segs.length + 1}*${String(n).padStart(9, '0')}`);
  return segs.map((s) => `${s}~\n`).join('');
}

/** the reference: decode, then split on the segment terminator and the element separator, nothing else */
function bareTokenizer(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  let count = 0;
  let p = 0;
  for (;;) {
    const end = text.indexOf('~', p);
    if (end < 0) break;
    count += text.slice(p, end).split('*').length;
    p = end + 1;
  }
  return count;
}

interface CaseResult { mb: number; transactions: number; documents: number; engineMs: number; bareMs: number; rssMb: number }

function walkOnce(bytes: Buffer): { transactions: number; documents: number } {
  let transactions = 0;
  let documents = 0;
  for (const outcome of walkX12(bytes)) {
    if (outcome.type !== 'transaction') continue;
    transactions++;
    if (outcome.document) documents++;
  }
  return { transactions, documents };
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const value = f();
  return [value, performance.now() - t0];
}

/**
 * Child process: one case, engine and bare tokenizer interleaved round by round (the machine's load moves
 * both alike), best round of each; the peak RSS is read after the first engine round, before the bare
 * tokenizer ever ran.
 */
function runCase(file: string, rounds: number): CaseResult {
  const bytes = readFileSync(file);
  const [counts, first] = timed(() => walkOnce(bytes));
  const rssMb = process.resourceUsage().maxRSS / 1024;
  let engineMs = first;
  let bareMs = Infinity;
  for (let round = 0; round < rounds; round++) {
    bareMs = Math.min(bareMs, timed(() => bareTokenizer(bytes))[1]);
    if (round > 0) engineMs = Math.min(engineMs, timed(() => walkOnce(bytes))[1]);
  }
  return { mb: bytes.length / 1e6, ...counts, engineMs, bareMs, rssMb };
}

function report(label: string, r: CaseResult): void {
  console.log(`${label}: ${r.mb.toFixed(1)} MB, ${r.transactions} transaction sets, ${r.documents} documents translated`);
  console.log(`  bare tokenizer                         ${(r.mb / (r.bareMs / 1000)).toFixed(1)} MB/s`);
  console.log(`  walkX12 (parse+validate+translate)     ${(r.mb / (r.engineMs / 1000)).toFixed(1)} MB/s, ${(r.documents / (r.engineMs / 1000)).toFixed(0)} documents/s, ${(r.engineMs / r.bareMs).toFixed(2)}x the bare tokenizer`);
  console.log(`  peak RSS ${r.rssMb.toFixed(0)} MB (the whole child process after one engine pass: input Buffer, decoded text, engine)`);
}

if (process.argv[2] === 'case') {
  process.stdout.write(JSON.stringify(runCase(process.argv[3]!, Number(process.argv[4]))));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'x12-read-'));
  try {
    const invoices = join(dir, 'invoices-810.x12');
    writeFileSync(invoices, envelope('IN', Array.from({ length: 1000 }, (_, i) => invoice(i + 1))));
    const notices = join(dir, 'notices-856.x12');
    {
      const sets: string[] = [];
      let size = 0;
      for (let n = 1; size < 50e6; n++) {
        const set = shipNotice(n);
        sets.push(set);
        size += set.length;
      }
      writeFileSync(notices, envelope('SH', sets));
    }
    const child = (file: string, rounds: number): CaseResult => {
      const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'case', file, String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`bench child failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as CaseResult;
    };
    console.log(`Node ${process.version}, best of several rounds per side, each case in its own process`);
    report('(a) 1,000 810 invoices x 20 lines', child(invoices, 15));
    report('(b) 856 walked transaction by transaction', child(notices, 3));
    console.log('goal: within 3x of the bare tokenizer; the 50 MB 856 with peak RSS < 300 MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
