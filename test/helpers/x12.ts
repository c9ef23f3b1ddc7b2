/** Small valid X12 interchanges for tests that need a real file but not a particular document. */
export function functionalAckInterchange(isa13: string, options: { sender?: string; marker?: string } = {}): Buffer {
  const sender = (options.sender ?? 'MEDSURGSUP').padEnd(15, ' ');
  const gs06 = String(Number(isa13));
  const note = options.marker ? `AK3*N9*${2}**8~AK4*2**1*${options.marker}~` : '';
  const count = 4 + (options.marker ? 2 : 0);
  return Buffer.from([
    `ISA*00*          *00*          *ZZ*${sender}*ZZ*EDIGATEWAY     *261123*0730*U*00401*${isa13}*0*P*>~`,
    `GS*FA*${sender.trim()}*EDIGATEWAY*20261123*0730*${gs06}*X*004010~`,
    'ST*997*0001~',
    'AK1*PO*1~',
    `AK2*850*0001~${note}AK5*A~`,
    'AK9*A*1*1*1~',
    `SE*${count + 2}*0001~`,
    `GE*1*${gs06}~`,
    `IEA*1*${isa13}~`,
  ].join('\n'));
}
