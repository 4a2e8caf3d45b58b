/**
 * A tiny static file server on 127.0.0.1 for the browser tests: URL prefixes mapped to folders, and
 * optionally an endpoint where pages POST what they found (the Firefox tests read results that way).
 */

import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** POSTs to paths under this prefix (e.g. '/results/') are handed to `receive`; nothing else accepts POST. */
  postPrefix?: string;
  receive?(path: string, body: string): void;
  /** Called for every request answered with an error status (a page's missing file). */
  onError?(status: number, path: string): void;
}

const MAX_POST_BYTES = 64 << 20;

/** Serves `mounts` (`{ '/dist/': '/abs/dist' }`); a folder serves its index.html. */
export async function serveStatic(mounts: Record<string, string>, options: ServeOptions = {}): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (request.method === 'POST' && options.postPrefix && options.receive && path.startsWith(options.postPrefix)) {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_POST_BYTES) chunks.push(chunk);
      });
      request.on('end', () => {
        if (size > MAX_POST_BYTES) {
          options.onError?.(413, path);
          response.writeHead(413, { 'content-type': 'text/plain' }).end('too large');
          return;
        }
        response.writeHead(204).end();
        options.receive!(path, Buffer.concat(chunks).toString('utf8'));
      });
      return;
    }
    const file = request.method === 'GET' || request.method === 'HEAD' ? resolveFile(mounts, path) : null;
    if (!file) {
      options.onError?.(404, path);
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function resolveFile(mounts: Record<string, string>, path: string): string | null {
  for (const [prefix, folder] of Object.entries(mounts)) {
    if (!path.startsWith(prefix)) continue;
    const candidate = normalize(join(folder, path.slice(prefix.length)));
    if (candidate !== folder && !candidate.startsWith(folder.endsWith(sep) ? folder : folder + sep)) return null;
    const stats = statSync(candidate, { throwIfNoEntry: false });
    if (stats?.isFile()) return candidate;
    if (stats?.isDirectory()) {
      const index = join(candidate, 'index.html');
      if (statSync(index, { throwIfNoEntry: false })?.isFile()) return index;
    }
    return null;
  }
  return null;
}
