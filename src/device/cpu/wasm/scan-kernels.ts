/**
 * WebAssembly kernels for scans (cumulative sums and products) of one row, in the order of
 * ndarray/core/scan-plan.ts that the JavaScript loops (../scan.ts) follow; addresses and steps in bytes.
 *
 * - `scan_<op>_<in>_<out>(dst, src, n, sStep, dStep)`: integer items of type `in` (sign- or zero-extended
 *   as their dtype) combined one after another in 32 bits and stored in `out` bytes: wrapping sums and
 *   products, whose low bits do not depend on the width they are computed in.
 * - `scan_<op>_f64(dst, src, n, sStep, dStep)`: float64, one element after another (NumPy's order).
 * - `scan_<op>_f32_local(dst, src, n, sStep, dStep)`: float32, each chunk of SCAN_CHUNK elements scanned
 *   one element after another (chunk 0's results are final); four chunks at a time in four independent
 *   chains, so that their additions overlap.
 * - `scan_<op>_f32_carry(dst, carries, n, dStep)`: element i of chunk k > 0 becomes `carries[k − 1] ⊕
 *   dst[i]`, four elements at a time where `dst` is contiguous (the carries are the chunk totals' scan,
 *   computed in JavaScript by `chunkedScan`).
 */

import { SCAN_CHUNK } from '../../../ndarray/core/scan-plan.js';
import { f32, f32x4, f64, i32, v128, type Expr, type FunctionBuilder, type ModuleBuilder } from './emit.js';

export type ScanKernelOp = 'sum' | 'prod';

/** Integer input item types (by signedness and width) and the accumulator widths of the integer scans. */
export const SCAN_INT_INPUTS = ['s8', 'u8', 's16', 'u16', 'i32'] as const;
export type ScanIntInput = (typeof SCAN_INT_INPUTS)[number];
export const SCAN_INT_OUTPUTS = [1, 2, 4] as const;

function loadInt(t: ScanIntInput, a: Expr<'i32'>): Expr<'i32'> {
  switch (t) {
    case 's8':
      return i32.load8_s(a);
    case 'u8':
      return i32.load8_u(a);
    case 's16':
      return i32.load16_s(a);
    case 'u16':
      return i32.load16_u(a);
    case 'i32':
      return i32.load(a);
  }
}

const PARAMS = ['i32', 'i32', 'i32', 'i32', 'i32'] as const;

function addIntScan(m: ModuleBuilder, op: ScanKernelOp, t: ScanIntInput, out: 1 | 2 | 4): void {
  m.func(`scan_${op}_${t}_${out}`, PARAMS, [], (f) => {
    const [d, s, n, sStep, dStep] = [0, 1, 2, 3, 4].map((p) => f.param(p, 'i32'));
    const acc = f.local('i32');
    const j = f.local('i32');
    const store = out === 4 ? 'i32' : out === 2 ? 'i32_16' : 'i32_8';
    f.set(acc, loadInt(t, s));
    f.store(store, d, acc);
    f.for(j, 1, n, 1, () => {
      f.set(s, i32.add(s, sStep));
      f.set(d, i32.add(d, dStep));
      f.set(acc, (op === 'sum' ? i32.add : i32.mul)(acc, loadInt(t, s)));
      f.store(store, d, acc);
    });
  });
}

function addF64Scan(m: ModuleBuilder, op: ScanKernelOp): void {
  m.func(`scan_${op}_f64`, PARAMS, [], (f) => {
    const [d, s, n, sStep, dStep] = [0, 1, 2, 3, 4].map((p) => f.param(p, 'i32'));
    const acc = f.local('f64');
    const j = f.local('i32');
    f.set(acc, f64.load(s));
    f.store('f64', d, acc);
    f.for(j, 1, n, 1, () => {
      f.set(s, i32.add(s, sStep));
      f.set(d, i32.add(d, dStep));
      f.set(acc, (op === 'sum' ? f64.add : f64.mul)(acc, f64.load(s)));
      f.store('f64', d, acc);
    });
  });
}

