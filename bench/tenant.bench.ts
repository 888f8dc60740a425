import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { join } from 'node:path';
import { TenantClient } from '../src/core/tenant/client';
import { generatePins } from '../src/core/tenant/pin-generation';
import type { Account } from '../src/core/tenant/schemas';
import { DEMO_PASSWORD, DEMO_USERNAME } from '../src/demo-tenant/server';
import type { Benchmark, Figure } from './figure';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

/** `pinpack demo-tenant` in a child process, so its work and memory stay out of the figures. */
async function demoTenant(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'demo-tenant', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /PINPACK_TENANT_URL='?(http:\/\/[^'\s]+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', () => reject(new Error(`demo-tenant exited early: ${out}`)));
  });
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

const auth = `Basic ${Buffer.from(`${DEMO_USERNAME}:${DEMO_PASSWORD}`).toString('base64')}`;
const agent = new http.Agent({ keepAlive: true });

/** The same page fetched with a bare http.get and JSON.parse: the floor any client stands on. */
function barePage(url: string, start: number, rows: number): Promise<{ totalCount: number; count: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/v1/account?rows=${rows}&start=${start}`, { headers: { authorization: auth }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result: { totalCount: number; searchResults: unknown[] } };
          resolve({ totalCount: body.result.totalCount, count: body.result.searchResults.length });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function bareWalk(url: string): Promise<number> {
  let start = 0;
  for (;;) {
    const page = await barePage(url, start, 500);
    start += page.count;
    if (page.count === 0 || start >= page.totalCount) return start;
  }
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function paging(): Promise<Figure[]> {
  const { url, child } = await demoTenant(['--users', '100000', '--seed', 'bench']);
  const client = new TenantClient({ url, username: DEMO_USERNAME, password: DEMO_PASSWORD });
  try {
    await client.testConnection();
    await barePage(url, 0, 1);

    let t = process.hrtime.bigint();
    const iterator = client.users();
    await iterator.next();
    const firstPage = ms(t);
    await iterator.return(undefined);
    t = process.hrtime.bigint();
    await barePage(url, 0, 500);
    const bareFirst = ms(t);

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    t = process.hrtime.bigint();
    let walked = 0;
    for await (const page of client.userPages()) walked += page.items.length;
    const walk = ms(t);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (walked !== 100_000) throw new Error(`the walk saw ${walked} users, not 100,000`);
    t = process.hrtime.bigint();
    await bareWalk(url);
    const bare = ms(t);
    return [
      { name: 'Users: time to first page (500 rows) of a 100,000-user demo tenant', unit: 'ms', value: firstPage, reference: { label: 'bare http.get + JSON.parse', value: bareFirst } },
      { name: 'Users: full walk of 100,000 users (200 pages)', unit: 'ms', value: walk, reference: { label: 'bare http.get + JSON.parse', value: bare }, target: { on: 'ratio', max: 2 } },
      {
        name: 'Users: peak RSS growth during the walk (process.memoryUsage sampled every 5 ms in the walking process; tenant in a child)',
        unit: 'MiB',
        value: (peak - before) / 2 ** 20,
        reference: { label: 'RSS before the walk', value: before / 2 ** 20 },
      },
    ];
  } finally {
    client.close();
    await stop(child);
  }
}

async function bulkPins(): Promise<Figure[]> {
  const perMinute = 600;
  const users = 1000;
  const batchSize = 5;
  const { url, child } = await demoTenant(['--users', String(users), '--seed', 'bench-pins', '--faults', `regpin:limit=${perMinute}`]);
  const client = new TenantClient({ url, username: DEMO_USERNAME, password: DEMO_PASSWORD });
  try {
    const accounts: Account[] = [];
    for await (const user of client.users()) accounts.push(user);
    const started = process.hrtime.bigint();
    const results = await generatePins(client, accounts, { batchSize });
    const seconds = ms(started) / 1000;
    const issued = results.filter((r) => r.status === 'issued').length;
    const failed = results.filter((r) => r.status === 'failed' || r.status === 'cancelled').length;
    const calls = Math.ceil(results.filter((r) => r.status !== 'skipped').length / batchSize);
    return [
      {
        name: `Bulk PINs: accepted regpin calls per minute under a ${perMinute}/min limit (${issued} PINs, ${batchSize} per call)`,
        unit: 'calls/min',
        value: (calls / seconds) * 60,
        reference: { label: 'allowed rate', value: perMinute },
        target: { on: 'ratio', min: 0.9 },
      },
      { name: 'Bulk PINs: users failed', unit: 'users', value: failed, target: { on: 'value', max: 0 } },
    ];
  } finally {
    client.close();
    await stop(child);
  }
}

const benchmark: Benchmark = async () => [...(await paging()), ...(await bulkPins())];

export default benchmark;
