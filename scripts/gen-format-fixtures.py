#!/usr/bin/env python3
"""Generates test/fixtures/format.json: NumPy's str() and repr() of many arrays, for test/format.test.ts.

Run from the repository root with NumPy 2.4 installed:  python3 scripts/gen-format-fixtures.py

Each case is {dtype, shape, values, str, repr}. `values` lists the items in C order; floats that JSON cannot
hold are written as the strings "nan", "inf", "-inf" and "-0"; int64/uint64 items are strings (bigints).
"""

import json
import math
import os

import numpy as np

assert np.__version__.startswith("2."), f"expected NumPy 2.x, got {np.__version__}"
np.set_printoptions()  # the defaults: precision=8, threshold=1000, edgeitems=3, linewidth=75

rng = np.random.default_rng(20240607)
cases = []

INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]


def encode(a):
    out = []
    for v in a.ravel(order="C").tolist():
        if a.dtype.kind == "f":
            if math.isnan(v):
                out.append("nan")
            elif math.isinf(v):
                out.append("inf" if v > 0 else "-inf")
            elif v == 0 and math.copysign(1.0, v) < 0:
                out.append("-0")
            else:
                out.append(v)
        elif a.dtype.kind == "b":
            out.append(bool(v))
        elif a.dtype.itemsize == 8:
            out.append(str(int(v)))
        else:
            out.append(int(v))
    return out


def add(a, dtype=None):
    a = np.asarray(a, dtype=dtype)
    cases.append(
        {
            "dtype": a.dtype.name,
            "shape": list(a.shape),
            "values": encode(a),
            "str": str(a),
            "repr": repr(a),
        }
    )


def float_arr(values, dtype):
    with np.errstate(over="ignore"):
        return np.array(values, dtype=np.float64).astype(dtype)


# --- spec examples -------------------------------------------------------------------------------------
add([[0, 10, 10, 3], [1234, 10, 10, 7], [8, 10, 10, 11]])
add([[0, 1, 2, 3], [1234, 5, 6, 7]])
add([1.0, 2.5, -3.25])
add(np.arange(24).reshape(2, 3, 4))
add(np.arange(5, dtype=np.float32) / 3)
add(np.arange(1001))
add(np.arange(2000.0))
add(np.arange(3000).reshape(30, 100))
add([1e-5, 1.0])
add([1e-4, 0.1])
add([1.0, 1000.5])
add([1e6], np.float32)
add([1e6])
add([0.1], np.float32)
add([np.nan, 1.0])
add([-np.inf, 1e10])
add([True, False])
add([0.0001, 0.1], np.float32)
add([1 / 3, 1e5], np.float32)
add([1.5, np.nan, np.inf, -np.inf])
add([np.nan, 1e-10])
add([0.0, -0.0])
add([1.0, 2.0], np.float64)
add([1.0, 999.0])
add([0.1, 0.25, 1 / 3])
add([1e-3, 1.5])
add([1.5e-100, 1.0])
add([1.23456789e8, 1.5])
add(np.arange(6)[::-1].reshape(2, 3).T)
add([1.000000005, 2.0])
add([0.123456785, 0.5])
add([2.0**-9, 1.0])  # exact tie at the 8th fraction digit: rounds to even
add([2.0**-9 * 3, 1.0])
add([1 / 3, 2 / 3, 1e6], np.float32)
add([1 / 3, 2 / 3, 1e6], np.float64)
add([1e8, 1.0])
add([99999999.0, 1.0])

# --- 0-d arrays of every dtype --------------------------------------------------------------------------
for dt in INT_DTYPES:
    info = np.iinfo(dt)
    for v in (0, 5, info.max, info.min):
        add(np.array(v, dtype=dt))
add(np.array(True))
add(np.array(False))
scalar_floats = [0.0, -0.0, 5.0, 0.1, 1 / 3, -2.5, 1e10, 1e-5, 1e16, 1e15, 9.999e15, 123456789.0,
                 999.0, 1000.0, 999.5, 999999.0, 1e6, 16777216.0, 1e-4, 1.00001e-4, 9.9e-5, 6.1e-5,
                 2.0**-24, 65504.0, 1e300, -1e-300, 5e-324, np.nan, np.inf, -np.inf, 0.30000000000000004,
                 1 + 2.0**-52, 3.4028234663852886e38, 1e-45, 1.5e-7]
for dt in FLOAT_DTYPES:
    for v in scalar_floats:
        add(float_arr(v, dt))

