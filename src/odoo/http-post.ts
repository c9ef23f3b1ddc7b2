/**
 * One JSON POST to Odoo over Node's own http/https with keep-alive connections, the answer read whole
 * as text. Not fetch: its web streams cost ~0.6 ms of CPU per call here (bench/odoo-pipeline's CPU
 * profile), several times the call's own work, and a document makes about a dozen calls.
 */
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

export class PostTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'PostTimeout';
  }
}

/** Rejects with PostTimeout when the whole exchange takes longer than timeoutMs, else with the socket's error (its `code`). */
export function postJson(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(body, 'utf8');
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
      headers: { ...headers, 'Content-Length': String(payload.length), Accept: 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', (err) => { clearTimeout(timer); reject(err); });
    });
    const timer = setTimeout(() => req.destroy(new PostTimeout(timeoutMs)), timeoutMs);
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    req.end(payload); // headers and body in one write
  });
}
