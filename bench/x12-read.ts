// X12 read throughput: parse + validate (+ translate where a translator is registered) of (a) one interchange
// of 1,000 810 invoices with 20 lines each and (b) a ~50 MB 856 walked transaction by transaction, against a
// bare split-on-delimiters tokenizer on the same input. Prints MB/s, documents/s and peak RSS.
// Run: npx tsx bench/x12-read.ts
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

/** the reference: split on the segment terminator and the element separator, nothing else */
function bareTokenizer(text: string): number {
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

function measure(label: string, text: string, repeat: number): void {
  const mb = text.length / 1e6;
  if (repeat > 1) for (const _ of walkX12(text)); // warm up the JIT
  let t0 = performance.now();
  for (let i = 0; i < repeat; i++) bareTokenizer(text);
  const bare = (performance.now() - t0) / repeat;
  let transactions = 0;
  let documents = 0;
  t0 = performance.now();
  for (let i = 0; i < repeat; i++) {
    for (const outcome of walkX12(text)) {
      if (outcome.type === 'transaction') {
        transactions++;
        if (outcome.document) documents++;
      }
    }
  }
  const engine = (performance.now() - t0) / repeat;
  console.log(`${label}: ${mb.toFixed(1)} MB, ${transactions / repeat} transaction sets (${documents / repeat} translated)`);
  console.log(`  bare tokenizer     ${(mb / (bare / 1000)).toFixed(1)} MB/s`);
  console.log(`  walkX12 (read+validate+translate) ${(mb / (engine / 1000)).toFixed(1)} MB/s, ${((transactions / repeat) / (engine / 1000)).toFixed(0)} transaction sets/s, ${(engine / bare).toFixed(2)}x the bare tokenizer`);
}

measure('(a) 1,000 810 invoices x 20 lines', envelope('IN', Array.from({ length: 1000 }, (_, i) => invoice(i + 1))), 5);
let big = '';
{
  const sets: string[] = [];
  let size = 0;
  for (let n = 1; size < 50e6; n++) {
    const set = shipNotice(n);
    sets.push(set);
    size += set.length;
  }
  big = envelope('SH', sets);
}
measure('(b) 856 walked transaction by transaction', big, 1);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (goal < 300 MB for the 50 MB 856)`);
