/**
 * `str(a)` and `repr(a)` exactly as NumPy 2.4 prints them with default print options (precision=8,
 * threshold=1000, edgeitems=3, linewidth=75, suppress=False, floatmode='maxprec', sign='-').
 *
 * A port of numpy/_core/arrayprint.py: one element formatter per array, built from the elements that are
 * displayed (the corners when the array is summarised), then `_formatArray`'s recursive layout with its
 * line wrapping and hanging indents. Pure: works on the items in C order, touches no device.
 */

import type { DType } from './dtype.js';
import { exponentText, positionalParts, roundToDType, scalarFloatStr, scientificParts, type FloatDType } from './format-float.js';
import type { Scalar } from './scalars.js';

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;

/** Dtypes whose repr omits `dtype=` (NumPy's `_typelessdata`: the default int and float, and bool). */
const IMPLIED_DTYPES: ReadonlySet<DType> = new Set<DType>(['int64', 'float64', 'bool']);

type ElementFormatter = (value: Scalar) => string;

/** NumPy's str(a): values are the array's items in C order (numbers; booleans for 'bool'; bigints for int64/uint64). */
export function formatArray(values: readonly Scalar[], shape: readonly number[], dtype: DType): string {
  checkSize(values, shape);
  // A 0-d array prints like its scalar: full precision, no brackets.
  if (shape.length === 0) return scalarStr(values[0], dtype);
  if (values.length === 0) return '[]';
  return arrayToString(values, shape, dtype, ' ', '', '');
}

/** NumPy's repr(a), e.g. 'array([1, 2], dtype=int32)'. */
export function reprArray(values: readonly Scalar[], shape: readonly number[], dtype: DType): string {
  checkSize(values, shape);
  const prefix = 'array(';
  const size = values.length;
  const body = size === 0 ? '[]' : arrayToString(values, shape, dtype, ', ', prefix, ')');

  const extras: string[] = [];
  if ((size === 0 && !(shape.length === 1 && shape[0] === 0)) || size > THRESHOLD) {
    extras.push(`shape=${pythonTuple(shape)}`);
  }
  if (!IMPLIED_DTYPES.has(dtype) || size === 0) extras.push(`dtype=${dtype}`);
  if (extras.length === 0) return `${prefix}${body})`;

  // Extras go on the body's last line when they fit in the full line width, else on a new line under it.
  const head = `${prefix}${body},`;
  const extra = `${extras.join(', ')})`;
  const lastLineLength = head.length - (head.lastIndexOf('\n') + 1);
  const spacer = lastLineLength + extra.length + 1 > LINE_WIDTH ? `\n${' '.repeat(prefix.length)}` : ' ';
  return head + spacer + extra;
}

function checkSize(values: readonly Scalar[], shape: readonly number[]): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) {
    throw new RangeError(`formatArray: ${values.length} values do not fill shape ${pythonTuple(shape)}`);
  }
}

/** Python's tuple repr: `()`, `(5,)`, `(2, 0)`. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Python's `str()` of the NumPy scalar a 0-d array holds. */
function scalarStr(value: Scalar, dtype: DType): string {
  if (dtype === 'bool') return value ? 'True' : 'False';
  if (isFloatDType(dtype)) return scalarFloatStr(roundToDType(Number(value), dtype), dtype);
  return integerText(value);
}

function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
}

/** An integer item as Python prints it (bigints, numbers, and booleans stored in an int array). */
function integerText(value: Scalar): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return typeof value === 'bigint' ? value.toString() : String(Math.trunc(value));
}

// ---------------------------------------------------------------------------------------------------
// Element formatters (arrayprint's IntegerFormat, BoolFormat, FloatingFormat)
// ---------------------------------------------------------------------------------------------------

function makeFormatter(displayed: readonly Scalar[], dtype: DType, is0d: boolean): ElementFormatter {
  if (dtype === 'bool') {
    // ' True' lines up with 'False' in arrays; a 0-d array has nothing to line up with.
    const trueText = is0d ? 'True' : ' True';
    return (v) => (v ? trueText : 'False');
  }
  if (isFloatDType(dtype)) {
    return floatFormatter(
      displayed.map((v) => roundToDType(Number(v), dtype)),
      dtype,
    );
  }
  // Right-align to the longest of str(max) and str(min), which is the longest text of any element.
  const width = displayed.reduce<number>((w, v) => Math.max(w, integerText(v).length), 0);
  return (v) => integerText(v).padStart(width, ' ');
}

