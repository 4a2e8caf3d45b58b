/**
 * The ndgpu playground: NumPy-style statements run on ndgpu (WebGPU where the browser has it, else the
 * CPU), and a drawing of every buffer with the cells each array touches.
 */

import { init, type Context } from 'ndgpu';
import { Workspace } from './lang/interpreter.js';
import { TUTORIAL } from './tutorial.js';
import { ConsoleView } from './ui/console-view.js';
import { h } from './ui/dom.js';
import { MemoryPanel } from './ui/memory-panel.js';
import { TutorialPanel } from './ui/tutorial-panel.js';
import './style.css';

const root = document.getElementById('app')!;
const status = h('div', { class: 'status' }, h('span', { class: 'backend pending', text: 'starting…' }));
const header = h('header', { class: 'top' }, h('h1', {}, h('span', { class: 'logo', text: 'ndgpu' }), ' playground'), status);
root.replaceChildren(header);
document.body.dataset.state = 'starting';

try {
  const np = await init();
  start(np);
} catch (error) {
  status.replaceChildren(
    h('span', { class: 'backend failed', data: { testid: 'backend', backend: 'none' }, text: `ndgpu could not start: ${String(error)}` }),
  );
  document.body.dataset.state = 'failed';
}

function start(np: Context): void {
  const workspace = new Workspace(np);
  const memory = new MemoryPanel();
  const memoryReadout = h('span', { class: 'held', data: { testid: 'memory-held' } });
  let runs = 0;
  let queue = Promise.resolve();

  /** Runs statements one batch at a time; the page says 'busy' until the drawing is up to date. */
  const execute = (source: string): Promise<void> => {
    queue = queue.then(async () => {
      document.body.dataset.state = 'busy';
      try {
        memory.begin();
        consoleView.append(await workspace.run(source, () => memory.capture(workspace.arrays())));
        await memory.render(workspace.arrays());
      } catch (error) {
        consoleView.appendFailure(error);
      } finally {
        showMemory();
        document.body.dataset.runs = String(++runs);
        document.body.dataset.state = 'ready';
      }
    });
    return queue;
  };

  const restart = async (): Promise<void> => {
    await queue;
    workspace.reset();
    memory.reset();
    consoleView.clear();
    await memory.render([]);
    showMemory();
  };

  const showMemory = () => {
    const held = np.memory().bytes;
    memoryReadout.textContent = `arrays hold ${held.toLocaleString('en-US')} bytes`;
  };

  const consoleView = new ConsoleView((source) => void execute(source));
  const tutorial = new TutorialPanel(TUTORIAL, { run: execute, restart });

  status.replaceChildren(backendBadge(np), memoryReadout);
  root.append(
    h(
      'main',
      { class: 'layout' },
      h('div', { class: 'left' }, tutorial.element, consoleView.element),
      h('div', { class: 'right' }, h('div', { class: 'memory-head' }, h('h2', { text: 'Memory' }), legend()), memory.element),
    ),
  );
  void memory.render([]).then(() => {
    showMemory();
    document.body.dataset.runs = '0';
    document.body.dataset.state = 'ready';
  });
  consoleView.focus();
}

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend' },
    h('span', { class: 'sample touched', text: '0' }),
    'cells an array walks, numbered in iteration order',
    h('span', { class: 'sample changed', text: '' }),
    'changed by the last statements',
  );
}

function backendBadge(np: Context): HTMLElement {
  if (np.backend === 'webgpu') {
    return h(
      'span',
      { class: 'backend webgpu', data: { testid: 'backend', backend: 'webgpu' }, title: np.device },
      h('b', { text: 'WebGPU' }),
      ` · ${np.device}`,
    );
  }
  return h(
    'span',
    { class: 'backend cpu', data: { testid: 'backend', backend: 'cpu' }, title: np.fallbackReason ?? '' },
    h('b', { text: 'CPU' }),
    np.fallbackReason ? ` · WebGPU unavailable: ${np.fallbackReason}` : ' backend',
  );
}
