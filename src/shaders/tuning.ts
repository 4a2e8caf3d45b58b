/**
 * What the kernels are tuned for. The same WGSL runs everywhere, but the order in which a workgroup's
 * invocations share out its elements, and how much work each takes, pull in opposite directions on
 * hardware GPUs and on the CPU rasterisers that implement WebGPU without one:
 *
 * - 'gpu': a GPU runs a workgroup's invocations in lockstep (warps, wavefronts), so lane L of a block
 *   takes elements L, L + 64, L + 128...: each step's 64 accesses are neighbours in memory and merge into
 *   a few wide transactions (coalescing). Reductions take spans short enough for 4,096 workgroups per
 *   pass (about 30 per multiprocessor on an H100-class GPU), so that memory latency is hidden. Measured on an H200: a stride-2 gather at 1,970 GB/s
 *   interleaved against 396 GB/s with consecutive runs (bench/README.md). Contiguous copies run the
 *   vec4 copy kernel: there, Dawn's copyBufferToBuffer moved about 0.7 TB/s where the kernel moved 2.
 * - 'software': lavapipe, SwiftShader and WARP run each invocation's loop on one CPU thread, so an
 *   invocation takes a run of consecutive elements (one cache line serves several, and the index
 *   arithmetic is amortised), and reductions take long spans (fewer workgroup barriers, which are costly
 *   there). Measured on lavapipe: the same gather 2-4x faster in runs than interleaved; its
 *   copyBufferToBuffer (a memcpy) is the fastest contiguous copy.
 *
 * `init({ tuning })` overrides the choice that src/device/adapter.ts makes from the adapter's info.
 */

/** What the WebGPU kernels are tuned for: hardware GPUs, or CPU implementations of WebGPU. */
export type Tuning = 'gpu' | 'software';

export interface KernelTuning {
  readonly tuning: Tuning;
  /** Lanes take every 64th element of their workgroup's block (true) or consecutive runs (false). */
  readonly interleaved: boolean;
  /** Most elements one invocation combines in a reduction pass (tree passes and passes down columns). */
  readonly reduceMaxSpan: number;
  /** Workgroups a reduction pass should have in flight: spans shrink (down to 1) until it has them. */
  readonly reduceWorkgroups: number;
  /** Contiguous copies between buffers use `copyBufferToBuffer` (true) or the vec4 copy kernel (false). */
  readonly copyEngine: boolean;
}

export const KERNEL_TUNINGS: Readonly<Record<Tuning, KernelTuning>> = {
  gpu: { tuning: 'gpu', interleaved: true, reduceMaxSpan: 256, reduceWorkgroups: 4096, copyEngine: false },
  software: { tuning: 'software', interleaved: false, reduceMaxSpan: 256, reduceWorkgroups: 1, copyEngine: true },
};
