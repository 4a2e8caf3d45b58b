/**
 * TensorFlow.js (@tensorflow/tfjs-core + @tensorflow/tfjs-backend-webgpu) on ndgpu's own GPUDevice.
 *
 * Setup: tfjs-backend-webgpu's kernels are registered for the backend name 'webgpu' and its own factory
 * requests a new adapter and device from `navigator.gpu`. We instead construct its `WebGPUBackend` on
 * ndgpu's device (its constructor takes a GPUDevice) and register that under 'webgpu'. In Node it still
 * needs `navigator.gpu` to exist (its support check) and WebGPU's enum globals (`GPUBufferUsage`...):
 * both come from the `webgpu` package (Dawn) that ndgpu already uses.
 *
 * Timing method: each repetition runs the op in `tf.tidy` (so reshape temporaries are released), then
 * ends tfjs's open compute pass and submits its command encoder (what tfjs itself does before a
 * readback), then awaits `device.queue.onSubmittedWorkDone()` — the same completion signal ndgpu's
 * `np.sync()` uses. No readback is timed. The result is disposed after the clock stops (tfjs pools its
 * buffers, as ndgpu does). CPU forwarding of small inputs (WEBGPU_CPU_FORWARD) is turned off.
 *
 * What tfjs cannot express: in-place slice assignment (tensors are immutable: cases 7, 8, 9). tfjs has
 * no copy op (clone/identity share the buffer), so case 1 uses a full-range `tf.slice`, which runs its
 * slice kernel into a new buffer. Broadcast copy is `tf.broadcastTo` (its tile kernel).
 *
 * Products (cases 22-25): `tf.matMul(a, b, false, transposeB)` (tfjs's own transposed-operand flag for
 * `a @ b.T`), a batch as 3-D tensors, a matrix-vector product with the vector as a (k, 1) matrix.
 *
 * Joining cases (13-15): `tf.concat`, `tf.pad`, and for roll (tfjs has none) `tf.concat` of two `tf.slice`.
 *
 * Compute cases (10-12): `tf.add(tf.transpose(a), tf.transpose(b))` (tfjs has no strided views: its
 * transposes run as kernels, inside the timed tidy), `tf.sum(a, 0)`, `tf.sum(a, 1)`, `tf.sum(a)`, on
 * (side, side) tensors of the compute inputs. Each result is read back once before timing and checked
 * against the CPU.
 */

import type * as TF from '@tensorflow/tfjs-core';
import {
  PAD_WIDTH,
  ROLL_SHIFT,
  checkCompute,
  computeInputs,
  concatParts,
  isComputeCase,
  isJoiningCase,
  type CaseId,
  type ComputeId,
  type Geometry,
  type JoiningId,
  indexingInputs,
  isIndexingCase,
  type IndexingId,
  checkProduct,
  isProductCase,
  productCase,
  productInputs,
  productShapes,
  type ProductId,
} from '../cases.js';
import { measure, type RepetitionCounts } from '../timing.js';
import { errorText, type Peer, type PeerLoad } from './peer.js';

type TfModule = typeof TF;
type Tensor = TF.Tensor;

interface TfjsWebGpuBackend {
  endComputePassEncoder(): void;
  submitQueue(): void;
  dispose(): void;
}

/** Dawn's GPU object must outlive its devices (see src/device/adapter.ts): module scope keeps it. */
let navigatorGPU: unknown = null;

async function provideNavigatorGPU(): Promise<void> {
  const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): unknown; globals: Record<string, unknown> };
  const scope = globalThis as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(dawn.globals)) if (!(key in scope)) scope[key] = value;
  const holder = globalThis as unknown as { navigator?: { gpu?: unknown } };
  holder.navigator ??= {};
  if (!holder.navigator.gpu) {
    navigatorGPU = dawn.create([]);
    Object.defineProperty(holder.navigator, 'gpu', { value: navigatorGPU, configurable: true });
  }
}

type Op = (tf: TfModule, x: Tensor, row: Tensor, g: Geometry) => Tensor;

