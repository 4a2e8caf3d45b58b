/**
 * The values of NumPy's `linspace`, computed as NumPy computes them in float64 (JavaScript numbers):
 * `i * step + start` with `step = (stop - start) / div`, or `i / div * delta` where the step underflows
 * to 0, the last value replaced by `stop` when it is included, and floored for integer dtypes.
 */

import { ValueError } from './errors.js';

export function linspaceValues(start: number, stop: number, num: number, endpoint: boolean, integer: boolean): Float64Array {
  if (!Number.isInteger(num)) throw new TypeError("'float' object cannot be interpreted as an integer");
  if (num < 0) throw new ValueError(`Number of samples, ${num}, must be non-negative.`);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const values = new Float64Array(num);
  const step = div > 0 ? delta / div : NaN;
  for (let i = 0; i < num; i++) {
    let y: number;
    if (div <= 0) y = i * delta;
    else if (step === 0)
      y = (i / div) * delta; // NumPy's care for subnormal steps
    else y = i * step;
    values[i] = y + start;
  }
  if (endpoint && num > 1) values[num - 1] = stop;
  if (integer) for (let i = 0; i < num; i++) values[i] = Math.floor(values[i]);
  return values;
}
