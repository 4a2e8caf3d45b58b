/**
 * Creation routines of issue #18 on operands: `linspace`, `eye`, the `*_like` family's memory, `indices`
 * and `meshgrid`. Values are computed on the host where NumPy computes them in float64 (linspace);
 * everything else is fills and broadcast copies on the device.
 */

import { arangeBytes } from '../core/creation.js';
import { dtypeInfo, type DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { typedArrayToHost } from '../core/host.js';
import { makeLayout, pickIndex, sizeOf } from '../core/layout.js';
import { linspaceValues } from '../core/linspace.js';
import { keepOrderCopyStrides } from '../core/memory-order.js';
import { checkNewShape } from '../core/shape-args.js';
import { copyOperand, fillScalar, moveElements } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, isArrayOperand, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';

/** Options of `linspace`. */
export interface LinspaceOptions<T extends DType = DType> {
  /** Whether `stop` is the last sample (default true). */
  endpoint?: boolean;
  /** The element type (default float32). */
  dtype?: T;
}

/** `num` samples from `start` to `stop` (NumPy's float64 values, cast to `dtype`, float32 by default). */
export function linspaceOperand(memory: ArrayMemory, start: number, stop: number, num: number, options: LinspaceOptions): Operand {
  if (typeof start !== 'number' || typeof stop !== 'number') throw new TypeError('linspace() takes numbers for start and stop');
  const dtype = options.dtype ?? 'float32';
  const kind = dtypeInfo(dtype).kind;
  const values = linspaceValues(start, stop, num, options.endpoint ?? true, kind === 'i' || kind === 'u');
  const host = typedArrayToHost(values, [num], dtype);
  const result = freshOperand(memory, [num], dtype);
  if (host.bytes.byteLength > 0) memory.backend.write(result.storage.buffer, 0, host.bytes);
  return result;
}

function checkInteger(n: unknown): void {
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new TypeError(`'${typeof n === 'number' ? 'float' : typeof n}' object cannot be interpreted as an integer`);
}

/** An `n` × `m` array of zeros with ones on diagonal `k` (above the main one for k > 0). */
export function eyeOperand(memory: ArrayMemory, n: number, m: number | null | undefined, k: number, dtype: DType): Operand {
  const columns = m ?? n;
  const shape = checkNewShape([n, columns]);
  checkInteger(k);
  const result = freshOperand(memory, shape, dtype);
  fillScalar(result, 0);
  const first = Math.max(0, -k);
  const count = Math.max(0, Math.min(n, columns - k) - first);
  if (count > 0) {
    const itemsize = dtypeInfo(dtype).itemsize;
    fillScalar(withLayout(result, makeLayout([count], [(columns + 1) * itemsize], (first * columns + first + k) * itemsize)), 1);
  }
  return result;
}

/** New memory shaped like `array`, laid out in its memory order (NumPy's order 'K'), of `dtype`. */
export function likeOperand(memory: ArrayMemory, array: ArrayOperand, dtype: DType | undefined): Operand {
  if (!isArrayOperand(array)) throw new TypeError('the *_like functions take an NDArray');
  checkOperandOf(memory, array, 'the array belongs to another ndgpu context');
  const target = dtype ?? array.dtype;
  const strides = keepOrderCopyStrides(array.layout, dtypeInfo(array.dtype).itemsize, dtypeInfo(target).itemsize);
  return freshOperand(memory, array.layout.shape, target, strides);
}

/** NumPy's `indices`: `result[i]` holds each element's coordinate along axis i of `dimensions`. */
export function indicesOperand(memory: ArrayMemory, dimensions: readonly number[], dtype: DType): Operand {
  const dims = checkNewShape(dimensions);
  const result = freshOperand(memory, [dims.length, ...dims], dtype);
  try {
    dims.forEach((n, axis) => {
      if (sizeOf(dims) === 0) return;
      const line = temporary(memory, [n], dtype);
      try {
        memory.backend.write(line.operand.storage.buffer, 0, arangeBytes(0, 1, n, dtype));
        const itemsize = dtypeInfo(dtype).itemsize;
        const along = makeLayout(
          dims,
          dims.map((_, k) => (k === axis ? itemsize : 0)),
          0,
        );
        moveElements(withLayout(result, pickIndex(result.layout, 0, axis)), withLayout(line.operand, along));
      } finally {
        line.release();
      }
    });
  } catch (error) {
    result.storage.free();
    throw error;
  }
  return result;
}

/** NumPy's `meshgrid` (copies): array i, flattened, laid along axis i of the grid ('xy' swaps the first two). */
export function meshgridOperands(memory: ArrayMemory, arrays: readonly ArrayOperand[], indexing: string): Operand[] {
  if (indexing !== 'xy' && indexing !== 'ij') throw new ValueError("Valid values for `indexing` are 'xy' and 'ij'.");
  for (const a of arrays) {
    if (!isArrayOperand(a)) throw new TypeError('meshgrid() takes NDArrays');
    checkOperandOf(memory, a, 'all operands must belong to the same ndgpu context');
  }
  const lengths = arrays.map((a) => sizeOf(a.layout.shape));
  const axisOf = (i: number) => (indexing === 'xy' && arrays.length > 1 && i < 2 ? 1 - i : i);
  const shape = lengths.map((_, k) => lengths[arrays.findIndex((__, i) => axisOf(i) === k)]);
  const results: Operand[] = [];
  try {
    arrays.forEach((a, i) => {
      const flat = a.layout.shape.length === 1 ? null : copyOperand(a, { order: 'C', shape: [lengths[i]] });
      try {
        const source = flat ?? a;
        const axis = axisOf(i);
        const along = makeLayout(
          shape,
          shape.map((_, k) => (k === axis ? (source.layout.strides[0] ?? 0) : 0)),
          source.layout.offset,
        );
        const result = freshOperand(memory, shape, a.dtype);
        results.push(result);
        moveElements(result, withLayout(source, along));
      } finally {
        flat?.storage.free();
      }
    });
  } catch (error) {
    for (const r of results) r.storage.free();
    throw error;
  }
  return results;
}
