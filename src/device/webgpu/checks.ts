/**
 * Checks made on the device (indices in range, counts as expected), and how their failures reach the
 * host. Every check gets a slot of SLOT_WORDS words in one buffer (zeroed: no failure): a failing kernel
 * records there the complement of the smallest failing position and then the value it saw. The slots
 * used since the last harvest are copied out by the next read or sync, in the same queue order as the
 * work, cleared, and decoded: the first failed check (in the order the checks were made) becomes the
 * error that read or sync throws. The writes of an operation wait on its own slots (see the scatter
 * kernel), so an operation with a failed check writes nothing.
 */

import type { CheckToken, DeviceCheck } from '../backend.js';
import type { CommandBatch, Window } from './batch.js';
import { BufferUsage } from './constants.js';
import { SLOT_WORDS } from '../../shaders/indexing.js';

const SLOT_BYTES = SLOT_WORDS * 4;
const FIRST_CAPACITY = 256;

interface Record {
  readonly slot: number;
  readonly check: DeviceCheck;
  /** The value words (low, high) as the number or bigint the error names. */
  readonly decode: (low: number, high: number) => number | bigint;
}

export class CheckSlots {
  readonly #device: GPUDevice;
  readonly #batch: CommandBatch;
  #buffer: GPUBuffer;
  #capacity = FIRST_CAPACITY;
  #records: Record[] = [];

  constructor(device: GPUDevice, batch: CommandBatch) {
    this.#device = device;
    this.#batch = batch;
    this.#buffer = this.#create(FIRST_CAPACITY);
  }

  #create(slots: number): GPUBuffer {
    // New buffers are zeroed by WebGPU: every slot starts as "no failure".
    return this.#device.createBuffer({
      label: 'ndgpu checks',
      size: slots * SLOT_BYTES,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
  }

  /** A slot for `check`, whose token later kernels of the operation wait on. */
  reserve(check: DeviceCheck, decode: Record['decode']): CheckToken {
    const slot = this.#records.length;
    if (slot === this.#capacity) {
      // Grow in queue order: the slots recorded so far move to the larger buffer.
      const larger = this.#create(this.#capacity * 2);
      this.#batch.copy(this.#buffer, 0, larger, 0, this.#capacity * SLOT_BYTES);
      this.#batch.destroyLater(this.#buffer);
      this.#buffer = larger;
      this.#capacity *= 2;
    }
    this.#records.push({ slot, check, decode });
    return { id: slot };
  }

  /** The slots' binding (the whole buffer: it is small). */
  get window(): Window {
    return { buffer: this.#buffer, start: 0, size: this.#buffer.size };
  }

  get pending(): boolean {
    return this.#records.length > 0;
  }

  /** Bytes a harvest copies. */
  get pendingBytes(): number {
    return this.#records.length * SLOT_BYTES;
  }

  /**
   * Records copying the used slots into `staging` at `offset` and clearing them, and returns what
   * decodes the copied bytes into the first failure (null when every check passed). Checks made after
   * this use the cleared slots again.
   */
  harvest(staging: GPUBuffer, offset: number): (bytes: Uint8Array) => Error | null {
    const records = this.#records;
    const bytes = records.length * SLOT_BYTES;
    this.#batch.copy(this.#buffer, 0, staging, offset, bytes);
    this.#batch.clear(this.#buffer, 0, bytes);
    this.#records = [];
    return (copied) => {
      const words = new Uint32Array(copied.buffer, copied.byteOffset, bytes / 4);
      for (const r of records) {
        const at = r.slot * SLOT_WORDS;
        if (words[at] !== 0) return r.check.error(r.decode(words[at + 1], words[at + 2]), words[at + 2]);
      }
      return null;
    };
  }

  dispose(): void {
    this.#buffer.destroy();
  }
}
