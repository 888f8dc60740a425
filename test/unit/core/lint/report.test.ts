import * as assert from 'node:assert/strict';
import { createLintReport, LintReport, type LintFileReport } from '../../../../src/core/lint/report';

const finding = (severity: 'error' | 'warning' | 'info', rule = 'PP1001') => ({
  rule,
  severity,
  message: 'Use -QuietInstall so the install does not wait for a prompt.',
  line: 3,
  column: 1,
  endLine: 3,
  endColumn: 28,
  fix: true,
});

describe('core/lint/report', () => {
  it('counts the summary from the files and matches the DESIGN.md contract', () => {
    const files: LintFileReport[] = [
      { path: 'setup.ps1', language: 'powershell', diagnostics: [finding('error'), finding('warning'), finding('warning')] },
      { path: 'copy.bat', language: 'batch', diagnostics: [finding('info')] },
      { path: 'pinpack.json', language: 'manifest', diagnostics: [] },
    ];
    const report = createLintReport(files, 3);
    assert.deepEqual(report.summary, { files: 3, errors: 1, warnings: 2, infos: 1, durationMs: 3 });
    assert.deepEqual(LintReport.parse(JSON.parse(JSON.stringify(report))), report);
  });

  it('keeps the optional PSScriptAnalyzer name', () => {
    const withPssa = { ...finding('warning'), pssa: 'PSAvoidUsingInvokeExpression' };
    const report = createLintReport([{ path: 'a.ps1', language: 'powershell', diagnostics: [withPssa] }], 0);
    assert.equal(LintReport.parse(report).files[0]?.diagnostics[0]?.pssa, 'PSAvoidUsingInvokeExpression');
  });

  it('rejects 0-based positions, unknown severities and ranges that end before they start', () => {
    const bad = (diagnostic: object) =>
      LintReport.safeParse(createLintReport([{ path: 'a.ps1', language: 'powershell', diagnostics: [diagnostic as never] }], 0)).success;
    assert.equal(bad({ ...finding('error'), line: 0 }), false);
    assert.equal(bad({ ...finding('error'), severity: 'fatal' }), false);
    assert.equal(bad({ ...finding('error'), endLine: 2 }), false);
    assert.equal(bad({ ...finding('error'), endColumn: 0 }), false);
    assert.equal(bad(finding('error')), true);
  });
});
