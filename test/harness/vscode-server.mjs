// Runs the integration suite (out/test/integration/index.js) inside a real VS Code: the VS Code
// server from the `code-server` npm package, its workbench opened in Debian's Chromium through
// playwright-core, the tests in the server's Node extension host (HEADLESS-VSCODE.md).
//
// What the tests get from the harness, through environment variables of the extension host:
//   PINPACK_RESULTS_FILE  where the mocha reporter writes the counts
//   PINPACK_TEST_LOG      where the test runner writes its console output; tailed here live
//   PINPACK_HARNESS_URL   a loopback endpoint for what only the browser side can do
//                         (a PNG screenshot of the workbench, the text of workbench elements)
//   PINPACK_TEST_LOCALE   the display language of the run: `en`, or `ja` for the Japanese pass
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureVSCodeServer, findChromium, root, SetupError } from './tools.mjs';

const HOST = '127.0.0.1';
const screenshotsDir = join(root, 'out', 'screenshots');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitForServer(url, server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new SetupError(`The VS Code server exited with code ${server.exitCode} before it was ready.`);
    if ((await httpStatus(url)) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new SetupError(`The VS Code server did not answer on ${url} within ${timeoutMs / 1000} s.`);
}

/** Prints what the tests write to their log file as it grows. */
function tail(file) {
  let offset = 0;
  const buffer = Buffer.alloc(64 * 1024);
  const pump = () => {
    let fd;
    try {
      if (statSync(file).size <= offset) return;
      fd = openSync(file, 'r');
      let n;
      while ((n = readSync(fd, buffer, 0, buffer.length, offset)) > 0) {
        process.stdout.write(buffer.subarray(0, n));
        offset += n;
      }
    } catch {
      // Not created yet.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
  const timer = setInterval(pump, 200);
  return () => {
    clearInterval(timer);
    pump();
  };
}

/**
 * Makes the workbench start in `locale`. The web workbench of VS Code server 1.139 takes its
 * language from --locale (or argv.json), but only switches when a language pack for it is
 * listed in <user data>/languagepacks.json, the file VS Code writes when it installs one: it
 * then builds the workbench's messages from the pack's translations (English where the pack has
 * none) and starts the extension host in that language, so vscode.env.language, package.nls.<locale>.json
 * and l10n/bundle.l10n.<locale>.json all apply. This writes a minimal pack (a real
 * contributes.localizations manifest, no translated workbench strings) and its entry; installing
 * it from a VSIX through the server's CLI would write the same entry, for seconds more per run.
 */
function addLanguagePack(scratch, locale) {
  const id = `pinpack-test.language-pack-${locale}`;
  const dir = join(scratch, 'language-pack');
  const translations = join(dir, 'translations', 'main.i18n.json');
  mkdirSync(join(dir, 'translations'), { recursive: true });
  const localization = { languageId: locale, languageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `language-pack-${locale}`, publisher: 'pinpack-test', version: '0.0.1', engines: { vscode: '^1.90.0' }, contributes: { localizations: [localization] } }));
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const userData = join(scratch, 'server-data', 'data');
  mkdirSync(userData, { recursive: true });
  const pack = { hash: `${id}-0.0.1`, extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }], translations: { vscode: translations }, label: locale };
  writeFileSync(join(userData, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
}

/** The loopback endpoint through which a test asks the browser side for a screenshot or text. */
function startHarnessEndpoint(getPage) {
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const input = body ? JSON.parse(body) : {};
      const page = getPage();
      let result;
      if (req.url === '/screenshot') {
        if (!/^[\w.-]+$/.test(input.name ?? '')) throw new Error('screenshot needs a plain file name');
        mkdirSync(screenshotsDir, { recursive: true });
        const path = join(screenshotsDir, input.name.endsWith('.png') ? input.name : `${input.name}.png`);
        await page.screenshot({ path });
        result = { path };
      } else if (req.url === '/text') {
        result = { texts: await page.locator(input.selector).allInnerTexts() };
      } else if (req.url === '/wheel') {
        // Lists render only the rows in view: a test scrolls one the way a user does, with the wheel.
        const box = await page.locator(input.selector).first().boundingBox();
        if (!box) throw new Error(`nothing visible matches ${input.selector}`);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, Number(input.deltaY) || 0);
        result = {};
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error?.message ?? error) }));
    }
  });
  return new Promise((resolve) => server.listen(0, HOST, () => resolve(server)));
}

