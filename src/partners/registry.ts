/**
 * Loads partners/*.yaml|*.yml|*.json, validates each against schemas/partner-profile.schema.json and
 * checks what a schema cannot: unique ids and identities, sections present for the formats traded,
 * and every secret an enabled transport needs resolvable. Every problem names the file and property.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PartnerProfile } from '../../translators/profile.ts';
import { GatewayError } from '../errors.ts';
import { resolveSecret } from '../config.ts';
import { validatorFor, describeErrors } from './schema.ts';

export interface PartnerRegistry {
  all(): PartnerProfile[];
  get(id: string): PartnerProfile | undefined;
  byX12(qualifier: string, id: string): PartnerProfile | undefined;
  byCxmlCredential(domain: string, identity: string): PartnerProfile | undefined;
}

export interface ProfileProblem { file: string; message: string }

export class ProfileError extends GatewayError {
  readonly problems: ProfileProblem[];
  constructor(problems: ProfileProblem[]) {
    super('partner-profile-invalid', `partner profiles are invalid:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}

function readProfile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
}

/** Problems an enabled partner would meet at run time, checked at start. */
function secretProblems(p: PartnerProfile, env: NodeJS.ProcessEnv): string[] {
  if (!p.enabled) return [];
  const out: string[] = [];
  if (p.sftp && p.sftp.enabled !== false) {
    const { privateKeyFile, privateKeyEnv, passwordEnv } = p.sftp;
    if (!privateKeyFile && !privateKeyEnv && !passwordEnv) out.push('sftp: one of privateKeyFile, privateKeyEnv or passwordEnv is required');
    else if (!resolveSecret({ env: privateKeyEnv ?? passwordEnv, file: privateKeyFile }, env)) {
      out.push(`sftp: the secret is missing (${[privateKeyFile && `file ${privateKeyFile}`, privateKeyEnv && `env ${privateKeyEnv}`, passwordEnv && `env ${passwordEnv}`].filter(Boolean).join(', ')} gives nothing)`);
    }
  }
  p.cxml?.credentials.forEach((c, i) => {
    if (!c.sharedSecretEnv && !c.sharedSecretFile) out.push(`cxml.credentials.${i}: sharedSecretEnv or sharedSecretFile is required`);
    else if (!resolveSecret({ env: c.sharedSecretEnv, file: c.sharedSecretFile }, env)) {
      out.push(`cxml.credentials.${i}: the shared secret is missing (${c.sharedSecretEnv ? `env ${c.sharedSecretEnv}` : `file ${c.sharedSecretFile}`} gives nothing)`);
    }
  });
  if (p.cxml?.orderUrl && (!p.cxml.outboundSharedSecretEnv || !resolveSecret({ env: p.cxml.outboundSharedSecretEnv }, env))) {
    out.push(`cxml.outboundSharedSecretEnv: the secret we send to ${p.cxml.orderUrl} is missing`);
  }
  return out;
}

export function checkPartners(dir: string, env: NodeJS.ProcessEnv = process.env): { profiles: PartnerProfile[]; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  const profiles: PartnerProfile[] = [];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return { profiles, problems: [{ file: dir, message: 'the partners folder does not exist (set PARTNERS_DIR)' }] };
  }
  const validate = validatorFor('partner-profile.schema.json');
  const seenIds = new Map<string, string>();
  const seenX12 = new Map<string, string>();
  const seenCxml = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(name)) continue;
    const file = join(dir, name);
    let data: unknown;
    try {
      data = readProfile(file);
    } catch (err) {
      problems.push({ file, message: `cannot be read: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (!validate(data)) {
      for (const message of describeErrors(validate.errors)) problems.push({ file, message });
      continue;
    }
    const p = data as PartnerProfile;
    const local: string[] = [];
    if (seenIds.has(p.id)) local.push(`id: "${p.id}" is already used by ${seenIds.get(p.id)}`);
    if (p.formats.includes('x12') && !p.x12) local.push('x12: required because formats includes x12');
    if (p.formats.includes('cxml') && !p.cxml) local.push('cxml: required because formats includes cxml');
    if (p.x12) {
      const key = `${p.x12.isaQualifier}/${p.x12.isaId}`;
      if (seenX12.has(key)) local.push(`x12.isaId: ${key} is already the identity of ${seenX12.get(key)}`);
      seenX12.set(key, file);
    }
    for (const c of p.cxml?.credentials ?? []) {
      const key = `${c.domain.toLowerCase()}/${c.identity}`;
      if (seenCxml.has(key)) local.push(`cxml.credentials: ${c.domain} ${c.identity} is already used by ${seenCxml.get(key)}`);
      seenCxml.set(key, file);
    }
    local.push(...secretProblems(p, env));
    seenIds.set(p.id, file);
    for (const message of local) problems.push({ file, message });
    if (local.length === 0) profiles.push(p);
  }
  return { profiles, problems };
}

export function createRegistry(profiles: PartnerProfile[]): PartnerRegistry {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const x12 = new Map<string, PartnerProfile>();
  const cxml = new Map<string, PartnerProfile>();
  for (const p of profiles) {
    if (p.x12) x12.set(`${p.x12.isaQualifier}/${p.x12.isaId.trim()}`, p);
    for (const c of p.cxml?.credentials ?? []) cxml.set(`${c.domain.toLowerCase()}/${c.identity}`, p);
  }
  return {
    all: () => [...byId.values()],
    get: (id) => byId.get(id),
    byX12: (qualifier, id) => x12.get(`${qualifier.trim()}/${id.trim()}`),
    byCxmlCredential: (domain, identity) => cxml.get(`${domain.toLowerCase()}/${identity}`),
  };
}

/** Loads and checks every profile; throws ProfileError naming each file and property at fault. */
export function loadPartners(dir: string, env: NodeJS.ProcessEnv = process.env): PartnerRegistry {
  const { profiles, problems } = checkPartners(dir, env);
  if (problems.length > 0) throw new ProfileError(problems);
  return createRegistry(profiles);
}
