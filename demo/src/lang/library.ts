/**
 * What the playground's names mean: NumPy's functions (`np.arange`, `zeros`...), the array methods and
 * attributes, and a few Python builtins. Everything calls ndgpu's public API.
 */

import type {
  Casting,
  Context,
  DType,
  IndexArg,
  NDArray,
  NestedArray,
  NestedIndexList,
  OpArg,
  PadMode,
  PadOptions,
  PadValues,
  PadWidth,
} from 'ndgpu';
import { bind, spreadArgs, type CallArgs } from './args.js';
import {
  PyError,
  fromNested,
  fromScalar,
  toAxes,
  toDType,
  toInt,
  toNested,
  toNumber,
  toOrder,
  toShape,
  toAssignable,
  truthy,
  typeError,
} from './convert.js';
import { NONE, bool, int, str, tuple, typeName, type Value } from './values.js';

/** What a function needs besides its arguments. */
export interface Runtime {
  np: Context;
  /** Python's `id()`: a stable number per object. */
  id(value: Value): number;
  /** `print` output of the statement being run. */
  print(line: string): void;
}

type Fn = (rt: Runtime, call: CallArgs) => Value | Promise<Value>;

const array = (a: NDArray): Value => ({ type: 'array', array: a });

function expectArray(value: Value | undefined, what: string): NDArray {
  if (value?.type === 'array') return value.array;
  throw typeError(`${what}: expected an array, got '${value ? typeName(value) : 'nothing'}'`);
}

const DTYPE_ITEMSIZE: Record<DType, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};
export const DTYPE_NAMES = Object.keys(DTYPE_ITEMSIZE) as DType[];

// ---------------------------------------------------------------------------------------------
// ----- joining, splitting, rearranging -----

/** A sequence of arrays (nested lists and scalars are converted by ndgpu, as NumPy converts them). */
function arrayList(value: Value | undefined, what: string): (NDArray | NestedArray)[] {
  if (value?.type !== 'list' && value?.type !== 'tuple') throw typeError(`${what}: expected a sequence of arrays`);
  return value.items.map((item) => (item.type === 'array' ? item.array : toNested(item).data));
}

/** An int, or a sequence of ints, as ndgpu takes them. */
function intOrInts(value: Value, what: string): number | number[] {
  if (value.type === 'list' || value.type === 'tuple') return value.items.map((v) => toInt(v, what));
  return toInt(value, what);
}

/** `None` as null, an int, or a tuple of ints (undefined when not given). */
function axisArg(value: Value | undefined): number | number[] | null | undefined {
  if (value === undefined) return undefined;
  if (value.type === 'none') return null;
  return intOrInts(value, 'axis');
}

const list = (arrays: readonly NDArray[]): Value => ({ type: 'list', items: arrays.map(array) });
const arrayTuple = (arrays: readonly NDArray[]): Value => ({ type: 'tuple', items: arrays.map(array) });

function joinOptions(a: Record<string, Value | undefined>): { dtype?: DType; casting?: Casting } {
  const options: { dtype?: DType; casting?: Casting } = {};
  if (a.dtype && a.dtype.type !== 'none') options.dtype = toDType(a.dtype);
  if (a.casting) options.casting = toOrder(a.casting, 'same_kind') as Casting;
  return options;
}

function splitFunction(name: 'split' | 'array_split' | 'hsplit' | 'vsplit' | 'dsplit'): Fn {
  return (rt, call) => {
    const withAxis = name === 'split' || name === 'array_split';
    const a = bind(name, call, withAxis ? ['ary', 'indices_or_sections', 'axis'] : ['ary', 'indices_or_sections'], 2);
    const ary = expectArray(a.ary, `${name}()`);
    const sections = intOrInts(a.indices_or_sections!, 'indices_or_sections');
    const axis = a.axis === undefined ? 0 : toInt(a.axis, 'axis');
    const np = rt.np;
    const pieces =
      name === 'split'
        ? np.split(ary, sections, { axis })
        : name === 'array_split'
          ? np.arraySplit(ary, sections, { axis })
          : name === 'hsplit'
            ? np.hsplit(ary, sections)
            : name === 'vsplit'
              ? np.vsplit(ary, sections)
              : np.dsplit(ary, sections);
    return list(pieces);
  };
}

function atLeastFunction(n: 1 | 2 | 3): Fn {
  return (rt, call) => {
    const arrays = call.args.map((v) => expectArray(v, `atleast_${n}d()`));
    if (call.kwargs.size > 0) throw typeError(`atleast_${n}d() takes no keyword arguments`);
    const results = arrays.map((x) => (n === 1 ? rt.np.atleast1d(x) : n === 2 ? rt.np.atleast2d(x) : rt.np.atleast3d(x)));
    return results.length === 1 ? array(results[0]) : arrayTuple(results);
  };
}

