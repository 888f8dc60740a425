/** The id under which PinPack's N-MDM accounts appear in VS Code (Accounts menu, getSession). */
export const AUTH_PROVIDER_ID = 'pinpack.nmdm';
