import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface UntrustedTenant {
  /** https://localhost:<port> */
  readonly url: string;
  /** The PEM of the CA that signed the tenant's certificate: what a CA bundle must hold to trust it. */
  readonly caPem: string;
  close(): Promise<void>;
}

/**
 * An HTTPS tenant on loopback whose certificate comes from a throwaway CA no one trusts, as a
 * TLS-inspecting corporate proxy presents it (made with openssl). It answers every request with
 * one space, enough for TenantClient.testConnection. Shared by the core TLS tests and the
 * extension's proxy tests.
 */
export async function startUntrustedTenant(caName: string): Promise<UntrustedTenant> {
  const dir = mkdtempSync(join(tmpdir(), 'pinpack-tls-'));
  try {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}`);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'ext.cnf');
    const caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const server = https.createServer({ key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.pem')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: null, result: { totalCount: 1, searchResults: [{ id: 1, name: 'Global', defaultPartition: true }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `https://localhost:${(server.address() as AddressInfo).port}`,
      caPem,
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  } finally {
    // The keys and certificates are loaded: nothing on disk is needed past this point.
    rmSync(dir, { recursive: true, force: true });
  }
}
