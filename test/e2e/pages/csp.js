// Under the page's Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'): the CPU backend must
// compile its WebAssembly kernels, and eval must be refused (so the policy is in force).
import { init } from '/dist/index.js';
import { compareBackends } from './script.js';

try {
  let evalRefused = false;
  try {
    new Function('return 1')();
  } catch (error) {
    evalRefused = error instanceof EvalError;
  }
  window.__publish({ evalRefused, ...(await compareBackends(init)) });
} catch (error) {
  window.__publish({ failure: window.describeError(error) });
}
document.getElementById('out').textContent = 'done';
