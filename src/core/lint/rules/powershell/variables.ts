import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1020.md';
import type { Expression, ScriptBlock, VariableExpr } from '../../powershell/ast';
import { firstAtOrAbove } from '../../positions';
import { constantText, findParameter, lowerCase, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Rule, type RuleContext, type StatementFacts } from '../../rule';

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

const withoutScope = (name: string) => lowerCase(name.includes(':') ? name.replace(/^[a-z]+:/i, '') : name);

/** Calls `use` with each variable an expandable text names (lower-case, no scope) and where, `offset` being the text's. */
function namedIn(text: string, offset: number, use: (name: string, at: number) => void): void {
  // exec on the one global regex: matchAll would copy the regex for every string.
  IN_STRING.lastIndex = 0;
  for (let m = IN_STRING.exec(text); m; m = IN_STRING.exec(text)) use(withoutScope(m[1] ?? m[2] ?? ''), offset + m.index);
}

/** What PP1020 knows of a script or of one of its top-level statements. */
interface VariableFacts {
  /** Assignments checked inside the subtree (their block lies in it) and never read there, with their message. */
  readonly unused: readonly Unused[];
  /**
   * In a top-level statement's index: the first plain assignment of each name (lower-case) made
   * at the script's level, whose block is the whole script; reads anywhere in it count.
   */
  readonly outer: ReadonlyMap<string, Unused>;
  /** In a top-level statement's index: every name (lower-case) the statement reads. */
  readonly used: ReadonlySet<string>;
}

interface Unused {
  readonly left: VariableExpr;
  readonly message: string;
}

/**
 * An unused assignment with its message. `messages` keeps the message of each name: a script
 * assigns the same names again and again, and formatting a message costs more than finding it.
 */
function unused(left: VariableExpr, messages: Map<string, string>): Unused {
  let message = messages.get(left.name);
  if (message === undefined) messages.set(left.name, (message = l10n.t('The variable ${0} is assigned but never used: use it or remove the assignment.', left.name)));
  return { left, message };
}

const NO_FACTS: VariableFacts = { unused: [], outer: new Map(), used: new Set() };

