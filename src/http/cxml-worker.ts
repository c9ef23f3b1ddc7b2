// Worker-thread entry of ParsePool: parses and hashes one cXML body per message and hands its memory
// back; profiles arrive when they change.
import { parentPort } from 'node:worker_threads';
import { parseInbound } from './cxml-parse.ts';
import { sha256 } from '../store/documents.ts';
import type { PartnerProfile } from '../../translators/profile.ts';

let profiles: PartnerProfile[] = [];

parentPort!.on('message', (m: { id: number; raw: Uint8Array; profiles?: PartnerProfile[] }) => {
  if (m.profiles) profiles = m.profiles;
  try {
    const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
    const result = parseInbound(raw, profiles);
    parentPort!.postMessage({ id: m.id, result, raw: m.raw, sha256: sha256(raw) }, [m.raw.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: (err as Error).message });
  }
});