const OPS: Partial<Record<CaseId, Op>> = {
  copy: (tf, x, _row, g) => tf.slice(x, [0], [g.n]),
  transpose2d: (tf, x, _row, g) => tf.transpose(tf.reshape(x, [g.side, g.side])),
  permute3d: (tf, x, _row, g) => tf.transpose(tf.reshape(x, g.cube), [2, 0, 1]),
  colslice: (tf, x, _row, g) => tf.slice(tf.reshape(x, [g.n / 4, 4]), [0, 1], [g.n / 4, 2]),
  step2: (tf, x, _row, g) => tf.stridedSlice(x, [0], [g.n], [2]),
  reverse: (tf, x) => tf.reverse(x),
  bcastrow: (tf, _x, row, g) => tf.broadcastTo(row, [g.side, g.side]),
};

type ComputeOp = (tf: TfModule, a: Tensor, b: Tensor) => Tensor;

/** tfjs has no uint8 tensors (cases 13-14: not expressible). */
const COMPUTE_OPS: Partial<Record<ComputeId, ComputeOp>> = {
  addtrans: (tf, a, b) => tf.add(tf.transpose(a), tf.transpose(b)),
  sumaxis0: (tf, a) => tf.sum(a, 0),
  sumaxis1: (tf, a) => tf.sum(a, 1),
  sumall: (tf, a) => tf.sum(a),
  // ----- float sums with many short outputs (case 26) -----
  sumrows2: (tf, a) => tf.sum(tf.reshape(a, [-1, 2]), 1),
  sumcols2: (tf, a) => tf.sum(tf.reshape(a, [2, -1]), 0),
};