const JOINING_FUNCTIONS: Record<string, Fn> = {
  concatenate(rt, call) {
    const a = bind('concatenate', call, ['arrays', 'axis', 'out', 'dtype', 'casting'], 1);
    const axis = a.axis === undefined ? 0 : a.axis.type === 'none' ? null : toInt(a.axis, 'axis');
    const out = a.out && a.out.type !== 'none' ? expectArray(a.out, 'out') : undefined;
    return array(rt.np.concatenate(arrayList(a.arrays, 'concatenate()'), { axis, out, ...joinOptions(a) }));
  },
  stack(rt, call) {
    const a = bind('stack', call, ['arrays', 'axis', 'out', 'dtype', 'casting'], 1);
    const out = a.out && a.out.type !== 'none' ? expectArray(a.out, 'out') : undefined;
    return array(rt.np.stack(arrayList(a.arrays, 'stack()'), { axis: a.axis ? toInt(a.axis, 'axis') : 0, out, ...joinOptions(a) }));
  },
  vstack(rt, call) {
    const a = bind('vstack', call, ['tup', 'dtype', 'casting'], 1);
    return array(rt.np.vstack(arrayList(a.tup, 'vstack()'), joinOptions(a)));
  },
  hstack(rt, call) {
    const a = bind('hstack', call, ['tup', 'dtype', 'casting'], 1);
    return array(rt.np.hstack(arrayList(a.tup, 'hstack()'), joinOptions(a)));
  },
  dstack(rt, call) {
    const a = bind('dstack', call, ['tup'], 1);
    return array(rt.np.dstack(arrayList(a.tup, 'dstack()')));
  },
  column_stack(rt, call) {
    const a = bind('column_stack', call, ['tup'], 1);
    return array(rt.np.columnStack(arrayList(a.tup, 'column_stack()')));
  },
  split: splitFunction('split'),
  array_split: splitFunction('array_split'),
  hsplit: splitFunction('hsplit'),
  vsplit: splitFunction('vsplit'),
  dsplit: splitFunction('dsplit'),
  tile(rt, call) {
    const a = bind('tile', call, ['A', 'reps'], 2);
    return array(rt.np.tile(expectArray(a.A, 'tile()'), intOrInts(a.reps!, 'reps')));
  },
  repeat: (rt, call) => callMethod(rt, call, 'repeat'),
  roll(rt, call) {
    const a = bind('roll', call, ['a', 'shift', 'axis'], 2);
    return array(rt.np.roll(expectArray(a.a, 'roll()'), intOrInts(a.shift!, 'shift'), { axis: axisArg(a.axis) ?? null }));
  },
  pad(rt, call) {
    const a = bind('pad', call, ['array', 'pad_width', 'mode', 'constant_values'], 2);
    const options: PadOptions = {};
    if (a.mode) options.mode = toOrder(a.mode, 'constant') as PadMode;
    if (a.constant_values) options.constantValues = toNested(a.constant_values).data as PadValues;
    return array(rt.np.pad(expectArray(a.array, 'pad()'), toNested(a.pad_width!).data as PadWidth, options));
  },
  moveaxis(rt, call) {
    const a = bind('moveaxis', call, ['a', 'source', 'destination'], 3);
    return array(rt.np.moveaxis(expectArray(a.a, 'moveaxis()'), intOrInts(a.source!, 'source'), intOrInts(a.destination!, 'destination')));
  },
  rollaxis(rt, call) {
    const a = bind('rollaxis', call, ['a', 'axis', 'start'], 2);
    return array(rt.np.rollaxis(expectArray(a.a, 'rollaxis()'), toInt(a.axis!, 'axis'), a.start ? toInt(a.start, 'start') : 0));
  },
  broadcast_arrays(rt, call) {
    if (call.kwargs.size > 0) throw typeError('broadcast_arrays() takes no keyword arguments');
    return arrayTuple(rt.np.broadcastArrays(...call.args.map((v) => expectArray(v, 'broadcast_arrays()'))));
  },
  atleast_1d: atLeastFunction(1),
  atleast_2d: atLeastFunction(2),
  atleast_3d: atLeastFunction(3),
  diagonal: (rt, call) => callMethod(rt, call, 'diagonal'),
  fliplr(rt, call) {
    const a = bind('fliplr', call, ['m'], 1);
    return array(rt.np.fliplr(expectArray(a.m, 'fliplr()')));
  },
  flipud(rt, call) {
    const a = bind('flipud', call, ['m'], 1);
    return array(rt.np.flipud(expectArray(a.m, 'flipud()')));
  },
  rot90(rt, call) {
    const a = bind('rot90', call, ['m', 'k', 'axes'], 1);
    const axes = a.axes ? (intOrInts(a.axes, 'axes') as number[]) : [0, 1];
    return array(rt.np.rot90(expectArray(a.m, 'rot90()'), a.k ? toInt(a.k, 'k') : 1, axes));
  },
  sliding_window_view(rt, call) {
    const a = bind('sliding_window_view', call, ['x', 'window_shape', 'axis', 'writeable'], 2);
    const writeable = a.writeable ? a.writeable.type === 'bool' && a.writeable.value : false;
    return array(
      rt.np.slidingWindowView(expectArray(a.x, 'sliding_window_view()'), intOrInts(a.window_shape!, 'window_shape'), {
        axis: axisArg(a.axis),
        writeable,
      }),
    );
  },
  as_strided(rt, call) {
    const a = bind('as_strided', call, ['x', 'shape', 'strides', 'writeable'], 1);
    const shape = a.shape && a.shape.type !== 'none' ? toShape(a.shape) : undefined;
    const strides = a.strides && a.strides.type !== 'none' ? toShape(a.strides) : undefined;
    const writeable = a.writeable ? a.writeable.type === 'bool' && a.writeable.value : true;
    return array(rt.np.asStrided(expectArray(a.x, 'as_strided()'), shape, strides, { writeable }));
  },
  ascontiguousarray(rt, call) {
    const a = bind('ascontiguousarray', call, ['a'], 1);
    return array(rt.np.ascontiguousarray(expectArray(a.a, 'ascontiguousarray()')));
  },
  asfortranarray(rt, call) {
    const a = bind('asfortranarray', call, ['a'], 1);
    return array(rt.np.asfortranarray(expectArray(a.a, 'asfortranarray()')));
  },
};

