import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import { FaultSpecError } from '../demo-tenant/faults';
import { startDemoTenant } from '../demo-tenant/server';
import { parseCommandArgs, parseCount } from './args';
import { ExitCode, type CliCommand } from './command';

/** A function, not a constant: the text is looked up in the language chosen for this run. */
const help = (): string =>
  l10n.t(`Usage: pinpack demo-tenant [--port N] [--users N] [--seed S] [--faults SPEC]

Runs the embedded demo tenant, an emulator of the Ivanti Neurons for MDM API, on 127.0.0.1
until Ctrl+C. It prints the environment lines that connect the other commands to it.

Options:
  --port N       Port to listen on (default 0: any free port).
  --users N      Number of users, up to 100000 (default 500).
  --seed S       Seed of the generated data: the same seed gives the same tenant (default pinpack).
  --faults SPEC  Faults to inject, comma-separated ENDPOINT:KIND[=N][@P][#C], e.g.
                 "regpin:429=2@0.5,account:slow=200". Endpoints: account, regpin, device,
                 partition, metadata, group, *. Kinds: 429, 429-bare, 500, 503, 401, 403,
                 slow=MS, drop, stall=MS, reset, malformed, html, drift, limit=CALLS_PER_MINUTE.
`);

export const demoTenantCommand: CliCommand = {
  name: 'demo-tenant',
  get help() {
    return help();
  },
  async run(args, io) {
    const { values } = parseCommandArgs('demo-tenant', args, {
      port: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
    });
    const port = parseCount('demo-tenant', 'port', values.port, 0, 65535) ?? 0;
    const users = parseCount('demo-tenant', 'users', values.users, 0, 100_000) ?? 500;
    const seed = values.seed ?? 'pinpack';
    let tenant;
    try {
      tenant = await startDemoTenant({ port, users, seed, ...(values.faults ? { faults: values.faults } : {}) });
    } catch (error) {
      if (error instanceof FaultSpecError) throw new PinPackError('usage', error.message);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PinPackError('io', l10n.t('Port {0} is in use: choose another with --port, or leave it out to take a free one.', port));
      throw error;
    }
    const exportLine = process.platform === 'win32' ? (k: string, v: string) => `  $env:${k} = '${v}'` : (k: string, v: string) => `  export ${k}='${v}'`;
    const faults = values.faults ? l10n.t(', faults {0}', values.faults) : '';
    io.out(`${l10n.t('PinPack demo tenant: {0} ({1} users, seed {2}{3})', tenant.url, users, seed, faults)}
${l10n.t('Connect the other commands to it with:')}
${exportLine('PINPACK_TENANT_URL', tenant.url)}
${exportLine('PINPACK_USER', tenant.username)}
${exportLine('PINPACK_PASSWORD', tenant.password)}
${l10n.t('Press Ctrl+C to stop.')}
`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await tenant.close();
    io.out(`${l10n.t('Demo tenant stopped.')}\n`);
    return ExitCode.ok;
  },
};