/** `length` elements of the chunks starting at `s`/`d` and the `lanes - 1` chunks after them, in lockstep. */
function scanChunks(
  f: FunctionBuilder,
  op: ScanKernelOp,
  s: Expr<'i32'>,
  d: Expr<'i32'>,
  length: Expr<'i32'> | number,
  sStep: Expr<'i32'>,
  dStep: Expr<'i32'>,
  lanes: number,
): void {
  const combine = op === 'sum' ? f32.add : f32.mul;
  const sChunk = f.local('i32');
  const dChunk = f.local('i32');
  const sp = f.local('i32');
  const dp = f.local('i32');
  const j = f.local('i32');
  const acc = Array.from({ length: lanes }, () => f.local('f32'));
  f.set(sChunk, i32.mul(sStep, SCAN_CHUNK));
  f.set(dChunk, i32.mul(dStep, SCAN_CHUNK));
  f.set(sp, s);
  f.set(dp, d);
  const at = (base: Expr<'i32'>, chunk: Expr<'i32'>, lane: number) => (lane === 0 ? base : i32.add(base, i32.mul(chunk, lane)));
  for (let l = 0; l < lanes; l++) {
    f.set(acc[l], f32.load(at(sp, sChunk, l)));
    f.store('f32', at(dp, dChunk, l), acc[l]);
  }
  f.for(j, 1, length, 1, () => {
    f.set(sp, i32.add(sp, sStep));
    f.set(dp, i32.add(dp, dStep));
    for (let l = 0; l < lanes; l++) {
      f.set(acc[l], combine(acc[l], f32.load(at(sp, sChunk, l))));
      f.store('f32', at(dp, dChunk, l), acc[l]);
    }
  });
}

function addF32Local(m: ModuleBuilder, op: ScanKernelOp): void {
  const LANES = 4;
  m.func(`scan_${op}_f32_local`, PARAMS, [], (f) => {
    const [d, s, n, sStep, dStep] = [0, 1, 2, 3, 4].map((p) => f.param(p, 'i32'));
    const start = f.local('i32');
    f.set(start, 0);
    // Four whole chunks at a time.
    f.while(
      () => i32.le_u(i32.add(start, LANES * SCAN_CHUNK), n),
      () => {
        scanChunks(f, op, i32.add(s, i32.mul(start, sStep)), i32.add(d, i32.mul(start, dStep)), SCAN_CHUNK, sStep, dStep, LANES);
        f.set(start, i32.add(start, LANES * SCAN_CHUNK));
      },
    );
    // The chunks left, one at a time (the last one perhaps short).
    f.while(
      () => i32.lt_u(start, n),
      () => {
        const rest = i32.sub(n, start);
        scanChunks(
          f,
          op,
          i32.add(s, i32.mul(start, sStep)),
          i32.add(d, i32.mul(start, dStep)),
          i32.select(rest, SCAN_CHUNK, i32.lt_u(rest, SCAN_CHUNK)),
          sStep,
          dStep,
          1,
        );
        f.set(start, i32.add(start, SCAN_CHUNK));
      },
    );
  });
}

function addF32Carry(m: ModuleBuilder, op: ScanKernelOp): void {
  const combine = op === 'sum' ? f32.add : f32.mul;
  const combineLanes = op === 'sum' ? f32x4.add : f32x4.mul;
  m.func(`scan_${op}_f32_carry`, ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [d, carries, n, dStep] = [0, 1, 2, 3].map((p) => f.param(p, 'i32'));
    const start = f.local('i32');
    const end = f.local('i32');
    const i = f.local('i32');
    const p = f.local('i32');
    const c = f.local('f32');
    const lanes = f.local('v128');
    f.set(start, SCAN_CHUNK);
    f.while(
      () => i32.lt_u(start, n),
      () => {
        f.set(c, f32.load(carries));
        f.set(carries, i32.add(carries, 4));
        f.set(end, i32.add(start, SCAN_CHUNK));
        f.if(i32.gt_u(end, n), () => f.set(end, n));
        f.set(i, start);
        f.set(p, i32.add(d, i32.mul(start, dStep)));
        f.if(i32.eq(dStep, 4), () => {
          f.set(lanes, f32x4.splat(c));
          f.while(
            () => i32.le_u(i32.add(i, 4), end),
            () => {
              f.store('v128', p, combineLanes(lanes, v128.load(p)));
              f.set(p, i32.add(p, 16));
              f.set(i, i32.add(i, 4));
            },
          );
        });
        f.while(
          () => i32.lt_u(i, end),
          () => {
            f.store('f32', p, combine(c, f32.load(p)));
            f.set(p, i32.add(p, dStep));
            f.set(i, i32.add(i, 1));
          },
        );
        f.set(start, end);
      },
    );
  });
}

export function addScanKernels(m: ModuleBuilder): void {
  for (const op of ['sum', 'prod'] as const) {
    for (const t of SCAN_INT_INPUTS) for (const out of SCAN_INT_OUTPUTS) addIntScan(m, op, t, out);
    addF64Scan(m, op);
    addF32Local(m, op);
    addF32Carry(m, op);
  }
}
