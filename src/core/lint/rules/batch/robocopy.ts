import * as l10n from '@vscode/l10n';
import retryDocs from '../../../../../docs/rules/PP2005.md';
import exitCodeDocs from '../../../../../docs/rules/PP2006.md';
import type { BatchCommand, BatchParse } from '../../batch/parser';
import type { Rule } from '../../rule';

function isRobocopy(c: BatchCommand): boolean {
  return /(^|[\\/])robocopy(\.exe)?$/.test(c.name.replace(/"/g, ''));
}

export const robocopyRetries: Rule<BatchParse> = {
  id: 'PP2005',
  language: 'batch',
  severity: 'warning',
  message: 'Pass small /R and /W to robocopy (e.g. /R:2 /W:5): by default it retries a million times, 30 s apart, and the deployment hangs.',
  docs: retryDocs,
  fixable: true,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (!isRobocopy(c)) continue;
      const value = (flag: string) => {
        const a = c.args.find((x) => x.text.toLowerCase().startsWith(`/${flag}:`));
        return a ? Number(a.text.slice(3)) : undefined;
      };
      const r = value('r');
      const w = value('w');
      const missing = [r === undefined ? '/R:2' : '', w === undefined ? '/W:5' : ''].filter(Boolean);
      const last = c.args[c.args.length - 1];
      const at = last ? last.end : c.nameEnd;
      if (missing.length) {
        report({ start: c.nameStart, end: c.nameEnd, message: l10n.t('Add {0} to robocopy: by default it retries a million times, 30 s apart, and the deployment hangs.', missing.join(' ')), fix: [{ start: at, end: at, text: ` ${missing.join(' ')}` }] });
      } else if ((r ?? 0) > 10 || (w ?? 0) > 30) {
        report({ start: c.nameStart, end: c.nameEnd, message: l10n.t("Lower robocopy's retries (/R:{0} /W:{1}): a failing copy would block the deployment for {2} minutes; /R:2 /W:5 is enough.", String(r), String(w), Math.round(((r ?? 0) * (w ?? 0)) / 60)) });
      }
    }
  },
};

/** A later `if` that compares the error level with 8 (GEQ 8, LSS 8, GTR 7, LEQ 7, errorlevel 8). */
function normalises(parse: BatchParse, after: BatchCommand): boolean {
  return parse.commands.some((c) => {
    if (c.start <= after.start || c.name !== 'if') return false;
    const words = c.args.map((a) => a.text.toLowerCase());
    const text = words.join(' ');
    if (/\berrorlevel 8\b/.test(text)) return true;
    return /\b(geq|lss) 8\b|\b(gtr|leq) 7\b/.test(text);
  });
}

export const robocopyExitCode: Rule<BatchParse> = {
  id: 'PP2006',
  language: 'batch',
  severity: 'warning',
  message: "Normalise robocopy's exit code: 1-7 mean success but SCCM reads any non-zero code as failure; add if %ERRORLEVEL% GEQ 8 (exit /b %ERRORLEVEL%) else (exit /b 0).",
  docs: exitCodeDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (isRobocopy(c) && !normalises(parsed, c)) report({ start: c.nameStart, end: c.nameEnd });
    }
  },
};
