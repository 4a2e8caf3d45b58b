/**
 * The browser tests run what is shipped: the package built to dist/ (`npm run build`) and the playground
 * built by Vite to demo-dist/ (`npm run build:demo`). `ensureBuilt()` rebuilds whichever is older than
 * its sources, once across the test files running in parallel (a lock folder serialises them).
 * NDGPU_E2E_PREBUILT=1 tests dist/ and demo-dist/ as they are (built elsewhere, e.g. by CI).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const DEMO_DIST = join(ROOT, 'demo-dist');

const LOCK = join(ROOT, 'node_modules', '.cache', 'ndgpu-e2e-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

export async function ensureBuilt(): Promise<void> {
  if (process.env.NDGPU_E2E_PREBUILT === '1') {
    for (const file of [join(DIST, 'index.js'), join(DEMO_DIST, 'index.html')]) {
      if (!mtime(file)) throw new Error(`NDGPU_E2E_PREBUILT=1 but ${file} is missing: run npm run build:demo`);
    }
    return;
  }
  await withLock(() => {
    const distBuilt = mtime(join(DIST, 'index.js'));
    if (distBuilt < newest(['src', 'tsconfig.build.json', 'tsconfig.json', 'package.json'])) {
      rmSync(join(ROOT, 'dist'), { recursive: true, force: true }); // no files of moved or deleted modules
      run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);
    }
    const demoBuilt = mtime(join(DEMO_DIST, 'index.html'));
    if (demoBuilt < newest(['demo', 'dist'])) {
      run(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'demo/vite.config.ts', '--logLevel', 'warn']);
    }
  });
}

function run(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

function mtime(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/** The newest modification time of the files under `paths` (relative to the root). */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (path: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return;
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else latest = Math.max(latest, stats.mtimeMs);
  };
  for (const path of paths) visit(join(ROOT, path));
  return latest;
}

async function withLock(body: () => void): Promise<void> {
  mkdirSync(join(LOCK, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - mtime(LOCK) > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
