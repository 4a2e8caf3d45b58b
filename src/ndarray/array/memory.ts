/**
 * The memory of one context's arrays and their lifetimes: the backend that holds it, the live
 * allocations, the `tidy` scopes and the `scope()` scopes that stay open across awaits, the safety net
 * that releases the memory of arrays the garbage collector reclaims without `dispose()`, and the optional
 * lifetime diagnostics (where arrays were made; a warning when a small view keeps a big buffer alive).
 */

import type { Backend, DeviceBuffer } from '../../device/backend.js';
import { ValueError } from '../core/errors.js';
import { Storage, type Holder } from './storage.js';

export interface MemoryOptions {
  /** Record where each array is made (a stack), for `liveArrays()`. */
  trackArrays?: boolean;
  /** Called with a message when a small view is left holding a much larger buffer. */
  warn?: ((message: string) => void) | null;
}

/** One live array, as `np.liveArrays()` lists it. */
export interface LiveArrayInfo {
  /** `dtype (shape) owner|view`. */
  readonly label: string;
  /** Bytes of the array's elements. */
  readonly nbytes: number;
  /** Bytes of the memory this array keeps alive (its owner's allocation). */
  readonly bufferBytes: number;
  /** Whether the array owns the memory (false for a view). */
  readonly isOwner: boolean;
  /** Where the array was made, with `init({ trackArrays: true })`. */
  readonly createdAt?: string;
}

/** A view keeps "much more" alive when the views left hold at most this fraction of the buffer. */
const TRAP_FRACTION = 1 / 8;
const TRAP_MIN_BYTES = 1 << 20;

export class ArrayMemory {
  readonly backend: Backend;
  readonly options: MemoryOptions;
  #storages = new Set<Storage>();
  #disposed = false;
  /**
   * Open `tidy` scopes, innermost last: the arrays made while each is open, with what the collector
   * would need for them. Arrays made inside a scope are not registered with the collector while it is
   * open (the scope holds them, so they cannot be collected): most are disposed when it closes, and
   * registering and unregistering each would cost more than making a view. Those that outlive the scope
   * are registered (or handed to the enclosing scope) then.
   */
  #scopes: TidyScope[] = [];
  /**
   * Open `scope()` scopes, which stay open across awaits and so may close in any order. An array made
   * while several are open belongs to all of them (see `scope`); `#sharedBy` counts the open scopes that
   * still hold such an array, for arrays held by more than one.
   */
  #asyncScopes: AsyncScope[] = [];
  #sharedBy = new Map<Holder, number>();
  /** When the latest open `scope()` opened (0: none is open), to compare with the innermost tidy scope. */
  #latestAsyncOpening = 0;
  /** Counts scope openings, so that an array goes to the innermost open scope of either kind. */
  #openings = 0;
  /** Holders of arrays that left every scope early (returned by a `scope()`, or `keep()`): the scopes
   * that still list them pass over them. */
  #escaped = new WeakSet<Holder>();
  #anyEscaped = false;
  /**
   * Allocations made inside `guard` calls that are still open (a journal, truncated when the outermost
   * call returns), so that a call that throws can release them in one place.
   */
  #journal: Storage[] = [];
  #guardDepth = 0;
  /** Releases the hold of an array that was collected undisposed. */
  #collector = new FinalizationRegistry<Holder>((holder) => holder.storage.release(holder));

