/**
 * Copies between contexts: `np.array(x)` where `x` belongs to another context makes its copy in `np`'s
 * own memory, so that it works with `np`'s arrays and outlives `x`'s context. Copies stay synchronous
 * and in queue order, which decides how the bytes travel:
 *
 * - the same context: an ordinary copy;
 * - another context on the same GPUDevice: the target's kernels read the source's buffer in place (the
 *   source's queued work is submitted first, the copy right after it is recorded);
 * - a source whose memory is the host's (the CPU backend): its bytes, read at once, are written to the
 *   target (any backend);
 * - a source on a WebGPU device the target cannot reach (a CPU context, another device): its bytes exist
 *   only after an asynchronous read, which a synchronous copy cannot wait for. That is a TypeError naming
 *   the asynchronous way, rather than an array whose contents would arrive later than the calls that
 *   use it.
 */

import { sizeOf } from '../core/layout.js';
import { copyOperand, type CopyTarget } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { freshOperand, itemsizeOf, type ArrayOperand, type Operand } from './operand.js';

/** `source` copied into new memory of `memory`'s context (see the module comment for how). */
export function importOperand(memory: ArrayMemory, source: ArrayOperand, target: CopyTarget): Operand {
  source.checkUsable();
  if (source.memory === memory) return copyOperand(source, target);
  const dtype = target.dtype ?? source.dtype;
  const shape = target.shape ?? source.layout.shape;
  if (sizeOf(source.layout.shape) === 0) return freshOperand(memory, shape, dtype);
  const from = source.memory.backend;
  const to = memory.backend;
  const borrowed = to.borrow?.(source.storage.buffer, from);
  if (borrowed) {
    // The source's buffer, seen from this context for the length of one copy.
    const storage = memory.allocate(source.storage.byteLength, borrowed);
    try {
      return copyOperand({ memory, storage, layout: source.layout, dtype: source.dtype }, target);
    } finally {
      storage.free();
      to.flush(); // before the source's context can reuse or free its buffer
    }
  }
  if (from.readSync) {
    // C-ordered bytes in the target dtype, made in the source's context (its casts are exact too).
    const staged = copyOperand(source, { order: 'C', dtype });
    try {
      const bytes = from.readSync(staged.storage.buffer, 0, sizeOf(staged.layout.shape) * itemsizeOf(staged));
      const result = freshOperand(memory, shape, dtype);
      to.write(result.storage.buffer, 0, bytes);
      return result;
    } finally {
      staged.storage.free();
    }
  }
  throw new TypeError(
    `np.array(x): x lives on a WebGPU device this context cannot read synchronously (a ${to.kind} context` +
      `${to.kind === 'webgpu' ? ' on another device' : ''}); copy it through the host instead: ` +
      `np.array(await x.toArray(), { dtype: x.dtype, shape: x.shape })`,
  );
}
