import * as vscode from 'vscode';

/**
 * Every question PinPack asks goes through here, so integration tests can answer it: a test queues
 * answers (as vscode-azuretools' test UI does) and each prompt takes the next one instead of
 * showing a dialog. Messages shown to the user are recorded for the same tests.
 */
export class Prompts {
  private readonly answers: unknown[] = [];
  readonly shown: { readonly severity: 'info' | 'warning' | 'error'; readonly message: string }[] = [];

  /** Queues answers for the next prompts, in order; `undefined` answers as Escape does. */
  queue(...answers: unknown[]): void {
    this.answers.push(...answers);
  }

  private scripted(): { readonly answer: unknown } | undefined {
    return this.answers.length > 0 ? { answer: this.answers.shift() } : undefined;
  }

  async input(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const scripted = this.scripted();
    if (!scripted) return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
    const answer = scripted.answer as string | undefined;
    const problem = answer === undefined ? undefined : await options.validateInput?.(answer);
    // l10n-exempt: only a test's scripted answer gets here (ExtensionMode.Test); no user sees it.
    if (problem) throw new Error(`scripted answer "${options.password ? '***' : answer}" is invalid: ${JSON.stringify(problem)}`);
    return answer;
  }

  /** A scripted answer picks the item whose label it equals. */
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const scripted = this.scripted();
    if (!scripted) return vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options });
    if (scripted.answer === undefined) return undefined;
    const item = items.find((i) => i.label === scripted.answer);
    // l10n-exempt: only a test's scripted answer gets here (ExtensionMode.Test); no user sees it.
    if (!item) throw new Error(`scripted answer "${String(scripted.answer)}" is not among ${items.map((i) => i.label).join(', ')}`);
    return item;
  }

  /** Several items; a scripted answer is the list of labels to pick. */
  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T[] | undefined> {
    const scripted = this.scripted();
    if (!scripted) return vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options, canPickMany: true });
    if (scripted.answer === undefined) return undefined;
    const labels = scripted.answer as string[];
    const picked = items.filter((i) => labels.includes(i.label));
    // l10n-exempt: only a test's scripted answer gets here (ExtensionMode.Test); no user sees it.
    if (picked.length !== labels.length) throw new Error(`scripted answers ${labels.join(', ')} are not all among ${items.map((i) => i.label).join(', ')}`);
    return picked;
  }

  /** One file to open; a scripted answer is its path. */
  async openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    const scripted = this.scripted();
    if (!scripted) return (await vscode.window.showOpenDialog({ canSelectMany: false, ...options }))?.[0];
    return scripted.answer === undefined ? undefined : vscode.Uri.file(scripted.answer as string);
  }

  /** A modal question with buttons; resolves to the chosen button, undefined for Cancel. */
  async confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    const scripted = this.scripted();
    if (!scripted) return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
    return scripted.answer as string | undefined;
  }

  /** A notification; the promise settles only when the user acts on it or dismisses it: do not await it. */
  notify(severity: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Thenable<string | undefined> {
    this.shown.push({ severity, message });
    const show =
      severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  }
}
