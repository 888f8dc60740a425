import { TenantClient, type TenantClientOptions, type TenantConnection } from '../../../../src/core/tenant/client';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../../../src/demo-tenant/server';

/**
 * Waits recorded instead of slept, so retry tests run in milliseconds. The clock moves on by each
 * wait, so code that waits until a time sees that time arrive.
 */
export class FakeSleep {
  readonly waits: number[] = [];
  private offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  readonly sleep = async (ms: number): Promise<void> => {
    this.waits.push(ms);
    this.offset += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
}

export interface DemoFixture {
  readonly tenant: DemoTenant;
  readonly client: TenantClient;
  readonly sleeper: FakeSleep;
  readonly logs: string[];
  close(): Promise<void>;
}

/** A demo tenant on loopback and a client connected to it over real HTTP. */
export async function demoFixture(
  tenantOptions: DemoTenantOptions = {},
  clientOptions: TenantClientOptions = {},
  connection: Partial<TenantConnection> = {},
): Promise<DemoFixture> {
  const tenant = await startDemoTenant({ users: 200, seed: 'unit', ...tenantOptions });
  const sleeper = new FakeSleep();
  const logs: string[] = [];
  const client = new TenantClient(
    { url: tenant.url, username: tenant.username, password: tenant.password, ...connection },
    { sleep: sleeper.sleep, now: sleeper.now, log: (line) => logs.push(line), random: () => 0.5, ...clientOptions },
  );
  return {
    tenant,
    client,
    sleeper,
    logs,
    async close() {
      client.close();
      await tenant.close();
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
