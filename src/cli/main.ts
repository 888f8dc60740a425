// First: lint, build (its lint gate) and the rest, the whole CLI is one process that lints.
import '../core/lint/tune-heap';
import { createInterface } from 'node:readline/promises';
import { runCli } from './cli';

/** One readline interface per question, so that stdin never keeps the process alive afterwards. */
async function prompt(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

// The exit code is set rather than forced with process.exit, so pending output is flushed first.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  ...(process.stdin.isTTY ? { prompt } : {}),
}).then((code) => {
  process.exitCode = code;
});
