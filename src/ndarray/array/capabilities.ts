/** What the semantic layer asks of a backend's capabilities, with the errors users see when it lacks one. */

import type { Backend } from '../../device/backend.js';
import { dtypeInfo, type DType } from '../core/dtype.js';

/** Throws unless the backend computes in every one of `dtypes` (WGSL has no 64-bit types). */
export function requireComputable(backend: Backend, dtypes: readonly DType[], what: string): void {
  if (backend.capabilities.compute64) return;
  const wide = dtypes.find((dtype) => dtypeInfo(dtype).itemsize === 8);
  if (wide === undefined) return;
  throw new TypeError(
    `${what} ${wide}, which WebGPU cannot (WGSL has no 64-bit types): cast the operands to 32-bit dtypes with astype(), or use the CPU backend`,
  );
}
