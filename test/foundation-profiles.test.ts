import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPartners, loadPartners, ProfileError } from '../src/partners/registry.ts';
import { runCli } from '../src/cli.ts';

const base = `id: acme-med
name: Acme Medical
enabled: true
formats: [x12]
x12:
  isaQualifier: ZZ
  isaId: ACMEMED
  gsId: ACMEMED
`;

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'partners-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

// each broken snippet and (part of) the message it must produce, naming file and property
const cases: Array<{ name: string; file: string; text: string; expect: RegExp; env?: Record<string, string> }> = [
  { name: 'unknown property', file: 'a.yaml', text: `${base}colour: blue\n`, expect: /a\.yaml: \(top level\): unknown property "colour"/ },
  { name: 'missing required', file: 'b.yaml', text: base.replace('name: Acme Medical\n', ''), expect: /b\.yaml: \(top level\): missing required property "name"/ },
  { name: 'bad enum', file: 'c.yaml', text: `${base}  version: "003050"\n`, expect: /c\.yaml: x12\.version: must be one of "004010", "005010"/ },
  { name: 'bad id pattern', file: 'd.yaml', text: base.replace('id: acme-med', 'id: Acme Med'), expect: /d\.yaml: id: must match pattern/ },
  { name: 'ISA id too long', file: 'e.yaml', text: base.replace('isaId: ACMEMED', 'isaId: ACMEMEDICALSUPPLYCO'), expect: /e\.yaml: x12\.isaId: must NOT have more than 15 characters/ },
  { name: 'YAML syntax', file: 'f.yaml', text: 'id: [unclosed\n', expect: /f\.yaml: cannot be read/ },
  { name: 'JSON syntax', file: 'g.json', text: '{"id": ', expect: /g\.json: cannot be read/ },
  { name: 'format without its section', file: 'h.yaml', text: base.replace('formats: [x12]', 'formats: [x12, cxml]'), expect: /h\.yaml: cxml: required because formats includes cxml/ },
  { name: 'a secret written into the profile', file: 'i.yaml', text: `${base}sftp:\n  host: h\n  username: u\n  password: hunter2\n  hostKeySha256: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"\n  inbox: /in\n  outbox: /out\n`, expect: /i\.yaml: sftp: unknown property "password"/ },
  { name: 'missing secret for an enabled transport', file: 'j.yaml', text: `${base}sftp:\n  host: h\n  username: u\n  passwordEnv: ACME_SFTP_PASSWORD_UNSET\n  hostKeySha256: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"\n  inbox: /in\n  outbox: /out\n`, expect: /j\.yaml: sftp: the secret is missing \(env ACME_SFTP_PASSWORD_UNSET gives nothing\)/ },
  { name: 'bad host key fingerprint', file: 'k.yaml', text: `${base}sftp:\n  host: h\n  username: u\n  passwordEnv: X\n  hostKeySha256: "md5:aa:bb"\n  inbox: /in\n  outbox: /out\n`, expect: /k\.yaml: sftp\.hostKeySha256: must match pattern/ },
  { name: 'cXML credential without secret reference', file: 'l.yaml', text: `id: net\nname: Net\nenabled: true\nformats: [cxml]\ncxml:\n  credentials:\n    - { domain: NetworkID, identity: AN1 }\n`, expect: /l\.yaml: cxml\.credentials\.0: sharedSecretEnv or sharedSecretFile is required/ },
];

for (const c of cases) {
  test(`a broken profile is refused with a message naming file and property: ${c.name}`, () => {
    const dir = folder({ [c.file]: c.text });
    try {
      const { problems } = checkPartners(dir, c.env ?? {});
      const lines = problems.map((p) => `${p.file.split('/').pop()}: ${p.message}`);
      assert.ok(lines.some((l) => c.expect.test(l)), `expected ${c.expect} in:\n${lines.join('\n')}`);
      assert.throws(() => loadPartners(dir, c.env ?? {}), (err: unknown) => err instanceof ProfileError && c.expect.test((err as Error).message.replace(`${dir}/`, '')));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
}

test('two profiles claiming one id or one ISA identity are refused', () => {
  const dir = folder({ 'a.yaml': base, 'b.yaml': base.replace('name: Acme Medical', 'name: Copy') });
  const { problems } = checkPartners(dir, {});
  assert.ok(problems.some((p) => p.file.endsWith('b.yaml') && /id: "acme-med" is already used by .*a\.yaml/.test(p.message)));
  assert.ok(problems.some((p) => p.file.endsWith('b.yaml') && /x12\.isaId: ZZ\/ACMEMED is already the identity/.test(p.message)));
  rmSync(dir, { recursive: true });
});

test('a secret given by reference makes the profile valid; a disabled partner needs no secret', () => {
  const sftp = `sftp:\n  host: h\n  username: u\n  passwordEnv: ACME_PW\n  hostKeySha256: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"\n  inbox: /in\n  outbox: /out\n`;
  const dir = folder({ 'a.yaml': base + sftp, 'b.yaml': base.replace(/acme-med/, 'off').replace('ACMEMED', 'OFF').replace('enabled: true', 'enabled: false') + sftp });
  const { profiles, problems } = checkPartners(dir, { ACME_PW: 's3cret' });
  assert.deepEqual(problems, []);
  assert.equal(profiles.length, 2);
  const registry = loadPartners(dir, { ACME_PW: 's3cret' });
  assert.equal(registry.byX12('ZZ', 'ACMEMED  ')?.id, 'acme-med');
  rmSync(dir, { recursive: true });
});

test('the shipped example profiles are valid', () => {
  const { profiles, problems } = checkPartners('partners', {});
  assert.deepEqual(problems, []);
  assert.ok(profiles.some((p) => p.formats.includes('x12') && p.sftp));
  assert.ok(profiles.some((p) => p.formats.includes('cxml') && p.role === 'network'));
});

test('cli partners check exits 1 and prints each problem with its file', async () => {
  const dir = folder({ 'bad.yaml': `${base}colour: blue\n` });
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.PARTNERS_DIR;
  process.env.PARTNERS_DIR = dir;
  try {
    const code = await runCli(['partners', 'check'], { json: (v) => out.push(JSON.stringify(v)), text: (t) => out.push(t), error: (t) => err.push(t) });
    assert.equal(code, 1);
    assert.match(err.join('\n'), /bad\.yaml: \(top level\): unknown property "colour"/);
  } finally {
    if (saved === undefined) delete process.env.PARTNERS_DIR;
    else process.env.PARTNERS_DIR = saved;
    rmSync(dir, { recursive: true });
  }
});