const JOINING_METHODS: Record<string, Method> = {
  async diagonal(self, _rt, call) {
    const a = bind('diagonal', call, ['offset', 'axis1', 'axis2']);
    return array(self.diagonal(a.offset ? toInt(a.offset) : 0, a.axis1 ? toInt(a.axis1) : 0, a.axis2 ? toInt(a.axis2) : 1));
  },
  async repeat(self, _rt, call) {
    const a = bind('repeat', call, ['repeats', 'axis'], 1);
    const axis = a.axis === undefined || a.axis.type === 'none' ? null : toInt(a.axis, 'axis');
    return array(self.repeat(intOrInts(a.repeats!, 'repeats'), { axis }));
  },
};

// ---------------------------------------------------------------------------------------------
// NumPy functions (`np.` optional)

/** The dtype NumPy would give a creation call with Python floats: ndgpu's float default, float32. */
const floatDefault = (dtype: DType | undefined, hasFloat: boolean): DType | undefined => dtype ?? (hasFloat ? 'float32' : undefined);

export const FUNCTIONS: Record<string, Fn> = {
  array(rt, call) {
    const a = bind('array', call, ['object', 'dtype'], 1);
    if (a.object!.type === 'array') return array(rt.np.array(a.object!.array, { dtype: toDType(a.dtype) }));
    const { data, hasFloat } = toNested(a.object!);
    return array(rt.np.array(data, { dtype: floatDefault(toDType(a.dtype), hasFloat) }));
  },
  arange(rt, call) {
    const a = bind('arange', call, ['start', 'stop', 'step', 'dtype'], 1);
    const numbers = [a.start, a.stop, a.step].filter((v): v is Value => v !== undefined && v.type !== 'none');
    const dtype = floatDefault(
      toDType(a.dtype),
      numbers.some((v) => v.type === 'float'),
    );
    return array(rt.np.arange(...numbers.map((v) => toNumber(v, 'arange()')), { dtype }));
  },
  zeros: (rt, call) => creation('zeros', rt, call, (shape, dtype) => rt.np.zeros(shape, { dtype })),
  ones: (rt, call) => creation('ones', rt, call, (shape, dtype) => rt.np.ones(shape, { dtype })),
  empty: (rt, call) => creation('empty', rt, call, (shape, dtype) => rt.np.empty(shape, { dtype })),
  full(rt, call) {
    const a = bind('full', call, ['shape', 'fill_value', 'dtype'], 2);
    const fill = a.fill_value!;
    const value = fill.type === 'bool' ? fill.value : toNumber(fill, 'fill_value');
    const dtype = floatDefault(toDType(a.dtype), fill.type === 'float');
    return array(rt.np.full(toShape(a.shape!), value, { dtype }));
  },
  broadcast_to(rt, call) {
    const a = bind('broadcast_to', call, ['array', 'shape'], 2);
    return array(rt.np.broadcastTo(expectArray(a.array, 'broadcast_to()'), toShape(a.shape!)));
  },
  shares_memory(rt, call) {
    const a = bind('shares_memory', call, ['a', 'b'], 2);
    return bool(rt.np.sharesMemory(expectArray(a.a, 'shares_memory()'), expectArray(a.b, 'shares_memory()')));
  },
  may_share_memory(rt, call) {
    const a = bind('may_share_memory', call, ['a', 'b'], 2);
    return bool(rt.np.maySharesMemory(expectArray(a.a, 'may_share_memory()'), expectArray(a.b, 'may_share_memory()')));
  },
  // Function spellings of the methods: np.copy(a), np.transpose(a, axes)...
  copy: (rt, call) => callMethod(rt, call, 'copy'),
  reshape: (rt, call) => callMethod(rt, call, 'reshape'),
  transpose: (rt, call) => callMethod(rt, call, 'transpose'),
  swapaxes: (rt, call) => callMethod(rt, call, 'swapaxes'),
  squeeze: (rt, call) => callMethod(rt, call, 'squeeze'),
  flip: (rt, call) => callMethod(rt, call, 'flip'),
  ravel: (rt, call) => callMethod(rt, call, 'ravel'),
  expand_dims(_rt, call) {
    const a = bind('expand_dims', call, ['a', 'axis'], 2);
    return array(expectArray(a.a, 'expand_dims()').expandDims(toAxes(a.axis) ?? 0));
  },
  ...JOINING_FUNCTIONS,
  // ----- advanced indexing: selections (copies), writes through indices, scans -----
  take: (rt, call) => callMethod(rt, call, 'take'),
  put: (rt, call) => callMethod(rt, call, 'put'),
  nonzero: (rt, call) => callMethod(rt, call, 'nonzero'),
  cumsum: (rt, call) => callMethod(rt, call, 'cumsum'),
  cumprod: (rt, call) => callMethod(rt, call, 'cumprod'),
  async flatnonzero(rt, call) {
    const a = bind('flatnonzero', call, ['a'], 1);
    return array(await rt.np.flatnonzero(expectArray(a.a, 'flatnonzero()')));
  },
  async argwhere(rt, call) {
    const a = bind('argwhere', call, ['a'], 1);
    return array(await rt.np.argwhere(expectArray(a.a, 'argwhere()')));
  },
  async compress(rt, call) {
    const a = bind('compress', call, ['condition', 'a', 'axis'], 2);
    return array(await rt.np.compress(toIndexArg(a.condition!) as NDArray, expectArray(a.a, 'compress()'), { axis: toAxis(a.axis) }));
  },
  async extract(rt, call) {
    const a = bind('extract', call, ['condition', 'arr'], 2);
    return array(await rt.np.extract(toIndexArg(a.condition!) as NDArray, expectArray(a.arr, 'extract()')));
  },
  putmask(rt, call) {
    const a = bind('putmask', call, ['a', 'mask', 'values'], 3);
    rt.np.putmask(expectArray(a.a, 'putmask()'), toAssignable(a.mask!) as NDArray, toAssignable(a.values!));
    return NONE;
  },
  copyto(rt, call) {
    const a = bind('copyto', call, ['dst', 'src', 'casting', 'where'], 2);
    const where = a.where === undefined || a.where.type === 'none' ? undefined : (toAssignable(a.where) as NDArray);
    const casting = a.casting?.type === 'str' ? (a.casting.value as 'same_kind' | 'unsafe') : undefined;
    rt.np.copyto(expectArray(a.dst, 'copyto()'), toAssignable(a.src!), { where, casting });
    return NONE;
  },
  // ----- products -----
  matmul(rt, call) {
    const a = bind('matmul', call, ['x1', 'x2', 'out'], 2);
    const out = a.out && a.out.type !== 'none' ? expectArray(a.out, 'matmul() out') : undefined;
    return array(rt.np.matmul(productOperand(a.x1!), productOperand(a.x2!), out ? { out } : {}));
  },
  dot: (rt, call) => product('dot', rt, call, (x, y) => rt.np.dot(x, y)),
  vdot: (rt, call) => product('vdot', rt, call, (x, y) => rt.np.vdot(x, y)),
  inner: (rt, call) => product('inner', rt, call, (x, y) => rt.np.inner(x, y)),
  outer: (rt, call) => product('outer', rt, call, (x, y) => rt.np.outer(x, y)),
  tensordot(rt, call) {
    const a = bind('tensordot', call, ['a', 'b', 'axes'], 2);
    return array(rt.np.tensordot(productOperand(a.a!), productOperand(a.b!), toTensordotAxes(a.axes)));
  },
};

