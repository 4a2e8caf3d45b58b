/** NumPy's `view(dtype)`: the layout of the same bytes read as items of another size, with its errors. */

import { ValueError, shapeRepr } from './errors.js';
import { makeLayout, sizeOf, type Layout } from './layout.js';

/** NumPy's `view(dtype)` layout when the item size changes. */
export function reinterpretLayout(layout: Layout, oldSize: number, newSize: number): Layout {
  const ndim = layout.shape.length;
  let result: Layout;
  if (oldSize === newSize) result = layout;
  else {
    if (ndim === 0) {
      throw new ValueError('Changing the dtype of a 0d array is only supported if the itemsize is unchanged');
    }
    const last = ndim - 1;
    const n = layout.shape[last];
    if (n !== 1 && sizeOf(layout.shape) !== 0 && layout.strides[last] !== oldSize) {
      throw new ValueError('To change to a dtype of a different size, the last axis must be contiguous');
    }
    const lastBytes = n * oldSize;
    if (newSize > oldSize && lastBytes % newSize !== 0) {
      throw new ValueError(
        'When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array.',
      );
    }
    const shape = [...layout.shape];
    const strides = [...layout.strides];
    shape[last] = lastBytes / newSize;
    strides[last] = newSize;
    result = makeLayout(shape, strides, layout.offset);
  }
  const misaligned = result.offset % newSize !== 0 || result.shape.some((n, k) => n > 1 && result.strides[k] % newSize !== 0);
  if (misaligned && sizeOf(result.shape) > 0) {
    throw new ValueError(
      `view would place items of ${newSize} bytes at addresses that are not multiples of ${newSize} (offset ${result.offset}, strides ${shapeRepr(result.strides)}); GPUs need aligned items, so take a copy() first`,
    );
  }
  return result;
}
