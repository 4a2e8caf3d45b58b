#!/usr/bin/env python3
"""NumPy side of `npm run bench` (called by bench/peers/numpy.ts, one case per process).

Times one case the way bench/run.ts times ndgpu: warm-up repetitions, then the median of single
repetitions (time.perf_counter around each, timeit-style). Prints one JSON object on stdout.

Copies are timed twice: as `np.copyto(out, view)` into a preallocated `out` (the kernel alone; this is
the number the table compares, since ndgpu and ndarray-ops reuse their output memory), and as the
literal `view.copy()`, which also pays for fresh memory (page faults) every time ("alloc_*" fields).
The geometry and case 9's schedule mirror bench/cases.ts.
"""

import argparse
import json
import math
import statistics
import sys
import time

import numpy as np

SMALL_SIDE, SMALL_SETS, SMALL_SPAN = 64, 2000, 32


def geometry(n):
    k = int(math.log2(n))
    a = k // 3
    b = (k - a) // 2
    c = k - a - b
    return {"n": n, "side": 2 ** (k // 2), "cube": (2 ** a, 2 ** b, 2 ** c)}


def small_set(i):
    if i % 2 == 0:
        return ("scalar", i % SMALL_SIDE, (i * 7) % (SMALL_SIDE - SMALL_SPAN), i)
    return ("view", (i * 5) % (SMALL_SIDE - SMALL_SPAN), i % SMALL_SIDE, (i * 3) % SMALL_SIDE)


def prepare(case, g):
    """Returns (kernel, literal): callables for one repetition; literal is None unless it differs."""
    n, side, cube = g["n"], g["side"], g["cube"]
    src = np.arange(n, dtype=np.float32)

    def copy_of(view):
        out = np.empty(view.shape, dtype=view.dtype)
        return (lambda: np.copyto(out, view)), (lambda: view.copy())

    if case == "copy":
        return copy_of(src)
    if case == "transpose2d":
        return copy_of(src.reshape(side, side).T)
    if case == "permute3d":
        return copy_of(src.reshape(cube).transpose(2, 0, 1))
    if case == "colslice":
        return copy_of(src.reshape(n // 4, 4)[:, 1:3])
    if case == "step2":
        return copy_of(src[::2])
    if case == "reverse":
        return copy_of(src[::-1])
    if case == "bcastrow":
        return copy_of(np.broadcast_to(src[:side], (side, side)))
    if case == "fillstrided":
        m = np.zeros((side, side), dtype=np.float32)

        def fill():
            m[:, ::2] = 1.5

        return fill, None
    if case == "setrow":
        m = np.zeros((side, side), dtype=np.float32)
        row = src[: side // 2].copy()

        def setrow():
            m[:, ::2] = row

        return setrow, None
    if case == "smallsets":
        a = np.zeros((SMALL_SIDE, SMALL_SIDE), dtype=np.float32)
        s = src[: SMALL_SIDE * SMALL_SIDE].reshape(SMALL_SIDE, SMALL_SIDE)
        schedule = [small_set(i) for i in range(SMALL_SETS)]

        def smallsets():
            for kind, x, y, z in schedule:
                if kind == "scalar":
                    a[x, y : y + SMALL_SPAN] = z
                else:
                    a[x : x + SMALL_SPAN, y] = s[z, ::2]

        return smallsets, None
    raise SystemExit(f"unknown case {case!r}")


def timed(fn, warmup, reps):
    times = []
    for i in range(warmup + reps):
        start = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - start) * 1000
        del result
        if i >= warmup:
            times.append(elapsed)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    kernel, literal = prepare(args.case, geometry(args.n))
    times = timed(kernel, args.warmup, args.reps)
    report = {"case": args.case, "numpy": np.__version__, "median_ms": statistics.median(times), "times_ms": times}
    if literal is not None:
        alloc = timed(literal, args.warmup, args.reps)
        report["alloc_median_ms"] = statistics.median(alloc)
        report["alloc_times_ms"] = alloc
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()
