/**
 * The VSIX smoke suite's entry point, loaded by VS Code as `extensionTestsPath` next to the empty
 * driver extension in test/vsix/driver: PinPack is not loaded from source here but installed from
 * the packaged VSIX (test/harness/vsix.mjs), so these tests see what a user's VS Code sees.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const log = process.env.PINPACK_TEST_LOG;
  if (log) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => appendFileSync(log, `${format(...args)}\n`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Reporter = require(join(__dirname, '..', '..', '..', 'test', 'harness', 'mocha-reporter.cjs')) as typeof Mocha.reporters.Spec;
  // One story in order: each test builds on the one before, so the first failure stops the rest.
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 60_000, bail: true, reporter: Reporter });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} VSIX smoke test(s) failed.`);
}
