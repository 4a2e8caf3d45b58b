/**
 * Reference-counted device memory. An owner array and every view of it hold one reference each (a
 * "holder"); the allocation goes back to the backend when the last is released, by `dispose()` or by the
 * garbage collector through ArrayMemory's FinalizationRegistry. Holders remember what they are, so that
 * memory can be listed and the tutorial's trap (a small view keeping a huge buffer alive) reported.
 */

import type { Backend, DeviceBuffer } from '../../device/backend.js';
import { ValueError } from '../core/errors.js';

/**
 * One array's hold on a storage. Besides what it says about the array, it carries the bookkeeping of the
 * memory it holds, so that taking and letting go of a hold costs no hashing (views are made and disposed
 * by the thousand in loops; a Set of holders hashed every new one).
 */
export abstract class Holder {
  /** The memory held. */
  abstract readonly storage: Storage;
  /** Bytes of the array itself (a view may be far smaller than the memory it keeps alive). */
  abstract readonly nbytes: number;
  abstract readonly isOwner: boolean;
  /** `int32 (3, 4) view`-style description (made only when asked for: arrays are made often). */
  abstract label(): string;
  /** The stack where the array was made, when the context tracks arrays (set by ArrayMemory). */
  createdAt?: string = undefined;
  /** @internal The storage whose list of holders this one is in (Storage's own bookkeeping). */
  heldBy: Storage | null = null;
  /** @internal The holders before and after this one in that list, in the order they came. */
  previousHolder: Holder | null = null;
  nextHolder: Holder | null = null;
  /** @internal Whether the collector watches this holder's array (ArrayMemory's own bookkeeping). */
  watched = false;
}

/** Told when a holder goes while others remain (`storage.holders` lists them, at a cost). */
export type ReleaseListener = (storage: Storage, released: Holder) => void;

export class Storage {
  readonly byteLength: number;
  #backend: Backend;
  #buffer: DeviceBuffer | null;
  /** One per array holding this memory (each holder object is also that array's token), in a list in
   * the order they came, linked through the holders. */
  #firstHolder: Holder | null = null;
  #lastHolder: Holder | null = null;
  #holderCount = 0;
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
    const holders: Holder[] = [];
    for (let h = this.#firstHolder; h !== null; h = h.nextHolder) holders.push(h);
    return holders;
  }

  /** The device buffer; only size-0 storages have none, and nothing reads those. */
  get buffer(): DeviceBuffer {
    if (!this.#buffer) throw new ValueError('internal error: this memory was already released');
    return this.#buffer;
  }

  /** Adds `holder`, which holds no other storage, to this one's holders (again: nothing). */
  retain(holder: Holder): void {
    if (holder.heldBy === this) return;
    if (holder.heldBy !== null) throw new ValueError('internal error: a holder holds one storage');
    holder.heldBy = this;
    holder.previousHolder = this.#lastHolder;
    holder.nextHolder = null;
    if (this.#lastHolder === null) this.#firstHolder = holder;
    else this.#lastHolder.nextHolder = holder;
    this.#lastHolder = holder;
    this.#holderCount++;
  }

  /** Lets go of `holder` (not one of the holders: nothing); the last one frees the memory. */
  release(holder: Holder): void {
    if (holder.heldBy !== this) return;
    this.#unlink(holder);
    if (this.#holderCount === 0) this.free();
    else this.#onRelease(this, holder);
  }

  #unlink(holder: Holder): void {
    const { previousHolder, nextHolder } = holder;
    if (previousHolder === null) this.#firstHolder = nextHolder;
    else previousHolder.nextHolder = nextHolder;
    if (nextHolder === null) this.#lastHolder = previousHolder;
    else nextHolder.previousHolder = previousHolder;
    holder.heldBy = holder.previousHolder = holder.nextHolder = null;
    this.#holderCount--;
  }

  /** Frees the memory now, whatever the count (used when a whole context is disposed). */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    while (this.#firstHolder !== null) this.#unlink(this.#firstHolder);
    if (this.#buffer) {
      const buffer = this.#buffer;
      this.#buffer = null;
      this.#backend.release(buffer);
    }
    this.#onFree(this);
  }
}
