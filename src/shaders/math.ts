/**
 * WGSL helpers that elementwise kernels and reductions call: NaN and infinity tests on bits (compilers may
 * fold `x != x` away, and WGSL rejects NaN and infinities in constant expressions), NumPy's floor
 * division and remainder with an exact fmod, integer powers, C's pow special cases, an accurate tanh.
 */

export const MATH_WGSL = `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// A runtime value: WGSL rejects NaN in constant expressions.
fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
// -0.0 when \`negative\`, else +0.0, made from bits: WGSL lets a compiler drop the sign of a zero constant
// (Dawn's Tint turns a selected -0.0 literal into +0.0; wgpu's naga keeps it).
fn signed_zero(negative: bool) -> f32 { return bitcast<f32>(select(0u, 0x80000000u, negative)); }
fn max_f32(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return max(a, b); }
fn min_f32(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f32(); } return min(a, b); }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// An integer against a float, exactly (as NumPy's float64 loop compares int32 with float32): a mask of
// 1 (x < y), 2 (x == y) or 4 (x > y), 0 when y is NaN. Zero and subnormal y are read from their bits
// (a GPU may flush subnormals); otherwise x is compared with floor(y), exact in the integer's range.
fn order_i32_f32(x: i32, y: f32) -> u32 {
  let bits = bitcast<u32>(y);
  if (is_nan(y)) { return 0u; }
  if (y >= 2147483648.0) { return 1u; }
  if (y < -2147483648.0) { return 4u; }
  var floor_y = 0i;
  var integral = (bits & 0x7fffffffu) == 0u;
  if ((bits & 0x7f800000u) == 0u) {
    if (!integral && (bits & 0x80000000u) != 0u) { floor_y = -1i; }
  } else {
    let f = floor(y);
    floor_y = i32(f);
    integral = bitcast<u32>(f) == bits;
  }
  if (x < floor_y) { return 1u; }
  if (x > floor_y) { return 4u; }
  return select(1u, 2u, integral); // x == floor(y): equal to an integral y, below any other
}
fn order_u32_f32(x: u32, y: f32) -> u32 {
  let bits = bitcast<u32>(y);
  if (is_nan(y)) { return 0u; }
  if ((bits & 0x80000000u) != 0u && (bits & 0x7fffffffu) != 0u) { return 4u; } // y < 0, subnormals too
  if (y >= 4294967296.0) { return 1u; }
  var floor_y = 0u;
  var integral = (bits & 0x7fffffffu) == 0u;
  if ((bits & 0x7f800000u) != 0u) {
    let f = floor(y);
    floor_y = u32(f);
    integral = bitcast<u32>(f) == bits;
  }
  if (x < floor_y) { return 1u; }
  if (x > floor_y) { return 4u; }
  return select(1u, 2u, integral);
}
fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
// C's fmod, exact on every GPU: long division of the significands in integers (musl's fmodf), never
// trusting float compares with NaN, fused multiply-adds (WGSL may leave fma unfused) or subnormals.
fn fmod_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let sign = ua & 0x80000000u;
  let mx = ua & 0x7fffffffu;
  let my = ub & 0x7fffffffu;
  if (mx >= 0x7f800000u || my > 0x7f800000u || my == 0u) { return nan_f32(); }
  if (mx < my) { return a; } // |a| < |b|, and fmod(a, inf) = a
  if (mx == my) { return bitcast<f32>(sign); }
  var ex = i32(mx >> 23u);
  var ey = i32(my >> 23u);
  var ix = (mx & 0x7fffffu) | 0x800000u;
  var iy = (my & 0x7fffffu) | 0x800000u;
  if (ex == 0) { ex = 1; ix = mx; while (ix < 0x800000u) { ix = ix << 1u; ex = ex - 1; } }
  if (ey == 0) { ey = 1; iy = my; while (iy < 0x800000u) { iy = iy << 1u; ey = ey - 1; } }
  for (; ex > ey; ex = ex - 1) {
    if (ix >= iy) {
      ix = ix - iy;
      if (ix == 0u) { return bitcast<f32>(sign); }
    }
    ix = ix << 1u;
  }
  if (ix >= iy) {
    ix = ix - iy;
    if (ix == 0u) { return bitcast<f32>(sign); }
  }
  while (ix < 0x800000u) { ix = ix << 1u; ex = ex - 1; }
  if (ex > 0) { return bitcast<f32>(sign | (u32(ex) << 23u) | (ix & 0x7fffffu)); }
  return bitcast<f32>(sign | (ix >> u32(1 - ex)));
}
// NumPy's floor division and remainder (npy_divmod): Python semantics, the remainder takes the divisor's sign.
fn floor_div_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return a / b; }
  let m = fmod_f32(a, b);
  var d = (a - m) / b;
  if (is_nan(d)) { return nan_f32(); }
  if (m != 0.0 && ((b < 0.0) != (m < 0.0))) { d = d - 1.0; }
  // A zero quotient takes the sign of a / b (NumPy: copysign(0, a / b)), -0 operands included.
  if (d == 0.0) { return signed_zero(((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u) != 0u); }
  var f = floor(d);
  if (d - f > 0.5) { f = f + 1.0; }
  return f;
}
fn mod_f32(a: f32, b: f32) -> f32 {
  var m = fmod_f32(a, b);
  if (is_nan(m)) { return m; }
  if (m != 0.0) {
    if ((b < 0.0) != (m < 0.0)) { m = m + b; }
  } else {
    m = signed_zero(b < 0.0);
  }
  return m;
}
fn floor_div_i32(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0)));
}
fn mod_i32(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  return select(r, r + b, r != 0 && ((r < 0) != (b < 0)));
}
fn floor_div_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a / b; }
fn mod_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a % b; }
// Integer powers by squaring (wrapping); negative exponents give 0 except for bases ±1, as C would.
fn pow_u32(a: u32, e: u32) -> u32 {
  var result = 1u;
  var base = a;
  var n = e;
  while (n > 0u) {
    if ((n & 1u) == 1u) { result = result * base; }
    base = base * base;
    n = n >> 1u;
  }
  return result;
}
fn pow_i32(a: i32, e: i32) -> i32 {
  if (e < 0) { return select(0, select(1, select(-1, 1, (e & 1) == 0), a == -1), a == 1 || a == -1); }
  // Wrapping products have the same bits in i32 and u32.
  return bitcast<i32>(pow_u32(bitcast<u32>(a), u32(e)));
}
// C's pow (WGSL's pow is exp2(y * log2(x)): undefined for x <= 0, and for infinities in practice).
fn pow_f32(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let ax = abs(x);
  if (is_inf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, inf_f32(), (ax > 1.0) == (y > 0.0));
  }
  let integral = y == floor(y);
  if (x < 0.0 && !integral && !is_inf(x)) { return nan_f32(); }
  let odd = integral && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1;
  // The sign of the result: x's for odd integer powers (-0 and -inf included), else +.
  let sign = select(0u, bitcast<u32>(x) & 0x80000000u, odd);
  var r: f32;
  if (ax == 0.0) {
    r = select(0.0, inf_f32(), y < 0.0);
  } else if (is_inf(x)) {
    r = select(0.0, inf_f32(), y > 0.0);
  } else {
    r = pow(ax, y);
  }
  return bitcast<f32>(bitcast<u32>(r) | sign);
}
fn tanh_f32(x: f32) -> f32 {
  // Cephes' tanhf (about 1 ULP): an odd polynomial below 0.625, where 1 - 2 / (exp(2x) + 1) would cancel;
  // that formula above, saturating before exp overflows. Zeros (and their sign) pass through.
  let z = abs(x);
  if (z > 20.0) { return sign(x); }
  if (x == 0.0) { return x; }
  if (z >= 0.625) {
    let t = 1.0 - 2.0 / (exp(z + z) + 1.0);
    return select(t, -t, x < 0.0);
  }
  let s = x * x;
  return ((((-5.70498872745e-3 * s + 2.06390887954e-2) * s - 5.37397155531e-2) * s + 1.33314422036e-1) * s - 3.33332819422e-1) * s * x + x;
}
fn abs_f32(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }
`;
