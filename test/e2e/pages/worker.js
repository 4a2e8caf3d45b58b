// A module worker: no import maps here, so the built entry is imported by its URL.
import { init } from '/dist/index.js';
import { compareBackends } from './script.js';

try {
  postMessage({ hasGPU: 'gpu' in navigator, ...(await compareBackends(init)) });
} catch (error) {
  postMessage({ failure: String((error && error.stack) || error) });
}
