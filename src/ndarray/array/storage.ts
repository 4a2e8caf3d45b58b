/**
 * Reference-counted device memory. An owner array and every view of it hold one reference each (a
 * "holder"); the allocation goes back to the backend when the last is released, by `dispose()` or by the
 * garbage collector through ArrayMemory's FinalizationRegistry. Holders remember what they are, so that
 * memory can be listed and the tutorial's trap (a small view keeping a huge buffer alive) reported.
 */

import type { Backend, DeviceBuffer } from '../../device/backend.js';
import { ValueError } from '../core/errors.js';

export interface Holder {
  /** The memory held. */
  readonly storage: Storage;
  /** Bytes of the array itself (a view may be far smaller than the memory it keeps alive). */
  readonly nbytes: number;
  readonly isOwner: boolean;
  /** `int32 (3, 4) view`-style description (made only when asked for: arrays are made often). */
  label(): string;
  /** The stack where the array was made, when the context tracks arrays (set by ArrayMemory). */
  createdAt?: string;
}

/** Told when a holder goes while others remain (`storage.holders` lists them, at a cost). */
export type ReleaseListener = (storage: Storage, released: Holder) => void;

export class Storage {
  readonly byteLength: number;
  #backend: Backend;
  #buffer: DeviceBuffer | null;
  /** One per array holding this memory; each holder object is also that array's token. */
  #holders = new Set<Holder>();
  #freed = false;
  #onFree: (storage: Storage) => void;
  #onRelease: ReleaseListener;

  /** New memory from `backend`, or `existing` memory (an application's buffer) that it wraps. */
  constructor(
    backend: Backend,
    byteLength: number,
    onFree: (storage: Storage) => void,
    onRelease: ReleaseListener,
    existing?: DeviceBuffer,
  ) {
    this.byteLength = byteLength;
    this.#backend = backend;
    // Size-0 arrays need no memory: no plan ever touches it.
    this.#buffer = existing ?? (byteLength > 0 ? backend.alloc(byteLength) : null);
    this.#onFree = onFree;
    this.#onRelease = onRelease;
  }

  get holders(): readonly Holder[] {
    return [...this.#holders];
  }

  /** The device buffer; only size-0 storages have none, and nothing reads those. */
  get buffer(): DeviceBuffer {
    if (!this.#buffer) throw new ValueError('internal error: this memory was already released');
    return this.#buffer;
  }

  retain(holder: Holder): void {
    this.#holders.add(holder);
  }

  release(holder: Holder): void {
    if (!this.#holders.delete(holder)) return;
    if (this.#holders.size === 0) this.free();
    else this.#onRelease(this, holder);
  }

  /** Frees the memory now, whatever the count (used when a whole context is disposed). */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#holders.clear();
    if (this.#buffer) {
      const buffer = this.#buffer;
      this.#buffer = null;
      this.#backend.release(buffer);
    }
    this.#onFree(this);
  }
}
