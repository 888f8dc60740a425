// Mocha's spec reporter, plus the counts written as JSON to PINPACK_RESULTS_FILE so that the
// runner (test/harness/run-all.mjs) can sum every suite, with each failed test's title and the
// first lines of its error, which the runner repeats next to its summary (a CI log is often read
// from its end). Used in plain Node and in VS Code.
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class PinPackReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on(EVENT_TEST_FAIL, (test, error) => {
      const message = String(error?.message ?? error).split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' / ').slice(0, 500);
      failures.push({ title: test.fullTitle(), message });
    });
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.PINPACK_RESULTS_FILE;
      if (!file) return;
      const { passes, failures: failed, pending } = this.stats;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ passed: passes, failed, skipped: pending, failures }));
    });
  }
}

module.exports = PinPackReporter;
