import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintFile } from '../../../../src/core/lint/engine';
import { RULES } from '../../../../src/core/lint/rules/registry';
import { TEMPLATE_FILES } from '../../../../src/core/templates/index';
import { repoRoot } from '../../paths';
import { runPinpack } from '../../cli/run-pinpack';

/** PP1020-PP1027: the rules added for issue #4 beyond the first twenty. */
const NEW_RULES = ['PP1020', 'PP1021', 'PP1022', 'PP1023', 'PP1024', 'PP1025', 'PP1026', 'PP1027'];
const HEAD = "$ErrorActionPreference = 'Stop'\n";

const lint = (text: string, path = 'setup.ps1') => lintFile(path, Buffer.from(text, 'utf8'))?.findings ?? [];
/** The findings of one rule as [line, message]. */
const hits = (id: string, text: string, path?: string) => lint(text, path).filter((f) => f.rule === id).map((f) => [f.line, f.message] as const);
const lines = (id: string, text: string, path?: string) => hits(id, text, path).map(([line]) => line);

describe('core/lint PowerShell rules PP1020-PP1027', () => {
  describe('PP1020 variable assigned but never used (PSUseDeclaredVarsMoreThanAssignments)', () => {
    it('flags the first assignment of an unread variable, once, on the variable', () => {
      const found = lint(`${HEAD}$a = 1\n$a = 2\n`).filter((f) => f.rule === 'PP1020');
      assert.deepEqual(found.map((f) => [f.line, f.column, f.endColumn, f.pssa]), [[2, 1, 3, 'PSUseDeclaredVarsMoreThanAssignments']]);
      assert.match(found[0]?.message ?? '', /\$a is assigned but never used/);
    });

    it('counts scoped, splatted, [ref], string, compound and Get-Variable uses', () => {
      for (const use of ['& icd.exe /PackagePath:$a', '$script:a', 'Get-Item @a', '[ref]$a | Out-Null', '"value: $a"', '"${a}x"', '$a += 1', 'Get-Variable a', 'Get-Variable -Name a', 'Invoke-Command { $using:a }', 'foreach ($x in $a) { $x }']) {
        assert.deepEqual(lines('PP1020', `${HEAD}$a = 1\n${use}\n`), [], use);
      }
    });

    it('scopes by script block as PSScriptAnalyzer does: assignments per block, uses from nested blocks count', () => {
      const text = `${HEAD}$outer = 1\nfunction Get-It {\n    $inner = 2\n    $outer\n}\n$inner\n1..2 | ForEach-Object { $item = $_ }\n`;
      assert.deepEqual(lines('PP1020', text), [4, 8]);
    });

    it('leaves typed and multiple assignments, scoped targets, automatic and preference variables alone', () => {
      assert.deepEqual(lines('PP1020', `${HEAD}[int]$n = 1\n$a, $b = 1, 2\n$script:c = 3\n$VerbosePreference = 'Continue'\n$LASTEXITCODE = 0\n`), []);
    });

    it('does not guess past a syntax error, where the read may be in the part that did not parse', () => {
      assert.deepEqual(lines('PP1020', `${HEAD}$a = 1\nif ($x { $a }\n`), []);
    });

    it('is suppressed inline and by SuppressMessageAttribute on the function', () => {
      assert.deepEqual(lines('PP1020', `${HEAD}# pinpack-disable-next-line PP1020\n$a = 1\n`), []);
      const attribute = `${HEAD}function Get-It {\n    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseDeclaredVarsMoreThanAssignments', '')]\n    param()\n    $a = 1\n}\n$b = 2\n`;
      assert.deepEqual(lines('PP1020', attribute), [7]);
    });
  });

  describe('PP1021 more than two positional arguments (PSAvoidUsingPositionalParameters)', () => {
    it('flags PowerShell commands with three positional arguments, counting pipeline input', () => {
      assert.deepEqual(lines('PP1021', `${HEAD}Copy-Item a b c\n'x' | Add-Content a b\nfunction Send-It { }\nSend-It 1 2 3\n`), [2, 3, 5]);
      assert.equal(lint(`${HEAD}Copy-Item a b c\n`).find((f) => f.rule === 'PP1021')?.severity, 'info');
    });

    it('leaves native programs, two positional arguments, named ones and splats alone', () => {
      const text = `${HEAD}robocopy a b c /R:1 /W:1\n& reg.exe add x /v y /d 0\nCopy-Item a b\nCopy-Item -Path a -Destination b -Filter c\nJoin-Path -Path a b\nCopy-Item @p x y z\n`;
      assert.deepEqual(lines('PP1021', text), []);
    });

    it('is suppressed inline and by SuppressMessageAttribute on the script', () => {
      assert.deepEqual(lines('PP1021', `${HEAD}# pinpack-disable-next-line PP1021\nCopy-Item a b c\n`), []);
      assert.deepEqual(lines('PP1021', `[Diagnostics.CodeAnalysis.SuppressMessage('PSAvoidUsingPositionalParameters', '')]\nparam()\n${HEAD}Copy-Item a b c\n`), []);
    });
  });

  describe('PP1022 user name and password parameters (PSAvoidUsingUsernameAndPasswordParams)', () => {
    it('flags a function and a script param block with both, spanning the two parameters', () => {
      const found = lint(`param([string] $User, [string] $Password)\n${HEAD}function Connect-It { param($UserName, $Passphrase) }\n`).filter((f) => f.rule === 'PP1022');
      assert.deepEqual(found.map((f) => [f.line, f.column]), [[1, 7], [3, 29]]);
      assert.match(found[1]?.message ?? '', /function Connect-It takes a user name and a password/);
      assert.deepEqual(lines('PP1022', `${HEAD}function Connect-It($UserName, $Password) { }\n`), [2]);
    });

    it('accepts a SecureString or PSCredential password, and a password alone', () => {
      assert.deepEqual(lines('PP1022', `${HEAD}function A { param([string] $UserName, [SecureString] $Password) }\nfunction B { param([pscredential] $Credential) }\nfunction C { param([string] $Password) }\n`), []);
    });

    it('is suppressed by SuppressMessageAttribute on the function', () => {
      const text = `${HEAD}function Connect-It {\n    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingUsernameAndPasswordParams', '')]\n    param($UserName, [string] $Password)\n}\n`;
      assert.deepEqual(lines('PP1022', text), []);
    });
  });

  describe('PP1023 PIN or password literal in the script', () => {
    it('flags literals assigned, defaulted, keyed, passed and turned into SecureStrings, naming the place but never the value', () => {
      const text = [
        HEAD.trimEnd(),
        "$pin = '123456'",
        '$userPin = 4839',
        '$pwd = "hunter2"',
        "$settings.AdminPassword = 'P@ssw0rd!'",
        "$p = @{ Password = 'Secret#1' }",
        "New-LocalUser -Name svc -Password 'Tr0ub4dor'",
        "$s = ConvertTo-SecureString -AsPlainText -Force 'Pa55word'",
        "function Connect-It { param([string] $Secret = 'default-secret') }",
      ].join('\n');
      const found = hits('PP1023', text);
      assert.deepEqual(found.map(([line]) => line), [2, 3, 4, 5, 6, 7, 8, 9]);
      for (const [, message] of found) assert.doesNotMatch(message, /123456|4839|hunter2|P@ssw0rd|Secret#1|Tr0ub4dor|Pa55word|default-secret/);
      assert.match(found[0]?.[1] ?? '', /^\$pin is given a literal PIN or password/);
    });

    it('leaves values read at run time, empty strings, masks, short numbers and look-alike names alone', () => {
      const text = `${HEAD}$pin = [string]$entry.pin\n$password = ''\n$pin = '****'\n$pinLength = 6\n$pin = 12\n$bypass = 'yes'\n$pinFile = 'pins.json'\nGet-Field $entry 'pin'\n$s = ConvertTo-SecureString $text -AsPlainText -Force\n`;
      assert.deepEqual(lines('PP1023', text), []);
    });

    it('is suppressed inline', () => {
      assert.deepEqual(lines('PP1023', `${HEAD}# pinpack-disable-next-line PP1023\n$pin = '123456'\n`), []);
    });
  });

  describe('PP1024 PIN file, customizations XML or built package not deleted in finally', () => {
    const build = '& $icd /Build-ProvisioningPackage "/CustomizationXML:$xml" "/PackagePath:$ppkg"';
    it('flags each secret file that no finally block deletes', () => {
      const text = `${HEAD}$xml = Join-Path $env:TEMP 'customizations.xml'\n$pinFile = Join-Path $PSScriptRoot 'pinpack-pins.json'\n$ppkg = 'C:\\Temp\\x.ppkg'\n${build}\nSet-Content -Path C:\\Temp\\pin.txt -Value $pin\nRemove-Item $xml, $ppkg\n`;
      const found = hits('PP1024', text);
      assert.deepEqual(found.map(([line]) => line), [2, 3, 5, 6]);
      assert.match(found[0]?.[1] ?? '', /^Delete \$xml in a finally block: the customizations XML/);
      assert.match(found[2]?.[1] ?? '', /^Delete \$ppkg in a finally block: the provisioning package/);
      assert.match(found[3]?.[1] ?? '', /^Delete pin\.txt in a finally block/);
    });

    it('accepts deletion in finally of the file, its folder, a foreach list, a pipeline, or in a function called from finally', () => {
      const text = [
        HEAD.trimEnd(),
        "$work = Join-Path $env:TEMP 'w'",
        "$xml = Join-Path $work 'customizations.xml'",
        "$ppkg = Join-Path $env:TEMP 'x.ppkg'",
        "$pinFile = Join-Path $PSScriptRoot 'pins.json'",
        "$pinCopy = Join-Path $PSScriptRoot 'pins-copy.json'",
        'Set-Content -Path C:\\Temp\\pin.txt -Value $pin',
        'try {',
        `    ${build}`,
        '} finally {',
        '    Remove-Item -LiteralPath $work -Recurse -Force',
        '    foreach ($path in @($ppkg)) { Remove-PinPackFile -Path $path }',
        '    $pinFile | Remove-Item -Force',
        '    Clear-Secrets',
        '}',
        "function Clear-Secrets { [System.IO.File]::Delete('C:\\Temp\\pin.txt'); Remove-Item $pinCopy }",
      ].join('\n');
      assert.deepEqual(hits('PP1024', text), []);
    });

    it('reads ICD.exe arguments written as bare words', () => {
      const text = `${HEAD}$x = Join-Path $env:TEMP 'c.xml'\n& icd.exe /Build-ProvisioningPackage /CustomizationXML:$x /PackagePath:C:\\Temp\\e.ppkg\n`;
      assert.deepEqual(hits('PP1024', text).map(([line, m]) => [line, /^Delete (\S+)/.exec(m)?.[1]]), [[3, '$x'], [3, 'e.ppkg']]);
      const clean = `${HEAD}$x = Join-Path $env:TEMP 'c.xml'\ntry { & icd.exe /CustomizationXML:$x /PackagePath:C:\\Temp\\e.ppkg }\nfinally { Remove-Item $x, 'C:\\Temp\\e.ppkg' }\n`;
      assert.deepEqual(hits('PP1024', clean), []);
    });

    it('does not count a deletion in catch or after the try', () => {
      const text = `${HEAD}$pinFile = Join-Path $PSScriptRoot 'pins.json'\ntry { Get-Content $pinFile } catch { Remove-Item $pinFile }\nRemove-Item $pinFile\n`;
      assert.deepEqual(lines('PP1024', text), [2]);
    });

    it('leaves files that hold no PIN alone (settings, identity, a ready-made package)', () => {
      const text = `${HEAD}$settings = Join-Path $PSScriptRoot 'pinpack-settings.json'\n$id = Join-Path $PSScriptRoot 'pinpack-identity.json'\n$map = 'mapping.json'\n$ppkg = Join-Path $PSScriptRoot 'wifi.ppkg'\nInstall-ProvisioningPackage -PackagePath $ppkg -QuietInstall\n`;
      assert.deepEqual(lines('PP1024', text), []);
    });
  });

  describe('PP1025 user name with a space', () => {
    it('flags ASCII and Unicode spaces in user names, naming the code point', () => {
      const text = `${HEAD}$upn = 'taro yamada@contoso.com'\n$user = "taro\u3000yamada@contoso.com"\n$users = @('a@contoso.com', 'b\u00a0c@contoso.com')\nif ($env:USERNAME -eq 'Taro Yamada') { }\nNew-Thing -UserPrincipalName 'x\u200by@contoso.com'\n$h = @{ Email = 'h i@contoso.com' }\n`;
      const found = hits('PP1025', text);
      assert.deepEqual(found.map(([line]) => line), [2, 3, 4, 5, 6, 7]);
      assert.deepEqual(found.map(([, m]) => /\((U\+[0-9A-F]{4})\)/.exec(m)?.[1]), ['U+0020', 'U+3000', 'U+00A0', 'U+0020', 'U+200B', 'U+0020']);
    });

    it('leaves user names without spaces, built-in principals and other names alone', () => {
      const text = `${HEAD}$upn = 'taro.yamada@contoso.com'\n$user = 'NT AUTHORITY\\LOCAL SERVICE'\n$account = 'Local Admin'\n$message = 'Enrollment failed for the user'\nAdd-LocalGroupMember -Group 'Remote Desktop Users' -Member 'x'\n`;
      assert.deepEqual(lines('PP1025', text), []);
    });
  });

  describe('PP1026 UAC turned off without a saved value to restore', () => {
    const key = "'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System'";
    it('flags EnableLUA = 0 written without reading the registry first, in every form', () => {
      const text = `${HEAD}Set-ItemProperty -Path ${key} -Name EnableLUA -Value 0\nNew-ItemProperty ${key} 'EnableLUA' -Value '0' -PropertyType DWord -Force\nreg add "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System" /v EnableLUA /t REG_DWORD /d 0 /f\n[Microsoft.Win32.Registry]::SetValue('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', 'EnableLUA', 0)\n`;
      const found = hits('PP1026', text);
      assert.deepEqual(found.map(([line]) => line), [2, 3, 4, 5]);
      assert.match(found[0]?.[1] ?? '', /^Read and save the current EnableLUA value/);
    });

    it('accepts a script that saves and restores the value itself, and ignores turning UAC on', () => {
      const text = `${HEAD}$saved = (Get-ItemProperty -Path ${key}).EnableLUA\nSet-ItemProperty -Path ${key} -Name EnableLUA -Value 0\nSet-ItemProperty -Path ${key} -Name EnableLUA -Value $saved\n`;
      assert.deepEqual(lines('PP1026', text), []);
      assert.deepEqual(lines('PP1026', `${HEAD}Set-ItemProperty -Path ${key} -Name EnableLUA -Value 1\n`), []);
      const throughVariables = `${HEAD}$name = 'EnableLUA'\n$off = 0\n$saved = (Get-ItemProperty -LiteralPath ${key} -Name $name).$name\ntry { Set-ItemProperty -LiteralPath ${key} -Name $name -Value $off }\nfinally { Set-ItemProperty -LiteralPath ${key} -Name $name -Value $saved }\n`;
      assert.deepEqual(lines('PP1026', throughVariables), []);
      assert.deepEqual(lines('PP1026', throughVariables.replace(/\$saved = .*\n/, '').replace(/\nfinally .*\n/, '\n')), [4]);
    });

    it('looks for the restore beside the script, and does not take a constant 1 for one', () => {
      const dir = mkdtempSync(join(tmpdir(), 'pinpack-uac-'));
      try {
        const off = join(dir, 'Disable-PinPackUac.ps1');
        const disable = TEMPLATE_FILES['Disable-PinPackUac.ps1'] ?? '';
        writeFileSync(off, disable);
        const alone = hits('PP1026', disable, off);
        assert.equal(alone.length, 1, 'the one write of EnableLUA = 0 is reported');
        assert.match(alone[0]?.[1] ?? '', /^Nothing in this workspace puts the saved EnableLUA value back/);
        writeFileSync(join(dir, 'Enable-Uac.ps1'), `Set-ItemProperty -Path ${key} -Name EnableLUA -Value 1\n`);
        assert.equal(hits('PP1026', disable, off).length, 1);
        writeFileSync(join(dir, 'Restore-PinPackUac.ps1'), TEMPLATE_FILES['Restore-PinPackUac.ps1'] ?? '');
        assert.deepEqual(hits('PP1026', disable, off), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('PP1027 exit code not documented', () => {
    const notes = '<#\n.NOTES\nExit codes:\n   0  ok\n  16  ICD.exe not found\n  20-29  a stage failed\n#>\n';
    it('flags literal exit codes missing from the script\'s exit-code list', () => {
      const text = `${notes}${HEAD}if ($a) { exit 16 }\nif ($b) { exit 22 }\nif ($c) { exit 30 }\n[Environment]::Exit(31)\n`;
      const found = hits('PP1027', text);
      assert.deepEqual(found.map(([line]) => line), [11, 12]);
      assert.match(found[0]?.[1] ?? '', /^List exit code 30 in the script's help/);
    });

    it('reads lists in line comments, and needs none for 0, 1, 3010, 1641 or a variable', () => {
      assert.deepEqual(lines('PP1027', `# Exit codes:\n#   5 = no network\n${HEAD}exit 5\n`), []);
      assert.deepEqual(lines('PP1027', `${HEAD}exit 0\nexit 1\nexit 3010\nexit 1641\nexit $code\n`), []);
      assert.deepEqual(lines('PP1027', `${HEAD}exit 5\n`), [2]);
    });
  });

  describe('PinPack\'s own scripts and the rule pages', () => {
    it('lints every PowerShell template without a finding from these rules', () => {
      for (const [name, text] of Object.entries(TEMPLATE_FILES)) {
        if (!name.endsWith('.ps1')) continue;
        const found = lint(text, name).filter((f) => NEW_RULES.includes(f.rule));
        assert.deepEqual(found.map((f) => `${f.line} ${f.rule} ${f.message}`), [], name);
      }
    });

    it('has a Japanese page beside each English one, with the same examples', () => {
      const blocks = (page: string) => [...page.matchAll(/```\w*\n[\s\S]*?```/g)].map((m) => m[0]);
      for (const id of NEW_RULES) {
        const ja = join(repoRoot, 'docs', 'rules', 'ja', `${id}.md`);
        assert.ok(existsSync(ja), `${id} has docs/rules/ja/${id}.md`);
        const page = readFileSync(ja, 'utf8');
        assert.match(page, new RegExp(`^# ${id}: \\S`));
        assert.match(page, /\n## 理由\n[^\n]*[\u3040-\u30ff]/);
        assert.deepEqual(blocks(page), blocks(readFileSync(join(repoRoot, 'docs', 'rules', `${id}.md`), 'utf8')), id);
      }
    });

    it('speaks Japanese through pinpack lint --lang ja, and never prints the PIN', async function () {
      this.timeout(20_000);
      const dir = mkdtempSync(join(tmpdir(), 'pinpack-pp1023-'));
      try {
        writeFileSync(join(dir, 'setup.ps1'), `${HEAD}$pin = '483920'\nWrite-Output $pin.Length\n`);
        // Text output follows the language; JSON and SARIF stay English for scripts that read them.
        const run = await runPinpack(['lint', '--lang', 'ja', 'setup.ps1'], { cwd: dir });
        assert.equal(run.code, 1);
        const found = run.stdout.split('\n').find((line) => line.includes(' PP1023 '));
        assert.ok(found?.endsWith('$pin に PIN またはパスワードがそのまま書かれています。スクリプトはすべてのデバイスにコピーされ、ログにも残るため、PIN ファイルまたは保護された保管場所から読み取ってください。'), found);
        assert.doesNotMatch(run.stdout + run.stderr, /483920/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('has the Japanese of each rule message in the bundle', () => {
      const bundle = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
      for (const id of NEW_RULES) {
        const rule = RULES.find((r) => r.id === id);
        assert.ok(rule, id);
        assert.match(bundle[rule.message] ?? '', /[\u3040-\u30ff]/, id);
      }
    });
  });
});
