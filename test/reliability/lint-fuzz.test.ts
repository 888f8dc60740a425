import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintFile } from '../../src/core/lint/engine';
import { locatePwsh, PwshOracle, syntaxErrors } from '../oracle/pwsh-oracle';
import { fuzzInputs, random } from '../unit/core/lint/fuzz-powershell';
import { figure, repoRoot } from './figures';

/**
 * Lint fuzzing (issue #10): 50,000+ generated and mutated PowerShell and batch inputs, as bytes
 * (UTF-8 with and without BOM, UTF-16 LE/BE, invalid UTF-8 and UTF-16, huge lines, deep nesting),
 * through the public lint API `lintFile` only (no rule internals: rules come and go). Figures:
 * crashes, inputs far slower than the median, and how often the linter's "this does not parse"
 * (rule PP1000) disagrees with the real PowerShell parser on a sample.
 */

const AREA = 'lint fuzzing';
const TOTAL = 50_000;
/** Inputs sent to the real PowerShell parser. */
const ORACLE_SAMPLE = 3_000;

const read = (dir: string, suffixes: readonly string[]): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => suffixes.some((s) => name.endsWith(s)))
    .map((name) => readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, ''));

const BATCH_FRAGMENTS = [
  '%', '%%', '!', '^', '&', '&&', '||', '|', '>', '>>', '2>&1', '<', '(', ')', '"', ':', '::', 'rem ', '@echo off', 'goto :eof',
  'call :sub', ':sub', 'setlocal EnableDelayedExpansion', 'endlocal', 'set "X=1"', 'set /a X+=1', 'set /p X=', 'if errorlevel 1 ',
  'if %ERRORLEVEL% GEQ 8 (exit /b %ERRORLEVEL%) else (exit /b 0)', 'for /f "tokens=*" %%a in (\'dir /b\') do echo %%a', '%~dp0',
  '%~nx1', '%*', '%1', '!X!', '%X:~0,1%', '%X:a=b%', 'robocopy "%~dp0." "C:\\x" /E /R:2 /W:5', 'xcopy /y', 'exit /b 1',
  '\r\n', '\n', '\t', ' ', 'powershell -File x.ps1', 'start "" /wait', 'ＡＢＣ', 'é', '\u0000', '\u001a',
];

function mutateBatch(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4));
    case 1:
    case 2:
      return text.slice(0, at) + (BATCH_FRAGMENTS[Math.floor(rnd() * BATCH_FRAGMENTS.length)] as string) + text.slice(at);
    case 3:
      return text.slice(0, at);
    default: {
      const lines = text.split('\n');
      lines.splice(Math.floor(rnd() * lines.length), 0, lines[Math.floor(rnd() * lines.length)] ?? '');
      return lines.join('\n');
    }
  }
}

function batchInputs(sources: readonly string[], count: number, seed: number): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const source = sources[i % sources.length] as string;
    const lines = source.split('\n');
    const from = Math.floor(rnd() * lines.length);
    let text = lines.slice(from, from + 1 + Math.floor(rnd() * 15)).join('\n');
    for (let k = 0, n = i % 4 === 0 ? 0 : 1 + Math.floor(rnd() * 4); k < n; k++) text = mutateBatch(rnd, text);
    return text;
  });
}

/** Encodes a text the ways a file may arrive, some of them broken. */
function encodings(rnd: () => number, text: string, i: number): Uint8Array {
  const utf8 = Buffer.from(text, 'utf8');
  switch (i % 10) {
    case 0:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    case 1:
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 2: {
      const le = Buffer.from(text, 'utf16le');
      const be = Buffer.alloc(le.length);
      for (let k = 0; k + 1 < le.length; k += 2) {
        be[k] = le[k + 1] as number;
        be[k + 1] = le[k] as number;
      }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
    }
    case 3: {
      // Invalid UTF-8: stray continuation bytes, overlong forms, truncated sequences, surrogates.
      const bad = [[0x80], [0xbf], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe3, 0x81], [0xff], [0xfe, 0xfe]];
      const out = Buffer.from(utf8);
      const at = Math.floor(rnd() * (out.length + 1));
      return Buffer.concat([out.subarray(0, at), Buffer.from(bad[Math.floor(rnd() * bad.length)] as number[]), out.subarray(at)]);
    }
    case 4: {
      // Invalid UTF-16: odd length, lone surrogates.
      const le = Buffer.from(text, 'utf16le');
      const lone = Buffer.from([0x00, 0xd8 + Math.floor(rnd() * 8)]);
      const at = 2 * Math.floor(rnd() * (le.length / 2 + 1));
      return Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, at), lone, le.subarray(at), i % 20 === 4 ? Buffer.from([0x41]) : Buffer.alloc(0)]);
    }
    default:
      return utf8;
  }
}

