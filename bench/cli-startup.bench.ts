import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { median, type Benchmark } from './figure';

/** Wall time of one run of `node <args>`, in milliseconds. */
function time(args: string[]): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * How long `pinpack --version` takes next to a bare `node -e ""` on the same machine: the cost
 * PinPack's bundle adds to every CLI call. The two are interleaved so load on the machine hits both.
 */
const benchmark: Benchmark = async () => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const pinpack: number[] = [];
  const bare: number[] = [];
  time([cli, '--version']);
  for (let i = 0; i < 15; i++) {
    pinpack.push(time([cli, '--version']));
    bare.push(time(['-e', '']));
  }
  return [
    {
      name: 'CLI start-up: pinpack --version, median of 15',
      unit: 'ms',
      value: median(pinpack),
      reference: { label: 'node -e ""', value: median(bare) },
      target: { on: 'ratio', max: 1.5 },
    },
  ];
};

export default benchmark;
