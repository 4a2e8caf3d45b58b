/** Machine description and the files: bench/results.json and bench/results.md. */

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { markdownTable, summaryLines, type Row, type Summary } from './report.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** ndgpu's adapter description (`np.device` of the WebGPU context), when WebGPU ran. */
  webgpuAdapter: string | null;
  date: string;
  loadAverage: { start: number[]; end: number[] };
  /** The ndgpu commit benchmarked, and whether src/ had uncommitted changes. */
  git: { commit: string | null; srcModified: boolean | null };
}

function gitInfo(): Machine['git'] {
  // A bench carried to another machine (scripts/device-bench) says which clean commit it was built from:
  // the copy of the working tree there may hold a stale .git.
  const built = process.env.NDGPU_BENCH_COMMIT;
  if (built) return { commit: built, srcModified: false };
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  let commit: string | null = null;
  let srcModified: boolean | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    try {
      // Read-only: git diff does not write the index.
      execFileSync('git', ['diff', '--quiet', 'HEAD', '--', 'src'], { cwd, stdio: 'ignore' });
      srcModified = false;
    } catch {
      srcModified = true;
    }
  } catch {
    // Not a git checkout.
  }
  return { commit, srcModified };
}

export function machineInfo(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    webgpuAdapter: null,
    date: new Date().toISOString(),
    loadAverage: { start: os.loadavg(), end: [] },
    git: gitInfo(),
  };
}

export interface Results {
  machine: Machine;
  config: { n: number; quick: boolean; warmup: number; reps: number; rounds?: number; backends: string[]; cases: string[] };
  peers: Record<string, { ok: true; version: string } | { ok: false; reason: string }>;
  rows: Row[];
  summary: Summary;
  durationS: number;
}

const LEGEND = `GB/s counts bytes read + bytes written (elements × 4 × 2 for a copy; a broadcast source counts the
elements moved; a scalar fill counts the bytes written). Each case runs in rounds in which ndgpu, the baseline
and every peer take turns (so that a slow spell of a shared machine falls on all of them); each time is the
median of an implementation's timed repetitions over all rounds, after warm-up (case 9, 2,000 calls in a few ms, gets at least 20 warm-up and 21 timed repetitions in every
implementation, so that JIT-compiled call paths are timed at their top tier); on WebGPU a repetition is
wall clock from issuing the op to \`await np.sync()\` resolving. Each backend runs in a process of its own.
**baseline** moves the same bytes in the same run: \`copyBufferToBuffer\` on the same GPUDevice (WebGPU) or
\`TypedArray.prototype.set\` (CPU); for case 9, the same number of raw dispatches of a trivial kernel in one
compute pass (WebGPU) or of small TypedArray \`fill\`/\`set\` calls (CPU). **ratio** = ndgpu GB/s ÷ baseline
GB/s. Peer cells: the peer's GB/s (ndgpu GB/s ÷ peer GB/s); — where the library cannot express the case,
n/a where it could not be loaded. tfjs (\`@tensorflow/tfjs-backend-webgpu\` on ndgpu's GPUDevice) stands
beside the WebGPU rows; scijs ndarray-ops and NumPy (\`np.copyto\` into a preallocated output for copies)
beside the CPU rows.

Compute cases (10-14) are a group of their own, outside the strided geometric mean and the peer means.
GB/s counts the inputs read plus the output written (3 × n × 4 for the add; n × 4 + the output for a
sum); the baseline copies the bytes the case reads (2 × n × 4 for the add, n × 4 for a sum), and its GB/s
counts that copy's reads and writes, so **ratio** is the fraction of copy bandwidth reached. Inputs are
small integers, a[r, c] = (r + 2c) mod 3 and b[r, c] = ((3r + c) mod 7) − 3 (neither symmetric; a's sum
below 2^24), so every result is exact in float32 in any order of summation: before timing, each
implementation's result (ndgpu's, and every peer's) is compared with a CPU computation element by element,
and a mismatch is reported as an error instead of a time. Peers: tfjs
\`tf.add(tf.transpose(a), tf.transpose(b))\`, \`tf.sum(a, axis)\`; ndarray-ops \`ops.add(out, a.transpose(1, 0),
b.transpose(1, 0))\`, \`ops.sum(a)\`, and, having no axis reductions, the axis sums as one call per row
(\`ops.addeq(out, a.pick(i, null))\` for sum(0), \`ops.sum(a.pick(i, null))\` for sum(1)); NumPy
\`np.add(a.T, b.T, out=out)\`, \`a.sum(0)\`, \`a.sum(1)\`, \`a.sum()\`. ndgpu and tfjs allocate their results
(from their buffer pools). Cases 13-14 reduce a uint8 image, element i = (7i + i div 4096) mod 200 (GB/s
counts its n bytes): \`a.sum()\` is exact (uint32 in ndgpu, uint64 in NumPy), \`a.mean()\` is NumPy's float64
mean (ndgpu: the exact sum divided once, rounded to float32); NumPy \`image.sum()\`, \`image.mean()\`;
ndarray-ops \`ops.sum\` (it has no mean); tfjs has no uint8 tensors.`;

