import * as l10n from '@vscode/l10n';
import pairDocs from '../../../../../docs/rules/PP1022.md';
import literalDocs from '../../../../../docs/rules/PP1023.md';
import { type Command, type CommandParameter, type Expression, type ParameterNode, loneExpression } from '../../powershell/ast';
import { constantText, findParameter, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Finding, type Rule, type StatementFacts } from '../../rule';
import { assignmentsByTargetName, parametersByName, statementFindings } from './facts';

/** The types PSScriptAnalyzer accepts for a password parameter (and `[Credential()]`). */
const SAFE_TYPES = /^((system\.)?(security\.)?securestring|(system\.management\.automation\.)?pscredential|switch|(system\.management\.automation\.)?switchparameter|bool(ean)?|(system\.management\.automation\.)?credential(attribute)?)$/i;

function nameOf(p: ParameterNode): string {
  return p.variable.name.replace(/^\w+:/, '');
}

/**
 * PSScriptAnalyzer's PSAvoidUsingUsernameAndPasswordParams: one parameter list with a name that
 * contains "User" or "Username" and one that contains "Password" or "Passphrase" (not typed
 * SecureString, PSCredential, switch or bool). PSScriptAnalyzer looks at functions only; a
 * deployment script's own param block takes the same secrets on its command line, so it is
 * checked too.
 */
function reportPair(parameters: readonly ParameterNode[], owner: string, report: (f: Finding) => void): void {
  const user = parameters.find((p) => /user/i.test(nameOf(p)));
  const password = parameters.find((p) => /pass(word|phrase)/i.test(nameOf(p)) && !p.attributes.some((a) => SAFE_TYPES.test(a.name)));
  if (!user || !password) return;
  const start = Math.min(user.start, password.start);
  const end = Math.max(user.end, password.end);
  const message = owner
    ? l10n.t('The function {0} takes a user name and a password: take one [PSCredential] parameter instead, so the password is never plain text.', owner)
    : l10n.t('This script takes a user name and a password: take one [PSCredential] parameter instead, so the password is never plain text.');
  report({ start, end, message });
}

/** Functions' parameters are kept per top-level statement; the script's own param block is looked at on every lint. */
const pairFacts = statementFindings(
  (parsed, report) => {
    for (const f of parsed.nodes('FunctionDefinition')) reportPair([...f.parameters, ...(f.body.paramBlock?.parameters ?? [])], f.name, report);
  },
  ({ parsed, report }) => {
    const scriptParams = parsed.parse.ast.paramBlock?.parameters;
    if (scriptParams) reportPair(scriptParams, '', report);
    return true;
  },
);

export const usernameAndPassword: Rule<PowerShellIndex> = {
  id: 'PP1022',
  language: 'powershell',
  severity: 'error',
  pssa: 'PSAvoidUsingUsernameAndPasswordParams',
  message: 'Take one [PSCredential] parameter instead of a user name and a password, so the password is never plain text.',
  docs: pairDocs,
  fixable: false,
  facts: pairFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(pairFacts),
};

/** The last word of a name: `adminPassword` -> password, `user_PIN` -> pin, `Bypass` -> bypass. */
function lastWord(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/);
  return (words[words.length - 1] ?? '').toLowerCase().replace(/\d+$/, '');
}

const PIN_WORDS = new Set(['pin', 'pincode']);
const SECRET_WORDS = new Set([...PIN_WORDS, 'password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret']);

/** A cheap first look: most names do not end like a secret at all. */
const SECRET_ENDING = /(pass(word|wd|phrase)?|pwd|secret|pin(code)?)\d*$/i;

/** Names of variables, parameters and keys that hold a password or a PIN. */
const SECRET_NAME = { test: (name: string) => SECRET_ENDING.test(name) && SECRET_WORDS.has(lastWord(name)) };
const PIN_ONLY = { test: (name: string) => PIN_WORDS.has(lastWord(name)) };

/** A constant that is a secret and not a placeholder: non-empty, not masked (`****`). */
function secretLiteral(name: string, e: Expression | undefined): Expression | undefined {
  if (!e) return undefined;
  if (e.type === 'Number') return PIN_ONLY.test(name) && /^\d{4,}$/.test(e.text) ? e : undefined;
  if (e.type !== 'String') return undefined;
  const text = constantText(e);
  if (text === undefined || !text.trim() || /^\*+$/.test(text.trim())) return undefined;
  return e;
}

const bare = (name: string) => name.replace(/^\w+:/, '');

/**
 * A PIN or password written into the script: assigned to a variable, a property or a hashtable
 * key named like one, given as a parameter's default, passed to a parameter named like one, or
 * turned into a SecureString from a literal. The message names where, never the value.
 */
export const literalSecret: Rule<PowerShellIndex> = {
  id: 'PP1023',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  message: 'Do not write a PIN or password into the script: it is copied to every device and kept in logs; read it from the PIN file or a protected store.',
  docs: literalDocs,
  fixable: false,
  check({ parsed, report }) {
    const say = (e: Expression, where: string) =>
      report({ start: e.start, end: e.end, message: l10n.t('{0} is given a literal PIN or password: read it from the PIN file or a protected store instead, since the script is copied to every device and kept in logs.', where) });
    // Each name is tested once (as a variable's, without its scope, and as a property's).
    for (const [written, assignments] of assignmentsByTargetName(parsed)) {
      const asVariable = bare(written);
      const variable = asVariable !== '' && SECRET_NAME.test(asVariable);
      const property = written !== '' && SECRET_NAME.test(written);
      if (!variable && !property) continue;
      for (const a of assignments) {
        const isVariable = (a.left.type === 'Convert' ? a.left.operand : a.left)?.type === 'Variable';
        if (!(isVariable ? variable : property)) continue;
        const name = isVariable ? asVariable : written;
        const value = secretLiteral(name, loneExpression(a.right));
        if (value) say(value, isVariable ? `$${name}` : name);
      }
    }
    for (const p of parsed.nodes('Parameter')) {
      const name = bare(p.variable.name);
      const value = SECRET_NAME.test(name) ? secretLiteral(name, p.defaultValue) : undefined;
      if (value) say(value, `$${name}`);
    }
    for (const h of parsed.nodes('Hashtable')) {
      for (const pair of h.pairs) {
        const key = constantText(pair.key);
        const value = key && SECRET_NAME.test(key) ? secretLiteral(key, loneExpression(pair.value)) : undefined;
        if (key && value) say(value, key);
      }
    }
    for (const [name, pairs] of parametersByName(parsed)) {
      if (!SECRET_NAME.test(name)) continue;
      for (let i = 0; i < pairs.length; i += 2) {
        const value = secretLiteral(name, parameterArgument(pairs[i] as Command, pairs[i + 1] as CommandParameter));
        if (value) say(value, `-${name}`);
      }
    }
    for (const c of parsed.commandsNamed(['convertto-securestring'])) {
      if (!findParameter(c, 'asplaintext')) continue;
      const named = findParameter(c, 'string', 2);
      // Its switches (-AsPlainText, -Force) take no argument: what follows them is positional.
      const isSwitch = (e: CommandParameter | Expression | undefined) => e?.type === 'CommandParameter' && !e.argument && /^(a|f)/i.test(e.name);
      const value = named
        ? parameterArgument(c, named)
        : c.elements.find((e, i): e is Expression => e.type !== 'CommandParameter' && (c.elements[i - 1]?.type !== 'CommandParameter' || isSwitch(c.elements[i - 1])));
      const literal = secretLiteral('password', value);
      if (literal) say(literal, 'ConvertTo-SecureString');
    }
  },
};
