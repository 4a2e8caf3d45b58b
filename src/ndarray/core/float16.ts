/**
 * IEEE binary16 conversions done with integer arithmetic, so that every runtime (with or without
 * `Float16Array`) rounds exactly like NumPy's `npy_double_to_half`: round to nearest, ties to even,
 * overflow to infinity, NaN kept NaN.
 */

const scratch = new DataView(new ArrayBuffer(8));

/** The binary16 bits nearest to `value` (a float64), ties to even. */
export function float64ToFloat16Bits(value: number): number {
  scratch.setFloat64(0, value, true);
  const hi = scratch.getUint32(4, true);
  const lo = scratch.getUint32(0, true);
  const sign = (hi >>> 16) & 0x8000;
  const exponent = (hi >>> 20) & 0x7ff;
  // 52-bit mantissa as hi20:lo32
  const mantHi = hi & 0xfffff;
  if (exponent === 0x7ff) {
    if (mantHi === 0 && lo === 0) return sign | 0x7c00;
    // NaN: keep the top mantissa bits like NumPy, forcing a quiet NaN payload bit when they vanish.
    const payload = mantHi >>> 10;
    return sign | 0x7c00 | (payload === 0 ? 0x200 : payload);
  }
  const e = exponent - 1023 + 15; // biased half exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    // Subnormal half (or zero): shift the full significand (with implicit 1) right.
    if (e < -10) return sign; // rounds to zero (below half of the smallest subnormal)
    // significand = 1.mant as an integer of 53 bits: (1<<52 | mant). We need it >> (42 + 1 - e) bits.
    const shift = 43 - e; // between 43 and 53
    return sign | roundShift(mantHi | 0x100000, lo, shift);
  }
  // Normal: keep 10 mantissa bits, round the 42 dropped bits.
  const rounded = roundShift(mantHi, lo, 42);
  // A carry out of the mantissa bumps the exponent, which is exactly right (and may reach infinity).
  return sign | ((e << 10) + rounded);
}

/** (hi:lo) >> shift with round-half-to-even, for 32 < shift <= 53 where hi holds at most 21 bits. */
function roundShift(hi: number, lo: number, shift: number): number {
  const hiShift = shift - 32; // 0..21
  const kept = hi >>> hiShift;
  const hiRest = hi & ((1 << hiShift) - 1);
  const halfHi = hiShift === 0 ? 0 : 1 << (hiShift - 1);
  let roundUp: boolean;
  if (hiShift === 0) {
    // The dropped part is all of `lo`.
    roundUp = lo > 0x80000000 || (lo === 0x80000000 && (kept & 1) === 1);
  } else if (hiRest > halfHi) roundUp = true;
  else if (hiRest < halfHi) roundUp = false;
  else roundUp = lo !== 0 || (kept & 1) === 1;
  return kept + (roundUp ? 1 : 0);
}

/** The float64 value of binary16 bits (exact). */
export function float16BitsToFloat64(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

interface Float16ArrayConstructorLike {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayLike<number> & ArrayBufferView;
}

/** The runtime's `Float16Array` when it has one (Node 24+, recent browsers), else undefined. */
export const Float16ArrayCtor: Float16ArrayConstructorLike | undefined = (
  globalThis as unknown as { Float16Array?: Float16ArrayConstructorLike }
).Float16Array;
