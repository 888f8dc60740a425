import * as l10n from '@vscode/l10n';
import { PinPackError } from '../errors';

/** The public N-MDM cluster hosts (DOMAIN.md §4). Others exist; these are offered as examples. */
export const KNOWN_CLUSTER_HOSTS = [
  'na1.mobileiron.com',
  'na2.mobileiron.com',
  'na3.mobileiron.com',
  'eu1.mobileiron.com',
  'ap1.mobileiron.com',
  'ap2.mobileiron.com',
] as const;

/** True for the addresses the embedded demo tenant listens on; only these may use plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Validates what a user typed as the tenant's cluster host and returns its origin
 * (`https://na1.mobileiron.com`). A bare host name is taken as https. Plain http is refused except
 * on loopback, where the demo tenant runs, so credentials never cross a network unencrypted.
 */
export function parseClusterUrl(input: string): string {
  const text = input.trim();
  if (text === '') {
    throw new PinPackError('usage', l10n.t('The tenant URL is empty: enter the cluster host, for example https://na1.mobileiron.com.'));
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new PinPackError('usage', l10n.t('"{0}" is not a valid tenant URL: enter the cluster host, for example https://na1.mobileiron.com.', text));
  }
  if (url.username || url.password) {
    throw new PinPackError('usage', l10n.t('The tenant URL contains a user name or password: remove them from the URL and enter the credentials when PinPack asks.'));
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new PinPackError('usage', l10n.t('The tenant URL {0} uses plain http: use https://{1}, because the API password must not cross the network unencrypted.', url.origin, url.host));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PinPackError('usage', l10n.t('The tenant URL uses {0}: use https, for example https://na1.mobileiron.com.', url.protocol.replace(/:$/, '')));
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new PinPackError('usage', l10n.t('The tenant URL has a path or query ({0}): enter only the cluster host, {1}.', `${url.pathname}${url.search}${url.hash}`, url.origin));
  }
  return url.origin;
}
