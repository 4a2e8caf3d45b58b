/**
 * The dtypes ndgpu knows: their names, item widths, kinds and TypedArray classes.
 * Pure data; nothing here touches a device.
 */

export type DType =
  'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float16' | 'float32' | 'float64' | 'int64' | 'uint64';

/** NumPy's dtype kind letter: b(ool), i(nt), u(nsigned), f(loat). */
export type DTypeKind = 'b' | 'i' | 'u' | 'f';

/** The width in bytes that kernels move; every dtype is one of these. */
export type ItemSize = 1 | 2 | 4 | 8;

export interface DTypeInfo {
  readonly name: DType;
  readonly itemsize: ItemSize;
  readonly kind: DTypeKind;
  /** For integer kinds: the smallest and largest value (as numbers; exact up to 32 bits). */
  readonly min: number;
  readonly max: number;
}

const table: Record<DType, DTypeInfo> = {
  bool: { name: 'bool', itemsize: 1, kind: 'b', min: 0, max: 1 },
  int8: { name: 'int8', itemsize: 1, kind: 'i', min: -128, max: 127 },
  uint8: { name: 'uint8', itemsize: 1, kind: 'u', min: 0, max: 255 },
  int16: { name: 'int16', itemsize: 2, kind: 'i', min: -32768, max: 32767 },
  uint16: { name: 'uint16', itemsize: 2, kind: 'u', min: 0, max: 65535 },
  int32: { name: 'int32', itemsize: 4, kind: 'i', min: -2147483648, max: 2147483647 },
  uint32: { name: 'uint32', itemsize: 4, kind: 'u', min: 0, max: 4294967295 },
  float16: { name: 'float16', itemsize: 2, kind: 'f', min: -65504, max: 65504 },
  float32: { name: 'float32', itemsize: 4, kind: 'f', min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  float64: { name: 'float64', itemsize: 8, kind: 'f', min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  int64: { name: 'int64', itemsize: 8, kind: 'i', min: -(2 ** 63), max: 2 ** 63 - 1 }, // as doubles: 2^63 both (the bigint bounds live in python-ints.ts)
  uint64: { name: 'uint64', itemsize: 8, kind: 'u', min: 0, max: 2 ** 64 }, // as a double: 2^64
};

/** Every dtype ndgpu supports. */
export const DTYPES: readonly DType[] = Object.keys(table) as DType[];

/** The table as a Map: looked up several times per call (a small set asks it about five times), where a
 * Map's lookup is cheaper than `hasOwnProperty` and an object's property by a variable name. */
const infos = new Map<unknown, DTypeInfo>(Object.entries(table));

export function isDType(value: unknown): value is DType {
  return infos.has(value);
}

/** Looks up a dtype, throwing NumPy's TypeError for unknown names. */
export function dtypeInfo(dtype: DType): DTypeInfo {
  const info = infos.get(dtype);
  if (info === undefined) throw new TypeError(`data type '${String(dtype)}' not understood`);
  return info;
}

export function itemsizeOf(dtype: DType): ItemSize {
  return dtypeInfo(dtype).itemsize;
}

export function isBigIntDType(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}
