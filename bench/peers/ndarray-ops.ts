/**
 * scijs `ndarray` + `ndarray-ops` on the CPU: every copy case as `ops.assign(dst, src)` (or `ops.assigns`
 * for a scalar) over ndarray views. ndarray-ops has no allocating copy, so destinations are preallocated
 * outside the timing; ndgpu's CPU backend likewise hands back the previous repetition's pooled buffer.
 *
 * Compute cases: `ops.add(out, a.transpose(1, 0), b.transpose(1, 0))` into a preallocated out, and
 * `ops.sum(a)`. ndarray-ops has no axis reductions; the axis sums are one ndarray-ops call per row, as a
 * scijs user would write them: sum(0) as `ops.addeq(out, a.pick(i, null))` over the rows into a zeroed
 * out (float32, like the input), sum(1) as `out[i] = ops.sum(a.pick(i, null))`. Each result is checked
 * against the CPU once before timing.
 */

import { createRequire } from 'node:module';
import type { NdArray } from 'ndarray';
import {
  SMALL,
  checkCompute,
  computeInputs,
  isComputeCase,
  isProductCase,
  smallSet,
  type CaseId,
  type ComputeId,
  type Geometry,
  type ProductId,
} from '../cases.js';
import { measure, type RepetitionCounts } from '../timing.js';
import { errorText, type Peer, type PeerLoad } from './peer.js';

type NdarrayFn = (data: Float32Array, shape?: number[], stride?: number[], offset?: number) => NdArray<Float32Array>;
type Ops = typeof import('ndarray-ops');

/** One prepared case: the repetition's work. */
type Prepared = () => void;

/** A prepared compute case: the repetition's work, and its last result (C order, flat). */
interface PreparedCompute {
  run: Prepared;
  result(): ArrayLike<number>;
}

function prepareCompute(id: ComputeId, nd: NdarrayFn, ops: Ops, g: Geometry): PreparedCompute {
  const { n, side } = g;
  const inputs = computeInputs(g);
  const a = nd(inputs.a, [side, side]);
  switch (id) {
    case 'addtrans': {
      const b = nd(inputs.b, [side, side]);
      const out = nd(new Float32Array(n), [side, side]);
      const at = a.transpose(1, 0);
      const bt = b.transpose(1, 0);
      return { run: () => void ops.add(out, at, bt), result: () => out.data };
    }
    case 'sumaxis0': {
      const out = nd(new Float32Array(side), [side]);
      return {
        run: () => {
          ops.assigns(out, 0);
          for (let i = 0; i < side; i++) ops.addeq(out, a.pick(i, null));
        },
        result: () => out.data,
      };
    }
    case 'sumaxis1': {
      const out = new Float32Array(side);
      return {
        run: () => {
          for (let i = 0; i < side; i++) out[i] = ops.sum(a.pick(i, null));
        },
        result: () => out,
      };
    }
    case 'sumall': {
      let sum = Number.NaN;
      return { run: () => void (sum = ops.sum(a)), result: () => [sum] };
    }
  }
}

function prepare(id: Exclude<CaseId, ComputeId | ProductId>, nd: NdarrayFn, ops: Ops, src: Float32Array, g: Geometry): Prepared {
  const { n, side, cube } = g;
  const out = (shape: number[]) => nd(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const copyInto = (view: NdArray<Float32Array>): Prepared => {
    const dst = out(view.shape);
    return () => void ops.assign(dst, view);
  };
  switch (id) {
    case 'copy':
      return copyInto(nd(src, [n]));
    case 'transpose2d':
      return copyInto(nd(src, [side, side]).transpose(1, 0));
    case 'permute3d':
      return copyInto(nd(src, [...cube]).transpose(2, 0, 1));
    case 'colslice':
      return copyInto(
        nd(src, [n / 4, 4])
          .hi(n / 4, 3)
          .lo(0, 1),
      );
    case 'step2':
      return copyInto(nd(src, [n]).step(2));
    case 'reverse':
      return copyInto(nd(src, [n]).step(-1));
    case 'bcastrow':
      return copyInto(nd(src, [side, side], [0, 1]));
    case 'fillstrided': {
      const m = out([side, side]).step(1, 2);
      return () => void ops.assigns(m, 1.5);
    }
    case 'setrow': {
      const m = out([side, side]).step(1, 2);
      const row = nd(src, [side, side / 2], [0, 1]);
      return () => void ops.assign(m, row);
    }
    case 'smallsets': {
      const a = out([SMALL.side, SMALL.side]);
      const s = nd(src.subarray(0, SMALL.side * SMALL.side), [SMALL.side, SMALL.side]);
      return () => {
        for (let i = 0; i < SMALL.sets; i++) {
          const set = smallSet(i);
          if (set.kind === 'scalar')
            ops.assigns(
              a
                .pick(set.row, null)
                .hi(set.col0 + SMALL.span)
                .lo(set.col0),
              set.value,
            );
          else
            ops.assign(
              a
                .pick(null, set.col)
                .hi(set.row0 + SMALL.span)
                .lo(set.row0),
              s.pick(set.srcRow, null).step(2),
            );
        }
      };
    }
  }
}

export async function loadNdarrayOps(): Promise<PeerLoad> {
  let nd: NdarrayFn;
  let ops: Ops;
  let version: string;
  try {
    const require = createRequire(import.meta.url);
    nd = require('ndarray') as NdarrayFn;
    ops = require('ndarray-ops') as Ops;
    version = `ndarray-ops ${(require('ndarray-ops/package.json') as { version: string }).version}`;
  } catch (error) {
    return { ok: false, name: 'ndarray-ops', reason: errorText(error) };
  }
  const peer: Peer = {
    name: 'ndarray-ops',
    backend: 'cpu',
    version,
    async measure(id: CaseId, g: Geometry, source: Float32Array, counts: RepetitionCounts) {
      if (isProductCase(id)) return null; // ndarray-ops has no matrix product
      if (isComputeCase(id)) {
        const prepared = prepareCompute(id, nd, ops, g);
        prepared.run();
        const wrong = checkCompute(id, g, prepared.result());
        if (wrong) throw new Error(`wrong result: ${wrong}`);
        return measure(prepared.run, counts);
      }
      const run = prepare(id, nd, ops, source, g);
      return measure(run, counts);
    },
  };
  return { ok: true, peer };
}
