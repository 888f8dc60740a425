import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  readonly url: string;
  /** Every CONNECT request the proxy received: its target (host:port) and headers. */
  readonly connects: { target: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/**
 * A real CONNECT proxy on loopback, as corporate networks put in front of the tenant: it records
 * what it was asked and, given `user:password`, answers 407 to requests without that Basic
 * Proxy-Authorization. Shared by the unit tests of core/tenant and the extension's proxy tests.
 */
export async function startConnectProxy(credentials?: string): Promise<ConnectProxy> {
  const connects: ConnectProxy['connects'] = [];
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push({ target: req.url ?? '', headers: req.headers });
    if (credentials && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    tunnels.add(client);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        // Tunnels left the HTTP server's bookkeeping when they were upgraded: end them here.
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