# --- empty arrays --------------------------------------------------------------------------------------
for dt in ["float64", "int32", "int64", "bool", "float32", "uint8", "float16", "uint64"]:
    for shape in [(0,), (2, 0), (0, 3), (1, 0), (0, 0, 2)]:
        add(np.zeros(shape, dtype=dt))

# --- integers ------------------------------------------------------------------------------------------
int_shapes = [(1,), (5,), (12,), (40,), (3, 4), (2, 3, 4), (2, 2, 2, 3), (1, 1, 5), (7, 1)]
for dt in INT_DTYPES:
    info = np.iinfo(dt)
    for shape in int_shapes:
        for scale in ("small", "full"):
            if scale == "small":
                lo, hi = max(info.min, -20), min(info.max, 120)
            else:
                lo, hi = info.min, info.max
            a = rng.integers(lo, hi, size=shape, dtype=dt, endpoint=True)
            add(a)
    add(np.array([info.min, info.max], dtype=dt))
    add(np.arange(60, dtype=dt).reshape(3, 20) if info.max >= 60 else np.zeros((3, 20), dtype=dt))
# long rows that wrap, mixed digit counts
add(rng.integers(-10**6, 10**6, size=40, dtype=np.int64))
add(rng.integers(-10**9, 10**9, size=(3, 30), dtype=np.int32))
add(np.array([-1, 10, 100]))

# --- booleans ------------------------------------------------------------------------------------------
for shape in [(1,), (4,), (13,), (20,), (3, 5), (2, 3, 4)]:
    add(rng.integers(0, 2, size=shape).astype(bool))
add(np.ones(30, dtype=bool))

# --- floats: random values of every scale ----------------------------------------------------------------
float_shapes = [(4,), (7,), (3, 3), (2, 2, 3), (40,)]
for dt in FLOAT_DTYPES:
    for lo_exp, hi_exp in [(-12, -8), (-5, -3), (-4, -1), (-1, 1), (0, 2), (1, 3), (2, 5), (4, 7),
                           (6, 9), (8, 12), (-12, 12), (-3, 3)]:
        for shape in float_shapes[:3] if dt == "float16" else float_shapes:
            mags = 10.0 ** rng.uniform(lo_exp, hi_exp, size=shape)
            signs = np.where(rng.random(shape) < 0.3, -1.0, 1.0)
            add(float_arr(mags * signs, dt))
    # rounded decimals (short shortest reprs) mixed with long ones
    for shape in [(6,), (2, 5)]:
        short = np.round(rng.uniform(-100, 100, size=shape), 2)
        add(float_arr(short, dt))
        add(float_arr(short / 7, dt))
    # nan/inf mixes
    add(float_arr([np.nan, np.inf, -np.inf], dt))
    add(float_arr([np.nan], dt))
    add(float_arr([np.inf, 1.0], dt))
    add(float_arr([-np.inf, 0.5, np.nan], dt))
    add(float_arr([np.nan, 1e-7, 3.0], dt))
    add(float_arr([-np.inf, 1e7, 3.0], dt))
    add(float_arr([np.nan, -0.0, 0.0], dt))
    add(float_arr([-0.0], dt))
    add(float_arr([0.0, 0.0], dt))
    add(float_arr([1e-30, 0.0], dt))
    add(float_arr([-1.5, 1e-6], dt))
    add(float_arr([-1e-300, 1e300], dt))
    add(float_arr([1.0, 10.0, 100.0, 1000.0], dt))
    add(float_arr([1.0, 10.0, 100.0, 1001.0], dt))
    add(float_arr([0.1, 0.2, 0.3], dt))
    add(float_arr([0.5, 0.25, 0.125, 0.0625, 0.03125], dt))
    add(float_arr([999.0, 1000.0], dt))
    add(float_arr([999999.0, 1.0], dt))
    add(float_arr([1e-4, 1e-1], dt))
    add(float_arr([1.0001e-4, 1e-1], dt))
    add(float_arr([9.999e-5, 1.0], dt))
    add(float_arr(np.arange(40) / 3, dt))
    add(float_arr(np.arange(40) * 1e5 / 3, dt))
    add(float_arr(np.linspace(-1, 1, 24).reshape(2, 3, 4), dt))
    add(float_arr(np.linspace(-1e-5, 1e-5, 12).reshape(3, 4), dt))

# ties and digit-cap rounding at the 8th fraction digit
add([0.123456785, 0.123456775, 0.123456765, 1.0])
add([1.000000005, 1.000000015, 1.000000025, 2.0])
add([0.999999995, 0.5])
add([0.999999996, 0.5])
add([9.999999995, 1.0])
add(np.array([2.0**-k for k in range(9, 14)]) + 1.0)
add(np.array([3 * 2.0**-k for k in range(9, 14)]))
add(np.array([1 + 2.0**-23, 1.0], dtype=np.float32))
add(np.array([1 + 2.0**-10, 1.0], dtype=np.float16))