// ----- products -----

/** An operand of a product: an array, or a list or number that ndgpu converts as NumPy's asarray. */
function productOperand(value: Value): NDArray | NestedArray {
  return value.type === 'array' ? value.array : toNested(value).data;
}

function product(name: string, rt: Runtime, call: CallArgs, run: (x: NDArray | NestedArray, y: NDArray | NestedArray) => NDArray): Value {
  const a = bind(name, call, ['a', 'b'], 2);
  return array(run(productOperand(a.a!), productOperand(a.b!)));
}

/** tensordot's `axes`: an int, or a pair of ints or lists of ints. */
function toTensordotAxes(value: Value | undefined): number | [number | number[], number | number[]] {
  if (!value) return 2;
  if (value.type !== 'tuple' && value.type !== 'list') return toInt(value, 'axes');
  const axes = value.items.map((item) =>
    item.type === 'tuple' || item.type === 'list' ? item.items.map((v) => toInt(v, 'axes')) : toInt(item, 'axes'),
  );
  if (axes.length !== 2)
    throw new PyError(
      'ValueError',
      `${axes.length > 2 ? 'too many' : 'not enough'} values to unpack (expected 2${axes.length > 2 ? '' : `, got ${axes.length}`})`,
    );
  return [axes[0], axes[1]];
}

