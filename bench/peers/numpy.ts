/**
 * NumPy through bench/numpy_bench.py, one subprocess per case (so its measurement sits beside ndgpu's
 * in time). Runs where `python3 -c "import numpy"` works ($PYTHON overrides the interpreter). The
 * subprocess's environment drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (only there). A failing
 * subprocess (a compute case whose result is wrong exits 1) is reported with its last stderr line.
 */

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CaseId, Geometry } from '../cases.js';
import type { Measurement, RepetitionCounts } from '../timing.js';
import { errorText, type Peer, type PeerLoad } from './peer.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../numpy_bench.py', import.meta.url));

function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

interface NumpyReport {
  numpy: string;
  median_ms: number;
  times_ms: number[];
  alloc_median_ms?: number;
}

export async function loadNumpy(): Promise<PeerLoad> {
  const python = process.env.PYTHON ?? 'python3';
  const env = pythonEnv();
  let version: string;
  try {
    const { stdout } = await run(python, ['-c', 'import numpy; print(numpy.__version__)'], { env });
    version = `NumPy ${stdout.trim()}`;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
    return { ok: false, name: 'numpy', reason: `${python} -c "import numpy" failed: ${stderr || errorText(error)}` };
  }
  const peer: Peer = {
    name: 'numpy',
    backend: 'cpu',
    version,
    async measure(id: CaseId, g: Geometry, _source: Float32Array, counts: RepetitionCounts): Promise<Measurement> {
      const args = [SCRIPT, '--case', id, '--n', String(g.n), '--warmup', String(counts.warmup), '--reps', String(counts.reps)];
      let stdout: string;
      try {
        ({ stdout } = await run(python, args, { env, maxBuffer: 1 << 20 }));
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').pop();
        throw new Error(stderr || errorText(error));
      }
      const report = JSON.parse(stdout) as NumpyReport;
      return { medianMs: report.median_ms, timesMs: report.times_ms, allocMedianMs: report.alloc_median_ms };
    },
  };
  return { ok: true, peer };
}
