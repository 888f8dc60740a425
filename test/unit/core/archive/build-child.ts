import { writeZip } from '../../../../src/core/archive/writer';

/**
 * Child process for the atomicity tests, bundled by the test with esbuild. Builds a zip of six
 * entries of MB megabytes each (argv: target, MB), large enough to be killed midway.
 */
const target = process.argv[2] as string;
const megabytes = Number(process.argv[3]);
const words = ['Install-ProvisioningPackage', '-QuietInstall', 'enrollment', '$env:TEMP', 'Neurons', 'ppkg'];
const data = Buffer.alloc(megabytes * 1024 * 1024);
for (let i = 0, n = 0; i < data.length; n++) i += data.write(`${words[n % words.length]} ${(n * 2654435761) % 1000003}\n`, i);
void writeZip(
  target,
  Array.from({ length: 6 }, (_, i) => ({ name: `part${i}.bin`, data })),
  { parallel: 2 },
).then(() => process.stdout.write('finished\n'));
