/**
 * `npm run bench [-- --quick] [--backend webgpu|cpu|all] [--cases copy,step2,...] [--reps N] [--warmup N] [--rounds N] [--tuning auto|gpu|software]`
 *
 * Measures ndgpu's copies and slice assignments (cases 1-9), and its elementwise add and sums (cases
 * 10-14, checked against the CPU before timing), side by side with a raw baseline moving the same bytes
 * and with peer libraries, in one run, and reports ratios (never timing assertions). Writes
 * bench/results.json and bench/results.md. Cases: bench/cases.ts; baselines: bench/baselines.ts; peers:
 * bench/peers/.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { WebGpuBackend } from '../src/device/webgpu/webgpu-backend.js';
import type { Context } from '../src/index.js';
import { init } from './library.js';
import { cpuCopyBaseline, cpuSmallSetsBaseline, webgpuCopyBaseline, webgpuDispatchBaseline } from './baselines.js';
import {
  CASES,
  CASE_IDS,
  PER_CALL_COUNTS,
  checkCompute,
  geometry,
  iota,
  isCaseId,
  isComputeCase,
  isProductCase,
  checkProduct,
  productCase,
  type CaseDef,
  type Geometry,
} from './cases.js';
import { loadNote, machineInfo, writeResults, type Results } from './output.js';
import { loadNdarrayOps } from './peers/ndarray-ops.js';
import { loadNumpy } from './peers/numpy.js';
import { errorText, type Peer, type PeerLoad } from './peers/peer.js';
import { loadTfjs } from './peers/tfjs.js';
import { summarize, summaryLines, textTable, type BackendName, type PeerCell, type Row, type Stat } from './report.js';
import { gbps, measure, pooled, roundCounts, type Measurement, type RepetitionCounts } from './timing.js';

const TUNINGS = ['auto', 'gpu', 'software'] as const;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'all' },
      cases: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      /** Turns ndgpu, the baseline and the peers take at each case (the repetitions are shared out). */
      rounds: { type: 'string' },
      /** WebGPU kernel tuning: auto (default), gpu or software (see src/shaders/tuning.ts). */
      tuning: { type: 'string', default: 'auto' },
      /** Internal: measure the one backend given and write its part of the results to this file. */
      partial: { type: 'string' },
    },
  });
  const backend = values.backend;
  if (backend !== 'all' && backend !== 'webgpu' && backend !== 'cpu')
    throw new Error(`--backend must be webgpu, cpu or all, got '${backend}'`);
  const backends: BackendName[] = backend === 'all' ? ['webgpu', 'cpu'] : [backend];
  const wanted = values.cases
    ? values.cases
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...CASE_IDS];
  const unknown = wanted.filter((id) => !isCaseId(id));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown.join(', ')}; cases: ${CASE_IDS.join(', ')}`);
  const cases = CASES.filter((c) => wanted.includes(c.id));
  const tuning = TUNINGS.find((t) => t === values.tuning);
  if (!tuning) throw new Error(`--tuning must be ${TUNINGS.join(', ')}, got '${values.tuning}'`);
  const quick = values.quick;
  const count = (text: string | undefined, fallback: number, min: number) => {
    const v = text === undefined ? fallback : Number(text);
    if (!Number.isInteger(v) || v < min) throw new Error(`expected an integer >= ${min}, got '${text}'`);
    return v;
  };
  // Full runs: 2^24 float32 (64 MiB). Two warm-ups: the first compiles pipelines and touches memory.
  const counts: RepetitionCounts = { warmup: count(values.warmup, quick ? 1 : 2, 0), reps: count(values.reps, quick ? 3 : 9, 1) };
  const rounds = count(values.rounds, quick ? 1 : 3, 1);
  return { quick, backends, cases, counts, rounds, tuning, n: quick ? 2 ** 20 : 2 ** 24, partial: values.partial, args: values };
}

const stat = (m: Measurement, bytes: number): Stat => ({ medianMs: m.medianMs, gbps: gbps(bytes, m.medianMs), timesMs: m.timesMs });

/** The repetition counts of one case: the run's, raised to PER_CALL_COUNTS for per-call cases. */
function countsFor(def: CaseDef, counts: RepetitionCounts): RepetitionCounts {
  if (!def.perCall) return counts;
  return { warmup: Math.max(counts.warmup, PER_CALL_COUNTS.warmup), reps: Math.max(counts.reps, PER_CALL_COUNTS.reps) };
}

async function measureNdgpu(np: Context, def: CaseDef, source: Float32Array, g: Geometry, counts: RepetitionCounts): Promise<Measurement> {
  const prepared = def.ndgpu(np, source, g);
  try {
    await np.sync(); // uploads finish before the clock starts
    if (isProductCase(def.id)) {
      // Once, untimed, as the compute cases: sampled outputs must match sums computed on the CPU.
      const out = await prepared.op();
      if (!out) throw new Error(`${def.id} returned no array`);
      try {
        const wrong = checkProduct(productCase(def.id, g), (await out.data()) as Float32Array);
        if (wrong) throw new Error(`wrong result: ${wrong}`);
      } finally {
        out.dispose();
      }
    }
    if (isComputeCase(def.id)) {
      // Once, untimed: the result must match the CPU's before its speed means anything.
      const out = await prepared.op();
      if (!out) throw new Error(`${def.id} returned no array`);
      try {
        const wrong = checkCompute(def.id, g, (await out.data()) as Float32Array);
        if (wrong) throw new Error(`wrong result: ${wrong}`);
      } finally {
        out.dispose();
      }
    }
    return await measure(async () => {
      const out = await prepared.op();
      await np.sync();
      return out ? () => out.dispose() : undefined;
    }, counts);
  } finally {
    prepared.dispose();
    await np.sync();
    np.trim();
  }
}

/** Repetitions of every case at WARM_UP_N before any timing: see warmUpCallPaths. */
const WARM_UP_REPS = 30;
const WARM_UP_N = 2 ** 12;

/**
 * Runs every case WARM_UP_REPS times at a small size, in ndgpu and in each JavaScript peer, before the
 * first timed repetition. The JIT optimises a call path only after many calls, and a case's own 2
 * warm-ups at full size are a handful: the first case measured (a.copy()) paid for tiering up the code
 * every later case shares (0.53x of copyBufferToBuffer on an H200 where 10 warm-ups gave 0.91x). NumPy
 * (compiled) needs none and is not run.
 */
async function warmUpCallPaths(np: Context, peers: readonly Peer[], cases: readonly CaseDef[]): Promise<void> {
  const g = geometry(WARM_UP_N);
  const source = iota(WARM_UP_N);
  const counts: RepetitionCounts = { warmup: WARM_UP_REPS, reps: 1 };
  for (const def of cases) {
    const prepared = def.ndgpu(np, source, g);
    try {
      for (let i = 0; i < WARM_UP_REPS; i++) {
        (await prepared.op())?.dispose();
        await np.sync();
      }
    } finally {
      prepared.dispose();
    }
    for (const peer of peers) {
      if (peer.name === 'numpy') continue;
      try {
        await peer.measure(def.id, g, source, counts);
      } catch {
        // A peer that fails here fails again, reported, when it is measured.
      }
    }
  }
  await np.sync();
  np.trim();
}

/** The baseline for a case; `bytes` is what it moves (read + written: it copies bytes / 2). */
async function measureBaseline(
  np: Context,
  def: CaseDef,
  bytes: number,
  counts: RepetitionCounts,
): Promise<Measurement & { method: string }> {
  if (np.backend === 'webgpu') {
    const device = (np.backendImpl as WebGpuBackend).device;
    if (def.id === 'smallsets') return { ...(await webgpuDispatchBaseline(device, counts)), method: 'raw dispatches in one compute pass' };
    return { ...(await webgpuCopyBaseline(device, bytes, counts)), method: `copyBufferToBuffer of ${bytes / 2} bytes` };
  }
  if (def.id === 'smallsets') return { ...(await cpuSmallSetsBaseline(counts)), method: 'TypedArray fill/set per set' };
  return { ...(await cpuCopyBaseline(bytes, counts)), method: `TypedArray.prototype.set of ${bytes / 2} bytes` };
}

async function loadPeers(np: Context): Promise<PeerLoad[]> {
  if (np.backend === 'webgpu') return [await loadTfjs((np.backendImpl as WebGpuBackend).device)];
  return [await loadNdarrayOps(), await loadNumpy()];
}

/** A peer's cell from its rounds' measurements (null: it cannot express the case), or its failure. */
function peerCell(name: string, rounds: readonly (Measurement | null)[] | Error, bytes: number, ndgpu: Stat | null): PeerCell {
  if (rounds instanceof Error) {
    console.log(`  ${name} failed: ${errorText(rounds)}`);
    return { status: 'error', reason: errorText(rounds) };
  }
  if (rounds.some((m) => m === null)) return { status: 'unsupported' };
  const m = pooled(rounds as Measurement[]);
  const s = stat(m, bytes);
  return {
    status: 'ok',
    ...s,
    ndgpuOverPeer: ndgpu ? ndgpu.gbps / s.gbps : null,
    ...(m.allocMedianMs !== undefined ? { allocMedianMs: m.allocMedianMs } : {}),
  };
}

type Options = ReturnType<typeof options>;

/** One backend's part of the results. */
interface BackendPart {
  rows: Row[];
  peers: Results['peers'];
  webgpuAdapter?: string;
}

/** Measures every case on one backend, in this process. */
async function measureBackend(backend: BackendName, opts: Options): Promise<BackendPart> {
  const g = geometry(opts.n);
  const source = iota(opts.n);
  const part: BackendPart = { rows: [], peers: {} };
  let np: Context;
  try {
    np = await init({ backend, tuning: opts.tuning });
  } catch (error) {
    console.log(`${backend}: cannot start ndgpu (${errorText(error)}); skipped`);
    return part;
  }
  if (backend === 'webgpu') part.webgpuAdapter = `${np.device} (kernels tuned for: ${np.tuning})`;
  console.log(`\n[${backend}] ${np.device}${np.tuning ? ` (kernels tuned for: ${np.tuning})` : ''}`);
  const loads = await loadPeers(np);
  const peers: Peer[] = [];
  for (const load of loads) {
    if (load.ok) {
      peers.push(load.peer);
      part.peers[load.peer.name] = { ok: true, version: load.peer.version };
      console.log(`  peer ${load.peer.version}`);
    } else {
      part.peers[load.name] = { ok: false, reason: load.reason };
      console.log(`  peer ${load.name} n/a: ${load.reason}`);
    }
  }

  await warmUpCallPaths(np, peers, opts.cases);

  for (const def of opts.cases) {
    const counts = countsFor(def, opts.counts);
    const bytes = def.bytes(g);
    const baselineBytes = def.baselineCopyBytes ? 2 * def.baselineCopyBytes(g) : bytes;
    const row: Row = {
      case: def.id,
      number: def.number,
      label: def.label(g),
      backend,
      group: def.group,
      strided: def.strided,
      bytes,
      ndgpu: null,
      baseline: null,
      ratio: null,
      peers: {},
    };
    // Rounds: ndgpu, the baseline and every peer take turns, so that a slow spell of the machine (other
    // processes, memory bandwidth shared with neighbours) falls on all of them alike; each one's median
    // is over its repetitions of every round.
    const ndgpuRounds: Measurement[] = [];
    const baseRounds: (Measurement & { method: string })[] = [];
    const peerRounds = new Map<string, (Measurement | null)[] | Error>(peers.map((p) => [p.name, []]));
    for (let round = 0; round < opts.rounds; round++) {
      const c = roundCounts(counts, opts.rounds, round, def.perCall ? PER_CALL_COUNTS.warmup : 1);
      if (!row.error) {
        try {
          ndgpuRounds.push(await measureNdgpu(np, def, source, g, c));
        } catch (error) {
          row.error = errorText(error);
          console.log(`  ndgpu failed on ${def.id}: ${row.error}`);
        }
      }
      // Products have no copy to stand beside (their rows compare GFLOP/s with the peers').
      if (def.group !== 'product') baseRounds.push(await measureBaseline(np, def, baselineBytes, c));
      for (const peer of peers) {
        const got = peerRounds.get(peer.name);
        if (got instanceof Error || got === undefined || got.includes(null)) continue;
        await np.sync();
        try {
          got.push(await peer.measure(def.id, g, source, c));
        } catch (error) {
          peerRounds.set(peer.name, error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
    if (!row.error) row.ndgpu = stat(pooled(ndgpuRounds), bytes);
    if (baseRounds.length > 0) {
      row.baseline = { ...stat(pooled(baseRounds), baselineBytes), method: baseRounds[0].method };
      if (row.ndgpu) row.ratio = row.ndgpu.gbps / row.baseline.gbps;
    }
    for (const load of loads) {
      if (!load.ok) {
        row.peers[load.name] = { status: 'unavailable', reason: load.reason };
        continue;
      }
      row.peers[load.peer.name] = peerCell(`${load.peer.name} on ${def.id}`, peerRounds.get(load.peer.name) ?? [], bytes, row.ndgpu);
    }
    part.rows.push(row);
    const peerText = Object.entries(row.peers)
      .map(([name, c]) => `${name} ${c.status === 'ok' ? `${c.medianMs.toFixed(1)} ms` : c.status}`)
      .join(', ');
    console.log(
      `  ${def.number.padEnd(3)} ${def.id.padEnd(12)} ndgpu ${row.ndgpu ? `${row.ndgpu.medianMs.toFixed(1)} ms` : 'error'}, ` +
        `baseline ${row.baseline ? `${row.baseline.medianMs.toFixed(1)} ms` : '—'}${peerText ? `, ${peerText}` : ''}`,
    );
  }
  for (const peer of peers) peer.dispose?.();
  np.dispose();
  return part;
}

/**
 * Measures `backend` in a child process of its own: a backend measured after another in the same process
 * inherits its heap, JIT state and driver threads, and the CPU loops ran up to 1.6x slower after the
 * WebGPU half than on their own.
 */
function measureInChild(backend: BackendName, opts: Options): BackendPart {
  const file = join(tmpdir(), `ndgpu-bench-${process.pid}-${backend}.json`);
  const a = opts.args;
  const args = [
    ...process.execArgv,
    process.argv[1],
    '--backend',
    backend,
    '--partial',
    file,
    ...(a.quick ? ['--quick'] : []),
    ...(a.cases ? ['--cases', a.cases] : []),
    ...(a.reps ? ['--reps', a.reps] : []),
    ...(a.warmup ? ['--warmup', a.warmup] : []),
    ...(a.rounds ? ['--rounds', a.rounds] : []),
    '--tuning',
    opts.tuning,
  ];
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (child.status !== 0 || !existsSync(file))
    throw new Error(`the ${backend} half of the bench failed (exit ${child.status ?? child.signal})`);
  const part = JSON.parse(readFileSync(file, 'utf8')) as BackendPart;
  rmSync(file);
  return part;
}

async function main(): Promise<void> {
  const started = performance.now();
  const opts = options();
  if (opts.partial) {
    // A child of measureInChild: one backend, results to the parent.
    const part = await measureBackend(opts.backends[0], opts);
    writeFileSync(opts.partial, JSON.stringify(part));
    return;
  }
  const machine = machineInfo();
  const rows: Row[] = [];
  const peerInfo: Results['peers'] = {};
  console.log(
    `ndgpu bench: n = 2^${Math.log2(opts.n)} float32, ${opts.counts.warmup} warm-up + ${opts.counts.reps} reps in ${opts.rounds} round(s), ` +
      `backends ${opts.backends.join(', ')} (each in its own process); ${machine.cpu} x${machine.cores}, Node ${machine.node}`,
  );
  for (const backend of opts.backends) {
    const part = opts.backends.length > 1 ? measureInChild(backend, opts) : await measureBackend(backend, opts);
    rows.push(...part.rows);
    Object.assign(peerInfo, part.peers);
    if (part.webgpuAdapter) machine.webgpuAdapter = part.webgpuAdapter;
  }

  machine.loadAverage.end = os.loadavg();
  const summary = summarize(rows);
  const results: Results = {
    machine,
    config: {
      n: opts.n,
      quick: opts.quick,
      ...opts.counts,
      rounds: opts.rounds,
      backends: opts.backends,
      cases: opts.cases.map((c) => c.id),
    },
    peers: peerInfo,
    rows,
    summary,
    durationS: Math.round((performance.now() - started) / 100) / 10,
  };
  console.log(`\n${textTable(rows)}\n`);
  for (const line of summaryLines(summary, rows)) console.log(line);
  const note = loadNote(machine);
  if (note) console.log(`\nnote: ${note}`);
  const files = writeResults(results);
  console.log(`\nwrote ${files.json} and ${files.md} (${results.durationS} s)`);
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${errorText(error)}`);
  process.exitCode = 1;
}
