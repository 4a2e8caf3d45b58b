/**
 * WebAssembly kernels for matrix products, run by the CPU backend's products (./product.ts):
 * `gemm_f32/f64(a, b, c, m, n, k, rsA, csA, rsB, csB, ldc)` writes C (m × n, rows `ldc` bytes apart, items
 * contiguous) = A (m × k) · B (k × n), A and B at any byte strides.
 *
 * The order of operations is fixed, so that a result does not depend on blocking: every C[i, j] is
 * ((-0 + A[i,0]·B[0,j]) + A[i,1]·B[1,j]) + ..., over k in order from -0.0 (the float identity: a sum of
 * one -0 term keeps its sign), each product and each sum rounded to the item type (no fused multiply-add:
 * WebAssembly's baseline SIMD has none). A backend that adds in the same order gives the same bits: the
 * JavaScript loops of ../product.ts do.
 *
 * How: B is packed a panel of NR = 2 vectors' columns at a time, KC rows at a time, into the memory's
 * reserved area (so nothing is allocated); a micro-kernel keeps MR × NR sums of C in registers (MR rows of
 * two vectors), adding for each k the splatted A[i, k] times the packed row of B. Blocks of k continue the
 * sums where the previous block stored them, which leaves the order unchanged; rows past the last multiple
 * of MR go through the same panel one row at a time, and columns past the last full panel through one
 * more panel padded with zeros, in the same order.
 */

import { f32, f32x4, f64, f64x2, i32, v128, type Expr, type Local, type ModuleBuilder } from './emit.js';
import type { GemmKernel } from './kernels.js';

/** Rows of A per micro-kernel step. */
const MR = 4;
/** Rows of B packed at a time. */
export const GEMM_KC = 256;
/** Where the packed panel of B lives: the reserved area of the memory (see ../heap.ts), after the scalar
 * slots of the elementwise kernels. GEMM_KC rows of 2 vectors: 8 KiB. */
export const GEMM_PACK_ADDRESS = 4096;
/** Where a row of sums past the last full panel is staged: after the packed panel (32 bytes). */
const GEMM_ROW_ADDRESS = GEMM_PACK_ADDRESS + GEMM_KC * 32;

type FloatType = 'f32' | 'f64';

/** The kernels' parameters, all i32 (the signature in ./kernels.ts). */
const GEMM_PARAMS: Parameters<GemmKernel>['length'] = 11;

export function addGemmKernels(m: ModuleBuilder): void {
  for (const t of ['f32', 'f64'] as const) addGemm(m, t);
}

