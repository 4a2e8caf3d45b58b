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

/**
 * Functions a kernel includes only when its expression calls them (`mathFunctionsFor`): NumPy's float
 * functions in f32 with their own argument reductions and polynomials (WGSL's built-ins are specified
 * loosely, and Mesa's lavapipe misses log near 1 by thousands of ULP and sinh, asinh, atanh of small
 * arguments entirely), within a few ULP of the correctly rounded result where tests/numerics.test.ts
 * checks them; and exact integer helpers (shifts with NumPy's out-of-range counts, reciprocals).
 * Polynomial coefficients are least-squares fits refined towards minimax on each reduced interval.
 * C99's special values (signed zeros, infinities, NaN) are handled first, from bits where a GPU could
 * flush them.
 */
const LIBRARY: Record<string, string> = {
  pow2_f32: `// 2^k for k in [-126, 127], from its bits.
fn pow2_f32(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }`,
  scale2_f32: `// y * 2^k for |y| in [0.5, 2]: exact, except the one rounding into the subnormals or to infinity.
fn scale2_f32(y: f32, k: i32) -> f32 {
  if (k > 127) { return y * pow2_f32(k - 64) * pow2_f32(64); }
  if (k < -126) { return y * pow2_f32(k + 64) * pow2_f32(-64); }
  return y * pow2_f32(k);
}`,
  expm1_kernel: `// e^r - 1 for |r| <= ln(2) / 2.
fn expm1_kernel(r: f32) -> f32 {
  let p = 0.166666657 + r * (0.0416664667 + r * (0.0083334269 + r * (0.00139350374 + r * 0.000198234411)));
  return r + r * r * (0.5 + r * p);
}`,
  exp_f32: `fn exp_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 89.0) { return inf_f32(); }
  if (x < -104.0) { return 0.0; }
  // x = k ln2 + r, with k ln2 exact in two parts.
  let k = round(x * 1.44269502);
  let r = (x - k * 0.693145752) - k * 1.42860677e-06;
  return scale2_f32(1.0 + expm1_kernel(r), i32(k));
}`,
  exp2_f32: `fn exp2_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 129.0) { return inf_f32(); }
  if (x < -151.0) { return 0.0; }
  let k = round(x);
  let r = x - k;
  return scale2_f32(1.0 + expm1_kernel(r * 0.693145752 + r * 1.42860677e-06), i32(k));
}`,
  expm1_f32: `fn expm1_f32(x: f32) -> f32 {
  if (is_nan(x) || x == 0.0) { return x; }
  if (x > 89.0) { return inf_f32(); }
  if (x < -9.0) { return exp_f32(x) - 1.0; }
  if (abs(x) <= 0.34657359) { return expm1_kernel(x); }
  let k = round(x * 1.44269502);
  let r = (x - k * 0.693145752) - k * 1.42860677e-06;
  let e = expm1_kernel(r);
  let ki = i32(k);
  // e^x - 1 = 2^k (e + 1 - 2^-k), with 1 - 2^-k exact for k in [-13, 24].
  if (ki > 24) { return scale2_f32(1.0 + e, ki) - 1.0; }
  return scale2_f32(e + (1.0 - pow2_f32(-ki)), ki);
}`,
  log_parts: `// Finite x > 0 as 2^k (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)): (k, f), f exact; subnormals
// normalised from their bits.
fn log_parts(x: f32) -> vec2<f32> {
  var bits = bitcast<u32>(x);
  var k = i32(bits >> 23u) - 127;
  if (bits < 0x00800000u) {
    let lead = 31u - countLeadingZeros(bits);
    k = i32(lead) - 149;
    bits = (bits << (23u - lead)) & 0x007fffffu;
  }
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if ((bits & 0x007fffffu) >= 0x3504f3u) {
    m = m * 0.5;
    k = k + 1;
  }
  return vec2<f32>(f32(k), m - 1.0);
}`,
  log_tail: `// log(1 + f) = f - (f^2 / 2 - log_tail(f)) for |f| <= sqrt(2) - 1: s = f / (2 + f) and the series of
// 2 atanh(s) beyond its first term.
fn log_tail(f: f32) -> f32 {
  let s = f / (2.0 + f);
  let z = s * s;
  let r = z * (0.666666667 + z * (0.4 + z * (0.285714286 + z * 0.222222222)));
  return s * (0.5 * f * f + r);
}`,
  log_special: `// Whether log(x) needs no special case (x finite and > 0, from its bits: NaN must not reach a
// comparison), and C's log where it does: -inf at zeros, NaN below zero and at NaN, +inf at +inf.
fn log_ordinary(x: f32) -> bool { let bits = bitcast<u32>(x); return bits != 0u && bits < 0x7f800000u; }
fn log_special(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7fffffffu) == 0u) { return -inf_f32(); }
  if (bits == 0x7f800000u) { return x; }
  return nan_f32();
}`,
  log_f32: `fn log_f32(x: f32) -> f32 {
  if (!log_ordinary(x)) { return log_special(x); }
  let p = log_parts(x);
  let f = p.y;
  let hfsq = 0.5 * f * f;
  return p.x * 0.693145752 - ((hfsq - (log_tail(f) + p.x * 1.42860677e-06)) - f);
}`,
  log2_f32: `fn log2_f32(x: f32) -> f32 {
  if (!log_ordinary(x)) { return log_special(x); }
  let p = log_parts(x);
  let f = p.y;
  let hfsq = 0.5 * f * f;
  // log(1 + f) as hi + lo, hi with 12 significant bits, so that hi / ln2 is exact in two parts.
  let hi = bitcast<f32>(bitcast<u32>(f - hfsq) & 0xfffff000u);
  let lo = (f - hi) - hfsq + log_tail(f);
  return (lo + hi) * -0.000176052854 + lo * 1.44287109 + hi * 1.44287109 + p.x;
}`,
  log10_f32: `fn log10_f32(x: f32) -> f32 {
  if (!log_ordinary(x)) { return log_special(x); }
  let p = log_parts(x);
  let f = p.y;
  let hfsq = 0.5 * f * f;
  let hi = bitcast<f32>(bitcast<u32>(f - hfsq) & 0xfffff000u);
  let lo = (f - hi) - hfsq + log_tail(f);
  return p.x * 4.60503907e-06 + (lo + hi) * -3.16899714e-05 + lo * 0.434326172 + hi * 0.434326172 + p.x * 0.301025391;
}`,
  log1p_f32: `fn log1p_f32(x: f32) -> f32 {
  if (is_nan(x) || x < -1.0) { return nan_f32(); }
  if (x == -1.0) { return -inf_f32(); }
  if (is_inf(x)) { return x; }
  if (abs(x) < 5.96046448e-08) { return x; }
  if (x > -0.292893219 && x < 0.414213562) { return x - (0.5 * x * x - log_tail(x)); }
  // 1 + x rounds: log1p(x) = log(u) + log(1 + c) with u = 1 + x and c = (1 + x - u) / u.
  let u = 1.0 + x;
  var c = 0.0;
  if (x < 16777216.0) { c = select(x - (u - 1.0), 1.0 - (u - x), u >= 2.0) / u; }
  let p = log_parts(u);
  let f = p.y;
  let hfsq = 0.5 * f * f;
  return p.x * 0.693145752 - ((hfsq - (log_tail(f) + (p.x * 1.42860677e-06 + c))) - f);
}`,
  sinh_f32: `fn sinh_f32(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x) || x == 0.0) { return x; }
  let a = abs(x);
  var r: f32;
  if (a < 22.0) {
    let e = expm1_f32(a);
    r = 0.5 * (e + e / (e + 1.0));
  } else {
    // e^a / 2 without overflowing before the result does.
    let h = exp_f32(0.5 * a);
    r = (0.5 * h) * h;
  }
  return select(r, -r, x < 0.0);
}`,
  cosh_f32: `fn cosh_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a < 0.34657359) {
    let e = expm1_f32(a);
    return 1.0 + (e * e) / (2.0 * (1.0 + e));
  }
  if (a < 22.0) {
    let e = exp_f32(a);
    return 0.5 * e + 0.5 / e;
  }
  let h = exp_f32(0.5 * a);
  return (0.5 * h) * h;
}`,
  asinh_f32: `fn asinh_f32(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x) || x == 0.0) { return x; }
  let a = abs(x);
  var r: f32;
  if (a > 268435456.0) {
    r = log_f32(a) + 0.693147182;
  } else if (a > 2.0) {
    r = log_f32(2.0 * a + 1.0 / (sqrt(a * a + 1.0) + a));
  } else {
    let z = a * a;
    r = log1p_f32(a + z / (1.0 + sqrt(1.0 + z)));
  }
  return select(r, -r, x < 0.0);
}`,
  acosh_f32: `fn acosh_f32(x: f32) -> f32 {
  if (is_nan(x) || x < 1.0) { return nan_f32(); }
  if (is_inf(x)) { return x; }
  if (x > 268435456.0) { return log_f32(x) + 0.693147182; }
  if (x > 2.0) { return log_f32(2.0 * x - 1.0 / (x + sqrt(x * x - 1.0))); }
  let t = x - 1.0;
  return log1p_f32(t + sqrt(2.0 * t + t * t));
}`,
  atanh_f32: `fn atanh_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a > 1.0) { return nan_f32(); }
  if (a == 1.0) { return select(inf_f32(), -inf_f32(), x < 0.0); }
  if (a == 0.0) { return x; }
  var r: f32;
  if (a < 0.5) {
    let t = a + a;
    r = 0.5 * log1p_f32(t + t * a / (1.0 - a));
  } else {
    r = 0.5 * log1p_f32((a + a) / (1.0 - a));
  }
  return select(r, -r, x < 0.0);
}`,
  atan_kernel: `// atan(t) for |t| <= tan(pi / 8).
fn atan_kernel(t: f32) -> f32 {
  let z = t * t;
  return t + t * z * (-0.333333135 + z * (0.199983582 + z * (-0.142412692 + z * (0.105763018 + z * -0.060321115))));
}`,
  atan_f32: `fn atan_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  var r: f32;
  if (a > 2.41421356) {
    r = 1.57079637 + (atan_kernel(-1.0 / a) - 4.37113883e-08);
  } else if (a > 0.414213562) {
    r = 0.785398185 + (atan_kernel((a - 1.0) / (a + 1.0)) - 2.18556941e-08);
  } else {
    r = atan_kernel(a);
  }
  return select(r, -r, (bitcast<u32>(x) & 0x80000000u) != 0u);
}`,
  atan2_f32: `// C's atan2: the quadrant from the signs (of zeros too), the angle from |y| / |x|.
fn atan2_f32(y: f32, x: f32) -> f32 {
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let y_negative = (bitcast<u32>(y) & 0x80000000u) != 0u;
  let x_negative = (bitcast<u32>(x) & 0x80000000u) != 0u;
  let ay = abs(y);
  let ax = abs(x);
  var angle: f32;
  if (is_inf(ax) && is_inf(ay)) {
    angle = select(0.785398185, 2.3561945, x_negative);
  } else if (ay == 0.0 || is_inf(ax)) {
    angle = select(0.0, 3.14159274, x_negative);
  } else if (ax == 0.0 || is_inf(ay)) {
    angle = 1.57079637;
  } else {
    let t = atan_f32(ay / ax);
    angle = select(t, 3.14159274 - (t - -8.74227766e-08), x_negative);
  }
  return select(angle, -angle, y_negative);
}`,
  asin_kernel: `// asin(x) for |x| <= 0.5.
fn asin_kernel(x: f32) -> f32 {
  let z = x * x;
  return x + x * z * (0.166666597 + z * (0.0750050396 + z * (0.0445169583 + z * (0.0318076909 + z * (0.0144386971 + z * 0.0375163294)))));
}`,
  asin_f32: `fn asin_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a > 1.0) { return nan_f32(); }
  if (a <= 0.5) { return asin_kernel(x); }
  // asin(a) = pi/2 - 2 asin(sqrt((1 - a) / 2)).
  let r = 1.57079637 - (2.0 * asin_kernel(sqrt((1.0 - a) * 0.5)) - -4.37113883e-08);
  return select(r, -r, x < 0.0);
}`,
  acos_f32: `fn acos_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a > 1.0) { return nan_f32(); }
  if (a <= 0.5) { return 1.57079637 - (asin_kernel(x) - -4.37113883e-08); }
  let s = 2.0 * asin_kernel(sqrt((1.0 - a) * 0.5));
  if (x > 0.0) { return s; }
  return 3.14159274 - (s - -8.74227766e-08);
}`,
  tan_f32: `// x reduced by multiples of pi/2 in three parts (accurate for |x| up to about 6000), then
// sin(r) / cos(r) or -cos(r) / sin(r) from polynomials on |r| <= pi/4.
fn tan_f32(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  if (abs(x) < 0.000244140625) { return x; }
  let k = round(x * 0.636619747);
  let r = ((x - k * 1.57080078) - k * -4.45358455e-06) - k * -8.70551631e-10;
  let z = r * r;
  let s = r + r * z * (-0.166666672 + z * (0.00833332818 + z * (-0.000198388894 + z * 2.71427234e-06)));
  let c = 1.0 - 0.5 * z + z * z * (0.0416666679 + z * (-0.00138888811 + z * (2.47989956e-05 + z * -2.71693779e-07)));
  if ((i32(k) & 1) != 0) { return -c / s; }
  return s / c;
}`,
  hypot_f32: `// sqrt(x^2 + y^2) scaled by a power of two, so that the squares neither overflow nor underflow.
fn hypot_f32(x: f32, y: f32) -> f32 {
  if (is_inf(x) || is_inf(y)) { return inf_f32(); }
  if (is_nan(x) || is_nan(y)) { return nan_f32(); }
  let a = max(abs(x), abs(y));
  let b = min(abs(x), abs(y));
  if (a == 0.0) { return 0.0; }
  var scale = 1.0;
  if (a > 1.15292150e+18) { scale = 8.47032947e-22; }
  if (a < 8.67361738e-19) { scale = 1.18059162e+21; }
  let sa = a * scale;
  let sb = b * scale;
  return sqrt(sa * sa + sb * sb) / scale;
}`,
  copysign_f32: `fn copysign_f32(a: f32, b: f32) -> f32 { return bitcast<f32>((bitcast<u32>(a) & 0x7fffffffu) | (bitcast<u32>(b) & 0x80000000u)); }`,
  fmax_f32: `fn fmax_f32(a: f32, b: f32) -> f32 { if (is_nan(a)) { return b; } if (is_nan(b)) { return a; } return max(a, b); }`,
  fmin_f32: `fn fmin_f32(a: f32, b: f32) -> f32 { if (is_nan(a)) { return b; } if (is_nan(b)) { return a; } return min(a, b); }`,
  sign_f32: `// Through integers: compilers may treat float zeros as signless (lavapipe's LLVM turns a selected 0.0,
// or even its bits, into -0 here), while f32(0i) is +0.
fn sign_f32(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  return f32(i32(x > 0.0) - i32(x < 0.0));
}`,
  signbit_f32: `fn signbit_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }`,
  is_finite_f32: `fn is_finite_f32(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }`,
  fmod_i32: `// C's % for fmod, with NumPy's 0 for a zero divisor (and x % -1 = 0 without overflow).
fn fmod_i32(a: i32, b: i32) -> i32 { if (b == 0 || b == -1) { return 0; } return a % b; }`,
  fmod_u32: `fn fmod_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a % b; }`,
  shl_i32: `// NumPy's shifts: counts outside [0, 32) shift everything out (right shifts of negatives give -1). The
// loop dtype's own width needs nothing more: the result wraps to it, which gives NumPy's answer there.
fn shl_i32(a: i32, b: i32) -> i32 { if (b < 0 || b >= 32) { return 0; } return a << u32(b); }`,
  shr_i32: `fn shr_i32(a: i32, b: i32) -> i32 { if (b < 0 || b >= 32) { return a >> 31u; } return a >> u32(b); }`,
  shl_u32: `fn shl_u32(a: u32, b: u32) -> u32 { if (b >= 32u) { return 0u; } return a << b; }`,
  shr_u32: `fn shr_u32(a: u32, b: u32) -> u32 { if (b >= 32u) { return 0u; } return a >> b; }`,
  round_tens_i32: `// x / 10^k rounded half to even, times 10^k, exactly (NumPy's float64 arithmetic gives the same
// for these magnitudes), wrapping like the integer dtype.
fn round_tens_i32(x: i32, k: i32) -> i32 {
  if (k >= 10) { return 0; }
  var p = 1;
  for (var i = 0; i < k; i = i + 1) { p = p * 10; }
  let q = x / p;
  let r = x - q * p;
  let twice = 2 * abs(r);
  var rounded = q;
  if (twice > p || (twice == p && (q & 1) != 0)) { rounded = q + select(1, -1, r < 0); }
  return rounded * p;
}`,
  round_tens_u32: `fn round_tens_u32(x: u32, k: i32) -> u32 {
  if (k >= 10) { return 0u; }
  var p = 1u;
  for (var i = 0; i < k; i = i + 1) { p = p * 10u; }
  let q = x / p;
  let r = x - q * p;
  var rounded = q;
  if (2u * r > p || (2u * r == p && (q & 1u) != 0u)) { rounded = q + 1u; }
  return rounded * p;
}`,
  rint_f32: `// Round half to even (WGSL's round); NaN, infinities and signed zeros pass through.
fn rint_f32(x: f32) -> f32 { return round(x); }`,
};

const LIBRARY_NAMES = Object.keys(LIBRARY);

/** The library functions `code` calls, with the ones they call, each once, callees first. */
export function mathFunctionsFor(code: string): string {
  const included: string[] = [];
  const visit = (text: string, seen: Set<string>) => {
    for (const name of LIBRARY_NAMES) {
      if (seen.has(name) || !new RegExp(`\\b${name}\\(`).test(text)) continue;
      seen.add(name);
      visit(LIBRARY[name], seen);
      included.push(LIBRARY[name]);
    }
  };
  visit(code, new Set());
  return included.join('\n');
}
