// Drives the built playground in a same-origin frame with no automation library: runs NumPy's "Copies and
// Views" tutorial step by step plus a few typed statements, and after each reads what the page shows (the
// same fields test/e2e/support/playground.ts reads through playwright-core). The result is published with
// window.__publish (report.js): the Firefox tests receive it by POST and check it.
//
// Query parameters: `app` (the playground's URL, default /demo/), `steps` ('all', default, or 'first': the
// first tutorial step only, for the CPU fallback), `report` (see report.js).

const params = new URLSearchParams(location.search);
const APP = params.get('app') ?? '/demo/';
const TIMEOUT_MS = 60_000;

/** What the Chromium test does, in its order. */
const ALL_STEPS = [
  { label: 'no copy: b = a', tutorial: true },
  { label: 'no copy: id', tutorial: true },
  { label: 'view: c = a.view()', tutorial: true },
  { label: 'view: reshape', tutorial: true },
  { label: 'view: c[0, 4] = 1234', tutorial: true },
  { label: 'x = a[::-1, ::2]', type: 'x = a[::-1, ::2]' },
  { label: 'slicing: s[:] = 10', tutorial: true },
  { label: 'b = a.T', type: 'b = a.T' },
  { label: 'b = a; del x', type: 'b = a\ndel x' },
  { label: 'deep copy', tutorial: true },
  { label: 'copy after slicing', tutorial: true },
  { label: 'b = a[:100]', tutorial: true },
  { label: 'c[5, 0]', type: 'c[5, 0]' },
  { label: 'c.reshape(5, 5)', type: 'c.reshape(5, 5)' },
  { label: 'y = (1,', type: 'y = (1,' },
  { label: 'c[:, 0] = [1, 2, 3]', type: 'c[:, 0] = [1, 2, 3]' },
  { label: 'c[0, :2] = -1; c[0]', type: 'c[0, :2] = -1; c[0]' },
];
const STEPS = params.get('steps') === 'first' ? ALL_STEPS.slice(0, 1) : ALL_STEPS;

const frame = document.getElementById('app');
const problems = [];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, condition) {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const doc = () => frame.contentDocument;
const body = () => doc()?.body;
const runs = () => Number(body()?.dataset.runs ?? 0);

/** Loads the playground and waits until it has started (ndgpu initialised, first drawing done). */
async function open() {
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = APP;
  await loaded;
  // (Console errors are read from the browser's output by the test: devtools.console.stdout.content.)
  const win = frame.contentWindow;
  win.addEventListener('error', (event) => problems.push(`page error: ${event.message}`));
  win.addEventListener('unhandledrejection', (event) => problems.push(`unhandled rejection: ${event.reason}`));
  await until('the playground to start', () => ['ready', 'failed'].includes(body()?.dataset.state ?? ''));
}

/** Runs `action` and waits until the playground has finished the statements it started. */
async function andWait(label, action) {
  const before = runs();
  action();
  await until(`'${label}' to finish`, () => runs() > before && body().dataset.state === 'ready');
}

function act(step) {
  const d = doc();
  if (step.tutorial) {
    d.querySelector('[data-testid=tutorial-next]').click();
    return;
  }
  const input = d.querySelector('[data-testid=input]');
  input.focus();
  input.value = step.type;
  input.dispatchEvent(new frame.contentWindow.InputEvent('input', { bubbles: true }));
  input.dispatchEvent(new frame.contentWindow.KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
}

/** What the page shows: the same shape as PlaygroundState in test/e2e/support/playground.ts. */
function readState() {
  const d = doc();
  const text = (root, selector) => root.querySelector(selector)?.textContent ?? null;
  const card = (element) => {
    const walk = [];
    for (const cell of element.querySelectorAll('.cell[data-order]')) {
      for (const order of cell.dataset.order.split(',')) walk[Number(order)] = Number(cell.dataset.cell);
    }
    const fields = {};
    for (const field of element.querySelectorAll('[data-field]')) fields[field.dataset.field] = text(field, 'dd') ?? '';
    return {
      names: element.dataset.names ?? '',
      title: element.dataset.title ?? '',
      values: text(element, '[data-testid=values]') ?? '',
      fields,
      walk,
      changed: [...element.querySelectorAll('.cell.changed')].map((cell) => Number(cell.dataset.cell)),
    };
  };
  return {
    backend: d.querySelector('[data-testid=backend]')?.dataset.backend ?? 'none',
    held: text(d.body, '[data-testid=memory-held]') ?? '',
    buffers: [...d.querySelectorAll('[data-testid=buffer]')].map((buffer) => ({
      owner: buffer.dataset.owner ?? '',
      cards: [...buffer.querySelectorAll('[data-testid=array-card]')].map(card),
    })),
    entries: [...d.querySelectorAll('[data-testid=entry]')].map((entry) => ({
      source: text(entry, '.source') ?? '',
      output: text(entry, '[data-testid=output]'),
      error: text(entry, '[data-testid=error]'),
    })),
  };
}

const progress = () => text(doc(), '[data-testid=tutorial] .progress');
function text(root, selector) {
  return root.querySelector(selector)?.textContent ?? null;
}

async function drive() {
  await open();
  const result = {
    badge: text(doc(), '[data-testid=backend]'),
    pageState: body().dataset.state,
    start: readState(),
    snapshots: [],
  };
  if (result.pageState === 'ready') {
    for (const step of STEPS) {
      const started = performance.now();
      await andWait(step.label, () => act(step));
      result.snapshots.push({ label: step.label, ms: Math.round(performance.now() - started), state: readState(), progress: progress() });
    }
  }
  result.problems = problems;
  return result;
}

try {
  window.__publish(await drive());
} catch (error) {
  window.__publish({ failure: window.describeError(error), problems });
}
