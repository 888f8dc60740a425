import * as vscode from 'vscode';
import * as z from 'zod';

/** What PinPack remembers of a package's last build with PINs: no secret, only who and when. */
export const BuildRecord = z.object({
  /** The package workspace folder, as a URI string. */
  folder: z.string().min(1),
  name: z.string().min(1),
  zip: z.string().min(1),
  builtAt: z.iso.datetime(),
  sha256: z.string(),
  /** The tenant the PINs came from, by its cluster origin. */
  tenantUrl: z.string().min(1),
  /** The enrollees in the zip's PIN file, by uid. */
  uids: z.array(z.string()),
});
export type BuildRecord = z.infer<typeof BuildRecord>;

const KEY = 'pinpack.builds';

/** The last build of each package in this workspace, kept in workspace state. */
export class BuildRecords implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  list(): BuildRecord[] {
    const parsed = z.array(BuildRecord).safeParse(this.state.get(KEY, []));
    return parsed.success ? parsed.data : [];
  }

  get(folder: vscode.Uri): BuildRecord | undefined {
    return this.list().find((r) => r.folder === folder.toString());
  }

  async record(record: BuildRecord): Promise<void> {
    await this.state.update(KEY, [...this.list().filter((r) => r.folder !== record.folder), record]);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
