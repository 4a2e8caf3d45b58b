/**
 * The package as a consumer gets it: `npm pack`, installed from the tarball into a fresh project in a
 * temporary folder. That project installs without Dawn (npm `webgpu` is an optional peer), compiles
 * strictly against the shipped declarations (`skipLibCheck: false`) on the oldest and the newest
 * TypeScript ndgpu supports, bundles with Vite (each backend in a chunk of its own, loaded when init()
 * picks it; the sizes are printed), runs from plain Node ESM without and with `webgpu`, and from Deno
 * (its own navigator.gpu). publint and @arethetypeswrong/cli check the tarball.
 *
 * npm installs with --prefer-offline: the tarball's own dependency, `webgpu` and the oldest TypeScript
 * come from npm's cache when they are there (the oldest TypeScript is kept under node_modules/.cache).
 */

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './support/build.js';

/** The oldest TypeScript whose compiler accepts the declarations (it has lib esnext.disposable, which
 * `[Symbol.dispose]` needs); the newest is the repository's own. */
const OLDEST_TYPESCRIPT = '5.2';
const BIN = join(ROOT, 'node_modules', '.bin');
const OLDEST_TSC_DIR = join(ROOT, 'node_modules', '.cache', 'ndgpu-consumer', `typescript-${OLDEST_TYPESCRIPT}`);

let work: string;
let app: string;
let tarball: string;

