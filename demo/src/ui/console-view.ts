/**
 * The REPL: a transcript of statements with what Python would print under each, errors in place, and an
 * input where Enter runs (Shift+Enter adds a line; ↑/↓ recall earlier input).
 */

import type { Outcome } from '../lang/interpreter.js';
import { h } from './dom.js';

export class ConsoleView {
  readonly element: HTMLElement;
  readonly #log = h('div', { class: 'log', data: { testid: 'log' } });
  readonly #input = h('textarea', {
    class: 'input',
    data: { testid: 'input' },
    attrs: { rows: '2', spellcheck: 'false', placeholder: 'a = arange(12).reshape(3, 4)', 'aria-label': 'statement' },
  });
  readonly #history: string[] = [];
  #recall = 0;

  constructor(onSubmit: (source: string) => void) {
    const submit = () => {
      const source = this.#input.value;
      if (source.trim() === '') return;
      this.#history.push(source);
      this.#recall = this.#history.length;
      this.#input.value = '';
      onSubmit(source);
    };
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        submit();
      } else if (event.key === 'ArrowUp' && !this.#input.value.slice(0, this.#input.selectionStart).includes('\n')) {
        this.#step(-1, event);
      } else if (event.key === 'ArrowDown' && !this.#input.value.slice(this.#input.selectionEnd).includes('\n')) {
        this.#step(1, event);
      }
    });
    this.element = h(
      'section',
      { class: 'console' },
      h('h2', { text: 'Console' }),
      this.#log,
      h(
        'div',
        { class: 'prompt' },
        h('span', { class: 'prompt-mark', text: '>>>' }),
        this.#input,
        h('button', { class: 'run', data: { testid: 'run' }, text: 'Run', on: { click: submit } }),
      ),
      h('p', { class: 'hint', text: 'Enter runs · Shift+Enter adds a line · ↑ ↓ recall · np. is optional' }),
    );
  }

  append(outcomes: Outcome[]): void {
    for (const outcome of outcomes) this.#log.append(entry(outcome));
    this.#log.scrollTop = this.#log.scrollHeight;
  }

  /** An error outside any statement (the playground itself failed). */
  appendFailure(error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#log.append(h('div', { class: 'entry failed' }, h('pre', { class: 'error', text: message })));
  }

  clear(): void {
    this.#log.replaceChildren();
  }

  focus(): void {
    this.#input.focus();
  }

  #step(direction: -1 | 1, event: KeyboardEvent): void {
    const next = this.#recall + direction;
    if (next < 0 || next > this.#history.length) return;
    event.preventDefault();
    this.#recall = next;
    this.#input.value = this.#history[next] ?? '';
  }
}

function entry(outcome: Outcome): HTMLElement {
  const source = outcome.source
    .split('\n')
    .map((line, k) => `${k === 0 ? '>>>' : '...'} ${line}`)
    .join('\n');
  const error = outcome.error;
  return h(
    'div',
    { class: `entry${error ? ' failed' : ''}`, data: { testid: 'entry' } },
    h('pre', { class: 'source', text: source }),
    outcome.output !== null ? h('pre', { class: 'output', data: { testid: 'output' }, text: outcome.output }) : null,
    error
      ? h(
          'pre',
          { class: 'error', data: { testid: 'error' } },
          error.excerpt ? `${error.excerpt}\n` : '',
          h('b', { text: error.name }),
          `: ${error.message}`,
        )
      : null,
  );
}
