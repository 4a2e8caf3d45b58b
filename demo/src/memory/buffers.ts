/**
 * Reading what a buffer holds, cell by cell, through ndgpu's public API: the owner of the memory walked
 * in memory order (`ravel('K')` of an owner is a view), its first cells read with `toArray()`.
 */

import type { NDArray, Scalar } from 'ndgpu';

export interface BufferContents {
  owner: NDArray;
  /** Bytes per cell: the owner's item size. */
  unit: number;
  /** Cells in the whole buffer. */
  cellCount: number;
  /** The values of the first cells (at most the limit asked for), in memory order. */
  values: Scalar[];
}

export async function readBuffer(owner: NDArray, cellLimit: number): Promise<BufferContents> {
  const unit = owner.itemsize;
  const cellCount = owner.nbytes / unit;
  const shown = Math.min(cellCount, cellLimit);
  const flat = owner.ravel('K');
  const disposables = [flat];
  try {
    let values: Scalar[];
    if (flat.base === owner && flat.strides[0] === unit && flat.offset === 0) {
      const head = flat.get(`:${shown}`);
      disposables.push(head);
      values = (await head.toArray()) as Scalar[];
    } else {
      // Not reachable for owners made by ndgpu today; kept so that the drawing never lies.
      values = await scatterInMemoryOrder(owner, shown);
    }
    return { owner, unit, cellCount, values };
  } finally {
    for (const array of disposables) array.dispose();
  }
}

/** The owner's elements placed at their byte positions (owners cover their buffer exactly). */
async function scatterInMemoryOrder(owner: NDArray, shown: number): Promise<Scalar[]> {
  const { shape, strides, offset, itemsize } = owner;
  const nested = await owner.toArray();
  const elements = (Array.isArray(nested) ? nested.flat(Infinity) : [nested]) as Scalar[];
  const values: Scalar[] = new Array(shown).fill(0);
  elements.forEach((value, k) => {
    let rest = k;
    let byte = offset;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      byte += (rest % shape[axis]) * strides[axis];
      rest = Math.floor(rest / shape[axis]);
    }
    const cell = byte / itemsize;
    if (cell < shown) values[cell] = value;
  });
  return values;
}

/** A cell's value in a few characters: integers whole, floats to four significant digits. */
export function cellText(value: Scalar): string {
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'bigint') return String(value);
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return String(Number(value.toPrecision(4)));
}
