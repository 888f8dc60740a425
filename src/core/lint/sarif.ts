import type { LintReport, Severity } from './report';
import type { Rule } from './rule';

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note' };

/** The "Why" paragraph of a rule's documentation page. */
function why(docs: string): string {
  const match = /## Why\n([\s\S]*?)(\n## |\s*$)/.exec(docs);
  return (match?.[1] ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The report as SARIF 2.1.0, the format code-scanning tools (GitHub, Azure DevOps) import:
 * one run, the rule catalogue in tool.driver.rules with each rule's documentation page as help,
 * file paths relative to %SRCROOT%.
 */
export function toSarif(report: LintReport, rules: readonly Rule<never>[], version: string): object {
  const used = new Set(report.files.flatMap((f) => f.diagnostics.map((d) => d.rule)));
  const catalogue = rules.filter((r) => used.has(r.id));
  const index = new Map(catalogue.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PinPack',
            version,
            rules: catalogue.map((r) => ({
              id: r.id,
              name: r.pssa ?? r.id,
              shortDescription: { text: r.message },
              fullDescription: { text: why(r.docs) || r.message },
              help: { text: why(r.docs) || r.message, markdown: r.docs },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { language: r.language, ...(r.pssa ? { pssa: r.pssa } : {}), fixable: r.fixable },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder pinpack lint ran in.' } } },
        results: report.files.flatMap((f) =>
          f.diagnostics.map((d) => ({
            ruleId: d.rule,
            ruleIndex: index.get(d.rule),
            level: LEVEL[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                  region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}
