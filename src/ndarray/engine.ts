/**
 * What every array of one context shares: the backend, the set of live allocations, and the safety net
 * that releases the memory of arrays the garbage collector reclaims without `dispose()`.
 */

import type { Backend } from '../device/backend.js';
import { ValueError } from './errors.js';
import { Storage } from './storage.js';

export class Engine {
  readonly backend: Backend;
  #storages = new Set<Storage>();
  #disposed = false;
  #onDispose: () => void;
  /** Releases the reference of an array that was collected undisposed. */
  #collector = new FinalizationRegistry<Storage>((storage) => storage.release());

  constructor(backend: Backend, onDispose: () => void = () => {}) {
    this.backend = backend;
    this.#onDispose = onDispose;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  checkAlive(): void {
    if (this.#disposed) throw new ValueError('this ndgpu context was disposed (np.dispose() was called); create a new one with init()');
  }

  /** New memory for an owner array; freed when its last reference is released. */
  allocate(byteLength: number): Storage {
    this.checkAlive();
    const storage = new Storage(this.backend, byteLength, (s) => this.#storages.delete(s));
    this.#storages.add(storage);
    return storage;
  }

  /** Holds one reference to `storage` for `array`, released if `array` is collected before `dispose()`. */
  adopt(array: object, storage: Storage, token: object): void {
    storage.retain();
    this.#collector.register(array, storage, token);
  }

  /** Releases `array`'s reference now (its `dispose()`). */
  disown(storage: Storage, token: object): void {
    this.#collector.unregister(token);
    storage.release();
  }

  get liveStorages(): number {
    return this.#storages.size;
  }

  dispose(): void {
    if (this.#disposed) return;
    for (const storage of [...this.#storages]) storage.free();
    this.#storages.clear();
    this.#disposed = true;
    this.backend.dispose();
    this.#onDispose();
  }
}
