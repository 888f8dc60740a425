import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/cli';
import type { CliIo } from '../../../src/cli/command';
import { TEMPLATE_FILES } from '../../../src/core/templates';

/** `pinpack new --on-conflict ask` with scripted answers in place of a terminal. */
function scriptedIo(answers: string[]) {
  const out: string[] = [];
  const questions: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => out.push(text),
    env: {},
    prompt: async (question) => {
      questions.push(question);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`unexpected question: ${question}`);
      return answer;
    },
  };
  return { io, out, questions };
}

describe('pinpack new --on-conflict ask', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-ask-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the diff on request, then overwrites when told to', async () => {
    assert.equal(await runCli(['new', dir, '--target', 'epm-case2', '--name', 'Sales'], scriptedIo([]).io), 0);
    writeFileSync(join(dir, 'setup.ps1'), '# mine\n');
    const { io, out, questions } = scriptedIo(['d', 'o']);
    assert.equal(await runCli(['new', dir, '--target', 'epm-case2', '--on-conflict', 'ask'], io), 0);
    assert.deepEqual(questions, [
      'setup.ps1 was changed since PinPack wrote it. [k]eep yours, [o]verwrite (yours is backed up), [d]iff? ',
      'setup.ps1 was changed since PinPack wrote it. [k]eep yours, [o]verwrite (yours is backed up), [d]iff? ',
    ]);
    const text = out.join('');
    assert.match(text, /^--- setup\.ps1 \(yours\)\n\+\+\+ setup\.ps1 \(PinPack\)\n@@ -1,1 \+1,\d+ @@\n-# mine\n\+<#\n/);
    assert.match(text, /overwritten: setup\.ps1 \(your version: \.pinpack\/backup\/setup\.ps1\.[0-9T-]+Z\)/);
    assert.equal(readFileSync(join(dir, 'setup.ps1'), 'utf8'), TEMPLATE_FILES['setup.ps1']);
  });

  it('keeps the file on "k" or an empty answer', async () => {
    await runCli(['new', dir, '--target', 'epm-case2', '--name', 'Sales'], scriptedIo([]).io);
    writeFileSync(join(dir, 'setup.ps1'), '# mine\n');
    const { io, out } = scriptedIo(['']);
    assert.equal(await runCli(['new', dir, '--target', 'epm-case2', '--on-conflict', 'ask'], io), 0);
    assert.match(out.join(''), /kept \(.*\): setup\.ps1/);
    assert.equal(readFileSync(join(dir, 'setup.ps1'), 'utf8'), '# mine\n');
  });
});
