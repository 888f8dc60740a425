import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPaths } from '../../../../src/core/lint/run';
import { scaffoldWorkspace } from '../../../../src/core/workspace/scaffold';
import { TargetId } from '../../../../src/core/workspace/targets';

describe('scaffolded workspaces under the linter', () => {
  for (const target of TargetId.options) {
    for (const language of ['en', 'ja'] as const) {
      it(`${target} (${language}): every script PinPack writes passes pinpack lint with no finding`, async () => {
        const dir = mkdtempSync(join(tmpdir(), `pinpack-lint-${target}-`));
        try {
          await scaffoldWorkspace({ dir, target, language, users: ['aiko.tanaka@contoso.com'], adDomain: 'contoso.com' });
          const { report } = lintPaths([dir], dir);
          const scripts = report.files.filter((f) => f.language !== 'manifest');
          assert.ok(scripts.length >= 1, `no script of ${target} was linted`);
          const findings = report.files.flatMap((f) => f.diagnostics.map((d) => `${f.path}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`));
          assert.deepEqual(findings, []);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});