/** npm and friends, without the settings `npm test` passes to its scripts through npm_* variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) || /^npm_config_(cache|registry|userconfig)$/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: cleanEnv(extraEnv), encoding: 'utf8', stdio: 'pipe', timeout: 180_000 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

async function runAsync(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const options = { cwd, env: cleanEnv(), encoding: 'utf8' as const, timeout: 180_000 };
    return (await promisify(execFile)(command, args, options)).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const npmInstall = (cwd: string, specs: string[]) =>
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], cwd);

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

beforeAll(async () => {
  await ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'ndgpu-consumer-'));
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--loglevel=error'], ROOT);
  const packed = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!packed) throw new Error('npm pack wrote no tarball');
  tarball = join(work, packed);
  app = join(work, 'app');
  write(join(app, 'package.json'), json({ name: 'consumer', private: true, type: 'module' }));
  writeConsumerSources(app);
  npmInstall(app, [tarball]);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, as a consumer installs it', () => {
  it('installs without Dawn, ships what its maps and docs name, and passes publint and attw', () => {
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'webgpu')), 'webgpu is an optional peer: not installed').toBe(false);
    expect(existsSync(join(modules, '@webgpu', 'types', 'package.json')), '@webgpu/types is a dependency').toBe(true);
    const pkg = join(modules, 'ndgpu');
    for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']) {
      expect(existsSync(join(pkg, file)), file).toBe(true);
    }
    // Every source map (.js.map and .d.ts.map) names files the package ships.
    const maps = filesUnder(join(pkg, 'dist')).filter((file) => file.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const target = resolve(dirname(map), sourceRoot ?? '', source);
        expect(existsSync(target), `${relative(pkg, map)} names ${source}`).toBe(true);
      }
    }
    // The declarations bring WebGPU's types with them.
    expect(readFileSync(join(pkg, 'dist', 'index.d.ts'), 'utf8')).toMatch(/<reference types="@webgpu\/types"/);
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    run(join(BIN, 'publint'), ['run', tarball, '--strict'], work);
    // ESM only: CommonJS resolution (node10, node16 from CJS) is not offered.
    run(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--no-color'], work);
  }, 120_000);

  it(`compiles strictly (skipLibCheck: false) on TypeScript ${OLDEST_TYPESCRIPT} and the newest, for browsers and for Node`, async () => {
    // A Node project has @types/node (linked from the repository: same files as an install).
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    for (const name of ['@types/node', 'undici-types']) {
      const link = join(app, 'node_modules', name);
      if (!existsSync(link)) symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
    }
    const compilers = { newest: join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), oldest: oldestTsc() };
    expect(run(process.execPath, [compilers.oldest, '--version'], app)).toContain(`Version ${OLDEST_TYPESCRIPT}.`);
    const builds = Object.values(compilers).flatMap((tsc) =>
      ['tsconfig.browser.json', 'tsconfig.node.json'].map(async (config) => {
        const version = run(process.execPath, [tsc, '--version'], app).trim();
        await runAsync(process.execPath, [tsc, '-p', config], app).catch((error: Error) => {
          throw new Error(`${version}, ${config}: ${error.message}`);
        });
      }),
    );
    await Promise.all(builds);
  }, 180_000);

  it('bundles with Vite: a minimal app (init + arange) loads one backend, in a chunk of its own', async () => {
    const { build } = await import('vite');
    const output = await build({
      root: app,
      configFile: false,
      logLevel: 'silent',
      build: { outDir: join(work, 'vite-dist'), target: 'es2022', write: false, reportCompressedSize: false },
    });
    const bundles = (Array.isArray(output) ? output : [output]) as { output: BundleItem[] }[];
    const chunks = bundles.flatMap((b) => b.output).filter((item): item is Chunk => item.type === 'chunk');
    const entry = chunks.find((chunk) => chunk.isEntry);
    expect(entry).toBeDefined();
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    const staticClosure = (chunk: Chunk, seen = new Set<string>()): Set<string> => {
      if (!seen.has(chunk.fileName)) {
        seen.add(chunk.fileName);
        for (const name of chunk.imports) staticClosure(byName.get(name)!, seen);
      }
      return seen;
    };
    const initial = staticClosure(entry!);
    // A backend's chunk is the one whose entry module is what init() imports for it.
    const backend = (module: string) => chunks.find((chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(module));
    const webgpu = backend('/dist/device/webgpu/webgpu-backend.js');
    const cpu = backend('/dist/device/cpu/create.js');
    expect(webgpu, 'the WebGPU backend is a chunk of its own').toBeDefined();
    expect(cpu, 'the CPU backend is a chunk of its own').toBeDefined();
    for (const chunk of [webgpu!, cpu!]) {
      expect(initial.has(chunk.fileName), `${chunk.fileName} is loaded only when init() picks it`).toBe(false);
      expect(entry!.dynamicImports).toContain(chunk.fileName);
    }
    const size = (names: Iterable<string>) => {
      const code = [...names].map((name) => byName.get(name)!.code).join('');
      return `${(code.length / 1024).toFixed(1)} KiB (${(gzipSync(code).length / 1024).toFixed(1)} KiB gzip)`;
    };
    const withBackend = (chunk: Chunk) => new Set([...initial, ...staticClosure(chunk)]);
    console.log(
      [
        'minimal app (init + arange), Vite production build:',
        `  before init(): ${size(initial)}`,
        `  on WebGPU:     ${size(withBackend(webgpu!))}`,
        `  on the CPU:    ${size(withBackend(cpu!))}`,
        `  every chunk:   ${size(byName.keys())}`,
      ].join('\n'),
    );
  }, 120_000);

  it('runs from plain Node ESM: without webgpu init() says what to install; with it, on Dawn', () => {
    const without = JSON.parse(run(process.execPath, ['main.mjs'], app)) as RunReport;
    expect(without.backend).toBe('cpu');
    expect(without.sums).toEqual([3, 5, 7]);
    expect(without.fallbackReason).toMatch(/npm install webgpu/);
    expect(without.forcedError).toMatch(/^init\(\{ backend: 'webgpu' \}\): .*npm install webgpu/);

    const dawn = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'webgpu', 'package.json'), 'utf8')) as { version: string };
    npmInstall(app, [`webgpu@${dawn.version}`]);
    const quiet = run(process.execPath, ['main.mjs'], app);
    const report = JSON.parse(quiet.trim().split('\n').pop()!) as RunReport;
    expect(report.backend).toBe('webgpu');
    expect(report.sums).toEqual([3, 5, 7]);
    const verbose = run(process.execPath, ['main.mjs', '--verbose'], app);
    expect(verbose).toMatch(/^ndgpu: webgpu backend \(.*\): a WebGPU adapter was found$/m);
  }, 180_000);

  it("runs from Deno, on Deno's own WebGPU, and type-checks there", () => {
    const deno = join(BIN, 'deno');
    const env = { DENO_NO_UPDATE_CHECK: '1', DENO_WEBGPU_BACKEND: process.env.DENO_WEBGPU_BACKEND ?? 'vulkan' };
    const report = JSON.parse(run(deno, ['run', '-A', 'main.mjs'], app, env)) as RunReport;
    expect(report.backend).toBe('webgpu');
    expect(report.sums).toEqual([3, 5, 7]);
    run(deno, ['check', 'typed.ts'], app, env);
  }, 120_000);
});

interface RunReport {
  backend: string;
  device: string;
  sums: number[];
  fallbackReason: string | null;
  forcedError?: string;
}
interface Chunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  /** The module the chunk stands for, when it has one (an entry or a dynamic import's target). */
  facadeModuleId: string | null;
  imports: string[];
  dynamicImports: string[];
}
type BundleItem = Chunk | { type: 'asset' };

