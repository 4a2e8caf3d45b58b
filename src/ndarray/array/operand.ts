/**
 * Operands: what the routines of this layer (setitem, copies, ufuncs, reductions...) work on. An operand
 * is memory with a layout and a dtype; every NDArray is one, and so are the transient views and
 * temporaries that routines make for themselves, which would otherwise cost a whole array object (and
 * its lifetime bookkeeping) each. Routines return operands; only `ndarray.ts` turns them into arrays, so
 * nothing here depends on the NDArray class.
 */

import type { DType } from '../core/dtype.js';
import { dtypeInfo } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { nestedToHost, type NestedArray } from '../core/host.js';
import { freshLayout, makeLayout, sizeOf, type Layout, type MemoryOrder } from '../core/layout.js';
import { checkArraySize } from '../core/limits.js';
import type { ArrayMemory } from './memory.js';
import type { Storage } from './storage.js';

export interface Operand {
  readonly memory: ArrayMemory;
  readonly storage: Storage;
  readonly layout: Layout;
  readonly dtype: DType;
}

/**
 * An operand that the caller handed in as an array (an NDArray): it can say whether it may still be used
 * and whether it may be written.
 */
export interface ArrayOperand extends Operand {
  checkUsable(): void;
  readonly flags: { readonly writeable: boolean };
}

/** Marks the NDArray class (on its prototype) so that routines recognise arrays without importing it. */
export const ARRAY_TAG: unique symbol = Symbol('ndgpu.NDArray');

export function isArrayOperand(value: unknown): value is ArrayOperand {
  return typeof value === 'object' && value !== null && (value as { [ARRAY_TAG]?: boolean })[ARRAY_TAG] === true;
}

/** Checks that `array` may be used in an operation of `memory`'s context. */
export function checkOperandOf(
  memory: ArrayMemory,
  array: ArrayOperand,
  message = 'all operands must belong to the same ndgpu context (np.array(x) copies an array of another context into this one)',
): void {
  array.checkUsable();
  if (array.memory !== memory) throw new ValueError(message);
}

export const itemsizeOf = (o: Operand): number => dtypeInfo(o.dtype).itemsize;

/** The same memory with another layout (a transient view for internal use; holds no reference). */
export function withLayout(operand: Operand, layout: Layout): Operand {
  return { memory: operand.memory, storage: operand.storage, layout, dtype: operand.dtype };
}

/**
 * New memory for `shape` items of `dtype`, laid out contiguously in `order` (or with explicit `strides`,
 * which must describe a dense layout of the same size): the one place new arrays' memory is made. The
 * operand holds the storage unreferenced: wrap it into an array (`ndarray.ts`) or release it.
 */
export function freshOperand(
  memory: ArrayMemory,
  shape: readonly number[],
  dtype: DType,
  order: MemoryOrder | readonly number[] = 'C',
): Operand {
  const itemsize = dtypeInfo(dtype).itemsize;
  checkArraySize(shape, itemsize);
  const storage = memory.allocate(sizeOf(shape) * itemsize);
  const layout = typeof order === 'string' ? freshLayout(shape, itemsize, order) : makeLayout(shape, order, 0);
  return { memory, storage, layout, dtype };
}

/**
 * Memory for an intermediate (a staged source, uploaded values, a contiguous copy to read): a C-ordered
 * operand and the function that frees it. It is never seen as an array.
 */
export function temporary(memory: ArrayMemory, shape: readonly number[], dtype: DType): { operand: Operand; release: () => void } {
  const operand = freshOperand(memory, shape, dtype);
  return { operand, release: () => operand.storage.free() };
}

/**
 * Nested JS data uploaded into a temporary, with the dtype NumPy's `asarray` infers (a scalar becomes a
 * 0-d array): how routines take lists. Its release goes to `releases`, which the caller runs when done.
 */
export function uploadNested(memory: ArrayMemory, data: NestedArray, releases: (() => void)[]): Operand {
  const host = nestedToHost(data);
  const staged = temporary(memory, host.shape, host.dtype);
  releases.push(staged.release);
  if (host.bytes.byteLength > 0) memory.backend.write(staged.operand.storage.buffer, 0, host.bytes);
  return staged.operand;
}
