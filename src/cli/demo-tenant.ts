import { PinPackError } from '../core/errors';
import { FaultSpecError } from '../demo-tenant/faults';
import { startDemoTenant } from '../demo-tenant/server';
import { parseCommandArgs, parseCount } from './args';
import { ExitCode, type CliCommand } from './command';

const help = `Usage: pinpack demo-tenant [--port N] [--users N] [--seed S] [--faults SPEC]

Runs the embedded demo tenant, an emulator of the Ivanti Neurons for MDM API, on 127.0.0.1
until Ctrl+C. It prints the environment lines that connect the other commands to it.

Options:
  --port N       Port to listen on (default 0: any free port).
  --users N      Number of users, up to 100000 (default 500).
  --seed S       Seed of the generated data: the same seed gives the same tenant (default pinpack).
  --faults SPEC  Faults to inject, comma-separated ENDPOINT:KIND[=N][@P][#C], e.g.
                 "regpin:429=2@0.5,account:slow=200". Endpoints: account, regpin, device,
                 partition, metadata, group, *. Kinds: 429, 429-bare, 500, 503, 401, 403,
                 slow=MS, drop, reset, malformed, html, drift, limit=CALLS_PER_MINUTE.
`;

export const demoTenantCommand: CliCommand = {
  name: 'demo-tenant',
  summary: 'Run the embedded demo tenant on loopback until Ctrl+C.',
  help,
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
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PinPackError('io', `Port ${port} is in use: choose another with --port, or leave it out to take a free one.`);
      throw error;
    }
    const exportLine = process.platform === 'win32' ? (k: string, v: string) => `  $env:${k} = '${v}'` : (k: string, v: string) => `  export ${k}='${v}'`;
    io.out(`PinPack demo tenant: ${tenant.url} (${users} users, seed ${seed}${values.faults ? `, faults ${values.faults}` : ''})
Connect the other commands to it with:
${exportLine('PINPACK_TENANT_URL', tenant.url)}
${exportLine('PINPACK_USER', tenant.username)}
${exportLine('PINPACK_PASSWORD', tenant.password)}
Press Ctrl+C to stop.
`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await tenant.close();
    io.out('Demo tenant stopped.\n');
    return ExitCode.ok;
  },
};