  constructor(backend: Backend, options: MemoryOptions = {}) {
    this.backend = backend;
    this.options = options;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Throws unless the context can still be used: not disposed, and its backend usable (a lost device
   * fails every later call, views included, though they touch no device memory). */
  checkAlive(): void {
    if (this.#disposed) throw new ValueError('this ndgpu context was disposed (np.dispose() was called); create a new one with init()');
    this.backend.checkUsable();
  }

  /** Reads device memory (see `settle`). */
  read(buffer: DeviceBuffer, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    return this.settle(this.backend.read(buffer, byteOffset, byteLength));
  }

  /**
   * A read or sync of this context as the caller sees it: one still pending when the context is
   * disposed rejects saying so, on every backend (the CPU has its bytes at once, WebGPU aborts its
   * mapping), rather than resolving or failing with whatever the backend reports.
   */
  settle<T>(pending: Promise<T>): Promise<T> {
    return pending.then(
      (value) => {
        if (this.#disposed) throw disposedWhilePending();
        return value;
      },
      (error: unknown) => {
        throw this.#disposed ? disposedWhilePending() : error;
      },
    );
  }

  /** New memory for an owner array; freed when its last holder is released. */
  allocate(byteLength: number, existing?: DeviceBuffer): Storage {
    this.checkAlive();
    const storage = new Storage(
      this.backend,
      byteLength,
      (s) => this.#storages.delete(s),
      (s, released) => this.#checkTrap(s, released),
      existing,
    );
    this.#storages.add(storage);
    if (this.#guardDepth > 0) this.#journal.push(storage);
    return storage;
  }

  /**
   * Runs one call of the API that allocates (a routine making its result, a creation function): when it
   * throws, every allocation it made is freed before the error leaves it, whether or not an array
   * already holds it (no array made by a call that threw reaches the caller). The one place where a
   * failing call releases what it allocated: routines validate first, and free only their temporaries.
   * Calls nest; user code never runs inside one (`tidy` keeps the arrays of a block that throws).
   */
  guard<T>(call: () => T): T {
    const mark = this.#journal.length;
    this.#guardDepth++;
    try {
      return call();
    } catch (error) {
      const journal = this.#journal;
      for (let i = mark; i < journal.length; i++) journal[i].free();
      journal.length = mark;
      throw error;
    } finally {
      if (--this.#guardDepth === 0) this.#journal.length = 0;
    }
  }

  /**
   * Takes `holder`'s hold on its storage for `array` until `disown`, or until `array` is collected (the
   * holder must not refer to the array); notes `array` in the innermost open `tidy` scope.
   */
  adopt(array: { dispose(): void }, holder: Holder): void {
    if (this.options.trackArrays) holder.createdAt = callerStack();
    holder.storage.retain(holder);
    this.#place(array, holder);
  }

  /** Puts a new array, or one leaving a tidy scope, in the innermost open scope (every open `scope()`
   * when one of those is the innermost), or under the collector's watch when none is open. */
  #place(array: { dispose(): void }, holder: Holder): void {
    const tidy = this.#scopes[this.#scopes.length - 1];
    if (tidy && tidy.opening > this.#latestAsyncOpening) tidy.add(array, holder);
    else if (this.#asyncScopes.length === 0) this.#watch(array, holder);
    else {
      for (const scope of this.#asyncScopes) scope.add(array, holder);
      if (this.#asyncScopes.length > 1) this.#sharedBy.set(holder, this.#asyncScopes.length);
    }
  }

  /**
   * Runs `body`, then disposes every array made during it except those in its result (an array, or
   * arrays inside a returned array or object); kept arrays move to the enclosing scope. When `body`
   * throws, nothing is disposed: its arrays move on as if kept.
   */
  tidy<T>(body: () => T, isArray: (value: unknown) => value is { dispose(): void }): T {
    const scope = new TidyScope(++this.#openings);
    this.#scopes.push(scope);
    let result: T;
    try {
      result = body();
    } catch (error) {
      this.#scopes.pop();
      for (let i = 0; i < scope.arrays.length; i++) this.#keep(scope.arrays[i], scope.holders[i]);
      throw error;
    }
    this.#scopes.pop();
    const kept = arraysIn(result, isArray);
    for (let i = 0; i < scope.arrays.length; i++) {
      const array = scope.arrays[i];
      if (kept.has(array)) this.#keep(array, scope.holders[i]);
      else if (!(this.#anyEscaped && this.#escaped.has(scope.holders[i]))) array.dispose();
    }
    return result;
  }

  /** An array leaving a closed tidy scope: into the innermost open scope, or under the collector's watch. */
  #keep(array: { dispose(): void }, holder: Holder): void {
    if (!(this.#anyEscaped && this.#escaped.has(holder))) this.#place(array, holder);
  }

  /**
   * Runs `body`, awaits it, then disposes the arrays made meanwhile (also after its awaits, by whatever
   * code ran) except those in its result. Scopes open at the same time (nested, or running interleaved)
   * share the arrays made while they were all open: such an array is disposed when the last of them
   * closes, unless one of them returns it, so that no scope disposes an array another open scope may be
   * using. Returned arrays leave every scope (the collector watches them). When `body` throws or
   * rejects, nothing is disposed: its arrays leave as if returned.
   */
  async scope<T>(body: () => T, isArray: (value: unknown) => value is { dispose(): void }): Promise<Awaited<T>> {
    const scope = new AsyncScope(++this.#openings);
    this.#asyncScopes.push(scope);
    this.#latestAsyncOpening = scope.opening;
    let result: Awaited<T>;
    try {
      result = await body();
    } catch (error) {
      this.#closeAsync(scope, null);
      throw error;
    }
    this.#closeAsync(scope, arraysIn(result, isArray));
    return result;
  }

  /** Closes a `scope()`: its arrays in `kept` (all, when null) leave every scope; it lets go of the
   * others, disposing those that no other open scope holds. */
  #closeAsync(scope: AsyncScope, kept: Set<unknown> | null): void {
    const open = this.#asyncScopes;
    open.splice(open.indexOf(scope), 1);
    this.#latestAsyncOpening = open.length === 0 ? 0 : Math.max(...open.map((s) => s.opening));
    for (let i = 0; i < scope.arrays.length; i++) {
      const array = scope.arrays[i];
      const holder = scope.holders[i];
      if (this.#anyEscaped && this.#escaped.has(holder)) continue;
      if (kept === null || kept.has(array)) {
        this.#escape(array, holder);
        continue;
      }
      const holders = this.#sharedBy.get(holder);
      if (holders === undefined) array.dispose();
      else if (holders > 2) this.#sharedBy.set(holder, holders - 1);
      else this.#sharedBy.delete(holder); // the one scope left holding it disposes it
    }
  }

  /**
   * Takes `array` out of every open scope (tidy or `scope()`): it lives until disposed, or until the
   * collector reclaims it. Does nothing to an array outside any scope.
   */
  keep(array: { dispose(): void }): void {
    for (const scope of [...this.#scopes, ...this.#asyncScopes]) {
      const at = scope.arrays.lastIndexOf(array);
      if (at >= 0) {
        this.#escape(array, scope.holders[at]);
        return;
      }
    }
  }

  /** `array` leaves every scope that lists it, for the collector's watch. */
  #escape(array: { dispose(): void }, holder: Holder): void {
    if (this.#escaped.has(holder)) return;
    this.#escaped.add(holder);
    this.#anyEscaped = true;
    this.#sharedBy.delete(holder);
    this.#watch(array, holder);
  }

  /** Puts `array` under the collector's watch (it releases `holder` when `array` is collected). */
  #watch(array: { dispose(): void }, holder: Holder): void {
    holder.watched = true;
    this.#collector.register(array, holder, holder);
  }

  /** Releases the hold taken by `adopt` now (the array's `dispose()`). */
  disown(holder: Holder): void {
    // Most arrays lived in a scope and were never watched: unregistering costs a call into the engine.
    if (holder.watched) {
      holder.watched = false;
      this.#collector.unregister(holder);
    }
    holder.storage.release(holder);
  }

  liveArrays(): LiveArrayInfo[] {
    const out: LiveArrayInfo[] = [];
    for (const storage of this.#storages) {
      for (const h of storage.holders) {
        out.push({ label: h.label(), nbytes: h.nbytes, bufferBytes: storage.byteLength, isOwner: h.isOwner, createdAt: h.createdAt });
      }
    }
    return out;
  }

  dispose(): void {
    if (this.#disposed) return;
    for (const storage of [...this.#storages]) storage.free();
    this.#storages.clear();
    this.#disposed = true;
    this.backend.dispose();
  }

  /** The tutorial's trap: the owner went, and views much smaller than the buffer keep all of it. */
  #checkTrap(storage: Storage, released: Holder): void {
    const warn = this.options.warn;
    if (!warn || !released.isOwner || storage.byteLength < TRAP_MIN_BYTES) return;
    const remaining = storage.holders;
    const viewBytes = remaining.reduce((sum, h) => sum + h.nbytes, 0);
    if (viewBytes > storage.byteLength * TRAP_FRACTION) return;
    const where = remaining.find((h) => h.createdAt)?.createdAt;
    warn(
      `ndgpu: the owner of a ${formatBytes(storage.byteLength)} buffer was released, but ${remaining.length} ` +
        `view${remaining.length === 1 ? '' : 's'} of it (${formatBytes(viewBytes)} in all) keep${remaining.length === 1 ? 's' : ''} ` +
        `the whole buffer alive. Take view.copy() and dispose the view to free it.` +
        (where ? `\nThe view was made at:\n${where}` : ''),
    );
  }
}

/** The arrays made while one `tidy` scope is open, each with its holder: two plain lists (a map per
 * scope cost ~200 bytes of garbage per array, in loops that make thousands of views). */
class TidyScope {
  readonly arrays: { dispose(): void }[] = [];
  readonly holders: Holder[] = [];
  /** When it opened, among all scopes of its memory (see ArrayMemory.#openings). */
  readonly opening: number;
  constructor(opening: number) {
    this.opening = opening;
  }
  add(array: { dispose(): void }, holder: Holder): void {
    this.arrays.push(array);
    this.holders.push(holder);
  }
}

/** The arrays held by one `scope()`: the same lists as a tidy scope's. */
class AsyncScope extends TidyScope {}

/** The arrays in a scope's result: the result itself, or arrays inside a returned array or object (two
 * levels down). */
function arraysIn(result: unknown, isArray: (value: unknown) => boolean): Set<unknown> {
  const kept = new Set<unknown>();
  const collect = (value: unknown, depth: number) => {
    if (isArray(value)) kept.add(value);
    else if (depth < 3 && value && typeof value === 'object' && !(value instanceof Promise)) {
      for (const item of Array.isArray(value) ? value : Object.values(value)) collect(item, depth + 1);
    }
  };
  collect(result, 0);
  return kept;
}

function disposedWhilePending(): ValueError {
  return new ValueError('this ndgpu context was disposed (np.dispose() was called) before the read or sync finished');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The stack of the user's call, without ndgpu's own frames. */
function callerStack(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  const outside = lines.filter((line) => !/[\\/]ndgpu[\\/](src|dist)[\\/]|[\\/]src[\\/](ndarray|device)[\\/]/.test(line));
  return (outside.length > 0 ? outside : lines).slice(0, 6).join('\n');
}