/** An index or condition argument: an array, nested lists, or an integer. */
function toIndexArg(value: Value): IndexArg {
  if (value.type === 'array') return value.array;
  if (value.type === 'int' || value.type === 'bool') return value.type === 'int' ? Number(value.value) : value.value;
  return toNested(value).data as NestedIndexList;
}

/** An `axis` argument: None or an integer. */
function toAxis(value: Value | undefined): number | null {
  return value === undefined || value.type === 'none' ? null : toInt(value, 'axis');
}

function creation(name: string, rt: Runtime, call: CallArgs, make: (shape: number[], dtype?: DType) => NDArray): Value {
  const a = bind(name, call, ['shape', 'dtype'], 1);
  return array(make(toShape(a.shape!), toDType(a.dtype)));
}

/** `np.f(a, ...)` is `a.f(...)`. */
function callMethod(rt: Runtime, call: CallArgs, name: string): Promise<Value> {
  const [first, ...rest] = call.args;
  const self = expectArray(first, `${name}()`);
  return METHODS[name](self, rt, { args: rest, kwargs: call.kwargs });
}

// ---------------------------------------------------------------------------------------------
// Array methods

type Method = (self: NDArray, rt: Runtime, call: CallArgs) => Promise<Value>;

export const METHODS: Record<string, Method> = {
  ...JOINING_METHODS,
  async copy(self, _rt, call) {
    const a = bind('copy', call, ['order']);
    return array(self.copy(toOrder(a.order, 'C')));
  },
  async view(self, _rt, call) {
    const a = bind('view', call, ['dtype']);
    return array(self.view(toDType(a.dtype)));
  },
  async reshape(self, _rt, call) {
    const a = bind('reshape', call, ['*shape', 'order']);
    const shape = spreadArgs(a.shape).map((v) => toInt(v, 'reshape'));
    return array(self.reshape(shape, { order: toOrder(a.order, 'C') }));
  },
  async transpose(self, _rt, call) {
    const a = bind('transpose', call, ['*axes']);
    return array(self.transpose(spreadArgs(a.axes).map((v) => toInt(v, 'axes'))));
  },
  async swapaxes(self, _rt, call) {
    const a = bind('swapaxes', call, ['axis1', 'axis2'], 2);
    return array(self.swapaxes(toInt(a.axis1!), toInt(a.axis2!)));
  },
  async squeeze(self, _rt, call) {
    const a = bind('squeeze', call, ['axis']);
    return array(self.squeeze(toAxes(a.axis)));
  },
  async flip(self, _rt, call) {
    const a = bind('flip', call, ['axis']);
    return array(self.flip(toAxes(a.axis)));
  },
  async ravel(self, _rt, call) {
    const a = bind('ravel', call, ['order']);
    return array(self.ravel(toOrder(a.order, 'C')));
  },
  async flatten(self, _rt, call) {
    const a = bind('flatten', call, ['order']);
    return array(self.flatten(toOrder(a.order, 'C')));
  },
  async astype(self, _rt, call) {
    const a = bind('astype', call, ['dtype'], 1);
    return array(self.astype(toDType(a.dtype)!));
  },
  async fill(self, _rt, call) {
    const a = bind('fill', call, ['value'], 1);
    const v = a.value!;
    self.fill(v.type === 'bool' ? v.value : toNumber(v, 'fill()'));
    return NONE;
  },
  async item(self, _rt, call) {
    const a = bind('item', call, ['*args']);
    const items = spreadArgs(a.args).map((v) => toInt(v, 'item()'));
    const index = items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
    return fromScalar(await self.item(index), self.dtype);
  },
  async tolist(self, _rt, call) {
    bind('tolist', call, []);
    return fromNested(await self.toArray(), self.dtype);
  },
  // ----- advanced indexing -----
  async take(self, _rt, call) {
    const a = bind('take', call, ['indices', 'axis'], 1);
    return array(self.take(toIndexArg(a.indices!), toAxis(a.axis)));
  },
  async put(self, _rt, call) {
    const a = bind('put', call, ['indices', 'values'], 2);
    self.put(toIndexArg(a.indices!), toAssignable(a.values!));
    return NONE;
  },
  async nonzero(self, _rt, call) {
    bind('nonzero', call, []);
    return { type: 'tuple', items: (await self.nonzero()).map(array) };
  },
  async compress(self, _rt, call) {
    const a = bind('compress', call, ['condition', 'axis'], 1);
    return array(await self.compress(toIndexArg(a.condition!) as NDArray, toAxis(a.axis)));
  },
  async cumsum(self, _rt, call) {
    const a = bind('cumsum', call, ['axis', 'dtype']);
    return array(self.cumsum(toAxis(a.axis), { dtype: toDType(a.dtype) }));
  },
  async cumprod(self, _rt, call) {
    const a = bind('cumprod', call, ['axis', 'dtype']);
    return array(self.cumprod(toAxis(a.axis), { dtype: toDType(a.dtype) }));
  },
  // ----- products -----
  async dot(self, _rt, call) {
    const a = bind('dot', call, ['b'], 1);
    return array(self.dot(productOperand(a.b!)));
  },
};

