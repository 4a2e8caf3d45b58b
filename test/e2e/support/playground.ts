/** Driving the built playground from a test: run statements and tutorial steps, read what it shows. */

import type { Page } from 'playwright-core';

export interface CardState {
  /** The names bound to the array, space-separated (empty for an unnamed owner). */
  names: string;
  /** What the card is titled: `a = b`, `c`, `b.base`... */
  title: string;
  values: string;
  fields: Record<string, string>;
  /** Cell index of each element, in iteration order. */
  walk: number[];
  /** Cells lit up as changed by the last statements. */
  changed: number[];
}

export interface BufferState {
  owner: string;
  cards: CardState[];
}

export interface EntryState {
  source: string;
  output: string | null;
  error: string | null;
}

export interface PlaygroundState {
  backend: string;
  held: string;
  buffers: BufferState[];
  entries: EntryState[];
}

/** Waits until the playground has started (ndgpu initialised, first drawing done). */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.state === 'ready' || document.body.dataset.state === 'failed', null, {
    timeout: 60_000,
  });
}

/** Runs `action` and waits until the playground has finished the statements it started. */
async function andWait(page: Page, action: () => Promise<void>): Promise<void> {
  const runs = await page.evaluate(() => Number(document.body.dataset.runs ?? 0));
  await action();
  await page.waitForFunction(
    (before) => Number(document.body.dataset.runs ?? 0) > before && document.body.dataset.state === 'ready',
    runs,
    { timeout: 60_000 },
  );
}

export function type(page: Page, source: string): Promise<void> {
  return andWait(page, async () => {
    await page.fill('[data-testid=input]', source);
    await page.press('[data-testid=input]', 'Enter');
  });
}

export function runTutorialStep(page: Page): Promise<void> {
  return andWait(page, () => page.click('[data-testid=tutorial-next]'));
}

export function readState(page: Page): Promise<PlaygroundState> {
  return page.evaluate(() => {
    const text = (root: Element, selector: string) => root.querySelector(selector)?.textContent ?? null;
    const card = (element: Element) => {
      const walk: number[] = [];
      for (const cell of element.querySelectorAll<HTMLElement>('.cell[data-order]')) {
        for (const order of cell.dataset.order!.split(',')) walk[Number(order)] = Number(cell.dataset.cell);
      }
      const fields: Record<string, string> = {};
      for (const field of element.querySelectorAll<HTMLElement>('[data-field]')) fields[field.dataset.field!] = text(field, 'dd') ?? '';
      return {
        names: (element as HTMLElement).dataset.names ?? '',
        title: (element as HTMLElement).dataset.title ?? '',
        values: text(element, '[data-testid=values]') ?? '',
        fields,
        walk,
        changed: [...element.querySelectorAll<HTMLElement>('.cell.changed')].map((cell) => Number(cell.dataset.cell)),
      };
    };
    return {
      backend: document.querySelector<HTMLElement>('[data-testid=backend]')?.dataset.backend ?? 'none',
      held: text(document.body, '[data-testid=memory-held]') ?? '',
      buffers: [...document.querySelectorAll<HTMLElement>('[data-testid=buffer]')].map((buffer) => ({
        owner: buffer.dataset.owner ?? '',
        cards: [...buffer.querySelectorAll('[data-testid=array-card]')].map(card),
      })),
      entries: [...document.querySelectorAll('[data-testid=entry]')].map((entry) => ({
        source: text(entry, '.source') ?? '',
        output: text(entry, '[data-testid=output]'),
        error: text(entry, '[data-testid=error]'),
      })),
    };
  });
}

/** The card of the array bound to `name`. */
export function card(state: PlaygroundState, name: string): CardState {
  for (const buffer of state.buffers) {
    for (const c of buffer.cards) if (c.names.split(' ').includes(name) || c.title === name) return c;
  }
  throw new Error(`no card for '${name}' (cards: ${state.buffers.flatMap((b) => b.cards.map((c) => c.title)).join(', ')})`);
}

export const range = (n: number) => [...Array(n).keys()];