function addGemm(m: ModuleBuilder, t: FloatType): void {
  const b = t === 'f32' ? 4 : 8;
  const L = 16 / b;
  const NR = 2 * L;
  const F = t === 'f32' ? f32 : f64;
  const V = t === 'f32' ? f32x4 : f64x2;
  const splat = (address: Expr<'i32'>) => (t === 'f32' ? v128.load32_splat(address) : v128.load64_splat(address));
  const load = (address: Expr<'i32'>) => F.load(address) as Expr<FloatType>;
  m.func(`gemm_${t}`, new Array<'i32'>(GEMM_PARAMS).fill('i32'), [], (f) => {
    const [a, bMat, c, M, N, K, rsA, csA, rsB, csB, ldc] = Array.from({ length: GEMM_PARAMS }, (_, k) => f.param(k, 'i32'));
    const i = f.local('i32');
    const j = f.local('i32');
    const p = f.local('i32');
    const k0 = f.local('i32');
    const kc = f.local('i32');
    const mFull = f.local('i32');
    const nFull = f.local('i32');
    const at = f.local('i32');
    const from = f.local('i32');
    const rowA = f.local('i32');
    const packed = f.local('i32');
    const cRow = f.local('i32');
    const acc = Array.from({ length: MR * 2 }, () => f.local('v128'));
    const bv = [f.local('v128'), f.local('v128')];
    const av = f.local('v128');
    const rest = f.local('i32');
    const q = f.local('i32');
    /** Row i's NR sums at `row` (a row of C, or the staging row) += A[i, k0 ..] · the packed panel. */
    const rowSums = (row: Local<'i32'> | number) => {
      f.set(acc[0], v128.load(row));
      f.set(acc[1], v128.load(row, 16));
      f.set(rowA, i32.add(i32.add(a, i32.mul(i, rsA)), i32.mul(k0, csA)));
      f.set(packed, GEMM_PACK_ADDRESS);
      f.for(p, 0, kc, 1, () => {
        f.set(av, splat(rowA));
        f.set(acc[0], V.add(acc[0], V.mul(av, v128.load(packed))));
        f.set(acc[1], V.add(acc[1], V.mul(av, v128.load(packed, 16))));
        f.set(rowA, i32.add(rowA, csA));
        f.set(packed, i32.add(packed, NR * b));
      });
      f.store('v128', row, acc[0]);
      f.store('v128', row, acc[1], 16);
    };
    /** `from` = B[k0 + p, column], `at` = row p of the packed panel. */
    const panelRow = (column: Local<'i32'>) => {
      f.set(from, i32.add(i32.add(bMat, i32.mul(i32.add(k0, p), rsB)), i32.mul(column, csB)));
      f.set(at, i32.add(GEMM_PACK_ADDRESS, i32.mul(p, NR * b)));
    };
    f.set(mFull, i32.sub(M, i32.rem_u(M, MR)));
    f.set(nFull, i32.sub(N, i32.rem_u(N, NR)));
    // C starts at -0.0 (the float identity, so that a sum of -0 terms stays -0): every block of k adds to
    // what the previous one stored.
    f.for(i, 0, M, 1, () => {
      f.set(cRow, i32.add(c, i32.mul(i, ldc)));
      f.for(j, 0, N, 1, () => f.store(t, i32.add(cRow, i32.mul(j, b)), F.const(-0)));
    });
    f.for(k0, 0, K, GEMM_KC, () => {
      f.set(kc, i32.sub(K, k0));
      f.if(i32.gt_u(kc, GEMM_KC), () => f.set(kc, GEMM_KC));
      f.for(j, 0, nFull, NR, () => {
        // Pack B[k0 .. k0 + kc, j .. j + NR] row after row.
        f.set(packed, GEMM_PACK_ADDRESS);
        f.for(p, 0, kc, 1, () => {
          panelRow(j);
          f.if(
            i32.eq(csB, b),
            () => {
              f.store('v128', at, v128.load(from));
              f.store('v128', at, v128.load(from, 16), 16);
            },
            () => {
              for (let q = 0; q < NR; q++) f.store(t, i32.add(at, q * b), load(i32.add(from, i32.mul(csB, q))));
            },
          );
        });
        // MR rows at a time: their sums in registers over the block of k.
        f.for(i, 0, mFull, MR, () => {
          f.set(cRow, i32.add(i32.add(c, i32.mul(i, ldc)), i32.mul(j, b)));
          for (let r = 0; r < MR; r++) {
            const row = i32.add(cRow, i32.mul(ldc, r));
            f.set(acc[2 * r], v128.load(row));
            f.set(acc[2 * r + 1], v128.load(row, 16));
          }
          f.set(rowA, i32.add(i32.add(a, i32.mul(i, rsA)), i32.mul(k0, csA)));
          f.set(packed, GEMM_PACK_ADDRESS);
          f.for(p, 0, kc, 1, () => {
            f.set(bv[0], v128.load(packed));
            f.set(bv[1], v128.load(packed, 16));
            for (let r = 0; r < MR; r++) {
              f.set(av, splat(i32.add(rowA, i32.mul(rsA, r))));
              f.set(acc[2 * r], V.add(acc[2 * r], V.mul(av, bv[0])));
              f.set(acc[2 * r + 1], V.add(acc[2 * r + 1], V.mul(av, bv[1])));
            }
            f.set(rowA, i32.add(rowA, csA));
            f.set(packed, i32.add(packed, NR * b));
          });
          for (let r = 0; r < MR; r++) {
            const row = i32.add(cRow, i32.mul(ldc, r));
            f.store('v128', row, acc[2 * r]);
            f.store('v128', row, acc[2 * r + 1], 16);
          }
        });
        // Rows past the last multiple of MR, one at a time, over this panel's columns (a vector times a
        // matrix is all such rows).
        f.for(i, mFull, M, 1, () => {
          f.set(cRow, i32.add(i32.add(c, i32.mul(i, ldc)), i32.mul(j, b)));
          rowSums(cRow);
        });
      });
      // Columns past the last full panel: packed as one more panel, padded with zeros, each row's sums
      // staged through a row of NR items in the reserved area (the padding's lanes are never stored back).
      f.if(i32.lt_u(nFull, N), () => {
        f.set(rest, i32.sub(N, nFull));
        f.for(p, 0, kc, 1, () => {
          panelRow(nFull);
          f.for(q, 0, NR, 1, () =>
            f.if(
              i32.lt_u(q, rest),
              () => f.store(t, i32.add(at, i32.mul(q, b)), load(i32.add(from, i32.mul(q, csB)))),
              () => f.store(t, i32.add(at, i32.mul(q, b)), F.const(0)),
            ),
          );
        });
        f.for(i, 0, M, 1, () => {
          f.set(cRow, i32.add(i32.add(c, i32.mul(i, ldc)), i32.mul(nFull, b)));
          f.for(q, 0, rest, 1, () => f.store(t, i32.add(GEMM_ROW_ADDRESS, i32.mul(q, b)), load(i32.add(cRow, i32.mul(q, b)))));
          rowSums(GEMM_ROW_ADDRESS);
          f.for(q, 0, rest, 1, () => f.store(t, i32.add(cRow, i32.mul(q, b)), load(i32.add(GEMM_ROW_ADDRESS, i32.mul(q, b)))));
        });
      });
    });
  });
}
