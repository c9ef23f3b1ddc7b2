/**
 * A throwaway OpenSSH server for the SFTP tests: Debian's sshd on a loopback port, its own host key,
 * a user key in its own authorized_keys, and a temporary tree for the partners' folders. Runs as the
 * current user (root on CI and here) with `internal-sftp`; paths are absolute temp paths.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { freePort } from '../../src/net.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD_PATH = '/usr/sbin/sshd';

export function sshdAvailable(): boolean {
  return existsSync(SSHD_PATH);
}

export interface TestSshd {
  /** Port sshd listens on (127.0.0.1). */
  port: number;
  /** Root of the temporary tree; partner folders go under it. */
  root: string;
  /** `SHA256:...` fingerprint of the host key, as a profile pins it. */
  hostKeySha256: string;
  /** Private key file accepted for the current user. */
  userKeyFile: string;
  /** A key that the server does not accept. */
  strangerKeyFile: string;
  user: string;
  /** Stops sshd and every session it forked (a hard server restart drops live transfers). */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops sshd and removes the temporary tree. */
  dispose(): Promise<void>;
}

export { freePort };

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sftp-test', '-f', file]);
}

function fingerprint(pubFile: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile], { encoding: 'utf8' });
  const m = /SHA256:[A-Za-z0-9+/]+/.exec(out);
  if (!m) throw new Error(`ssh-keygen printed no fingerprint: ${out}`);
  return m[0];
}

/** Every process whose parent chain leads to `pid` (read from /proc), deepest first. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended while we read
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`sshd did not listen on ${port}: ${stderr()}`);
}

export async function startSshd(options: { port?: number } = {}): Promise<TestSshd> {
  if (!sshdAvailable()) throw new Error(`${SSHD_PATH} is missing: apt-get install -y openssh-server`);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sftp-sshd-'));
  const root = join(dir, 'tree');
  mkdirSync(root);
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'user_ed25519');
  const strangerKey = join(dir, 'stranger_ed25519');
  keygen(hostKey);
  keygen(userKey);
  keygen(strangerKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const port = options.port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'LogLevel ERROR',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n'));

  let child: ChildProcess | undefined;
  let errText = '';
  const start = async (): Promise<void> => {
    errText = '';
    const c = spawn(SSHD_PATH, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    // a test process that ends without dispose() must not leave its sshd listening
    const killOnExit = (): void => { c.kill('SIGKILL'); };
    process.once('exit', killOnExit);
    c.once('exit', () => process.off('exit', killOnExit));
    c.stderr?.on('data', (d: Buffer) => { errText = (errText + d.toString()).slice(-4000); });
    child = c;
    await waitForPort(port, c, () => errText);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const sessions = descendants(c.pid);
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGKILL');
    for (const pid of sessions) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await exited;
  };
  await start();
  return {
    port,
    root,
    hostKeySha256: fingerprint(`${hostKey}.pub`),
    userKeyFile: userKey,
    strangerKeyFile: strangerKey,
    user: execFileSync('id', ['-un'], { encoding: 'utf8' }).trim(),
    start,
    stop,
    restart: async () => { await stop(); await start(); },
    dispose: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
