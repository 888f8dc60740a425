// Mocha's spec reporter, plus the counts written as JSON to PINPACK_RESULTS_FILE so that the
// runner (test/harness/run-all.mjs) can sum every suite. Used in plain Node and in VS Code.
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class PinPackReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.PINPACK_RESULTS_FILE;
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
    });
  }
}

module.exports = PinPackReporter;
