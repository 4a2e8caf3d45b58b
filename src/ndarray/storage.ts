/**
 * Reference-counted device memory. An owner array and every view of it hold one reference each; the
 * allocation goes back to the backend when the last is released (by `dispose()`, or by the garbage
 * collector through the engine's FinalizationRegistry).
 */

import type { Backend, DeviceBuffer } from '../device/backend.js';
import { ValueError } from './errors.js';

export class Storage {
  readonly byteLength: number;
  #backend: Backend;
  #buffer: DeviceBuffer | null;
  #refs = 0;
  #freed = false;
  #onFree: (storage: Storage) => void;

  constructor(backend: Backend, byteLength: number, onFree: (storage: Storage) => void) {
    this.byteLength = byteLength;
    this.#backend = backend;
    // Size-0 arrays need no memory: no plan ever touches it.
    this.#buffer = byteLength > 0 ? backend.alloc(byteLength) : null;
    this.#onFree = onFree;
  }

  get refs(): number {
    return this.#refs;
  }

  get freed(): boolean {
    return this.#freed;
  }

  /** The device buffer; only size-0 storages have none, and nothing reads those. */
  get buffer(): DeviceBuffer {
    if (!this.#buffer) throw new ValueError('internal error: this memory was already released');
    return this.#buffer;
  }

  retain(): void {
    this.#refs++;
  }

  release(): void {
    if (this.#refs <= 0) return;
    if (--this.#refs === 0) this.free();
  }

  /** Frees the memory now, whatever the count (used when a whole context is disposed). */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#refs = 0;
    if (this.#buffer) {
      const buffer = this.#buffer;
      this.#buffer = null;
      this.#backend.release(buffer);
    }
    this.#onFree(this);
  }
}
