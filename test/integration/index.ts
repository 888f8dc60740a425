/**
 * The integration suite's entry point, loaded by VS Code as `extensionTestsPath`. It runs every
 * `*.test.js` beside it with mocha inside the extension host. The extension host forwards
 * console output to the workbench, not to a terminal, so the reporter's output goes to the file
 * named by PINPACK_TEST_LOG, which the harness prints as it grows.
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
  const grep = process.env.PINPACK_TEST_GREP; // run-all.mjs --grep=TEXT
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 60_000, reporter: Reporter, ...(grep ? { grep } : {}) });
  // The Japanese pass (PINPACK_TEST_LOCALE=ja, a VS Code started in Japanese) runs the *.ja.test
  // files, the English pass the others: each suite asserts the strings of its own language.
  const japanese = process.env.PINPACK_TEST_LOCALE === 'ja';
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.endsWith('.ja.test.js') === japanese).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
