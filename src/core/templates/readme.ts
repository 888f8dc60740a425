import type { Manifest } from '../workspace/manifest';
import { TARGETS, type IdentityMode, type TargetId } from '../workspace/targets';
import deployEpmCase1 from './readme/en/deploy-epm-case1.md';
import deployEpmCase2 from './readme/en/deploy-epm-case2.md';
import deployEpmTwoStep from './readme/en/deploy-epm-case3-twostep.md';
import deployEpmUac from './readme/en/deploy-epm-case3-uac.md';
import deploySccm from './readme/en/deploy-sccm.md';
import exitCodesSccm from './readme/en/exit-codes-sccm.md';
import exitCodesTwoStep from './readme/en/exit-codes-epm-case3-twostep.md';
import exitCodesUac from './readme/en/exit-codes-epm-case3-uac.md';
import packageReadme from './readme/en/package.md';

/**
 * The package README, per target and language. A language is one set of Markdown files under
 * `readme/<language>/`: the skeleton `package.md` with `{{slots}}`, one deployment section per
 * target and the extra exit-code tables. The README is documentation, not a script, so filling
 * slots here does not break the rule that scripts are never templated.
 */
interface ReadmeLanguage {
  readonly skeleton: string;
  readonly deployment: Readonly<Record<TargetId, string>>;
  readonly extraExitCodes: Readonly<Partial<Record<TargetId, string>>>;
  readonly upnRule: Readonly<Record<IdentityMode, string>>;
}

const ENGLISH: ReadmeLanguage = {
  skeleton: packageReadme,
  deployment: {
    sccm: deploySccm,
    'epm-case1': deployEpmCase1,
    'epm-case2': deployEpmCase2,
    'epm-case3-twostep': deployEpmTwoStep,
    'epm-case3-uac': deployEpmUac,
  },
  extraExitCodes: { sccm: exitCodesSccm, 'epm-case3-twostep': exitCodesTwoStep, 'epm-case3-uac': exitCodesUac },
  upnRule: {
    device: '`<COMPUTERNAME>@<AD domain>`',
    user: "the signed-in user's UPN, else the directory's UPN or e-mail; under SYSTEM, the user signed in at the console",
    'recorded-user': 'the identity step 1 recorded as the user',
  },
};

/** Japanese arrives with issue 11; until then a `ja` workspace gets the English README. */
const LANGUAGES: Readonly<Record<string, ReadmeLanguage>> = { en: ENGLISH };

export function renderReadme(manifest: Manifest): string {
  const language = LANGUAGES[manifest.language] ?? ENGLISH;
  const target = TARGETS[manifest.target];
  const extra = language.extraExitCodes[manifest.target];
  const fill = (text: string, slots: Readonly<Record<string, string>>): string =>
    text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => slots[name] ?? whole);
  // Sections first, values last: a value (a package name) is never read as a slot.
  const structure = fill(language.skeleton, {
    deployment: language.deployment[manifest.target].trimEnd(),
    extraExitCodes: extra ? `\n${extra}` : '',
  });
  return fill(structure, {
    upnRule: language.upnRule[target.identity],
    targetLabel: target.label,
    packageName: manifest.name,
    // Inside a PowerShell single-quoted string, a quote is written twice.
    packageNameInSingleQuotes: manifest.name.replace(/'/g, "''"),
    destination: manifest.device.destination,
    logFolder: manifest.device.logFolder,
    adDomain: manifest.device.adDomain ?? '<AD domain: set device.adDomain in pinpack.json>',
  });
}
