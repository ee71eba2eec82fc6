import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** A plain static file server, as any web server would serve a folder. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.png': 'image/png',
  '.json': 'application/json',
};

async function kind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves `dir` on 127.0.0.1 (OS-chosen port) the usual way: a folder URL serves its index.html, a
 * folder without its trailing slash redirects (301) to it, anything else is 404. Written here
 * rather than taken from hotspare so the test does not check the code with itself.
 */
export async function serveFolder(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(403).end();
      const found = await kind(file);
      if (found === 'dir' && !path.endsWith('/')) return void res.writeHead(301, { location: `${path}/` }).end();
      const target = found === 'dir' ? join(file, 'index.html') : file;
      if ((await kind(target)) !== 'file') return void res.writeHead(404).end('not found');
      res
        .writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' })
        .end(await readFile(target));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
