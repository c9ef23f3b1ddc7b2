/** The README tells the truth: its two commands, its generated references, and every CLI example it shows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCli } from '../src/cli.ts';
import { embed, profileReference, settingsReference } from '../src/docs.ts';

const readme = readFileSync('README.md', 'utf8');

test('the README opens with exactly two commands: install and run the gateway, install and run the tests', () => {
  const first = /```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const commands = first.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/\s+#.*$/, '').trim());
  assert.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm test']);
  assert.ok(readme.indexOf('```sh') < 80, 'the commands come first');
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  assert.ok(pkg.scripts.start && pkg.scripts.test, 'npm start and npm test exist');
  assert.match(readFileSync('.ci/run', 'utf8'), /npm ci[^\n]*&& npm test/, 'CI runs the same test command');
});

test('the configuration and profile references are the ones generated from their sources', () => {
  assert.equal(embed(embed(readme, 'settings', settingsReference()), 'profile', profileReference()), readme,
    'run `npm run --silent cli -- docs --write` after changing config.ts or the profile schema');
});

const examples = [...readme.matchAll(/^npm run --silent cli -- (.+?)\s+# exit (\d)$/gm)];

test('the README has command-line examples to check', () => {
  assert.ok(examples.length >= 5);
});

for (const [, line, code] of examples) {
  test(`README example: cli ${line} exits ${code}`, async () => {
    const out: string[] = [];
    const err: string[] = [];
    const exit = await runCli(line!.split(/\s+/), { json: (v) => out.push(JSON.stringify(v)), text: (t) => out.push(t), error: (t) => err.push(t) });
    assert.equal(exit, Number(code), err.join('\n'));
    assert.ok(out.join('').length > 0, 'it printed something');
  });
}
