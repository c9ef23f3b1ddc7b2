/** The worker thread of translate-pool.ts: translates one file per message. */
import { parentPort } from 'node:worker_threads';
import { translateFile, type FileToTranslate, type TranslateContext } from './translate-file.ts';
import { TranslationError } from '../../translators/errors.ts';

parentPort!.on('message', (m: { id: number; file: FileToTranslate; ctx: TranslateContext }) => {
  try {
    parentPort!.postMessage({ id: m.id, outcome: translateFile(m.file, m.ctx) });
  } catch (err) {
    const e = err as Error & { code?: string; errors?: unknown };
    parentPort!.postMessage({ id: m.id, error: { message: e.message, code: e.code, errors: e.errors, translation: err instanceof TranslationError } });
  }
});
