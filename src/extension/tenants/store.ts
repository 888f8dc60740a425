import * as vscode from 'vscode';
import * as z from 'zod';

/** A saved tenant connection: no secret here; the password lives in SecretStorage. */
export const SavedTenant = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  url: z.string().min(1),
  username: z.string().min(1),
});
export type SavedTenant = z.infer<typeof SavedTenant>;

const LIST_KEY = 'pinpack.tenants';
const passwordKey = (id: string) => `pinpack.tenant.${id}.password`;

/** The tenants the user connected to, several side by side (prod, test), kept across sessions. */
export class TenantStore {
  constructor(private readonly context: vscode.ExtensionContext) {}

  list(): SavedTenant[] {
    const parsed = z.array(SavedTenant).safeParse(this.context.globalState.get(LIST_KEY, []));
    return parsed.success ? parsed.data : [];
  }

  async save(tenant: SavedTenant, password: string): Promise<void> {
    await this.context.secrets.store(passwordKey(tenant.id), password);
    await this.context.globalState.update(LIST_KEY, [...this.list().filter((t) => t.id !== tenant.id), tenant]);
  }

  password(id: string): Thenable<string | undefined> {
    return this.context.secrets.get(passwordKey(id));
  }

  async remove(id: string): Promise<void> {
    await this.context.secrets.delete(passwordKey(id));
    await this.context.globalState.update(LIST_KEY, this.list().filter((t) => t.id !== id));
  }
}
