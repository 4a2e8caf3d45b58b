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
  CONCAT_PARTS,
  PAD_WIDTH,
  ROLL_SHIFT,
  SMALL,
  checkCompute,
  computeInputs,
  concatParts,
  isComputeCase,
  smallSet,
  uint8Input,
  type CaseId,
  type ComputeId,
  type Geometry,
  isIndexingCase,
  isDivisionCase,
  type DivisionId,
  type IndexingId,
  isProductCase,
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

function prepareCompute(id: ComputeId, nd: NdarrayFn, ops: Ops, g: Geometry): PreparedCompute | null {
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
    // ----- numerics (issue #18) -----
    case 'sumuint8': {
      // ops.sum over a uint8 view adds JS numbers: exact here.
      const bytes = (nd as unknown as (data: Uint8Array, shape: number[]) => NdArray<Float32Array>)(uint8Input(g), [side, side]);
      let sum = Number.NaN;
      return { run: () => void (sum = ops.sum(bytes)), result: () => [sum] };
    }
    case 'meanuint8':
      return null; // no mean in ndarray-ops
    // ----- float sums with many short outputs (case 26): a call per output, not a fair peer -----
    case 'sumrows2':
    case 'sumcols2':
      return null;
  }
}

function prepare(
  id: Exclude<CaseId, ComputeId | IndexingId | ProductId | DivisionId>,
  nd: NdarrayFn,
  ops: Ops,
  src: Float32Array,
  g: Geometry,
): Prepared {
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
    // ----- joining, splitting, rearranging: assign into views of a preallocated result -----
    case 'concat0':
    case 'concat1': {
      const axis = id === 'concat0' ? 0 : 1;
      const parts = concatParts(src, g, axis).map((p) => nd(p.data, p.shape));
      const dst = axis === 0 ? out([n]) : out([side, side]);
      const width = axis === 0 ? n / CONCAT_PARTS : side / CONCAT_PARTS;
      const slabs = parts.map((_, k) => (axis === 0 ? dst.lo(k * width).hi(width) : dst.lo(0, k * width).hi(side, width)));
      return () => parts.forEach((p, k) => ops.assign(slabs[k], p));
    }
    case 'pad': {
      const padded = side + 2 * PAD_WIDTH;
      const dst = out([padded, padded]);
      const image = nd(src, [side, side]);
      const middle = dst.lo(PAD_WIDTH, PAD_WIDTH).hi(side, side);
      const borders = [
        dst.hi(PAD_WIDTH, padded),
        dst.lo(PAD_WIDTH + side, 0),
        dst.lo(PAD_WIDTH, 0).hi(side, PAD_WIDTH),
        dst.lo(PAD_WIDTH, PAD_WIDTH + side).hi(side, PAD_WIDTH),
      ];
      return () => {
        ops.assign(middle, image);
        for (const b of borders) ops.assigns(b, 0);
      };
    }
    case 'roll': {
      const a = nd(src, [n]);
      const dst = out([n]);
      const head = dst.hi(ROLL_SHIFT);
      const tail = dst.lo(ROLL_SHIFT);
      const last = a.lo(n - ROLL_SHIFT);
      const first = a.hi(n - ROLL_SHIFT);
      return () => {
        ops.assign(tail, first);
        ops.assign(head, last);
      };
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
        if (!prepared) return null;
        prepared.run();
        const wrong = checkCompute(id, g, prepared.result());
        if (wrong) throw new Error(`wrong result: ${wrong}`);
        return measure(prepared.run, counts);
      }
      // ----- advanced indexing (cases 13-16): ndarray-ops has no gather, mask selection or scan -----
      if (isIndexingCase(id)) return null;
      // ----- integer division (case 27): ndarray-ops has no floor division -----
      if (isDivisionCase(id)) return null;
      const run = prepare(id, nd, ops, source, g);
      return measure(run, counts);
    },
  };
  return { ok: true, peer };
}
