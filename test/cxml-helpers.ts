// Shared by the cXML tests: the corpus and fixtures, and DTD validation with xmllint (Debian's libxml2-utils).
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));

export function corpusDir(): string | undefined {
  return existsSync(CORPUS) ? CORPUS : undefined;
}

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/cxml/${name}`, import.meta.url));
}

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/**
 * '' when `xml` is valid against the corpus's cXML 1.2.069 `dtd`, xmllint's complaints otherwise,
 * undefined when xmllint or the corpus is missing. The DOCTYPE is dropped first so nothing is fetched.
 */
export function xmllintValidate(xml: string, dtd: 'cXML.dtd' | 'Fulfill.dtd' | 'InvoiceDetail.dtd'): string | undefined {
  const corpus = corpusDir();
  if (!hasXmllint || !corpus) return undefined;
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--dtdvalid', `${corpus}/dtd/cxml/1.2.069/${dtd}`, '-'], { input: xml.replace(/<!DOCTYPE[^>]*>/, '') });
  return r.status === 0 ? '' : r.stderr.toString();
}
