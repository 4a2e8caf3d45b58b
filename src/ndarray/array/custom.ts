/**
 * Your own elementwise kernels, in the spirit of CuPy's ElementwiseKernel: you write one WGSL expression
 * over named inputs; ndgpu handles dtypes, strides, broadcasting, `out` and batching. Each array input
 * arrives as its own dtype's compute class (f32 for floats, i32/u32 for integers, bool); scalars arrive
 * in the result dtype's class. A JavaScript function may be given for the CPU backend.
 */

import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { computeClass, type ComputeClass, type JsKernel } from '../core/kernel-forms.js';
import { resultTypeOf } from '../core/promotion.js';
import { checkExpressionSyntax } from '../core/wgsl-expression.js';
import type { Scalar } from '../core/scalars.js';
import type { ArrayMemory } from './memory.js';
import { isArrayOperand, type Operand } from './operand.js';
import { runElementwise, type UfuncArg, type UfuncOptions } from './ufunc.js';

/** The options a user kernel runs with (`np.elementwise`'s, on operands). */
export interface CustomKernelOptions extends UfuncOptions {
  /** The result dtype (default: NumPy's promotion of the inputs). */
  dtype?: DType;
  /** The same computation in JavaScript, for the CPU backend (inputs and result as JS values). */
  cpu?: (...inputs: Scalar[]) => Scalar;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['x0', 'x1', 'x2', 'params', 'dst', 'main', 'locate', 'at', 'index', 'r']);

export function runCustomElementwise(
  memory: ArrayMemory,
  expression: string,
  inputs: readonly UfuncArg[] | Readonly<Record<string, UfuncArg>>,
  options: CustomKernelOptions = {},
): Operand {
  if (typeof expression !== 'string' || expression.trim() === '') throw new TypeError('elementwise() needs a WGSL expression');
  if (/[;{}]|\/\//.test(expression)) {
    throw new ValueError('elementwise() takes one WGSL expression (no statements, braces or comments); put helpers in your own pipeline');
  }
  checkExpressionSyntax(expression);
  const entries = Array.isArray(inputs)
    ? (inputs as readonly UfuncArg[]).map((value, k) => [`x${k}`, value] as const)
    : Object.entries(inputs as Record<string, UfuncArg>);
  if (entries.length < 1 || entries.length > 3) throw new TypeError('elementwise() takes 1 to 3 inputs');
  for (const [name] of entries) {
    if (!IDENTIFIER.test(name) || (RESERVED.has(name) && !Array.isArray(inputs)))
      throw new ValueError(`'${name}' cannot name an elementwise input`);
  }
  if (memory.backend.capabilities.kernelForm === 'js' && !options.cpu) {
    throw new TypeError(
      'elementwise(): a WGSL expression needs the WebGPU backend; pass { cpu: (...inputs) => value } to run it on the CPU too',
    );
  }
  const names = entries.map(([name]) => name);
  const args = entries.map(([, value]) => value);
  const dtypeOf = (value: unknown): DType | Scalar => (isArrayOperand(value) ? value.dtype : (value as Scalar));
  const result = options.dtype ?? resultTypeOf(args.map(dtypeOf).filter((v): v is DType | Scalar => typeof v !== 'object'));
  const resultClass = computeClass(result);
  const cpu = options.cpu;
  return runElementwise(
    memory,
    {
      name: 'elementwise',
      userCode: true,
      resultOverride: result,
      resolve: (operands) => ({
        // Arrays keep their own dtype's class; scalars take the result's.
        inputs: operands.map((o) => (typeof o === 'string' ? o : result)),
        result,
      }),
      wgsl: () => {
        if (!resultClass) throw new TypeError(`elementwise() cannot produce ${result} on the GPU (WGSL has no 64-bit types)`);
        return `user_expression(${names.map((_, k) => `x${k}`).join(', ')})`;
      },
      js: (): JsKernel =>
        cpu ??
        (() => {
          throw new TypeError('elementwise(): this WGSL expression has no CPU form; pass { cpu } to run it on the CPU backend');
        }),
      helpersFor: (classes: readonly ComputeClass[]) =>
        `fn user_expression(${names.map((n, k) => `${n}: ${classes[k]}`).join(', ')}) -> ${resultClass ?? 'f32'} {\n  return ${expression};\n}`,
    },
    args,
    options,
  );
}
