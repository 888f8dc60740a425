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
import deployEpmCase1Ja from './readme/ja/deploy-epm-case1.md';
import deployEpmCase2Ja from './readme/ja/deploy-epm-case2.md';
import deployEpmTwoStepJa from './readme/ja/deploy-epm-case3-twostep.md';
import deployEpmUacJa from './readme/ja/deploy-epm-case3-uac.md';
import deploySccmJa from './readme/ja/deploy-sccm.md';
import exitCodesSccmJa from './readme/ja/exit-codes-sccm.md';
import exitCodesTwoStepJa from './readme/ja/exit-codes-epm-case3-twostep.md';
import exitCodesUacJa from './readme/ja/exit-codes-epm-case3-uac.md';
import packageReadmeJa from './readme/ja/package.md';

/**
 * The package README, per target and language. A language is one set of Markdown files under
 * `readme/<language>/`: the skeleton `package.md` with `{{slots}}`, one deployment section per
 * target and the extra exit-code tables. The README is documentation, not a script, so filling
 * slots here does not break the rule that scripts are never templated. Console paths in a
 * translation are written as the localized console shows them, since that is what the admin clicks.
 */
interface ReadmeLanguage {
  readonly skeleton: string;
  readonly deployment: Readonly<Record<TargetId, string>>;
  readonly extraExitCodes: Readonly<Partial<Record<TargetId, string>>>;
  readonly upnRule: Readonly<Record<IdentityMode, string>>;
  readonly targetLabel: Readonly<Record<TargetId, string>>;
  readonly missingAdDomain: string;
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
  targetLabel: {
    sccm: TARGETS.sccm.label,
    'epm-case1': TARGETS['epm-case1'].label,
    'epm-case2': TARGETS['epm-case2'].label,
    'epm-case3-twostep': TARGETS['epm-case3-twostep'].label,
    'epm-case3-uac': TARGETS['epm-case3-uac'].label,
  },
  missingAdDomain: '<AD domain: set device.adDomain in pinpack.json>',
};

const JAPANESE: ReadmeLanguage = {
  skeleton: packageReadmeJa,
  deployment: {
    sccm: deploySccmJa,
    'epm-case1': deployEpmCase1Ja,
    'epm-case2': deployEpmCase2Ja,
    'epm-case3-twostep': deployEpmTwoStepJa,
    'epm-case3-uac': deployEpmUacJa,
  },
  extraExitCodes: { sccm: exitCodesSccmJa, 'epm-case3-twostep': exitCodesTwoStepJa, 'epm-case3-uac': exitCodesUacJa },
  upnRule: {
    device: '`<COMPUTERNAME>@<AD ドメイン>`',
    user: 'サインイン中のユーザーの UPN。取得できなければディレクトリの UPN またはメール アドレス。SYSTEM として実行された場合はコンソールにサインインしているユーザー',
    'recorded-user': 'ステップ 1 がユーザーとして記録した ID',
  },
  targetLabel: {
    sccm: 'SCCM / ConfigMgr: .bat コピー スクリプト + スクリプトの実行',
    'epm-case1': 'Ivanti EPM ケース 1: LocalSystem、デバイス名 @ AD ドメイン',
    'epm-case2': 'Ivanti EPM ケース 2: 現在のユーザー',
    'epm-case3-twostep': 'Ivanti EPM ケース 3a: 一時フォルダーを経由する 2 ステップ',
    'epm-case3-uac': 'Ivanti EPM ケース 3b: UAC を切り替えて現在のユーザーで実行',
  },
  missingAdDomain: '<AD ドメイン: pinpack.json の device.adDomain に設定してください>',
};

const LANGUAGES: Readonly<Record<Manifest['language'], ReadmeLanguage>> = { en: ENGLISH, ja: JAPANESE };

export function renderReadme(manifest: Manifest): string {
  const language = LANGUAGES[manifest.language];
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
    targetLabel: language.targetLabel[manifest.target],
    packageName: manifest.name,
    // Inside a PowerShell single-quoted string, a quote is written twice.
    packageNameInSingleQuotes: manifest.name.replace(/'/g, "''"),
    destination: manifest.device.destination,
    logFolder: manifest.device.logFolder,
    adDomain: manifest.device.adDomain ?? language.missingAdDomain,
  });
}
