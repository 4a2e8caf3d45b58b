/**
 * Which cells of a buffer a view touches, and in which order it walks them. A buffer is drawn as a strip
 * of cells of `unit` bytes (the owner's item size); element k of a view (C order, as NumPy iterates and
 * prints) starts at byte `offset + Σ index[i]·strides[i]`. Pure arithmetic on ndgpu's public layout.
 */

export interface Geometry {
  readonly shape: readonly number[];
  /** Bytes, as NumPy's strides (may be negative or zero). */
  readonly strides: readonly number[];
  /** Bytes from the start of the buffer to the first element. */
  readonly offset: number;
  readonly itemsize: number;
}

export interface Touches {
  /** For each cell (up to `cellLimit`), the iteration numbers of the elements that start in it. */
  orders: Map<number, number[]>;
  /** Cells covered by some element but not at its start (a wider dtype's later cells). */
  covered: Set<number>;
  /** True when the walk stopped at `elementLimit`. */
  truncated: boolean;
}

/** The byte offset of each element in C order, calling `visit(order, byte)`; stops after `limit`. */
export function walk(view: Geometry, limit: number, visit: (order: number, byte: number) => void): boolean {
  const { shape, strides, offset } = view;
  const size = shape.reduce((p, n) => p * n, 1);
  const count = Math.min(size, limit);
  const index = shape.map(() => 0);
  let byte = offset;
  for (let order = 0; order < count; order++) {
    visit(order, byte);
    // Odometer: advance the last axis, carrying into earlier ones.
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis]++;
      byte += strides[axis];
      if (index[axis] < shape[axis]) break;
      byte -= strides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return size > count;
}

export function touches(view: Geometry, unit: number, cellLimit: number, elementLimit = 100_000): Touches {
  const orders = new Map<number, number[]>();
  const covered = new Set<number>();
  const truncated = walk(view, elementLimit, (order, byte) => {
    const first = Math.floor(byte / unit);
    const last = Math.floor((byte + view.itemsize - 1) / unit);
    if (first < cellLimit) {
      const list = orders.get(first);
      if (list) list.push(order);
      else orders.set(first, [order]);
    }
    for (let cell = first + 1; cell <= last && cell < cellLimit; cell++) covered.add(cell);
  });
  return { orders, covered, truncated };
}
