import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ParseError, TokenKind, TokenList } from '../../src/core/lint/powershell/tokens';

/**
 * The real PowerShell parser as a test oracle: one long-lived pwsh process running
 * test/harness/pwsh-parse-oracle.ps1, so thousands of scripts parse in seconds.
 *
 * pwsh is the one the test harness installs (test/harness/tools.mjs `ensurePwsh`): it is looked
 * up in $PINPACK_TEST_CACHE/pwsh, else in <repo>/.vscode-test/pwsh. `npm run test:powershell`
 * installs it there when it is missing.
 */
export function locatePwsh(repoRoot: string): string {
  const cache = process.env['PINPACK_TEST_CACHE'] ?? join(repoRoot, '.vscode-test');
  const pwsh = join(cache, 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  if (!existsSync(pwsh)) {
    throw new Error(
      `PowerShell 7 was not found at ${pwsh}: run "npm run test:powershell" once to install it, or set PINPACK_TEST_CACHE to the folder that holds pwsh/.`,
    );
  }
  return pwsh;
}

export interface OracleToken {
  readonly kind: string;
  readonly flags: number;
  readonly start: number;
  readonly end: number;
}

export interface OracleParse {
  readonly tokens: OracleToken[];
  readonly errors: Array<{ start: number; end: number; id: string }>;
}

const FLAG_KEYWORD = 16;
const FLAG_COMMAND_NAME = 524288;

/**
 * The family of a PowerShell token that PinPack's TokenKind must match: PowerShell's Generic and
 * Identifier are both bare words, a keyword or operator used as a command name (`foreach`, `%`) is
 * a word, every other operator and punctuation is an Operator.
 */
export function oracleFamily(kind: string, flags: number): TokenKind | undefined {
  if (kind === 'EndOfInput') return undefined;
  if (flags & FLAG_COMMAND_NAME) return 'Word';
  switch (kind) {
    case 'Generic':
    case 'Identifier':
      return 'Word';
    case 'Variable':
    case 'SplattedVariable':
    case 'Parameter':
    case 'Number':
    case 'StringLiteral':
    case 'StringExpandable':
    case 'HereStringLiteral':
    case 'HereStringExpandable':
    case 'Comment':
    case 'NewLine':
    case 'LineContinuation':
    case 'Label':
      return kind;
  }
  return flags & FLAG_KEYWORD ? 'Keyword' : 'Operator';
}

/**
 * Parse errors that need more than syntax: PowerShell resolves class base types while parsing,
 * which no static linter can do without the machine's assemblies.
 */
export const SEMANTIC_ERROR_IDS: ReadonlySet<string> = new Set(['TypeNotFound']);

export function syntaxErrors(parse: OracleParse): OracleParse['errors'] {
  return parse.errors.filter((e) => !SEMANTIC_ERROR_IDS.has(e.id));
}

export interface Agreement {
  readonly errorsAgree: boolean;
  /** Only meaningful when neither parser found an error. */
  readonly tokensAgree: boolean;
  readonly detail: string;
}

/** Compares PinPack's parse of `text` with the oracle's. */
export function compare(text: string, ours: { tokens: TokenList; errors: readonly ParseError[] }, theirs: OracleParse): Agreement {
  const theirErrors = syntaxErrors(theirs);
  const errorsAgree = (ours.errors.length > 0) === (theirErrors.length > 0);
  if (!errorsAgree) {
    const detail = ours.errors.length
      ? `PinPack reports ${ours.errors[0]?.id} at ${ours.errors[0]?.start} (${JSON.stringify(text.slice(ours.errors[0]?.start ?? 0, (ours.errors[0]?.start ?? 0) + 20))}), PowerShell none`
      : `PowerShell reports ${theirErrors[0]?.id} at ${theirErrors[0]?.start} (${JSON.stringify(text.slice(theirErrors[0]?.start ?? 0, (theirErrors[0]?.start ?? 0) + 20))}), PinPack none`;
    return { errorsAgree, tokensAgree: false, detail };
  }
  if (ours.errors.length > 0) return { errorsAgree, tokensAgree: true, detail: '' };
  const a = ours.tokens.toArray().filter((t) => t.kind !== 'EndOfInput');
  const b = theirs.tokens.filter((t) => t.kind !== 'EndOfInput');
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    const family = y ? oracleFamily(y.kind, y.flags) : undefined;
    if (!x || !y || x.kind !== family || x.start !== y.start || x.end !== y.end) {
      const show = (k: string | undefined, s: number | undefined, e: number | undefined) =>
        k === undefined ? 'nothing' : `${k} ${s}-${e} ${JSON.stringify(text.slice(s, e))}`;
      return {
        errorsAgree,
        tokensAgree: false,
        detail: `token ${i}: PinPack ${show(x?.kind, x?.start, x?.end)}, PowerShell ${show(y ? `${family}(${y.kind})` : undefined, y?.start, y?.end)}`,
      };
    }
  }
  return { errorsAgree, tokensAgree: true, detail: '' };
}

export class PwshOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private exited: Error | undefined;

  /** `launcher`: a command that runs pwsh, such as `taskset -c 1` to keep it on one CPU (the bench). */
  constructor(pwsh: string, repoRoot: string, launcher: readonly string[] = []) {
    const script = join(repoRoot, 'test', 'harness', 'pwsh-parse-oracle.ps1');
    const command = [...launcher, pwsh, '-NoLogo', '-NoProfile', '-NonInteractive', '-File', script];
    this.child = spawn(command[0] as string, command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.on('exit', (code) => {
      this.exited = new Error(`the pwsh parse oracle exited with ${code}: ${stderr.trim()}`);
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    });
  }

  private request(line: string): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** PowerShell's tokens and errors; with `errorsOnly`, no tokens (much less to send back). */
  async parse(text: string, errorsOnly = false): Promise<OracleParse> {
    const line = await this.request(`${errorsOnly ? 'E' : 'P'} ${Buffer.from(text, 'utf8').toString('base64')}`);
    const raw = JSON.parse(line) as { t: Array<[string, number, number, number]>; e: Array<[number, number, string]> };
    return {
      tokens: raw.t.map(([kind, flags, start, end]) => ({ kind, flags, start, end })),
      errors: raw.e.map(([start, end, id]) => ({ start, end, id })),
    };
  }

  parseMany(texts: readonly string[]): Promise<OracleParse[]> {
    return Promise.all(texts.map((t) => this.parse(t)));
  }

  /**
   * Wall and CPU milliseconds PowerShell takes to parse every text `rounds` times, after one
   * untimed round (CPU time is the fairer measure on a shared machine).
   */
  async timeParse(texts: readonly string[], rounds: number): Promise<{ ms: number; cpuMs: number }> {
    const line = await this.request(`B ${rounds} ${texts.map((t) => Buffer.from(t, 'utf8').toString('base64')).join(' ')}`);
    return JSON.parse(line) as { ms: number; cpuMs: number };
  }

  close(): void {
    this.child.stdin.end();
  }
}
