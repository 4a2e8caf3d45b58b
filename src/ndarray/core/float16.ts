/**
 * IEEE binary16 conversions done with integer arithmetic, so that every runtime (with or without
 * `Float16Array`) rounds exactly like NumPy's `npy_double_to_half`: round to nearest, ties to even,
 * overflow to infinity, NaN kept NaN.
 */

const scratch = new DataView(new ArrayBuffer(8));

/** One float32 and its bits: the sign and the binary exponent of a value in a few typed-array moves. */
const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);
/** 2^52: adding it to a non-negative float64 below 2^51 and subtracting it again rounds it to an integer,
 * ties to even (the float64 adder's own rounding). */
const TO_INTEGER = 2 ** 52;
/** By a float32's biased exponent b: the factor that scales a binary16 significand in that binade to an
 * integer of 11 bits, 2^(10 - (b - 127)). */
const SIGNIFICAND_SCALE = new Float64Array(256).map((_, b) => 2 ** (137 - b));
/** By a binary16's exponent field: the value of one unit of its 11-bit significand (subnormals share 1's). */
const UNIT = new Float64Array(32).map((_, e) => 2 ** (Math.max(e, 1) - 25));

/**
 * The binary16 bits nearest to `value` (a float64), ties to even. Scaling by a power of two is exact, so
 * the significand is rounded once, by the float64 adder (`TO_INTEGER`), from the value itself; the binade
 * is read from the value's float32 rounding, which can only move it up to the next power of two where the
 * binary16 rounding goes too. NaN takes the bit-level path (its payload).
 */
export function float64ToFloat16Bits(value: number): number {
  single[0] = value;
  const bits = singleBits[0];
  const sign = (bits >>> 16) & 0x8000;
  const magnitude = Math.abs(value);
  // Subnormal (and zero): units of 2^-24; a result of 0x400 is the smallest normal, correctly encoded.
  if (magnitude < 2 ** -14) return sign | (magnitude * 2 ** 24 + TO_INTEGER - TO_INTEGER);
  // 65520 is halfway from the largest binary16, 65504, to 65536: it and everything above round to infinity.
  if (!(magnitude < 65520)) return magnitude === magnitude ? sign | 0x7c00 : float64ToFloat16BitsExact(value);
  const binade = (bits >>> 23) & 0xff;
  const significand = magnitude * SIGNIFICAND_SCALE[binade] + TO_INTEGER - TO_INTEGER; // 1024..2048
  // A significand rounded up to 2048 carries into the exponent, which is exactly right.
  return sign | (((binade - 112) << 10) + significand - 1024);
}

/** `float64ToFloat16Bits` on the float64's bits, NaN payloads included. */
function float64ToFloat16BitsExact(value: number): number {
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
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  let magnitude: number;
  if (exponent === 0) magnitude = mantissa * UNIT[0];
  else if (exponent !== 0x1f) magnitude = (mantissa + 1024) * UNIT[exponent];
  else if (mantissa === 0) magnitude = Infinity;
  else return NaN; // the canonical NaN: negating it would set its sign bit
  return bits & 0x8000 ? -magnitude : magnitude;
}

interface Float16ArrayConstructorLike {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ArrayLike<number> & ArrayBufferView;
}

/** The runtime's `Float16Array` when it has one (Node 24+, recent browsers), else undefined. */
export const Float16ArrayCtor: Float16ArrayConstructorLike | undefined = (
  globalThis as unknown as { Float16Array?: Float16ArrayConstructorLike }
).Float16Array;
