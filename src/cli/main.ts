import { runCli } from './cli';

// The exit code is set rather than forced with process.exit, so pending output is flushed first.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
