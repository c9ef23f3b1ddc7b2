/** The acknowledgement lines of /metrics: what is overdue now, by partner and kind (functional = 997/999/cXML Response, order = 855/ConfirmationRequest). */
import type { Queryable } from '../db/pool.ts';
import { countOverdueAcks } from './expectations.ts';

export async function ackMetricLines(db: Queryable, label: (v: string) => string): Promise<string[]> {
  const lines = ['# HELP edi_acks_overdue Acknowledgements past their deadline and not yet received, by partner and kind.', '# TYPE edi_acks_overdue gauge'];
  for (const c of await countOverdueAcks(db)) lines.push(`edi_acks_overdue{partner="${label(c.partnerId)}",kind="${c.kind}"} ${c.count}`);
  return lines;
}