// ---------------------------------------------------------------------------------------------
// Attributes

export function arrayAttribute(self: NDArray, name: string): Value {
  switch (name) {
    case 'shape':
      return tuple(self.shape);
    case 'strides':
      return tuple(self.strides);
    case 'offset':
      return int(self.offset);
    case 'ndim':
      return int(self.ndim);
    case 'size':
      return int(self.size);
    case 'itemsize':
      return int(self.itemsize);
    case 'nbytes':
      return int(self.nbytes);
    case 'dtype':
      return { type: 'dtype', dtype: self.dtype };
    case 'base':
      return self.base ? array(self.base) : NONE;
    case 'flags':
      return { type: 'flags', array: self };
    case 'T':
      return array(self.T);
  }
  if (name in METHODS) return { type: 'method', self, name };
  throw new PyError('AttributeError', `'numpy.ndarray' object has no attribute '${name}'`);
}

const FLAG_NAMES: Record<string, 'owndata' | 'writeable' | 'cContiguous' | 'fContiguous'> = {
  owndata: 'owndata',
  writeable: 'writeable',
  c_contiguous: 'cContiguous',
  f_contiguous: 'fContiguous',
};

export function flagAttribute(self: NDArray, name: string): Value {
  const key = FLAG_NAMES[name];
  if (!key) throw new PyError('AttributeError', `'numpy.flagsobj' object has no attribute '${name}'`);
  return bool(self.flags[key]);
}

/** `a.flags.writeable = False`: the one flag NumPy lets you set. */
export function setFlag(self: NDArray, name: string, value: Value): void {
  if (name !== 'writeable') {
    throw new PyError(
      'AttributeError',
      FLAG_NAMES[name]
        ? `attribute '${name}' of 'numpy.flagsobj' objects is not writable`
        : `'numpy.flagsobj' object has no attribute '${name}'`,
    );
  }
  self.flags.writeable = value.type === 'bool' ? value.value : Boolean(toNumber(value, 'writeable'));
}

export function dtypeAttribute(dtype: DType, name: string): Value {
  if (name === 'name') return { type: 'str', value: dtype };
  if (name === 'itemsize') return int(DTYPE_ITEMSIZE[dtype]);
  throw new PyError('AttributeError', `'numpy.dtype' object has no attribute '${name}'`);
}

// ---------------------------------------------------------------------------------------------
// Python builtins

export const BUILTINS: Record<string, Fn> = {
  async print(rt, call) {
    const parts = await Promise.all(call.args.map((v) => str(v)));
    const sep = call.kwargs.get('sep');
    rt.print(parts.join(sep?.type === 'str' ? sep.value : ' '));
    return NONE;
  },
  len(_rt, call) {
    const a = bind('len', call, ['obj'], 1);
    const v = a.obj!;
    if (v.type === 'array') {
      if (v.array.ndim === 0) throw typeError('len() of unsized object');
      return int(v.array.shape[0]);
    }
    if (v.type === 'tuple' || v.type === 'list') return int(v.items.length);
    if (v.type === 'str') return int(v.value.length);
    throw typeError(`object of type '${typeName(v)}' has no len()`);
  },
  int(_rt, call) {
    const a = bind('int', call, ['x']);
    if (!a.x) return int(0);
    if (a.x.type === 'int') return a.x;
    const n = toNumber(a.x, 'int()');
    if (!Number.isFinite(n)) throw new PyError('ValueError', `cannot convert float ${n > 0 ? 'infinity' : 'NaN'} to integer`);
    return int(Math.trunc(n));
  },
  async bool(_rt, call) {
    const a = bind('bool', call, ['x']);
    return bool(a.x ? await truthy(a.x) : false);
  },
  float(_rt, call) {
    const a = bind('float', call, ['x']);
    return { type: 'float', value: a.x ? toNumber(a.x, 'float()') : 0 };
  },
  id(rt, call) {
    const a = bind('id', call, ['obj'], 1);
    return int(rt.id(a.obj!));
  },
  type(_rt, call) {
    const a = bind('type', call, ['obj'], 1);
    return { type: 'class', name: typeName(a.obj!) };
  },
};