/** `10 ** min(8, finfo(dtype).precision)`: from here on NumPy switches to scientific notation. */
const EXP_CUTOFF: Record<FloatDType, number> = { float16: 1e3, float32: 1e6, float64: 1e8 };

/**
 * FloatingFormat in 'maxprec' mode: decide positional vs scientific from the finite displayed values
 * (comparisons in the array's dtype), measure every value's shortest text, then pad all to common widths.
 */
function floatFormatter(data: readonly number[], dtype: FloatDType): ElementFormatter {
  const finite = data.filter((v) => Number.isFinite(v));
  const expFormat = useScientific(finite, dtype);

  let padLeft = 0;
  let padRight = 0;
  let expDigits = -1;
  let expPrecision = 0;
  if (finite.length > 0 && expFormat) {
    // First pass: shortest digits (≤ precision) per value; all mantissas then share the longest fraction.
    const firstPass = finite.map((v) => scientificParts(v, dtype, PRECISION, -1));
    expPrecision = Math.max(...firstPass.map((p) => p.fraction.length));
    expDigits = Math.max(...firstPass.map((p) => String(Math.abs(p.exponent)).padStart(2, '0').length));
    padLeft = Math.max(...firstPass.map((p) => (p.negative ? 2 : 1)));
    padRight = expDigits + 2 + expPrecision;
  } else if (finite.length > 0) {
    const firstPass = finite.map((v) => positionalParts(v, dtype, PRECISION));
    padLeft = Math.max(...firstPass.map((p) => p.whole.length + (p.negative ? 1 : 0)));
    padRight = Math.max(...firstPass.map((p) => p.fraction.length));
  }

  // 'nan' / 'inf' / '-inf' are right-aligned to the full width, which may have to grow to hold them.
  if (finite.length !== data.length) {
    const negInf = data.some((v) => v === -Infinity) ? 1 : 0;
    padLeft = Math.max(padLeft, 3 - (padRight + 1), 3 + negInf - (padRight + 1));
  }
  const nonFiniteWidth = padLeft + padRight + 1;

  return (value) => {
    const v = roundToDType(Number(value), dtype);
    if (Number.isNaN(v)) return 'nan'.padStart(nonFiniteWidth, ' ');
    if (!Number.isFinite(v)) return (v < 0 ? '-inf' : 'inf').padStart(nonFiniteWidth, ' ');
    if (expFormat) {
      const p = scientificParts(v, dtype, expPrecision, expPrecision);
      const mantissa = `${p.negative ? '-' : ''}${p.lead}.${p.fraction}`;
      return mantissa.padStart(padLeft + 1 + p.fraction.length, ' ') + exponentText(p.exponent, expDigits);
    }
    const p = positionalParts(v, dtype, PRECISION);
    const whole = `${p.negative ? '-' : ''}${p.whole}`.padStart(padLeft, ' ');
    return `${whole}.${p.fraction.padEnd(padRight, ' ')}`;
  };
}

/**
 * Scientific iff max|x| ≥ the dtype's cutoff, or min|x| < 1e-4, or max/min > 1000 — over non-zero finite
 * values, with 1e-4 and the quotient rounded to the dtype as NumPy's scalar arithmetic does.
 */
function useScientific(finite: readonly number[], dtype: FloatDType): boolean {
  const absNonZero = finite.filter((v) => v !== 0).map(Math.abs);
  if (absNonZero.length === 0) return false;
  const max = Math.max(...absNonZero);
  const min = Math.min(...absNonZero);
  return max >= EXP_CUTOFF[dtype] || min < roundToDType(1e-4, dtype) || roundToDType(max / min, dtype) > 1000;
}

// ---------------------------------------------------------------------------------------------------
// Layout (arrayprint's _array2string / _formatArray)
// ---------------------------------------------------------------------------------------------------

