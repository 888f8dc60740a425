import * as z from 'zod';

/**
 * The lint report contract of DESIGN.md §2: what `pinpack lint --format json` prints and what
 * the language server, the build gate and the review view consume. Lines and columns are 1-based.
 */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const Language = z.enum(['powershell', 'batch', 'manifest']);
export type Language = z.infer<typeof Language>;

const position = z.number().int().min(1);

export const LintDiagnostic = z
  .object({
    rule: z.string().min(1),
    /** Present exactly when the rule mirrors a PSScriptAnalyzer rule. */
    pssa: z.string().min(1).optional(),
    severity: Severity,
    message: z.string().min(1),
    line: position,
    column: position,
    endLine: position,
    endColumn: position,
    /** True when the rule offers a safe automatic fix for this finding. */
    fix: z.boolean(),
  })
  .refine((d) => d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column), {
    message: 'the range ends before it starts',
  });
export type LintDiagnostic = z.infer<typeof LintDiagnostic>;

export const LintFileReport = z.object({
  path: z.string().min(1),
  language: Language,
  diagnostics: z.array(LintDiagnostic),
});
export type LintFileReport = z.infer<typeof LintFileReport>;

export const LintReport = z.object({
  version: z.literal(1),
  files: z.array(LintFileReport),
  summary: z.object({
    files: z.number().int().min(0),
    errors: z.number().int().min(0),
    warnings: z.number().int().min(0),
    infos: z.number().int().min(0),
    durationMs: z.number().min(0),
  }),
});
export type LintReport = z.infer<typeof LintReport>;

/** Assembles a report, counting the findings so the summary can never disagree with the files. */
export function createLintReport(files: readonly LintFileReport[], durationMs: number): LintReport {
  const count = (severity: Severity) =>
    files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === severity).length, 0);
  return {
    version: 1,
    files: [...files],
    summary: {
      files: files.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      durationMs,
    },
  };
}
