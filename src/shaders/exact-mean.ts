/**
 * The mean of integers on the GPU, from their exact 64-bit sum (word pairs, x = low word): NumPy's
 * float64 mean cast to float32, without float64. Long division yields the quotient's first 54 significant
 * bits and whether anything lies beyond them; those are rounded to float64's 53 bits (nearest, ties to
 * even), and that float64 value to float32's 24. The same bits as `float32MeanOfSum`
 * (ndarray/core/exact-mean.ts) on the CPU. Needs the 64-bit helpers of cast.ts's conversion library.
 */

export const EXACT_MEAN_WGSL = `
fn mean_f32_of_sum(sum: vec2<u32>, is_signed: bool, count: u32) -> f32 {
  let negative = is_signed && (sum.y & 0x80000000u) != 0u;
  let magnitude = select(sum, u64_neg(sum), negative);
  if (u64_is_zero(magnitude)) { return 0.0; }
  // Binary long division from the dividend's leading bit; bits below the point are zeros.
  var position = i32(63u - u64_clz(magnitude));
  var remainder = 0u;
  var quotient = vec2<u32>(0u, 0u);
  var digits = 0u;
  loop {
    var bit = 0u;
    if (position >= 0) { bit = u64_shr(magnitude, u32(position)).x & 1u; }
    // remainder < count, so 2 * remainder + bit has at most 33 bits: the carry is the 33rd.
    let carry = remainder >> 31u;
    remainder = (remainder << 1u) | bit;
    var digit = 0u;
    if (carry != 0u || remainder >= count) {
      remainder = remainder - count;
      digit = 1u;
    }
    if (digits > 0u || digit == 1u) {
      quotient = u64_shl(quotient, 1u) | vec2<u32>(digit, 0u);
      digits = digits + 1u;
    }
    if (digits == 54u) { break; }
    position = position - 1;
  }
  // The quotient's last bit weighs 2^position; what is left decides ties.
  var inexact = remainder != 0u;
  if (position > 0) { inexact = inexact || !u64_is_zero(magnitude & u64_low_mask(u32(position))); }
  var double = u64_shr(quotient, 1u);
  var lsb = position + 1;
  if ((quotient.x & 1u) == 1u && (inexact || (double.x & 1u) == 1u)) {
    double = u64_add(double, vec2<u32>(1u, 0u));
    if (double.y == 0x200000u) {
      double = u64_shr(double, 1u);
      lsb = lsb + 1;
    }
  }
  // float64 (53 bits, exact from here) to float32 (24 bits), ties to even.
  var single = u64_shr(double, 29u).x;
  let rest = double.x & 0x1fffffffu;
  lsb = lsb + 29;
  if (rest > 0x10000000u || (rest == 0x10000000u && (single & 1u) == 1u)) {
    single = single + 1u;
    if (single == 0x1000000u) {
      single = single >> 1u;
      lsb = lsb + 1;
    }
  }
  let sign_bit = select(0u, 0x80000000u, negative);
  return bitcast<f32>(sign_bit | (u32(lsb + 150) << 23u) | (single & 0x7fffffu));
}
`;
