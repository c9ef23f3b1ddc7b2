/** Prometheus text exposition of what an operator watches: documents, queues, failures, exceptions. */
import type { AppContext } from '../context.ts';
import { countDocuments } from '../store/documents.ts';
import { countOpenExceptions } from '../store/exceptions.ts';
import { ackMetricLines } from '../acks/metrics.ts';
import { QUEUES, deadLetterOf } from '../pipeline/queues.ts';

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export async function renderMetrics(app: AppContext): Promise<string> {
  const lines: string[] = [];
  lines.push('# HELP edi_documents Stored documents by partner, type and state.', '# TYPE edi_documents gauge');
  for (const d of await countDocuments(app.pool)) {
    lines.push(`edi_documents{partner="${label(d.partnerId)}",type="${label(d.docType)}",state="${label(d.state)}"} ${d.count}`);
  }
  lines.push('# HELP edi_exceptions_open Open exceptions by partner and reason.', '# TYPE edi_exceptions_open gauge');
  for (const e of await countOpenExceptions(app.pool)) {
    lines.push(`edi_exceptions_open{partner="${label(e.partnerId)}",reason="${label(e.reasonCode)}"} ${e.count}`);
  }
  lines.push(...(await ackMetricLines(app.pool, label)));
  if (app.ready()) {
    lines.push('# HELP edi_queue_depth Jobs waiting in each queue.', '# TYPE edi_queue_depth gauge');
    lines.push('# HELP edi_job_failures Jobs parked in each dead-letter queue (retries exhausted).', '# TYPE edi_job_failures gauge');
    for (const q of Object.values(QUEUES)) {
      const [depth, dead] = await Promise.all([app.boss.getQueueSize(q).catch(() => NaN), app.boss.getQueueSize(deadLetterOf(q)).catch(() => NaN)]);
      lines.push(`edi_queue_depth{queue="${q}"} ${depth}`);
      lines.push(`edi_job_failures{queue="${q}"} ${dead}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