export async function loadTfjs(device: GPUDevice): Promise<PeerLoad> {
  let tf: TfModule;
  let backend: TfjsWebGpuBackend;
  try {
    await provideNavigatorGPU();
    tf = (await import('@tensorflow/tfjs-core')) as TfModule;
    const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
    backend = new webgpu.WebGPUBackend(device) as unknown as TfjsWebGpuBackend;
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => backend as unknown as TF.KernelBackend, 10);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  } catch (error) {
    return { ok: false, name: 'tfjs', reason: errorText(error) };
  }
  const encoderOpen = () => (backend as unknown as { commandEncoder: GPUCommandEncoder | null }).commandEncoder !== null;
  const flush = async () => {
    if (encoderOpen()) {
      backend.endComputePassEncoder();
      backend.submitQueue();
    }
    await device.queue.onSubmittedWorkDone();
  };

  const peer: Peer = {
    name: 'tfjs',
    backend: 'webgpu',
    version: `tfjs-core ${tf.version_core}`,
    async measure(id: CaseId, g: Geometry, source: Float32Array, counts: RepetitionCounts) {
      if (isProductCase(id)) return measureProduct(id, g, counts);
      if (isComputeCase(id)) return measureCompute(id, g, counts);
      if (isJoiningCase(id)) return measureJoining(id, g, source, counts);
      if (isIndexingCase(id)) return measureIndexing(id, g, counts);
      const op = OPS[id];
      if (!op) return null;
      const x = tf.tensor1d(id === 'bcastrow' ? source.subarray(0, 1) : source, 'float32');
      const row = tf.tensor1d(source.subarray(0, g.side), 'float32');
      try {
        return await measure(async () => {
          const out = tf.tidy(() => op(tf, x, row, g));
          await flush();
          return () => out.dispose();
        }, counts);
      } finally {
        x.dispose();
        row.dispose();
        await flush();
      }
    },
    dispose() {
      tf.removeBackend('webgpu');
    },
  };

  // ----- joining, splitting, rearranging -----
  // tf.concat of the 8 inputs (uploaded outside the timing), tf.pad of the image; tfjs has no roll: the
  // way a tfjs user writes it, tf.concat of two tf.slice.
  async function measureJoining(id: JoiningId, g: Geometry, source: Float32Array, counts: RepetitionCounts) {
    const inputs =
      id === 'concat0' || id === 'concat1'
        ? concatParts(source, g, id === 'concat0' ? 0 : 1).map((p) => tf.tensor(p.data, p.shape, 'float32'))
        : [id === 'pad' ? tf.tensor2d(source, [g.side, g.side], 'float32') : tf.tensor1d(source, 'float32')];
    const op = (): Tensor => {
      switch (id) {
        case 'concat0':
          return tf.concat(inputs, 0);
        case 'concat1':
          return tf.concat(inputs, 1);
        case 'pad':
          return tf.pad(inputs[0], [
            [PAD_WIDTH, PAD_WIDTH],
            [PAD_WIDTH, PAD_WIDTH],
          ]);
        case 'roll':
          return tf.concat([tf.slice(inputs[0], [g.n - ROLL_SHIFT], [ROLL_SHIFT]), tf.slice(inputs[0], [0], [g.n - ROLL_SHIFT])]);
      }
    };
    try {
      return await measure(async () => {
        const out = tf.tidy(op);
        await flush();
        return () => out.dispose();
      }, counts);
    } finally {
      for (const t of inputs) t.dispose();
      await flush();
    }
  }

  async function measureCompute(id: ComputeId, g: Geometry, counts: RepetitionCounts) {
    const op = COMPUTE_OPS[id];
    if (!op) return null;
    const inputs = computeInputs(g);
    const a = tf.tensor2d(inputs.a, [g.side, g.side], 'float32');
    const b = tf.tensor2d(inputs.b, [g.side, g.side], 'float32');
    try {
      const first = tf.tidy(() => op(tf, a, b));
      try {
        const wrong = checkCompute(id, g, await first.data());
        if (wrong) throw new Error(`wrong result: ${wrong}`);
      } finally {
        first.dispose();
      }
      await flush();
      return await measure(async () => {
        const out = tf.tidy(() => op(tf, a, b));
        await flush();
        return () => out.dispose();
      }, counts);
    } finally {
      a.dispose();
      b.dispose();
      await flush();
    }
  }
  // ----- advanced indexing (cases 13-16): tf.gather, tf.booleanMaskAsync, tf.cumsum; tensors are
  // immutable, so there is no in-place scatter (tf.scatterND builds a new tensor: another operation). -----
  async function measureIndexing(id: IndexingId, g: Geometry, counts: RepetitionCounts) {
    if (id === 'scatter') return null;
    const { values, indices } = indexingInputs(g);
    const x = tf.tensor1d(values, 'float32');
    const idx = tf.tensor1d(indices, 'int32');
    try {
      return await measure(async () => {
        let out: Tensor;
        if (id === 'maskget') {
          const mask = tf.greater(x, 0.5);
          out = await tf.booleanMaskAsync(x, mask);
          mask.dispose();
        } else out = tf.tidy(() => (id === 'gather' ? tf.gather(x, idx) : tf.cumsum(x)));
        await flush();
        return () => out.dispose();
      }, counts);
    } finally {
      x.dispose();
      idx.dispose();
      await flush();
    }
  }
  /** Products (cases 22-25): `tf.matMul(a, b, false, transposeB)` on the same inputs as ndgpu's (a
   * vector as a (k, 1) matrix), checked at sampled outputs before timing. */
  async function measureProduct(id: ProductId, g: Geometry, counts: RepetitionCounts) {
    const p = productCase(id, g);
    const inputs = productInputs(p);
    const shapes = productShapes(p);
    const a = tf.tensor(inputs.a, shapes.a, 'float32');
    const b = tf.tensor(inputs.b, p.vector ? [p.k, 1] : shapes.b, 'float32');
    const op = () => tf.matMul(a, b, false, p.transposeB);
    try {
      const first = op();
      try {
        const wrong = checkProduct(p, await first.data());
        if (wrong) throw new Error(`wrong result: ${wrong}`);
      } finally {
        first.dispose();
      }
      await flush();
      return await measure(async () => {
        const out = op();
        await flush();
        return () => out.dispose();
      }, counts);
    } finally {
      a.dispose();
      b.dispose();
      await flush();
    }
  }
  return { ok: true, peer };
}
