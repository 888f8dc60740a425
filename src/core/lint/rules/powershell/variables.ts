import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1020.md';
import type { Assignment, Expression, Node, ScriptBlock, VariableExpr } from '../../powershell/ast';
import { constantText, findParameter, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import type { Rule } from '../../rule';

/**
 * Automatic and preference variables, which PowerShell itself reads (PSScriptAnalyzer's
 * SpecialVars): assigning one is never "unused".
 */
const SPECIAL = new Set(
  [
    '_', 'args', 'consolefilename', 'error', 'event', 'eventargs', 'eventsubscriber', 'executioncontext', 'false', 'foreach',
    'home', 'host', 'input', 'lastexitcode', 'matches', 'myinvocation', 'nestedpromptlevel', 'null', 'pid', 'profile',
    'psboundparameters', 'pscmdlet', 'pscommandpath', 'psculture', 'psdebugcontext', 'pshome', 'psitem', 'psscriptroot',
    'pssenderinfo', 'psuiculture', 'psversiontable', 'pwd', 'sender', 'shellid', 'stacktrace', 'switch', 'this', 'true',
    'confirmpreference', 'debugpreference', 'erroractionpreference', 'errorview', 'formatenumerationlimit',
    'informationpreference', 'logcommandhealthevent', 'logcommandlifecycleevent', 'logenginehealthevent',
    'logenginelifecycleevent', 'logproviderhealthevent', 'logproviderlifecycleevent', 'maximumaliascount',
    'maximumdrivecount', 'maximumerrorcount', 'maximumfunctioncount', 'maximumhistorycount', 'maximumvariablecount',
    'ofs', 'outputencoding', 'progresspreference', 'psdefaultparametervalues', 'psemailserver',
    'psmoduleautoloadingpreference', 'pssessionapplicationname', 'pssessionconfigurationname', 'pssessionoption',
    'verbosepreference', 'warningpreference', 'whatifpreference', 'psnativecommandargumentpassing',
    'psnativecommanduseerroractionpreference', 'psstyle',
  ].map((n) => n.toLowerCase()),
);

/** `$x`, `${x}` and `$scope:x` inside an expandable string (escaped `` `$ `` excluded). */
const IN_STRING = /(?<!`)\$(?:\{([^}]+)\}|((?:\w+:)?\w+))/g;

const withoutScope = (name: string) => name.replace(/^[a-z]+:/i, '').toLowerCase();

/**
 * PSScriptAnalyzer's PSUseDeclaredVarsMoreThanAssignments, scoped as it scopes: for each script
 * block (the script, a function body, a `{ }` block) the plain `$name = ...` assignments made in
 * it, not in blocks nested inside, are checked against every use of the name in the block,
 * nested blocks included. `$script:x`, `$using:x`, `@x`, `[ref]$x`, `"$x"` and `+=` all count as
 * uses; a later `$x = ...` does not; `Get-Variable x` does. Typed (`[int]$x = 1`) and multiple
 * (`$a, $b = ...`) assignments are not checked, as PSScriptAnalyzer does not check them.
 */
export const unusedVariable: Rule<PowerShellIndex> = {
  id: 'PP1020',
  language: 'powershell',
  severity: 'warning',
  pssa: 'PSUseDeclaredVarsMoreThanAssignments',
  get message() {
    return l10n.t('Use this variable or remove the assignment: it is assigned but never read.');
  },
  docs,
  fixable: false,
  check({ parsed, report }) {
    // Past a syntax error the tree is partial: the read of a variable may be in the part lost.
    if (parsed.parse.errors.length > 0) return;
    const candidates: Array<{ block: ScriptBlock; assignment: Assignment & { left: VariableExpr }; key: string }> = [];
    const seen = new Set<string>();
    for (const a of parsed.nodes('Assignment')) {
      if (a.left.type !== 'Variable' || a.left.splatted || a.left.name.includes(':')) continue;
      const key = a.left.name.toLowerCase();
      if (SPECIAL.has(key)) continue;
      const block = enclosingBlock(parsed, a);
      if (!block) continue;
      // The first assignment in each block is the one PSScriptAnalyzer keeps and reports.
      const id = `${block.start}:${key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      candidates.push({ block, assignment: a as Assignment & { left: VariableExpr }, key });
    }
    if (candidates.length === 0) return;
    const uses = new Map<string, number[]>();
    const use = (name: string, at: number) => {
      const list = uses.get(name);
      if (list) list.push(at);
      else uses.set(name, [at]);
    };
    const wanted = new Set(candidates.map((c) => c.key));
    for (const v of parsed.nodes('Variable')) {
      const colon = v.name.indexOf(':');
      const key = (colon < 0 ? v.name : v.name.slice(colon + 1)).toLowerCase();
      if (!wanted.has(key)) continue;
      const parent = parsed.parent(v);
      // `$x = ...` again (not `$x += ...`) writes the variable without reading it.
      // (PSScriptAnalyzer compares the text: `$script:x = ...` after `$x = ...` is a use.)
      if (parent?.type === 'Assignment' && parent.left === v && parent.operator === '=' && colon < 0) continue;
      use(key, v.start);
    }
    for (const s of parsed.nodes('String')) {
      if (s.quote !== 'double' && s.quote !== 'here-double') continue;
      if (!s.raw.includes('$')) continue;
      for (const m of s.raw.matchAll(IN_STRING)) use(withoutScope(m[1] ?? m[2] ?? ''), s.start + 1 + (m.index ?? 0));
    }
    // A bare argument such as /PackagePath:$ppkg or $dir\x.txt expands like a double-quoted string.
    for (const w of parsed.nodes('Word')) {
      if (!w.text.includes('$')) continue;
      for (const m of w.text.matchAll(IN_STRING)) use(withoutScope(m[1] ?? m[2] ?? ''), w.start + (m.index ?? 0));
    }
    for (const c of parsed.commandsNamed(['get-variable'], { gv: 'Get-Variable' })) {
      const named = findParameter(c, 'name');
      const value = named ? parameterArgument(c, named) : c.elements.find((e): e is Expression => e.type !== 'CommandParameter');
      const name = constantText(value);
      if (name) use(name.toLowerCase(), c.start);
    }
    for (const list of uses.values()) list.sort((a, b) => a - b);
    for (const { block, assignment, key } of candidates) {
      if (usedWithin(uses.get(key) ?? [], block.start, block.end)) continue;
      const name = assignment.left.name;
      report({ start: assignment.left.start, end: assignment.left.end, message: l10n.t('The variable ${0} is assigned but never used: use it or remove the assignment.', name) });
    }
  },
};

/** Whether a sorted list of offsets has one in [start, end). */
function usedWithin(offsets: readonly number[], start: number, end: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] as number) < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && (offsets[lo] as number) < end;
}

function enclosingBlock(index: PowerShellIndex, node: Node): ScriptBlock | undefined {
  for (let p = index.parent(node); p; p = index.parent(p)) if (p.type === 'ScriptBlock') return p;
  return undefined;
}