# float32 values needing 9 significant digits next to short ones (min_digits gives exact digits)
f32 = rng.uniform(1, 10, size=20000).astype(np.float32) * np.float32(1e-5)
long9 = [x for x in f32 if len(np.format_float_scientific(x).split("e")[0]) == 10][:3]
for x in long9:
    add(np.array([0.1, x], dtype=np.float32))
    add(np.array([0.3, x, 7.0], dtype=np.float32))
add(np.array([0.1, 1.2345678e-5], dtype=np.float32))
add(np.array([0.1, 0.2, 1e7], dtype=np.float32))
add(np.array([0.1, 0.2, 1e7], dtype=np.float16))
add(np.array([1e-5, 0.3], dtype=np.float16))

# exponents with three digits
add([1e100, 1.0])
add([1e-100, 1.0, -2.5])
add([1e-310, 1.0])  # subnormal float64
add(np.array([1e-40, 1.0], dtype=np.float32))  # subnormal float32
add(np.array([1e-7, 1.0], dtype=np.float16))  # subnormal float16
add(np.array([2.0**-24, 2.0**-14, 65504.0], dtype=np.float16))
add(np.array([np.finfo(np.float32).max, np.finfo(np.float32).tiny], dtype=np.float32))
add(np.array([np.finfo(np.float64).max, 5e-324]))

# powers of two (unequal margins) in each dtype
for dt in FLOAT_DTYPES:
    add(float_arr([2.0**k for k in range(-14, 15, 3)], dt))
    add(float_arr([2.0**k for k in range(-3, 10)], dt))

# float16 arrays
for shape in [(5,), (3, 4), (2, 2, 2), (40,)]:
    add(rng.standard_normal(shape).astype(np.float16))
    add((rng.standard_normal(shape) * 100).astype(np.float16))
    add((rng.standard_normal(shape) * 1000).astype(np.float16))

# --- shapes: 1-D .. 4-D, wrapping, hanging indents -------------------------------------------------------
add(np.arange(40, dtype=np.float64) * 1.5)
add(np.arange(40, dtype=np.float32) / 7)
add(np.arange(100, dtype=np.int64))
add(np.arange(100, dtype=np.int8).reshape(10, 10))
add(np.arange(120, dtype=np.int16).reshape(2, 3, 4, 5))
add(np.arange(120, dtype=np.float32).reshape(2, 3, 4, 5) / 3)
add(np.arange(60, dtype=np.float64).reshape(3, 20) / 9)
add(np.arange(60, dtype=np.float64).reshape(3, 1, 20) * 1e-6)
add(rng.standard_normal((4, 25)))
add(rng.standard_normal((2, 3, 15)).astype(np.float32))
add(np.ones((1, 1, 1, 1)))
add(np.zeros((2, 1, 3), dtype=np.int32))
add(np.arange(13, dtype=np.int32) * 123456789)
add(np.arange(26, dtype=np.uint64) * np.uint64(709490156681136600))

# --- summarised arrays (size > 1000) ---------------------------------------------------------------------
add(np.arange(1001, dtype=np.int32))
add(np.arange(2000.0, dtype=np.float32))
add(np.arange(3000).reshape(30, 100))
add(np.arange(1200, dtype=np.int16).reshape(3, 400))
add(np.arange(1331).reshape(11, 11, 11))
add(np.arange(1331, dtype=np.float64).reshape(11, 11, 11) / 7)
add(np.arange(2 * 3 * 7 * 30).reshape(2, 3, 7, 30) % 50)
add(rng.standard_normal(1500))
add(rng.standard_normal((40, 40)).astype(np.float32))
add(rng.integers(0, 2, size=1100).astype(bool))
add(np.concatenate([[np.nan, 1e-9], np.ones(1000), [np.inf, 123.0]]))
add(np.concatenate([[1e-9, 5.0], np.full(1000, 1e9), [0.5, 2.0, 3.0]]))  # hidden middle is not measured
add(np.arange(1010, dtype=np.uint64) * np.uint64(18446744073709551))
add(np.arange(2000, dtype=np.int64).reshape(1000, 2))
add(np.arange(2000, dtype=np.int64).reshape(2, 1000))
add(np.arange(1008, dtype=np.float16).reshape(7, 144))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "format.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(cases, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(path)}")