/** Installs VSIX files into an extensions folder with the VS Code server's own `--install-extension`. */
async function installExtensions(node24, serverMain, vsixFiles, extensionsDir, serverDataDir) {
  for (const vsix of vsixFiles) {
    const output = [];
    const installer = spawn(
      node24,
      [serverMain, '--accept-server-license-terms', '--server-data-dir', serverDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    installer.stdout.on('data', (c) => output.push(c));
    installer.stderr.on('data', (c) => output.push(c));
    const code = await new Promise((resolve) => installer.once('exit', resolve));
    const text = Buffer.concat(output).toString();
    if (code !== 0 || !/successfully installed/i.test(text)) {
      throw new SetupError(`The VS Code server could not install ${vsix} (exit ${code}):\n${text.trim()}`);
    }
  }
}

/**
 * Runs the suite and returns the path of the results file the reporter wrote (or would have).
 * Throws SetupError when VS Code could not be started or the run timed out.
 *
 * `developmentPath` is the extension loaded from source (default: PinPack itself); `install`
 * lists VSIX files installed into the fresh extensions folder first, as a user would install them.
 */
export async function runInVSCodeServer({ testsEntry, resultsFile, timeoutMs, verbose, developmentPath = root, install = [], env = {}, locale = 'en' }) {
  const { node24, serverMain } = await ensureVSCodeServer();
  const chromiumPath = findChromium();
  const scratch = mkdtempSync(join(tmpdir(), 'pinpack-it-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const testLog = join(scratch, 'tests.log');
  writeFileSync(testLog, '');
  try {
    await installExtensions(node24, serverMain, install, join(scratch, 'extensions'), join(scratch, 'server-data'));
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  if (locale !== 'en') addLanguagePack(scratch, locale);

  let page;
  const endpoint = await startHarnessEndpoint(() => page);
  const port = await freePort();
  const authority = `${HOST}:${port}`;
  const serverLog = [];
  const server = spawn(
    node24,
    [
      serverMain,
      '--host', HOST,
      '--port', String(port),
      '--without-connection-token',
      // Without it a built workbench ignores the extensionDevelopmentPath/extensionTestsPath payload.
      '--enable-smoke-test-driver',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--server-data-dir', join(scratch, 'server-data'),
      '--extensions-dir', join(scratch, 'extensions'),
      ...(locale !== 'en' ? ['--locale', locale] : []),
    ],
    {
      detached: true, // its own process group, so the extension host goes down with it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PINPACK_RESULTS_FILE: resultsFile,
        PINPACK_TEST_LOG: testLog,
        PINPACK_HARNESS_URL: `http://${HOST}:${endpoint.address().port}`,
        PINPACK_TEST_LOCALE: locale,
        ...env,
      },
    },
  );
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      serverLog.push(line);
      if (serverLog.length > 300) serverLog.shift();
      if (verbose) process.stdout.write(`[vscode-server] ${line}\n`);
    }
  };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);

  let browser;
  const stopTail = tail(testLog);
  // Whatever happens to this process, the server's process group (with the extension host) goes.
  const killGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const cleanup = async () => {
    stopTail();
    // The server first: a browser stuck on a broken page must not keep it alive.
    killGroup('SIGTERM');
    await Promise.race([browser?.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null && server.signalCode === null) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    killGroup('SIGKILL');
    process.off('exit', onExit);
    endpoint.close();
    rmSync(scratch, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await waitForServer(`http://${authority}/`, server, 60_000);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (verbose) page.on('console', (m) => process.stdout.write(`[workbench] ${m.text()}\n`));
    // The workbench calls window.codeAutomationExit(code) when the extension host running the tests exits.
    const exited = new Promise((resolve) => void page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${authority}${developmentPath.replace(/\/$/, '')}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsEntry}`],
    ]);
    await page.goto(`http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      await page.screenshot({ path: join(root, 'out', 'integration-timeout.png') }).catch(() => {});
      throw new SetupError(
        `The integration tests did not finish within ${timeoutMs / 1000} s (screenshot: out/integration-timeout.png). Last lines of the VS Code server:\n${serverLog.slice(-40).join('\n')}`,
      );
    }
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/** The same suite in a VS Code that @vscode/test-electron downloads: for machines that can download it. */
export async function runInTestElectron({ testsEntry, resultsFile }) {
  const { runTests } = await import('@vscode/test-electron');
  const scratch = mkdtempSync(join(tmpdir(), 'pinpack-it-'));
  const testLog = join(scratch, 'tests.log');
  const stopTail = tail(testLog);
  try {
    return await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      launchArgs: [scratch, '--disable-extensions'],
      extensionTestsEnv: { PINPACK_RESULTS_FILE: resultsFile, PINPACK_TEST_LOG: testLog, ...(process.env.PINPACK_TEST_GREP ? { PINPACK_TEST_GREP: process.env.PINPACK_TEST_GREP } : {}) },
    }).catch(() => 1);
  } finally {
    stopTail();
    rmSync(scratch, { recursive: true, force: true });
  }
}
