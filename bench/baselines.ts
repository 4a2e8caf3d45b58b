/**
 * Baselines measured in the same run, moving the same bytes as the case they stand beside (a case that
 * counts B bytes read + written is compared with a copy of B / 2 bytes, which reads B / 2 and writes
 * B / 2): on WebGPU the raw API's `copyBufferToBuffer` on the same device, submitted and awaited the way
 * ndgpu's sync does (`queue.submit`, then `await queue.onSubmittedWorkDone()`); on the CPU
 * `TypedArray.prototype.set`. Case 9 (many small sets) is compared with the same number of raw
 * dispatches of a trivial kernel in one compute pass (WebGPU), or the same number of small
 * `TypedArray` `fill`/`set` calls (CPU), moving the same elements.
 */

import { SMALL, smallSet } from './cases.js';
import { measure, type Measurement, type RepetitionCounts } from './timing.js';

// WebGPU's enum values (Node has no GPUBufferUsage/GPUShaderStage globals).
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;
const SHADER_COMPUTE = 0x4;

export async function webgpuCopyBaseline(device: GPUDevice, bytes: number, counts: RepetitionCounts): Promise<Measurement> {
  const size = Math.max(4, Math.ceil(bytes / 2 / 4) * 4);
  const src = device.createBuffer({ size, usage: COPY_SRC | COPY_DST });
  const dst = device.createBuffer({ size, usage: COPY_SRC | COPY_DST });
  try {
    return await measure(async () => {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(src, 0, dst, 0, size);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    }, counts);
  } finally {
    src.destroy();
    dst.destroy();
  }
}

export async function cpuCopyBaseline(bytes: number, counts: RepetitionCounts): Promise<Measurement> {
  const length = Math.max(1, Math.round(bytes / 2 / 4));
  const src = new Float32Array(length).fill(1);
  const dst = new Float32Array(length);
  return measure(() => void dst.set(src), counts);
}

// ------------------------------------------------------------------------------------------------
// Case 9 baselines

const SLOT = 256; // minUniformBufferOffsetAlignment (at most 256 on every device)

/** Each dispatch (one workgroup of 32) writes 32 items at dst[u.dst + i * u.dstStride]: the scalar
 * u.value (mode 0) or src[u.src + i * u.srcStride] (mode 1). */
const KERNEL = /* wgsl */ `
struct U { mode: u32, dst: u32, dstStride: u32, src: u32, srcStride: u32, value: f32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
@compute @workgroup_size(${SMALL.span})
fn main(@builtin(local_invocation_index) i: u32) {
  let d = u.dst + i * u.dstStride;
  if (u.mode == 0u) { dst[d] = u.value; } else { dst[d] = src[u.src + i * u.srcStride]; }
}`;

function smallSetUniforms(): ArrayBuffer {
  const arena = new ArrayBuffer(SMALL.sets * SLOT);
  for (let i = 0; i < SMALL.sets; i++) {
    const u32 = new Uint32Array(arena, i * SLOT, 6);
    const f32 = new Float32Array(arena, i * SLOT, 6);
    const set = smallSet(i);
    if (set.kind === 'scalar') {
      u32.set([0, set.row * SMALL.side + set.col0, 1, 0, 0]);
      f32[5] = set.value;
    } else {
      u32.set([1, set.row0 * SMALL.side + set.col, SMALL.side, set.srcRow * SMALL.side, 2]);
    }
  }
  return arena;
}

/** SMALL.sets raw dispatches recorded in one compute pass, each with its own uniforms at a dynamic
 * offset of one arena written once per repetition (as ndgpu packs its uniforms), one submit, awaited. */
export async function webgpuDispatchBaseline(device: GPUDevice, counts: RepetitionCounts): Promise<Measurement> {
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: SHADER_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
      { binding: 1, visibility: SHADER_COMPUTE, buffer: { type: 'storage' } },
      { binding: 2, visibility: SHADER_COMPUTE, buffer: { type: 'read-only-storage' } },
    ],
  });
  const pipeline = device.createComputePipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code: KERNEL }), entryPoint: 'main' },
  });
  const elements = SMALL.side * SMALL.side * 4;
  const uniforms = device.createBuffer({ size: SMALL.sets * SLOT, usage: UNIFORM | COPY_DST });
  const dst = device.createBuffer({ size: elements, usage: STORAGE | COPY_DST });
  const src = device.createBuffer({ size: elements, usage: STORAGE | COPY_DST });
  const group = device.createBindGroup({
    layout,
    entries: [
      { binding: 0, resource: { buffer: uniforms, offset: 0, size: 32 } },
      { binding: 1, resource: { buffer: dst } },
      { binding: 2, resource: { buffer: src } },
    ],
  });
  const arena = smallSetUniforms();
  try {
    return await measure(async () => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      for (let i = 0; i < SMALL.sets; i++) {
        pass.setBindGroup(0, group, [i * SLOT]);
        pass.dispatchWorkgroups(1);
      }
      pass.end();
      device.queue.writeBuffer(uniforms, 0, arena);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    }, counts);
  } finally {
    uniforms.destroy();
    dst.destroy();
    src.destroy();
  }
}

/** The same bytes as case 9 in as many plain TypedArray calls: `fill` of 32 items for each scalar set,
 * `set` of a 32-item subarray for each view set (contiguous: the raw cost of the bytes, as
 * `copyBufferToBuffer` is for the large cases). */
export async function cpuSmallSetsBaseline(counts: RepetitionCounts): Promise<Measurement> {
  const n = SMALL.side;
  const dst = new Float32Array(n * n);
  const src = new Float32Array(n * n).fill(2);
  return measure(() => {
    for (let i = 0; i < SMALL.sets; i++) {
      const set = smallSet(i);
      if (set.kind === 'scalar') {
        const start = set.row * n + set.col0;
        dst.fill(set.value, start, start + SMALL.span);
      } else {
        const from = set.srcRow * n;
        dst.set(src.subarray(from, from + SMALL.span), set.row0 * n);
      }
    }
  }, counts);
}
