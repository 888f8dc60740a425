import * as l10n from '@vscode/l10n';
import { readFileSync } from 'node:fs';
import * as readline from 'node:readline';
import { PinPackError } from '../core/errors';
import { TenantClient } from '../core/tenant/client';
import type { CliIo } from './command';

/**
 * The CLI's tenant connection (DESIGN.md §2): PINPACK_TENANT_URL, PINPACK_USER and
 * PINPACK_PASSWORD, or a prompt when stdin is a terminal. There is deliberately no password flag:
 * it would land in the shell history and the process list. PINPACK_CA_FILE adds a CA bundle for
 * TLS-inspecting proxies; HTTPS_PROXY and NO_PROXY are honoured.
 */

function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => rl.question(question, (answer) => {
    rl.close();
    resolve(answer.trim());
  }));
}

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Echo goes off before the prompt appears, so that nothing typed ahead is shown.
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new PinPackError('usage', l10n.t('Cancelled at the password prompt.')));
          return;
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

export async function connectTenant(io: CliIo): Promise<TenantClient> {
  const interactive = process.stdin.isTTY === true;
  const missing = ['PINPACK_TENANT_URL', 'PINPACK_USER', 'PINPACK_PASSWORD'].filter((name) => !io.env[name]);
  if (missing.length > 0 && !interactive) {
    throw new PinPackError(
      'usage',
      l10n.t('No tenant connection: set {0} in the environment (to try PinPack without a tenant, run "pinpack demo-tenant" and use the lines it prints).', missing.join(', ')),
    );
  }
  const url = io.env['PINPACK_TENANT_URL'] || (await ask(l10n.t('Tenant URL (e.g. https://na1.mobileiron.com): ')));
  const username = io.env['PINPACK_USER'] || (await ask(l10n.t('API user: ')));
  const password = io.env['PINPACK_PASSWORD'] || (await askHidden(l10n.t('Password for {0}: ', username)));
  let ca: string | undefined;
  const caFile = io.env['PINPACK_CA_FILE'];
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new PinPackError('io', l10n.t('The CA bundle {0} (PINPACK_CA_FILE) cannot be read ({1}): point PINPACK_CA_FILE at a PEM file.', caFile, (error as NodeJS.ErrnoException).code ?? 'error'));
    }
  }
  return new TenantClient({ url, username, password, env: io.env, ...(ca ? { ca } : {}) });
}
