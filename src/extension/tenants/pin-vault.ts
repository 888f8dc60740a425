import type * as vscode from 'vscode';
import { EventEmitter } from 'vscode';
import * as z from 'zod';

/** One generated PIN as kept in SecretStorage: never in settings, state or files. */
export const StoredPin = z.object({ pin: z.string().min(1), expiresAt: z.string().datetime() });
export type StoredPin = z.infer<typeof StoredPin>;

const key = (tenantId: string, uid: string) => `pinpack.pin.${tenantId}.${uid}`;
const EXPIRY_INDEX = 'pinpack.pinExpiries';
const ExpiryIndex = z.record(z.string(), z.record(z.string(), z.string().datetime()));
const PACKAGE_ENROLLEES = 'pinpack.packageEnrollees';
const PackageEnrollees = z.record(z.string(), z.array(z.string()));
const IMPORTED_INDEX = 'pinpack.importedPinFiles';
const importedKey = (folder: string, path: string) => `pinpack.importedPins.${folder}.${path}`;

/**
 * The PINs PinPack generated, per tenant and user, in VS Code's SecretStorage (DESIGN.md §3).
 * Beside them, in global state, an index of who has a PIN until when: not secret, and it lets
 * the status bar show the soonest expiry without reading a secret.
 */
export class PinVault {
  private readonly changed = new EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  async put(tenantId: string, uid: string, pin: string, expiresAt: Date): Promise<void> {
    await this.secrets.store(key(tenantId, uid), JSON.stringify({ pin, expiresAt: expiresAt.toISOString() }));
    const index = this.index();
    index[tenantId] = { ...index[tenantId], [uid]: expiresAt.toISOString() };
    await this.state.update(EXPIRY_INDEX, index);
    this.changed.fire();
  }

  /** When each user's PIN expires, over every tenant (the latest PIN of a user wins). */
  expiries(): Map<string, Date> {
    const result = new Map<string, Date>();
    for (const users of Object.values(this.index())) {
      for (const [uid, iso] of Object.entries(users)) {
        const at = new Date(iso);
        const known = result.get(uid);
        if (!known || known < at) result.set(uid, at);
      }
    }
    return result;
  }

  /** Every (tenant, user) with a PIN in the vault; the PINs themselves stay in SecretStorage. */
  holders(): { readonly tenantId: string; readonly uid: string }[] {
    return Object.entries(this.index()).flatMap(([tenantId, users]) => Object.keys(users).map((uid) => ({ tenantId, uid })));
  }

  /** Remembers who a package's enrollees resolved to (its groups' members), for its countdown. */
  async setPackageEnrollees(packageKey: string, uids: readonly string[]): Promise<void> {
    const all = this.packages();
    all[packageKey] = [...new Set(uids)].sort();
    await this.state.update(PACKAGE_ENROLLEES, all);
    this.changed.fire();
  }

  packageEnrollees(packageKey: string): readonly string[] {
    return this.packages()[packageKey] ?? [];
  }

  private packages(): Record<string, string[]> {
    const parsed = PackageEnrollees.safeParse(this.state.get(PACKAGE_ENROLLEES, {}));
    return parsed.success ? parsed.data : {};
  }

  private index(): z.infer<typeof ExpiryIndex> {
    const parsed = ExpiryIndex.safeParse(this.state.get(EXPIRY_INDEX, {}));
    return parsed.success ? parsed.data : {};
  }

  /**
   * A PIN file that arrived inside a console zip, kept whole (its format is the console's) in
   * SecretStorage instead of the workspace; the index of which files a workspace has is not secret.
   */
  async putImportedPinFile(folder: string, path: string, data: Buffer): Promise<void> {
    await this.secrets.store(importedKey(folder, path), data.toString('base64'));
    const index = this.importedIndex();
    index[folder] = [...new Set([...(index[folder] ?? []), path])].sort();
    await this.state.update(IMPORTED_INDEX, index);
    this.changed.fire();
  }

  importedPinFiles(folder: string): readonly string[] {
    return this.importedIndex()[folder] ?? [];
  }

  async getImportedPinFile(folder: string, path: string): Promise<Buffer | undefined> {
    const text = await this.secrets.get(importedKey(folder, path));
    return text === undefined ? undefined : Buffer.from(text, 'base64');
  }

  private importedIndex(): Record<string, string[]> {
    const parsed = PackageEnrollees.safeParse(this.state.get(IMPORTED_INDEX, {}));
    return parsed.success ? parsed.data : {};
  }

  dispose(): void {
    this.changed.dispose();
  }

  async get(tenantId: string, uid: string): Promise<StoredPin | undefined> {
    const text = await this.secrets.get(key(tenantId, uid));
    if (text === undefined) return undefined;
    const parsed = StoredPin.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }
}
