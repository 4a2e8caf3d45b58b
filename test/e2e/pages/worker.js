// A module worker: no import maps here, so the built entry is imported by its URL.
import { init } from '/dist/index.js';
import { compareBackends } from './script.js';

try {
  postMessage({ hasGPU: 'gpu' in navigator, ...(await compareBackends(init)) });
} catch (error) {
  // Firefox's error.stack is the frames only (V8's starts with the message): say both.
  postMessage({ failure: `${error}\n${error?.stack ?? ''}` });
}
