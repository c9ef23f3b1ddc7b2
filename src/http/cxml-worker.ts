// Worker-thread entry of ParsePool: parses one cXML body per message; profiles arrive when they change.
import { parentPort } from 'node:worker_threads';
import { parseInbound } from './cxml-parse.ts';
import type { PartnerProfile } from '../../translators/profile.ts';

let profiles: PartnerProfile[] = [];

parentPort!.on('message', (m: { id: number; raw: Uint8Array; profiles?: PartnerProfile[] }) => {
  if (m.profiles) profiles = m.profiles;
  try {
    parentPort!.postMessage({ id: m.id, result: parseInbound(Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength), profiles) });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