/** `np.<name>` for names that are not functions: dtypes, `newaxis`. */
export function moduleConstant(name: string): Value | undefined {
  if ((DTYPE_NAMES as string[]).includes(name)) return { type: 'dtype', dtype: name as DType };
  if (name === 'bool_') return { type: 'dtype', dtype: 'bool' };
  if (name === 'newaxis') return NONE;
  // ----- joining, splitting, rearranging: np.lib.stride_tricks.sliding_window_view / as_strided -----
  if (name === 'lib') return { type: 'module', name: 'numpy.lib' };
  if (name === 'stride_tricks') return { type: 'module', name: 'numpy.lib.stride_tricks' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// ----- numerics (issue #18): ufuncs, round, var/std/ptp, creation and comparison helpers -----

type UfuncCall = (a: OpArg, ...rest: unknown[]) => NDArray;

/** An operand of a ufunc: an array, a Python scalar, or nested lists (as NumPy converts them). */
function toOperand(value: Value | undefined, what: string): OpArg {
  if (value === undefined) throw typeError(`${what}: missing operand`);
  if (value.type === 'array') return value.array;
  if (value.type === 'int' || value.type === 'float' || value.type === 'bool') return value.value;
  if (value.type === 'list' || value.type === 'tuple') return toNested(value).data;
  throw typeError(`${what}: unsupported operand type '${typeName(value)}'`);
}

const outOption = (value: Value | undefined, what: string) =>
  value === undefined || value.type === 'none' ? {} : { out: expectArray(value, `${what} out`) };

/** NumPy's name → ndgpu's, for the ufuncs of one and two operands. */
const UNARY_UFUNCS: Record<string, string> = {
  floor: 'floor',
  ceil: 'ceil',
  trunc: 'trunc',
  rint: 'rint',
  sign: 'sign',
  square: 'square',
  reciprocal: 'reciprocal',
  exp2: 'exp2',
  expm1: 'expm1',
  log2: 'log2',
  log10: 'log10',
  log1p: 'log1p',
  tan: 'tan',
  arcsin: 'arcsin',
  arccos: 'arccos',
  arctan: 'arctan',
  sinh: 'sinh',
  cosh: 'cosh',
  arcsinh: 'arcsinh',
  arccosh: 'arccosh',
  arctanh: 'arctanh',
  isnan: 'isnan',
  isinf: 'isinf',
  isfinite: 'isfinite',
  signbit: 'signbit',
  invert: 'invert',
  bitwise_not: 'invert',
};
const BINARY_UFUNCS: Record<string, string> = {
  arctan2: 'arctan2',
  hypot: 'hypot',
  fmod: 'fmod',
  copysign: 'copysign',
  fmax: 'fmax',
  fmin: 'fmin',
  logical_xor: 'logicalXor',
  bitwise_and: 'bitwiseAnd',
  bitwise_or: 'bitwiseOr',
  bitwise_xor: 'bitwiseXor',
  left_shift: 'leftShift',
  right_shift: 'rightShift',
};

const ufunc = (np: Context, name: string) => (np as unknown as Record<string, UfuncCall>)[name].bind(np);

/** `keepdims=`, `ddof=` of the reductions. */
function reduceOptions(a: Record<string, Value | undefined>): { keepdims?: boolean; ddof?: number } {
  const options: { keepdims?: boolean; ddof?: number } = {};
  if (a.keepdims !== undefined)
    options.keepdims = a.keepdims.type === 'bool' ? a.keepdims.value : Boolean(toNumber(a.keepdims, 'keepdims'));
  if (a.ddof !== undefined) options.ddof = toNumber(a.ddof, 'ddof');
  return options;
}

const NUMERIC_FUNCTIONS: Record<string, Fn> = {
  ...Object.fromEntries(
    Object.entries(UNARY_UFUNCS).map(([numpyName, name]): [string, Fn] => [
      numpyName,
      (rt, call) => {
        const a = bind(numpyName, call, ['x', 'out'], 1);
        return array(ufunc(rt.np, name)(toOperand(a.x, `${numpyName}()`), outOption(a.out, numpyName)));
      },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(BINARY_UFUNCS).map(([numpyName, name]): [string, Fn] => [
      numpyName,
      (rt, call) => {
        const a = bind(numpyName, call, ['x1', 'x2', 'out'], 2);
        return array(ufunc(rt.np, name)(toOperand(a.x1, `${numpyName}()`), toOperand(a.x2, `${numpyName}()`), outOption(a.out, numpyName)));
      },
    ]),
  ),
  round: (rt, call) => callMethod(rt, call, 'round'),
  around: (rt, call) => callMethod(rt, call, 'round'),
  var: (rt, call) => callMethod(rt, call, 'var'),
  std: (rt, call) => callMethod(rt, call, 'std'),
  ptp: (rt, call) => callMethod(rt, call, 'ptp'),
  count_nonzero(rt, call) {
    const a = bind('count_nonzero', call, ['a', 'axis', 'keepdims'], 1);
    return array(rt.np.countNonzero(expectArray(a.a, 'count_nonzero()'), { axis: toAxes(a.axis) ?? null, ...reduceOptions(a) }));
  },
  linspace(rt, call) {
    const a = bind('linspace', call, ['start', 'stop', 'num', 'endpoint', 'dtype'], 2);
    const num = a.num ? toInt(a.num, 'num') : 50;
    const endpoint =
      a.endpoint === undefined ? true : a.endpoint.type === 'bool' ? a.endpoint.value : Boolean(toNumber(a.endpoint, 'endpoint'));
    return array(rt.np.linspace(toNumber(a.start!, 'start'), toNumber(a.stop!, 'stop'), num, { endpoint, dtype: toDType(a.dtype) }));
  },
  eye(rt, call) {
    const a = bind('eye', call, ['N', 'M', 'k', 'dtype'], 1);
    const m = a.M && a.M.type !== 'none' ? toInt(a.M, 'M') : null;
    return array(rt.np.eye(toInt(a.N!, 'N'), m, a.k ? toInt(a.k, 'k') : 0, { dtype: floatDefault(toDType(a.dtype), true) }));
  },
  identity(rt, call) {
    const a = bind('identity', call, ['n', 'dtype'], 1);
    return array(rt.np.identity(toInt(a.n!, 'n'), { dtype: floatDefault(toDType(a.dtype), true) }));
  },
  zeros_like: (rt, call) => like('zeros_like', rt, call, (x, dtype) => rt.np.zerosLike(x, { dtype })),
  ones_like: (rt, call) => like('ones_like', rt, call, (x, dtype) => rt.np.onesLike(x, { dtype })),
  empty_like: (rt, call) => like('empty_like', rt, call, (x, dtype) => rt.np.emptyLike(x, { dtype })),
  full_like(rt, call) {
    const a = bind('full_like', call, ['a', 'fill_value', 'dtype'], 2);
    const fill = a.fill_value!;
    const value = fill.type === 'bool' ? fill.value : toNumber(fill, 'fill_value');
    return array(rt.np.fullLike(expectArray(a.a, 'full_like()'), value, { dtype: toDType(a.dtype) }));
  },
  meshgrid(rt, call) {
    const a = bind('meshgrid', call, ['*xi', 'indexing']);
    const inputs = (a.xi as { items: Value[] }).items.map((v) => expectArray(v, 'meshgrid()'));
    const indexing = a.indexing?.type === 'str' ? (a.indexing.value as 'xy' | 'ij') : 'xy';
    return { type: 'tuple', items: rt.np.meshgrid(...inputs, { indexing }).map(array) };
  },
  indices(rt, call) {
    const a = bind('indices', call, ['dimensions', 'dtype'], 1);
    return array(rt.np.indices(toShape(a.dimensions!), { dtype: toDType(a.dtype) }));
  },
  isclose(rt, call) {
    const a = bind('isclose', call, ['a', 'b', 'rtol', 'atol', 'equal_nan'], 2);
    return array(rt.np.isclose(toOperand(a.a, 'isclose()'), toOperand(a.b, 'isclose()'), closeOptions(a)));
  },
  async allclose(rt, call) {
    const a = bind('allclose', call, ['a', 'b', 'rtol', 'atol', 'equal_nan'], 2);
    return bool(await rt.np.allclose(toOperand(a.a, 'allclose()'), toOperand(a.b, 'allclose()'), closeOptions(a)));
  },
  async array_equal(rt, call) {
    const a = bind('array_equal', call, ['a1', 'a2'], 2);
    return bool(await rt.np.arrayEqual(toOperand(a.a1, 'array_equal()'), toOperand(a.a2, 'array_equal()')));
  },
};

function like(name: string, rt: Runtime, call: CallArgs, make: (a: NDArray, dtype?: DType) => NDArray): Value {
  const a = bind(name, call, ['a', 'dtype'], 1);
  return array(make(expectArray(a.a, `${name}()`), toDType(a.dtype)));
}

function closeOptions(a: Record<string, Value | undefined>): { rtol?: number; atol?: number; equalNan?: boolean } {
  return {
    ...(a.rtol ? { rtol: toNumber(a.rtol, 'rtol') } : {}),
    ...(a.atol ? { atol: toNumber(a.atol, 'atol') } : {}),
    ...(a.equal_nan ? { equalNan: a.equal_nan.type === 'bool' ? a.equal_nan.value : Boolean(toNumber(a.equal_nan, 'equal_nan')) } : {}),
  };
}

const NUMERIC_METHODS: Record<string, Method> = {
  async round(self, _rt, call) {
    const a = bind('round', call, ['decimals', 'out']);
    return array(self.round(a.decimals ? toInt(a.decimals, 'decimals') : 0, outOption(a.out, 'round')));
  },
  async var(self, _rt, call) {
    const a = bind('var', call, ['axis', 'ddof', 'keepdims']);
    return array(self.var(toAxes(a.axis) ?? null, reduceOptions(a)));
  },
  async std(self, _rt, call) {
    const a = bind('std', call, ['axis', 'ddof', 'keepdims']);
    return array(self.std(toAxes(a.axis) ?? null, reduceOptions(a)));
  },
  async ptp(self, _rt, call) {
    const a = bind('ptp', call, ['axis', 'keepdims']);
    return array(self.ptp(toAxes(a.axis) ?? null, reduceOptions(a)));
  },
};

Object.assign(FUNCTIONS, NUMERIC_FUNCTIONS);
Object.assign(METHODS, NUMERIC_METHODS);
