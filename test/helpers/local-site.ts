import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The maintenance page's marker text the fixtures' runbooks expect. */
export const MARKER = "We'll be right back";

/** moto has no data plane: the site (a 302 to the maintenance site, as after a failover) and the maintenance site are tiny local servers. */
export interface LocalSite {
  readonly siteUrl: string;
  readonly maintenanceUrl: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Both servers on 127.0.0.1, ports chosen by the OS. */
export async function startLocalSite(): Promise<LocalSite> {
  const maintenance = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>${MARKER}</h1>`),
  );
  const maintenanceUrl = await listen(maintenance);
  const site = createServer((_, res) => res.writeHead(302, { location: maintenanceUrl }).end());
  const siteUrl = await listen(site);
  const close = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));
  return { siteUrl, maintenanceUrl, close: async () => void (await Promise.all([close(site), close(maintenance)])) };
}
