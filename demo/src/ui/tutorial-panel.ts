/** Steps through NumPy's "Copies and Views" tutorial, running each step's statements in the console. */

import type { TutorialStep } from '../tutorial.js';
import { h } from './dom.js';

export interface TutorialActions {
  run(code: string): Promise<void>;
  restart(): Promise<void>;
}

export class TutorialPanel {
  readonly element = h('section', { class: 'tutorial', data: { testid: 'tutorial' } });
  readonly #steps: readonly TutorialStep[];
  readonly #actions: TutorialActions;
  #next = 0;
  #busy = false;

  constructor(steps: readonly TutorialStep[], actions: TutorialActions) {
    this.#steps = steps;
    this.#actions = actions;
    this.#render();
  }

  async #runNext(): Promise<void> {
    const step = this.#steps[this.#next];
    if (!step || this.#busy) return;
    this.#busy = true;
    this.#next++;
    this.#render();
    try {
      await this.#actions.run(step.code);
    } finally {
      this.#busy = false;
      this.#render();
    }
  }

  async #runAll(): Promise<void> {
    while (this.#next < this.#steps.length) await this.#runNext();
  }

  async #restart(): Promise<void> {
    this.#next = 0;
    this.#render();
    await this.#actions.restart();
  }

  #render(): void {
    const total = this.#steps.length;
    const step = this.#steps[this.#next];
    const done = step === undefined;
    this.element.dataset.step = String(this.#next);
    this.element.replaceChildren(
      h(
        'header',
        { class: 'tutorial-head' },
        h('h2', { text: 'NumPy tutorial: Copies and Views' }),
        h('span', { class: 'progress', text: done ? `all ${total} steps run` : `step ${this.#next + 1} of ${total}` }),
      ),
      done
        ? h('p', { class: 'tutorial-text', text: 'That was the whole tutorial. Keep experimenting in the console, or start over.' })
        : h(
            'div',
            { class: 'tutorial-step' },
            h('h3', { text: step.section }),
            h('p', { class: 'tutorial-text', text: step.text }),
            h('pre', { class: 'code', text: step.code }),
          ),
      h(
        'div',
        { class: 'buttons' },
        h('button', {
          class: 'primary',
          data: { testid: 'tutorial-next' },
          text: done ? 'Done' : 'Run this step',
          attrs: done || this.#busy ? { disabled: '' } : {},
          on: { click: () => void this.#runNext() },
        }),
        h('button', {
          data: { testid: 'tutorial-all' },
          text: 'Run all',
          attrs: done || this.#busy ? { disabled: '' } : {},
          on: { click: () => void this.#runAll() },
        }),
        h('button', { data: { testid: 'tutorial-restart' }, text: 'Start over', on: { click: () => void this.#restart() } }),
      ),
    );
  }
}