/** The indices shown along one axis: all of them, or the first and last EDGE_ITEMS when summarising. */
function shownIndices(length: number, summarise: boolean): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (!summarise || length <= 2 * EDGE_ITEMS) return all;
  return [...all.slice(0, EDGE_ITEMS), ...all.slice(length - EDGE_ITEMS)];
}

/** The items that will be printed (NumPy's `_leading_trailing`), in C order. */
function displayedValues(values: readonly Scalar[], shape: readonly number[], summarise: boolean): Scalar[] {
  const perAxis = shape.map((n) => shownIndices(n, summarise));
  const out: Scalar[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(values[offset]);
      return;
    }
    for (const i of perAxis[axis]) walk(axis + 1, offset * shape[axis] + i);
  };
  walk(0, 0);
  return out;
}

/**
 * array2string for a non-empty array. `prefix` ('array(' for repr) shifts continuation lines; `suffix`
 * (')' for repr) is reserved on the last line by shrinking the width.
 */
function arrayToString(
  values: readonly Scalar[],
  shape: readonly number[],
  dtype: DType,
  separator: string,
  prefix: string,
  suffix: string,
): string {
  const summarise = values.length > THRESHOLD;
  const format = makeFormatter(displayedValues(values, shape, summarise), dtype, shape.length === 0);
  const layout: Layout = { values, shape, format, separator, summarise };
  const nextLinePrefix = ' ' + ' '.repeat(prefix.length);
  return recurse(layout, [], nextLinePrefix, LINE_WIDTH - suffix.length);
}

interface Layout {
  readonly values: readonly Scalar[];
  readonly shape: readonly number[];
  readonly format: ElementFormatter;
  readonly separator: string;
  readonly summarise: boolean;
}

/** Appends `word` to `line`, first flushing `line` to `s` when the word would pass `width` (never on an empty line). */
function extendLine(s: string, line: string, word: string, width: number, indent: string): [string, string] {
  if (line.length + word.length > width && line.length > indent.length) {
    return [s + line.trimEnd() + '\n', indent + word];
  }
  return [s, line + word];
}

/** The flat C-order position of a full index. */
function flatIndex(shape: readonly number[], index: readonly number[]): number {
  let offset = 0;
  for (let axis = 0; axis < shape.length; axis++) offset = offset * shape[axis] + index[axis];
  return offset;
}

/**
 * Formats the sub-array at `index` with `hangingIndent` before each of its lines (the first one's indent is
 * replaced by '['), keeping lines within `width` characters.
 */
function recurse(layout: Layout, index: number[], hangingIndent: string, width: number): string {
  const { shape, separator } = layout;
  const axis = index.length;
  const axesLeft = shape.length - axis;
  if (axesLeft === 0) return layout.format(layout.values[flatIndex(shape, index)]);

  // Nested rows sit one column right of their '[' and must leave room for one more ']'.
  const nextIndent = hangingIndent + ' ';
  const nextWidth = width - 1;
  const length = shape[axis];
  const showSummary = layout.summarise && length > 2 * EDGE_ITEMS;
  const leading = showSummary ? EDGE_ITEMS : 0;
  const trailing = showSummary ? EDGE_ITEMS : length;
  const child = (i: number): string => recurse(layout, [...index, i], nextIndent, nextWidth);
  // Item order: the leading ones, the '...' marker, then the trailing ones counted from the end.
  const items: (number | null)[] = [];
  for (let i = 0; i < leading; i++) items.push(i);
  if (showSummary) items.push(null);
  for (let i = trailing; i >= 1; i--) items.push(length - i);

  let s = '';
  if (axesLeft === 1) {
    // Last axis: words flow along lines, leaving room for the separator or ']' after each.
    const elemWidth = width - Math.max(separator.trimEnd().length, 1);
    let line = hangingIndent;
    items.forEach((i, k) => {
      [s, line] = extendLine(s, line, i === null ? '...' : child(i), elemWidth, hangingIndent);
      if (k < items.length - 1) line += separator;
    });
    s += line;
  } else {
    // Outer axes: one sub-array (or '...') per line, with blank lines between blocks of 3-D and up.
    const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
    s = items.map((i) => hangingIndent + (i === null ? '...' : child(i))).join(lineSep);
  }
  return '[' + s.slice(hangingIndent.length) + ']';
}
