import * as l10n from '@vscode/l10n';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import docs from '../../../../../docs/rules/PP1026.md';
import { type Command, type CommandParameter, type Expression, type MemberExpr, type Node, loneExpression } from '../../powershell/ast';
import { constantText, findParameter, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import { decode } from '../../decode';
import { checkByFacts, type Rule, type RuleContext, type StatementFacts } from '../../rule';
import { equalsIgnoreCase } from './text';

const SET_PROPERTY = new Set(['set-itemproperty', 'new-itemproperty', 'sp']);
const GET_PROPERTY = new Set(['get-itemproperty', 'get-itempropertyvalue', 'gp', 'gpv', 'get-item', 'gi']);
const SWITCHES = /^(force|passthru|whatif|confirm)$/i;

/** Arguments bound by position (a switch such as -Force takes none). */
function positional(c: Command): Expression[] {
  const out: Expression[] = [];
  c.elements.forEach((e, i) => {
    const before = c.elements[i - 1] as CommandParameter | Expression | undefined;
    if (e.type === 'CommandParameter') return;
    if (before?.type === 'CommandParameter' && !before.argument && !SWITCHES.test(before.name)) return;
    out.push(e);
  });
  return out;
}

type ValueOf = (e: Expression | undefined) => string | undefined;

/** The constant each assignment to a variable gives it (lower-case name; undefined when not a constant), in source order. */
function constantAssignments(index: PowerShellIndex): Array<readonly [string, string | undefined]> {
  const out: Array<readonly [string, string | undefined]> = [];
  for (const a of index.nodes('Assignment')) {
    if (a.left.type !== 'Variable') continue;
    const right = loneExpression(a.right);
    out.push([a.left.name.toLowerCase(), right ? constantText(right) : undefined]);
  }
  return out;
}

/** Constants, and variables the script assigns exactly one constant (`$name = 'EnableLUA'`). */
function resolver(facts: readonly UacFacts[]): ValueOf {
  // Built on the first variable looked up: most scripts' registry writes are all constants.
  let out: Map<string, string | undefined> | undefined;
  const assigned = () => {
    out = new Map();
    for (const f of facts) for (const [key, value] of f.assignments()) out.set(key, out.has(key) ? undefined : value);
    return out;
  };
  return (e) => (e?.type === 'Variable' ? (out ?? assigned()).get(e.name.toLowerCase()) : constantText(e));
}

const isZero = (valueOf: ValueOf, e: Expression | undefined) => /^(0|0x0+)$/i.test((valueOf(e) ?? '').trim());
const isEnableLua = (valueOf: ValueOf, e: Expression | undefined) => valueOf(e)?.trim().toLowerCase() === 'enablelua';

interface RegistryWrite {
  readonly node: Node;
  /** The value name when constant, else undefined. */
  readonly name: Expression | undefined;
  readonly value: Expression | undefined;
  readonly reg?: 'import';
}

/** Registry writes by command: Set-/New-ItemProperty, `reg add /v /d`, `reg import`. */
function commandWrites(index: PowerShellIndex): RegistryWrite[] {
  const out: RegistryWrite[] = [];
  for (const [written, commands] of index.commandsByName()) {
    const name = written.replace(/^microsoft\.powershell\.\w+\\/, '');
    if (!SET_PROPERTY.has(name) && !REG.test(name)) continue;
    for (const c of commands) registryWrite(c, name, out);
  }
  return out;
}

/** `.SetValue(name, value)`: which argument is the name can depend on a variable assigned elsewhere. */
function memberWrite(m: MemberExpr, valueOf: ValueOf): RegistryWrite {
  // [Microsoft.Win32.Registry]::SetValue(key, name, value) or $key.SetValue(name, value)
  const args = m.arguments ?? [];
  const i = args.findIndex((a) => isEnableLua(valueOf, a));
  const nameAt = i >= 0 ? i : m.static ? 1 : 0;
  return { node: m, name: args[nameAt], value: args[nameAt + 1] };
}

const REG = /^reg(\.exe)?$/;

/** The write of one command named `name` (lower-case, module qualifier removed), if it is one. */
function registryWrite(c: Command, name: string, out: RegistryWrite[]): void {
  if (SET_PROPERTY.has(name)) {
    const n = findParameter(c, 'name', 2);
    const v = findParameter(c, 'value', 2);
    const pos = positional(c);
    out.push({ node: c, name: n ? parameterArgument(c, n) : pos[1], value: v ? parameterArgument(c, v) : name === 'new-itemproperty' ? undefined : pos[2] });
    return;
  }
  const words = c.elements.map((e) => (e.type === 'CommandParameter' ? `-${e.name}` : constantText(e)));
  const verb = words[0]?.toLowerCase();
  if (verb === 'import' || verb === 'restore') out.push({ node: c, name: undefined, value: undefined, reg: 'import' });
  if (verb !== 'add') return;
  const at = (flag: string) => {
    const i = words.findIndex((w) => w?.toLowerCase() === flag);
    const e = i >= 0 ? c.elements[i + 1] : undefined;
    return e && e.type !== 'CommandParameter' ? e : undefined;
  };
  out.push({ node: c, name: at('/v'), value: at('/d') });
}

/** A script (that mentions EnableLUA) putting a saved value back: a registry write of EnableLUA, or of a name from a list, from a variable; or `reg import`. */
function restoresSaved(writes: readonly RegistryWrite[], valueOf: ValueOf): boolean {
  return writes.some((w) => w.reg === 'import' || (w.value !== undefined && valueOf(w.value) === undefined && (isEnableLua(valueOf, w.name) || valueOf(w.name) === undefined)));
}

const SIBLING_RESTORE = [
  /(set|new)-itemproperty\b[^\r\n]*-value\s+[($]/i,
  /\.setvalue\([^)\r\n]*,\s*[($]/i,
  /\breg(\.exe)?["']?\s+(import|restore)\b/i,
  /\breg(\.exe)?["']?\s+add\b[^\r\n]*\/d\s+["']?[%$!(]/i,
];

/**
 * Whether another script beside this one restores EnableLUA from a saved value; undefined when
 * the folder cannot be read (a script linted from memory or from a zip under review).
 */
function workspaceRestores(path: string): boolean | undefined {
  if (!isAbsolute(path)) return undefined;
  const folder = dirname(path);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!/\.(ps1|psm1|bat|cmd)$/i.test(name)) continue;
    const other = join(folder, name);
    if (resolve(other) === resolve(path)) continue;
    try {
      if (statSync(other).size > 1_000_000) continue;
      const text = decode(readFileSync(other)).text;
      if (/enablelua/i.test(text) && SIBLING_RESTORE.some((r) => r.test(text))) return true;
    } catch {
      continue;
    }
  }
  return false;
}

/** What PP1026 knows of one top-level statement (or of the whole script). */
interface UacFacts {
  /** Whether its text mentions EnableLUA: a script none of whose statements does turns nothing off. */
  readonly mentions: boolean;
  /** Worked out on the first variable looked up (most scripts' registry writes are all constants), then kept. */
  readonly assignments: () => ReadonlyArray<readonly [string, string | undefined]>;
  readonly writes: readonly RegistryWrite[];
  /** `.SetValue(...)` calls. */
  readonly setValues: readonly MemberExpr[];
  /** Registry reads: Get-ItemProperty and the like, `reg query/export/save`, `.GetValue(...)`. */
  readonly reads: readonly Node[];
}

const NOTHING: UacFacts = { mentions: false, assignments: () => [], writes: [], setValues: [], reads: [] };

/**
 * Each statement's registry writes and reads and constant assignments are kept; whether a write
 * turns UAC off and whether the value was saved and is restored is decided for the whole script.
 */
const uacFacts: StatementFacts<PowerShellIndex, UacFacts> = {
  collect(parsed) {
    const root = parsed.root;
    const whole = root === parsed.parse.ast;
    const mentions = ENABLE_LUA.test(whole ? parsed.text : parsed.text.slice(root.start, root.end));
    // The whole script's facts: without a mention, nothing else matters.
    if (whole && !mentions) return NOTHING;
    const setValues: MemberExpr[] = [];
    const reads: Node[] = [];
    for (const [name, commands] of parsed.commandsByName()) {
      if (GET_PROPERTY.has(name)) for (const c of commands) reads.push(c);
      else if (REG.test(name)) {
        for (const c of commands) if (c.elements[0]?.type !== 'CommandParameter' && /^(query|export|save)$/i.test(constantText(c.elements[0]) ?? '')) reads.push(c);
      }
    }
    for (const m of parsed.nodes('Member')) {
      if (!m.arguments || m.name === undefined) continue;
      if (equalsIgnoreCase(m.name, 'setvalue')) setValues.push(m);
      else if (equalsIgnoreCase(m.name, 'getvalue')) reads.push(m);
    }
    const writes = commandWrites(parsed);
    if (!mentions && writes.length === 0 && setValues.length === 0 && reads.length === 0 && parsed.nodes('Assignment').length === 0) return NOTHING;
    let assignments: ReadonlyArray<readonly [string, string | undefined]> | undefined;
    return { mentions, assignments: () => (assignments ??= constantAssignments(parsed)), writes, setValues, reads };
  },
  combine(context, facts) {
    if (facts.some((f) => f.mentions)) check(context, facts);
  },
};

const ENABLE_LUA = /enablelua/i;

/**
 * UAC turned off (EnableLUA = 0 through Set-/New-ItemProperty, `reg add` or `.SetValue`) where
 * the original value is not saved first, or where nothing in the workspace (this script or a
 * script beside it) puts the saved value back. DOMAIN.md: restore exactly what was there, never
 * an assumed default. "Saved" means the script reads the registry before it turns UAC off.
 */
export const uacOff: Rule<PowerShellIndex> = {
  id: 'PP1026',
  language: 'powershell',
  severity: 'error',
  message: 'Save the original EnableLUA value before turning UAC off, and restore exactly that value in the workspace: until then the device runs without UAC.',
  docs,
  fixable: false,
  facts: uacFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(uacFacts),
};

function check({ path, report }: RuleContext<PowerShellIndex>, facts: readonly UacFacts[]): void {
  const valueOf = resolver(facts);
  const writes: RegistryWrite[] = [];
  for (const f of facts) for (const w of f.writes) writes.push(w);
  for (const f of facts) for (const m of f.setValues) writes.push(memberWrite(m, valueOf));
  const disables = writes.filter((w) => isEnableLua(valueOf, w.name) && isZero(valueOf, w.value));
  if (disables.length === 0) return;
  if (restoresSaved(writes, valueOf)) return;
  let restored: boolean | undefined | null = null;
  for (const w of disables) {
    const saved = facts.some((f) => f.reads.some((r) => r.start < w.node.start));
    if (!saved) {
      report({ start: w.node.start, end: w.node.end, message: l10n.t('Read and save the current EnableLUA value before turning UAC off, so that exactly that value can be restored afterwards.') });
      continue;
    }
    if (restored === null) restored = workspaceRestores(path);
    if (restored === false) {
      report({ start: w.node.start, end: w.node.end, message: l10n.t('Nothing in this workspace puts the saved EnableLUA value back: add a script that restores it, or the device stays without UAC.') });
    }
  }
}