/** Inputs built to hurt: huge lines, deep nesting, long runs of one token. */
function extremes(language: 'powershell' | 'batch'): string[] {
  const big = (n: number, unit: string): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const common = [big(1_000_000, 'a'), big(300_000, ' '), big(200_000, '\r\n'), big(200_000, '\n'), big(100_000, '"'), big(100_000, "'"), big(100_000, '%'), big(200_000, 'é日本')];
  if (language === 'batch') {
    return [...common, big(400_000, 'echo %PATH%& '), big(200_000, '('), big(200_000, ')'), big(100_000, '^'), `@echo off\r\n${big(500_000, 'set X=%X%;C:\\bin')}\r\n`, big(300_000, 'if 1==1 ')];
  }
  return [
    ...common,
    big(100_000, '('), big(100_000, '{'), big(50_000, '@('), big(50_000, '$('), big(100_000, '`'), big(100_000, '#'), big(40_000, '"$('),
    big(200_000, '[int]'), big(300_000, '$a.b'), big(300_000, '-not '), `$x = "${big(500_000, 'x')}"`, `Write-Output ${big(500_000, 'Get-Item -Path C:\\x; ')}`,
    `@'\n${big(500_000, 'line\n')}'@`, big(100_000, '<#'), big(300_000, '1 + '), `${big(50_000, 'if ($a) { ')}${big(50_000, '} ')}`,
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function timeLint(path: string, bytes: Uint8Array): number {
  const started = process.hrtime.bigint();
  lintFile(path, bytes);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

describe('reliability: lint fuzzing', function () {
  this.timeout(600_000);
  const psSources = [...read(join(repoRoot, 'test', 'fixtures', 'powershell'), ['.ps1', '.psm1']), ...read(join(repoRoot, 'src', 'core', 'templates'), ['.ps1'])];
  const batSources = read(join(repoRoot, 'src', 'core', 'templates'), ['.bat', '.cmd']);
  let oracle: PwshOracle | undefined;
  after(() => oracle?.close());

  it(`${TOTAL.toLocaleString('en')}+ generated and mutated PowerShell and batch inputs (bad UTF-8/UTF-16, huge lines): no crash, none over 100x the median time per size, syntax validity as the real PowerShell parser says`, async () => {
    const rnd = random(26111026);
    const psTexts = fuzzInputs(psSources, Math.round(TOTAL * 0.7), 20261126);
    const batTexts = batchInputs(batSources.length ? batSources : ['@echo off\r\nexit /b 0\r\n'], TOTAL - psTexts.length, 20261127);
    const inputs: { path: string; bytes: Uint8Array; text?: string }[] = [
      ...psTexts.map((text, i) => ({ path: i % 7 === 0 ? 'module.psm1' : 'script.ps1', bytes: encodings(rnd, text, i), text })),
      ...batTexts.map((text, i) => ({ path: i % 3 === 0 ? 'copy.cmd' : 'copy.bat', bytes: encodings(rnd, text, i) })),
      ...extremes('powershell').map((text, i) => ({ path: 'huge.ps1', bytes: encodings(rnd, text, i % 5) })),
      ...extremes('batch').map((text, i) => ({ path: 'huge.bat', bytes: encodings(rnd, text, i % 5) })),
    ];
    const crashes: string[] = [];
    const times: number[] = new Array<number>(inputs.length).fill(0);
    const decodedText: string[] = new Array<string>(inputs.length).fill('');
    for (const [i, input] of inputs.entries()) {
      const started = process.hrtime.bigint();
      try {
        const result = lintFile(input.path, input.bytes);
        times[i] = Number(process.hrtime.bigint() - started) / 1e6;
        if (!result) throw new Error('lintFile gave no result for a PowerShell or batch path');
        decodedText[i] = result.file.text;
        for (const f of result.findings) {
          if (!(f.line >= 1 && f.column >= 1 && f.endLine >= f.line && typeof f.message === 'string' && f.message !== '')) throw new Error(`a finding of ${f.rule} has a bad position or message`);
        }
      } catch (error) {
        times[i] = Number(process.hrtime.bigint() - started) / 1e6;
        if (crashes.length < 2000) crashes.push(`#${i} ${input.path} ${JSON.stringify(Buffer.from(input.bytes).subarray(0, 80).toString('latin1'))}: ${String((error as Error)?.stack ?? error).split('\n').slice(0, 3).join(' | ')}`);
      }
    }

    // Bigger inputs may take proportionally longer: the cost of an input is its time divided by
    // how many times the median input's size it is (at least 1). An outlier is timed again
    // (best of three) before it counts, so a GC pause or a busy neighbour does not.
    const sizes = inputs.map((x) => x.bytes.length);
    const medianSize = Math.max(1, median(sizes));
    const cost = (i: number, ms: number): number => ms / Math.max(1, (sizes[i] as number) / medianSize);
    const medianCost = Math.max(median(times.map((t, i) => cost(i, t))), 0.001);
    const slow: string[] = [];
    let retimed = 0;
    for (const [i, t] of times.entries()) {
      if (cost(i, t) <= 100 * medianCost) continue;
      retimed++;
      const input = inputs[i] as (typeof inputs)[number];
      const best = Math.min(timeLint(input.path, input.bytes), timeLint(input.path, input.bytes), timeLint(input.path, input.bytes));
      if (cost(i, best) > 100 * medianCost) slow.push(`#${i} ${input.path} ${sizes[i]} bytes: ${best.toFixed(2)} ms (median ${median(times).toFixed(3)} ms for ${medianSize} bytes)`);
    }

    // The real parser on a sample of the PowerShell inputs that decode as text.
    oracle = new PwshOracle(locatePwsh(repoRoot), repoRoot);
    const candidates = inputs.map((_, i) => i).filter((i) => inputs[i]?.path.endsWith('.ps1') && (sizes[i] as number) < 20_000);
    const sample = Array.from({ length: ORACLE_SAMPLE }, (_, k) => candidates[Math.floor((k * candidates.length) / ORACLE_SAMPLE)] as number);
    // Both parsers get the same text: the decoded text, with any lone surrogate (from broken
    // UTF-16) made U+FFFD, as the UTF-8 that carries it to pwsh would make it anyway.
    const sent = sample.map((i) => (decodedText[i] as string).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
    const answers = await Promise.all(sent.map((text) => (oracle as PwshOracle).parse(text, true)));
    const ourInvalid = sent.map((text) => (lintFile('script.ps1', Buffer.from(text, 'utf8'))?.findings ?? []).some((f) => f.rule === 'PP1000'));
    // Plain UTF-8 inputs apart from those whose bytes were re-encoded or broken (encodings():
    // BOM, UTF-16, invalid sequences): a broken byte decodes to U+FFFD, a corner of the lexer.
    const plain = (i: number): boolean => i % 10 >= 5;
    const disagreements = { plain: [] as string[], encoded: [] as string[] };
    let plainCount = 0;
    sample.forEach((i, k) => {
      const theirs = syntaxErrors(answers[k] as Awaited<ReturnType<PwshOracle['parse']>>).length > 0;
      if (plain(i)) plainCount++;
      if (theirs !== ourInvalid[k]) (plain(i) ? disagreements.plain : disagreements.encoded).push(`${JSON.stringify((sent[k] as string).slice(0, 160))}: PowerShell says ${theirs ? 'invalid' : 'valid'}`);
    });
    const perMille = (n: number, of: number): number => Math.round((n / Math.max(1, of)) * 10_000) / 10;

    figure({ area: AREA, name: 'inputs linted (PowerShell and batch, as bytes)', value: inputs.length, min: TOTAL, note: `${psTexts.length} PowerShell, ${batTexts.length} batch, ${extremes('powershell').length + extremes('batch').length} extreme; median ${median(times).toFixed(3)} ms` });
    figure({ area: AREA, name: 'crashes', value: crashes.length, max: 0 }, () => crashes.slice(0, 10).join('\n'));
    figure({ area: AREA, name: 'inputs over 100x the median time (per median size, best of 3)', value: slow.length, max: 0, note: `${retimed} re-timed` }, () => slow.slice(0, 10).join('\n'));
    figure({ area: AREA, name: 'inputs compared with the real PowerShell parser', value: sample.length, min: ORACLE_SAMPLE });
    figure({ area: AREA, name: 'syntax-validity disagreements with PowerShell, plain UTF-8 (per 1000)', value: perMille(disagreements.plain.length, plainCount), max: 10, note: `${disagreements.plain.length} of ${plainCount}` }, () => disagreements.plain.slice(0, 10).join('\n'));
    figure({ area: AREA, name: 'syntax-validity disagreements with PowerShell, re-encoded or broken bytes (per 1000)', value: perMille(disagreements.encoded.length, sample.length - plainCount), max: 30, note: `${disagreements.encoded.length} of ${sample.length - plainCount}; e.g. ${JSON.stringify(disagreements.encoded[0]?.slice(0, 100) ?? '')}` }, () => disagreements.encoded.slice(0, 10).join('\n'));
  });
});
