import type * as vscode from 'vscode';
import * as z from 'zod';

/** One generated PIN as kept in SecretStorage: never in settings, state or files. */
export const StoredPin = z.object({ pin: z.string().min(1), expiresAt: z.string().datetime() });
export type StoredPin = z.infer<typeof StoredPin>;

const key = (tenantId: string, uid: string) => `pinpack.pin.${tenantId}.${uid}`;

/** The PINs PinPack generated, per tenant and user, in VS Code's SecretStorage (DESIGN.md §3). */
export class PinVault {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async put(tenantId: string, uid: string, pin: string, expiresAt: Date): Promise<void> {
    await this.secrets.store(key(tenantId, uid), JSON.stringify({ pin, expiresAt: expiresAt.toISOString() }));
  }

  async get(tenantId: string, uid: string): Promise<StoredPin | undefined> {
    const text = await this.secrets.get(key(tenantId, uid));
    if (text === undefined) return undefined;
    const parsed = StoredPin.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  }
}
