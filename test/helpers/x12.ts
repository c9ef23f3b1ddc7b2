/** X12 interchanges built for tests: envelopes with correct counts around the segments given. */

export interface InterchangeSpec {
  sender: string;
  receiver?: string;
  isa13: string;
  /** GS01: PO, PR, SH, IN, FA */
  functionalId: string;
  version?: '004010' | '005010';
  usage?: 'P' | 'T';
  /** each transaction set: its ST01 and the segments between ST and SE (without terminators) */
  sets: Array<{ id: string; segments: string[] }>;
}

export function interchange(spec: InterchangeSpec): Buffer {
  const pad = (s: string) => s.padEnd(15, ' ');
  const v5 = spec.version === '005010';
  const gs06 = String(Number(spec.isa13));
  const out = [
    `ISA*00*          *00*          *ZZ*${pad(spec.sender)}*ZZ*${pad(spec.receiver ?? 'EDIGATEWAY')}*261123*0730*${v5 ? '^' : 'U'}*${v5 ? '00501' : '00401'}*${spec.isa13}*0*${spec.usage ?? 'P'}*>`,
    `GS*${spec.functionalId}*${spec.sender}*${spec.receiver ?? 'EDIGATEWAY'}*20261123*0730*${gs06}*X*${spec.version ?? '004010'}`,
  ];
  spec.sets.forEach((set, i) => {
    const st02 = String(i + 1).padStart(4, '0');
    out.push(`ST*${set.id}*${st02}`, ...set.segments, `SE*${set.segments.length + 2}*${st02}`);
  });
  out.push(`GE*${spec.sets.length}*${gs06}`, `IEA*1*${spec.isa13}`);
  return Buffer.from(out.map((s) => `${s}~`).join('\n'));
}

/** A valid interchange holding one 997 that accepts an 850 (a file a supplier sends us). */
export function functionalAckInterchange(isa13: string, options: { sender?: string; marker?: string } = {}): Buffer {
  const note = options.marker ? ['AK3*N9*2**8', `AK4*2**1*${options.marker}`] : [];
  return interchange({
    sender: options.sender ?? 'MEDSURGSUP', isa13, functionalId: 'FA',
    sets: [{ id: '997', segments: ['AK1*PO*1', 'AK2*850*0001', ...note, 'AK5*A', 'AK9*A*1*1*1'] }],
  });
}
