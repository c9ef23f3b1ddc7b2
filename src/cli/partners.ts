import type { Config } from '../config.ts';
import { checkPartners } from '../partners/registry.ts';
import type { Out } from './output.ts';

/** Checks every profile without starting anything; exit 1 with one line per problem (file: property: what). */
export function partnersCheckCommand(config: Config, out: Out): number {
  const { profiles, problems } = checkPartners(config.partnersDir);
  for (const p of problems) out.error(`${p.file}: ${p.message}`);
  out.text(`${profiles.length} profile(s) valid, ${problems.length} problem(s) in ${config.partnersDir}`);
  return problems.length === 0 ? 0 : 1;
}
