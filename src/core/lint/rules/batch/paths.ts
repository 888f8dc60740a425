import cdDocs from '../../../../../docs/rules/PP2009.md';
import quoteDocs from '../../../../../docs/rules/PP2010.md';
import sysnativeDocs from '../../../../../docs/rules/PP2011.md';
import netUseDocs from '../../../../../docs/rules/PP2012.md';
import type { BatchParse } from '../../batch/parser';
import type { Rule } from '../../rule';

export const cdWithoutD: Rule<BatchParse> = {
  id: 'PP2009',
  language: 'batch',
  severity: 'warning',
  message: 'Use cd /d: without /d, cd to another drive does not change the current drive and the next commands run in the wrong folder.',
  docs: cdDocs,
  fixable: true,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (c.name !== 'cd' && c.name !== 'chdir') continue;
      const first = c.args[0];
      if (!first || first.text.toLowerCase() === '/d') continue;
      // Only a path that may be on another drive: a drive letter or a variable.
      if (!/^"?([a-z]:|%|!)/i.test(first.text)) continue;
      report({ start: c.nameStart, end: c.nameEnd, fix: [{ start: c.nameEnd, end: c.nameEnd, text: ' /d' }] });
    }
  },
};

export const unquotedScriptFolder: Rule<BatchParse> = {
  id: 'PP2010',
  language: 'batch',
  severity: 'warning',
  message: 'Quote paths built from %~dp0: the package folder can contain spaces, and an unquoted path then splits into several arguments.',
  docs: quoteDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (c.name === 'rem' || c.name === 'echo' || c.name === 'set') continue;
      for (const a of [...c.args, ...c.redirections]) {
        if (/%~[a-z]*d[a-z]*p[a-z]*[0-9]/i.test(a.text) && !a.text.includes('"')) report({ start: a.start, end: a.end });
      }
    }
  },
};

export const system32From32Bit: Rule<BatchParse> = {
  id: 'PP2011',
  language: 'batch',
  severity: 'warning',
  message: 'Reach 64-bit tools through %windir%\\Sysnative: SCCM runs package programs as 32-bit processes, which Windows redirects from System32 to SysWOW64.',
  docs: sysnativeDocs,
  fixable: true,
  check({ file, parsed, report }) {
    const text = file.text;
    for (const c of parsed.commands) {
      if (c.name === 'rem' || c.name === 'echo') continue;
      const words = [{ start: c.nameStart, end: c.nameEnd, text: text.slice(c.nameStart, c.nameEnd) }, ...c.args];
      for (const w of words) {
        const m = /(%windir%|%systemroot%|c:\\windows)\\system32\\(windowspowershell|cmd\.exe|reg\.exe|msiexec|wbem|dism|manage-bde|bcdedit|pnputil)/i.exec(w.text);
        if (!m) continue;
        const at = w.start + m.index + (m[1] as string).length + 1;
        report({ start: at, end: at + 8, fix: [{ start: at, end: at + 8, text: 'Sysnative' }] });
      }
    }
  },
};

export const netUsePassword: Rule<BatchParse> = {
  id: 'PP2012',
  language: 'batch',
  severity: 'error',
  message: 'Do not put a password on the net use command line: it is visible to every process and in logs; map the share with the account the program runs as.',
  docs: netUseDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (c.name !== 'net' || c.args[0]?.text.toLowerCase() !== 'use') continue;
      const user = c.args.findIndex((a) => /^\/u(ser)?:/i.test(a.text));
      if (user < 0) continue;
      const password = c.args.slice(2).find((a, i) => i + 2 !== user && !a.text.startsWith('/') && !/^[a-z]:$|^\*$|^\\\\/i.test(a.text));
      if (password) report({ start: password.start, end: password.end });
    }
  },
};
