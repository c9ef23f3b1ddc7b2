/**
 * Translates large files on a worker thread, so a 50 MB 856 or a 17 MB invoice does not stop the event
 * loop (HTTP, other jobs) for seconds. Small files are translated inline: a thread hop costs more than
 * they do. One worker, started on first use, replaced when it dies, never keeping the process alive.
 */
import { Worker } from 'node:worker_threads';
import { TranslationError } from '../../translators/errors.ts';
import type { DocumentError } from '../../translators/types.ts';
import { translateFile, type FileToTranslate, type ParseOutcome, type TranslateContext } from './translate-file.ts';

export const WORKER_THRESHOLD_BYTES = 256 * 1024;

interface Pending { resolve(o: ParseOutcome): void; reject(e: Error): void }
type Answer = { id: number; outcome?: ParseOutcome; error?: { message: string; code?: string; errors?: DocumentError[]; translation: boolean } };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function start(): Worker {
  const entry = new URL('./translate-worker.ts', import.meta.url).href;
  // tsx's loader is per thread: register it in the worker before importing the TypeScript entry
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const w = new Worker(boot, { eval: true });
  w.on('message', (m: Answer) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (!p) return;
    if (m.outcome) p.resolve(m.outcome);
    else if (m.error?.translation) p.reject(new TranslationError(m.error.code ?? 'translation', m.error.message, m.error.errors ?? []));
    else p.reject(new Error(m.error?.message ?? 'translation worker failed'));
  });
  w.on('error', failAll);
  w.on('exit', (code) => {
    failAll(new Error(`translation worker exited with code ${code}`));
    if (worker === w) worker = undefined;
  });
  w.unref();
  return w;
}

export async function translateOffThread(file: FileToTranslate, ctx: TranslateContext): Promise<ParseOutcome> {
  if (file.raw.length < WORKER_THRESHOLD_BYTES) return translateFile(file, ctx);
  worker ??= start();
  const id = ++nextId;
  const result = new Promise<ParseOutcome>((resolve, reject) => pending.set(id, { resolve, reject }));
  worker.ref();
  // a Buffer is often a view into a larger block (pg's read buffer), and a clone copies the whole block:
  // the body is copied once into its own memory, which moves to the worker
  const raw = new Uint8Array(file.raw);
  worker.postMessage({ id, file: { ...file, raw }, ctx }, [raw.buffer]);
  return result;
}
