import type { Rule } from '../rule';
import { unbalancedStacks } from './batch/balance';
import { batchEncoding } from './batch/encoding';
import { copyWithoutCheck, errorlevelEquals } from './batch/errorlevel';
import { cdWithoutD, netUsePassword, system32From32Bit, unquotedScriptFolder } from './batch/paths';
import { robocopyExitCode, robocopyRetries } from './batch/robocopy';
import { batchSyntax, delayedExpansion, duplicateLabel, echoOff, exitWithoutB, lfLineEndings, undefinedLabel } from './batch/structure';
import { manifestSchema, manifestSyntax, targetNeeds } from './manifest/schema';
import { tenantUsers } from './manifest/tenant-users';
import { userIdSpaces } from './manifest/users';
import { windowsPowerShellSyntax } from './powershell/compatibility';
import { literalSecret, usernameAndPassword } from './powershell/credentials';
import { nonAsciiWithoutBom, trailingWhitespace } from './powershell/encoding';
import { undocumentedExitCode } from './powershell/exit-codes';
import { positionalParameters } from './powershell/positional';
import { gluedBacktick, hardcodedComputerName, machineExecutionPolicy, misleadingBacktick, plainTextPassword, wmiCmdlets } from './powershell/practices';
import { invokeExpression, plainTextSecureString } from './powershell/security';
import { cmdletAliases, emptyCatch, globalVariables, nullOnTheRight, writeHost } from './powershell/style';
import { secretFileCleanup } from './powershell/secret-files';
import { powershellSyntax } from './powershell/syntax';
import { uacOff } from './powershell/uac';
import { errorActionStop, exitCode, interactive, quietInstall } from './powershell/unattended';
import { userNameWithSpace } from './powershell/user-names';
import { unusedVariable } from './powershell/variables';

/**
 * Every rule, by id. Ids are stable (they appear in pinpack.json, suppressions and SARIF):
 * PP1xxx PowerShell, PP2xxx batch, PP3xxx manifest; PPx000 is each front end's syntax check.
 */
export const RULES: readonly Rule<never>[] = [
  powershellSyntax,
  quietInstall,
  interactive,
  windowsPowerShellSyntax,
  nonAsciiWithoutBom,
  trailingWhitespace,
  invokeExpression,
  plainTextSecureString,
  writeHost,
  emptyCatch,
  globalVariables,
  cmdletAliases,
  nullOnTheRight,
  errorActionStop,
  wmiCmdlets,
  machineExecutionPolicy,
  hardcodedComputerName,
  plainTextPassword,
  misleadingBacktick,
  exitCode,
  unusedVariable,
  positionalParameters,
  usernameAndPassword,
  literalSecret,
  secretFileCleanup,
  userNameWithSpace,
  uacOff,
  undocumentedExitCode,
  gluedBacktick,
  batchSyntax,
  lfLineEndings,
  undefinedLabel,
  duplicateLabel,
  echoOff,
  robocopyRetries,
  robocopyExitCode,
  exitWithoutB,
  delayedExpansion,
  cdWithoutD,
  unquotedScriptFolder,
  system32From32Bit,
  netUsePassword,
  copyWithoutCheck,
  unbalancedStacks,
  errorlevelEquals,
  batchEncoding,
  manifestSyntax,
  manifestSchema,
  userIdSpaces,
  targetNeeds,
  tenantUsers,
] as readonly Rule<never>[];

export function findRule(id: string): Rule<never> | undefined {
  return RULES.find((r) => r.id === id.toUpperCase());
}