const unusedFacts = {
  collect(parsed: PowerShellIndex): VariableFacts {
    // One top-level statement: its script-level assignments are decided with the other statements.
    const piece = parsed.root !== parsed.parse.ast;
    const candidates: Array<{ block: ScriptBlock; left: VariableExpr; key: string }> = [];
    const outer = new Map<string, Unused>();
    const seen = new Map<ScriptBlock, Set<string>>();
    const messages = new Map<string, string>();
    /** `$x = ...` (not `$x += ...`) writes the variable without reading it; in source order. */
    const writes: VariableExpr[] = [];
    const blocks = parsed.nodesInOrder('ScriptBlock');
    /** The blocks around the assignment at hand, innermost last. */
    const open: ScriptBlock[] = [];
    let next = 0;
    for (const a of parsed.nodesInOrder('Assignment')) {
      if (a.left.type !== 'Variable') continue;
      const left = a.left;
      if (a.operator === '=' && !left.name.includes(':')) writes.push(left);
      if (left.splatted || left.name.includes(':')) continue;
      const key = lowerCase(left.name);
      if (SPECIAL.has(key)) continue;
      // The innermost script block around it (blocks nest, so a sweep by position finds it).
      while (next < blocks.length && (blocks[next] as ScriptBlock).start <= a.start) open.push(blocks[next++] as ScriptBlock);
      while (open.length > 0 && (open[open.length - 1] as ScriptBlock).end <= a.start) open.pop();
      const block = open[open.length - 1];
      if (!block) {
        if (!outer.has(key)) outer.set(key, unused(left, messages));
        continue;
      }
      // The first assignment in each block is the one PSScriptAnalyzer keeps and reports.
      let keys = seen.get(block);
      if (!keys) seen.set(block, (keys = new Set()));
      if (keys.has(key)) continue;
      keys.add(key);
      candidates.push({ block, left, key });
    }
    if (!piece && candidates.length === 0) return NO_FACTS;
    const used = new Set<string>();
    /** Where each name a candidate assigns is read (lower-case, no scope). */
    const uses = new Map<string, number[]>();
    for (const c of candidates) if (!uses.has(c.key)) uses.set(c.key, []);
    const use = (name: string, at: number) => {
      if (piece) used.add(name);
      uses.get(name)?.push(at);
    };
    // The reads of each variable name as written (`$Path`, `$script:path`): scripts repeat the
    // same names, so each is lower-cased and looked up once (null: not a name a candidate assigns).
    const readsOf = new Map<string, number[] | null>();
    const variables = parsed.nodesInOrder('Variable');
    let write = 0;
    for (const v of variables) {
      // (PSScriptAnalyzer compares the text: `$script:x = ...` after `$x = ...` is a use.) Both
      // lists are in source order, so the writes are passed by as the variables are.
      while (write < writes.length && (writes[write] as VariableExpr).start < v.start) write++;
      if (writes[write] === v) continue;
      const name = v.name;
      let reads = readsOf.get(name);
      if (reads === undefined) {
        const colon = name.indexOf(':');
        const key = lowerCase(colon < 0 ? name : name.slice(colon + 1));
        reads = uses.get(key) ?? null;
        readsOf.set(name, reads);
        if (piece) used.add(key);
      }
      if (reads !== null) reads.push(v.start);
    }
    for (const s of parsed.nodes('String')) {
      if (s.quote !== 'double' && s.quote !== 'here-double') continue;
      if (!s.raw.includes('$')) continue;
      namedIn(s.raw, s.start + 1, use);
    }
    // A bare argument such as /PackagePath:$ppkg or $dir\x.txt expands like a double-quoted string.
    for (const w of parsed.nodes('Word')) {
      if (!w.text.includes('$')) continue;
      namedIn(w.text, w.start, use);
    }
    for (const c of parsed.commandsNamed(['get-variable'], { gv: 'Get-Variable' })) {
      const named = findParameter(c, 'name');
      const value = named ? parameterArgument(c, named) : c.elements.find((e): e is Expression => e.type !== 'CommandParameter');
      const name = constantText(value);
      if (name) use(name.toLowerCase(), c.start);
    }
    for (const list of uses.values()) list.sort((a, b) => a - b);
    const found: Unused[] = [];
    for (const { block, left, key } of candidates) if (!usedWithin(uses.get(key) ?? [], block.start, block.end)) found.push(unused(left, messages));
    return { unused: found, outer, used };
  },
  combine({ parsed, report }: RuleContext<PowerShellIndex>, facts: readonly VariableFacts[]): void {
    // Past a syntax error the tree is partial: the read of a variable may be in the part lost.
    if (parsed.parse.errors.length > 0) return;
    const found = ({ left, message }: Unused) => report({ start: left.start, end: left.end, message });
    const outer = new Map<string, Unused>();
    for (const f of facts) {
      for (const u of f.unused) found(u);
      for (const [key, u] of f.outer) if (!outer.has(key)) outer.set(key, u);
    }
    for (const [key, u] of outer) if (!facts.some((f) => f.used.has(key))) found(u);
  },
};

/**
 * PSScriptAnalyzer's PSUseDeclaredVarsMoreThanAssignments, scoped as it scopes: for each script
 * block (the script, a function body, a `{ }` block) the plain `$name = ...` assignments made in
 * it, not in blocks nested inside, are checked against every use of the name in the block,
 * nested blocks included. `$script:x`, `$using:x`, `@x`, `[ref]$x`, `"$x"` and `+=` all count as
 * uses; a later `$x = ...` does not; `Get-Variable x` does. Typed (`[int]$x = 1`) and multiple
 * (`$a, $b = ...`) assignments are not checked, as PSScriptAnalyzer does not check them.
 *
 * Its facts decompose by top-level statement (the language server keeps them while a statement
 * is unchanged): an assignment inside a function or block is decided within its statement; one
 * at the script's level by the reads of every statement.
 */
export const unusedVariable: Rule<PowerShellIndex> = {
  id: 'PP1020',
  language: 'powershell',
  severity: 'warning',
  pssa: 'PSUseDeclaredVarsMoreThanAssignments',
  message: 'Use this variable or remove the assignment: it is assigned but never read.',
  docs,
  fixable: false,
  facts: unusedFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(unusedFacts),
};

/** Whether a sorted list of offsets has one in [start, end). */
function usedWithin(offsets: readonly number[], start: number, end: number): boolean {
  const i = firstAtOrAbove(offsets, offsets.length, start);
  return i < offsets.length && (offsets[i] as number) < end;
}

