// Worker-thread entry of ParsePool: parses one cXML body per message.
import { parentPort } from 'node:worker_threads';
import { parseInbound } from './cxml-parse.ts';
import type { PartnerProfile } from '../../translators/profile.ts';

parentPort!.on('message', (m: { id: number; raw: Uint8Array; profiles: PartnerProfile[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: parseInbound(Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength), m.profiles) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