/** The oldest supported TypeScript's compiler, installed once under node_modules/.cache. */
function oldestTsc(): string {
  const tsc = join(OLDEST_TSC_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    write(join(OLDEST_TSC_DIR, 'package.json'), json({ name: 'oldest-typescript', private: true }));
    npmInstall(OLDEST_TSC_DIR, [`typescript@${OLDEST_TYPESCRIPT}`]);
  }
  return tsc;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The consumer project's sources: a program for Node and Deno, a browser app, and TypeScript that uses
 * the public types (WebGPU's among them) under two strict configurations. */
function writeConsumerSources(dir: string): void {
  write(
    join(dir, 'main.mjs'),
    `import { init } from 'ndgpu';
const verbose = process.argv.includes('--verbose');
const np = await init({ verbose });
const sums = await np.tidy(() => np.arange(6).reshape(2, 3).sum(0)).toArray();
const report = { backend: np.backend, device: np.device, sums, fallbackReason: np.fallbackReason };
np.dispose();
if (report.backend === 'cpu') {
  report.forcedError = await init({ backend: 'webgpu' }).then(() => 'no error', (error) => error.message);
}
console.log(JSON.stringify(report));
`,
  );
  write(join(dir, 'index.html'), `<!doctype html>\n<script type="module" src="./app.ts"></script>\n`);
  write(
    join(dir, 'app.ts'),
    `import { init } from 'ndgpu';

const np = await init();
document.body.textContent = String(await np.arange(10).toArray());
`,
  );
  const typed = `import { init, NDArray, IndexError, type Context, type DType, type Float16Data, type InitOptions } from 'ndgpu';

export async function main(device?: GPUDevice): Promise<number> {
  const options: InitOptions = device ? { device } : { backend: 'auto', verbose: false };
  const np: Context = await init(options);
  const dtype: DType = 'float32';
  const a: NDArray = np.arange(12, { dtype }).reshape(3, 4);
  const buffer: GPUBuffer | null = a.gpuBuffer;
  const total = await np.scope(async () => {
    const rows = await a.get(':, 1:3').toArray();
    const s = a.sum(0);
    return { s, n: Array.isArray(rows) ? rows.length : 0 };
  });
  {
    using t = np.ones([2]);
    void t.shape;
  }
  try {
    a.get('5');
  } catch (error) {
    if (!(error instanceof IndexError)) throw error;
  }
  const first = await total.s.item();
  // Types follow the dtype: reads need no casts.
  const f32: Float32Array = await np.arange(3, { dtype: 'float32' }).data();
  const x: number = await np.arange(3, { dtype: 'float32' }).sum().item();
  const i32: Int32Array = await np.arange(4).data();
  const ints: NDArray<'int32'> = np.array([[1, 2], [3, 4]]);
  const half: Float16Data = await np.zeros([2], { dtype: 'float16' }).data();
  const flag: boolean = await np.array([true, false]).any().item();
  const mean: number = await ints.mean().item();
  const cpu = await init({ backend: 'cpu' });
  const big: bigint = await cpu.arange(3, { dtype: 'int64' }).sum().item();
  const bigs: BigInt64Array = await cpu.array([1n, 2n]).data();
  cpu.dispose();
  np.dispose();
  const reads = f32.length + x + i32.length + half.length + (flag ? 1 : 0) + mean + Number(big) + bigs.length;
  return typeof first === 'number' ? first + total.n + reads + (buffer ? 1 : 0) : 0;
}
`;
  write(join(dir, 'typed.ts'), typed);
  const strict = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', types: [] as string[] };
  write(
    join(dir, 'tsconfig.browser.json'),
    json({
      // TypeScript's own DOM lib is the browser project's choice: its check is left out here, for time.
      // The Node project below checks every declaration file, TypeScript's libs included, since the
      // package's references add the DOM lib to what @types/node declares.
      compilerOptions: {
        ...strict,
        skipDefaultLibCheck: true,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      },
      files: ['typed.ts', 'app.ts'],
    }),
  );
  write(
    join(dir, 'tsconfig.node.json'),
    json({
      compilerOptions: {
        ...strict,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: ['node'],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        noPropertyAccessFromIndexSignature: true,
      },
      files: ['typed.ts'],
    }),
  );
}