const PRODUCT_LEGEND = `Products (cases 13-16) are a group of their own: their throughput columns are GFLOP/s (2 · m · n · k per
product), and they have no baseline. Square float32 products of 256, 1024, 2048 and 4096 (capped at the
run's side: 1024 with --quick), \`a @ b.T\` at the largest size (b stored (n, k) and read transposed where it
lies), a batch of 512 products of 64 × 64, and a matrix-vector product at the largest size. Inputs are
small integers (a[i, r, c] = (r + 2c + i) mod 3, b[i, r, c] = ((3r + c + i) mod 7) − 3), so every sum is
exact in float32 whatever its order; 257 outputs spread over each result are checked against sums computed
on the CPU before timing. Peers: tfjs \`tf.matMul(a, b, false, transposeB)\` on the same device, NumPy
\`np.matmul(a, b, out=out)\` (its BLAS) on the CPU.`;

/** A warning when other processes were busy (the load average is above half the cores). */
export function loadNote(m: Machine): string | null {
  const worst = Math.max(m.loadAverage.start[0] ?? 0, m.loadAverage.end[0] ?? 0);
  if (worst <= m.cores / 2) return null;
  return (
    `Load average ${m.loadAverage.start[0]?.toFixed(1)} at the start, ${m.loadAverage.end[0]?.toFixed(1)} at the end, on ${m.cores} cores: ` +
    'other processes were running, so the timings are noisy (lavapipe runs its shaders on the same cores).'
  );
}

export function markdown(results: Results): string {
  const m = results.machine;
  const note = loadNote(m);
  const c = results.config;
  const peers = Object.entries(results.peers)
    .map(([name, p]) => (p.ok ? p.version : `${name}: n/a (${p.reason})`))
    .join('; ');
  return [
    `### Benchmarks (\`npm run bench${c.quick ? ' -- --quick' : ''}\`)`,
    '',
    `${m.date.slice(0, 10)} · ndgpu ${m.git.commit ?? '?'}${m.git.srcModified ? ' (with uncommitted changes in src/)' : ''} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ` +
      `WebGPU: ${m.webgpuAdapter ?? 'not run'} · Node ${m.node} · float32, n = 2^${Math.log2(c.n)} (${(c.n * 4) / 2 ** 20} MiB), ` +
      `median of ${c.reps} after ${c.warmup} warm-up${c.rounds && c.rounds > 1 ? ` in ${c.rounds} alternating rounds` : ''} · peers: ${peers}`,
    '',
    markdownTable(results.rows),
    '',
    ...summaryLines(results.summary, results.rows).map((l) => `- ${l}`),
    '',
    ...(note ? [`> ${note}`, ''] : []),
    LEGEND,
    '',
    ...(results.rows.some((r) => r.group === 'product') ? [PRODUCT_LEGEND, ''] : []),
  ].join('\n');
}

export function writeResults(results: Results): { json: string; md: string } {
  const json = fileURLToPath(new URL('./results.json', import.meta.url));
  const md = fileURLToPath(new URL('./results.md', import.meta.url));
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(md, markdown(results));
  return { json, md };
}
