import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Core speaks through @vscode/l10n (its errors from tenant/ and workspace/, the lint messages),
 * which in the extension host knows no strings until it is given some. VS Code has already loaded
 * this extension's bundle for the display language (l10n/bundle.l10n.ja.json when VS Code runs in
 * Japanese, none in English): core gets the same one, so both halves speak the same language.
 */
export function configureCoreL10n(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
}
