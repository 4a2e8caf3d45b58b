/**
 * `npx tsx bench/products.ts [--n 1024] [--rounds 3] [--reps 5]`: the CPU backend's matrix products —
 * `np.matmul(a, b, { out })` on `init({ backend: 'cpu' })`, which runs the WebAssembly gemm kernel
 * (src/device/cpu/wasm/gemm-kernels.ts, single-threaded), and the kernel alone on blocks of its own memory
 * (the routine's overhead is the difference) — against NumPy's `np.matmul(a, b, out=out)` (OpenBLAS, with
 * the threads it chose: printed), n × n float32, side by side in alternating rounds: each round times
 * ndgpu, then NumPy in a subprocess, so that a slow spell of this shared machine falls on both. Prints the
 * medians and their ratio.
 */

import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { init } from '../src/index.js';
import { instantiateKernels } from '../src/device/cpu/wasm/kernels.js';
import { gemmInMemory } from '../src/device/cpu/wasm/gemm.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1024' }, rounds: { type: 'string', default: '3' }, reps: { type: 'string', default: '5' } },
});
const n = Number(values.n);
const rounds = Number(values.rounds);
const reps = Number(values.reps);

// The same inputs as the Python side: small multiples of 1/8, so both results are close to exact.
const aValues = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 8);
const bValues = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 8);

const np = await init({ backend: 'cpu', cpuKernels: 'wasm' });
const aArray = np.array(aValues, { shape: [n, n] });
const bArray = np.array(bValues, { shape: [n, n] });
const outArray = np.empty([n, n], { dtype: 'float32' });
const matmul = () => np.matmul(aArray, bArray, { out: outArray });

const bytes = n * n * 4;
const memory = new WebAssembly.Memory({ initial: Math.ceil((3 * bytes + (1 << 20)) / 65536) });
const kernels = await instantiateKernels(memory);
const a = 1 << 20;
const b = a + bytes;
const c = b + bytes;
new Float32Array(memory.buffer, a, n * n).set(aValues);
new Float32Array(memory.buffer, b, n * n).set(bValues);
const kernel = () => gemmInMemory(kernels, { dtype: 'float32', m: n, n, k: n, a, b, c, cRowStride: n, aStrides: [n, 1], bStrides: [n, 1] });

const PYTHON = `
import ctypes, json, sys, time
import numpy as np
n, reps = int(sys.argv[1]), int(sys.argv[2])
i = np.arange(n * n)
a = (((i * 7) % 13) / 8).astype(np.float32).reshape(n, n)
b = (((i * 5) % 11) / 8).astype(np.float32).reshape(n, n)
out = np.empty((n, n), np.float32)
for _ in range(2): np.matmul(a, b, out=out)
times = []
for _ in range(reps):
    t = time.perf_counter(); np.matmul(a, b, out=out); times.append((time.perf_counter() - t) * 1000)
threads = None
for line in open('/proc/self/maps'):
    if 'openblas' in line.lower():
        lib = ctypes.CDLL(line.split()[-1])
        for name in ('scipy_openblas_get_num_threads64_', 'openblas_get_num_threads64_', 'openblas_get_num_threads'):
            if hasattr(lib, name): threads = getattr(lib, name)(); break
        break
print(json.dumps({'times': times, 'numpy': np.__version__, 'threads': threads, 'corner': float(out[n - 1, n - 1])}))
`;

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ours: number[] = [];
const kernelOnly: number[] = [];
const theirs: number[] = [];
let info = { numpy: '?', threads: null as number | null, corner: NaN };
const loadStart = os.loadavg()[0];
const time = async (run: () => unknown, into: number[], warm: boolean) => {
  for (let r = 0; r < (warm ? 2 : 0) + reps; r++) {
    const t0 = performance.now();
    run();
    await np.sync();
    if (!warm || r >= 2) into.push(performance.now() - t0);
  }
};
for (let round = 0; round < rounds; round++) {
  await time(matmul, ours, round === 0);
  await time(kernel, kernelOnly, round === 0);
  const report = JSON.parse(
    execFileSync(process.env.PYTHON ?? 'python3', ['-c', PYTHON, String(n), String(reps)], { encoding: 'utf8' }),
  ) as {
    times: number[];
    numpy: string;
    threads: number | null;
    corner: number;
  };
  theirs.push(...report.times);
  info = report;
}
const corner = (await outArray.item([n - 1, n - 1])) as number;
const flops = 2 * n ** 3;
const mine = median(ours);
const bare = median(kernelOnly);
const numpy = median(theirs);
console.log(
  `products, ${n}² float32, ${rounds} alternating rounds of ${reps}; load average ${loadStart.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
);
console.log(`  ndgpu np.matmul, CPU backend (WebAssembly, 1 thread): ${mine.toFixed(1)} ms, ${(flops / mine / 1e6).toFixed(1)} GFLOP/s`);
console.log(`  the gemm kernel alone: ${bare.toFixed(1)} ms, ${(flops / bare / 1e6).toFixed(1)} GFLOP/s`);
console.log(
  `  NumPy ${info.numpy} matmul (OpenBLAS, ${info.threads ?? '?'} threads): ${numpy.toFixed(1)} ms, ${(flops / numpy / 1e6).toFixed(1)} GFLOP/s`,
);
console.log(`  ratio (NumPy time / ndgpu np.matmul time): ${(numpy / mine).toFixed(2)}×; C[-1, -1] ${corner} vs NumPy ${info.corner}`);
np.dispose();
