import { readFileSync, writeFileSync } from 'node:fs';
import { embed, profileReference, settingsReference } from '../docs.ts';
import type { ParsedArgs } from './args.ts';
import type { Out } from './output.ts';

/** `docs`: prints the reference tables; `docs --write` puts them into README.md between their markers. */
export function docsCommand(args: ParsedArgs, out: Out): number {
  if (!args.flags.has('write')) {
    out.text(`${settingsReference()}\n\n${profileReference()}`);
    return 0;
  }
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', embed(embed(readme, 'settings', settingsReference()), 'profile', profileReference()));
  out.text('README.md updated');
  return 0;
}
