/**
 * The memory view: one section per buffer, one card per array over it. Each card shows the array's values
 * (`await a.format()`), its shape, strides, offset, base and owndata, and the buffer as a strip of cells
 * in which the cells the array touches are coloured and numbered in iteration order. Cells whose value
 * changed during the last statements run light up in every array that touches them.
 */

import type { NDArray } from 'ndgpu';
import type { ArrayEntry } from '../lang/interpreter.js';
import { cellText, readBuffer, type BufferContents } from '../memory/buffers.js';
import { touches } from '../memory/cells.js';
import { h } from './dom.js';

/** Cells drawn per buffer (the strip wraps to the panel's width). */
const CELL_LIMIT = 120;
const HUES = [212, 152, 278, 24, 338, 186, 48, 100];

interface Group {
  owner: NDArray;
  members: ArrayEntry[];
}

export class MemoryPanel {
  readonly element = h('div', { class: 'memory', data: { testid: 'memory' } });
  /** Each owner's cells as last read. */
  #contents = new WeakMap<NDArray, BufferContents>();
  /** Cells that changed since `begin()`, per owner. */
  #changed = new Map<NDArray, Set<number>>();
  #hues = new WeakMap<NDArray, number>();
  #nextHue = 0;

  /** Starts a batch of statements: what they change will light up. */
  begin(): void {
    this.#changed = new Map();
  }

  /** Reads every buffer and notes the cells whose value changed since the last read. */
  async capture(entries: ArrayEntry[]): Promise<void> {
    for (const { owner } of groupByOwner(entries)) {
      const contents = await readBuffer(owner, CELL_LIMIT);
      const previous = this.#contents.get(owner)?.values;
      this.#contents.set(owner, contents);
      if (!previous || previous.length !== contents.values.length) continue;
      const changed = this.#changed.get(owner) ?? new Set<number>();
      contents.values.forEach((value, cell) => {
        if (!Object.is(value, previous[cell])) changed.add(cell);
      });
      this.#changed.set(owner, changed);
    }
  }

  /** Draws every buffer and array as they are now. */
  async render(entries: ArrayEntry[]): Promise<void> {
    await this.capture(entries);
    const sections: HTMLElement[] = [];
    for (const group of groupByOwner(entries)) sections.push(await this.#section(group));
    if (sections.length === 0) {
      sections.push(h('p', { class: 'empty', text: 'No arrays yet. Try a = arange(12).reshape(3, 4), or run the tutorial.' }));
    }
    this.element.replaceChildren(...sections);
  }

  reset(): void {
    this.#contents = new WeakMap();
    this.#changed = new Map();
    this.#hues = new WeakMap();
    this.#nextHue = 0;
  }

  async #section(group: Group): Promise<HTMLElement> {
    const { owner } = group;
    const contents = this.#contents.get(owner)!;
    const changed = this.#changed.get(owner) ?? new Set<number>();
    const title = ownerTitle(group);
    const shown = contents.values.length;
    const cards: HTMLElement[] = [];
    for (const entry of group.members) cards.push(await this.#card(entry, group, contents, changed));
    return h(
      'section',
      { class: 'buffer', data: { testid: 'buffer', owner: title } },
      h(
        'header',
        { class: 'buffer-head' },
        h('span', { class: 'buffer-title' }, 'buffer of ', h('b', { text: title })),
        h('span', { class: 'buffer-size', text: `${contents.cellCount} × ${owner.dtype} = ${owner.nbytes} bytes` }),
        shown < contents.cellCount ? h('span', { class: 'buffer-note', text: `first ${shown} cells drawn` }) : null,
      ),
      h('div', { class: 'ruler-row' }, h('span', { class: 'ruler-label', text: 'byte' }), ruler(contents)),
      ...cards,
    );
  }

  async #card(entry: ArrayEntry, group: Group, contents: BufferContents, changed: Set<number>): Promise<HTMLElement> {
    const { array } = entry;
    const hue = this.#hue(array);
    const isOwner = array === group.owner;
    const values = await array.format();
    const strip = this.#strip(array, contents, changed);
    const lit = strip.querySelector('.cell.changed') !== null;
    const name = entry.names.length > 0 ? entry.names.join(' = ') : ownerTitle(group);
    const role = isOwner ? ownerRole(entry, group) : `view of ${ownerTitle(group)}`;
    return h(
      'article',
      {
        class: `array-card${isOwner ? ' owner' : ''}${entry.names.length === 0 ? ' unnamed' : ''}${lit ? ' has-changes' : ''}`,
        data: { testid: 'array-card', names: entry.names.join(' '), title: name },
        style: { '--hue': String(hue) },
      },
      h(
        'header',
        { class: 'card-head' },
        h('span', { class: 'swatch' }),
        h('span', { class: 'names', text: name }),
        h('span', { class: 'role', text: role }),
        lit ? h('span', { class: 'badge changed', text: 'changed' }) : null,
      ),
      h(
        'dl',
        { class: 'meta' },
        field('shape', tupleText(array.shape)),
        field('strides', tupleText(array.strides)),
        field('offset', String(array.offset)),
        field('dtype', array.dtype),
        field('base', isOwner ? 'None' : ownerTitle(group)),
        field('owndata', array.flags.owndata ? 'True' : 'False'),
      ),
      h('pre', { class: 'values', data: { testid: 'values' }, text: values }),
      strip,
    );
  }

  #strip(array: NDArray, contents: BufferContents, changed: Set<number>): HTMLElement {
    const shown = contents.values.length;
    const { orders, covered, truncated } = touches(array, contents.unit, shown);
    const cells = contents.values.map((value, cell) => {
      const visits = orders.get(cell);
      const touched = visits !== undefined || covered.has(cell);
      const classes = ['cell', touched ? 'touched' : '', touched && changed.has(cell) ? 'changed' : ''].filter(Boolean).join(' ');
      return h(
        'div',
        {
          class: classes,
          data: visits ? { cell, order: visits.join(',') } : { cell },
          title: visits ? `element ${visits.join(', ')} of this view` : undefined,
        },
        visits ? h('span', { class: 'order', text: orderText(visits) }) : null,
        h('span', { class: 'value', text: cellText(value) }),
      );
    });
    return h(
      'div',
      { class: 'strip-wrap' },
      h('div', { class: 'strip', data: { testid: 'strip' } }, ...cells),
      truncated ? h('p', { class: 'strip-note', text: 'iteration order shown for the first 100,000 elements' }) : null,
    );
  }

  #hue(array: NDArray): number {
    let hue = this.#hues.get(array);
    if (hue === undefined) {
      hue = HUES[this.#nextHue++ % HUES.length];
      this.#hues.set(array, hue);
    }
    return hue;
  }
}

function groupByOwner(entries: ArrayEntry[]): Group[] {
  const groups = new Map<NDArray, Group>();
  for (const entry of entries) {
    const owner = entry.array.base ?? entry.array;
    const group = groups.get(owner) ?? { owner, members: [] };
    groups.set(owner, group);
    if (entry.array === owner) group.members.unshift(entry);
    else group.members.push(entry);
  }
  return [...groups.values()];
}

/** The owner's names; without one, how Python reaches it (`b.base`), or the name it once had. */
function ownerTitle(group: Group): string {
  const ownerEntry = group.members.find((m) => m.array === group.owner);
  if (ownerEntry && ownerEntry.names.length > 0) return ownerEntry.names.join(' = ');
  const view = group.members.find((m) => m.names.length > 0);
  if (view) return `${view.names[0]}.base`;
  return ownerEntry?.label ? `⟨${ownerEntry.label}⟩` : '⟨unnamed⟩';
}

function ownerRole(entry: ArrayEntry, group: Group): string {
  if (entry.names.length > 0) return 'owns its memory';
  const holders = group.members.filter((m) => m.names.length > 0).map((m) => m.names[0]);
  const keep = holders.length === 1 ? `${holders[0]} keeps it alive` : `${holders.join(', ')} keep it alive`;
  return entry.label ? `owner with no name left (it was '${entry.label}'); ${keep}` : `owner, never named; ${keep}`;
}

function ruler(contents: BufferContents): HTMLElement {
  const marks = contents.values.map((_, cell) => h('span', { text: String(cell * contents.unit) }));
  return h('div', { class: 'strip ruler' }, ...marks);
}

function field(name: string, value: string): HTMLElement {
  return h('div', { data: { field: name } }, h('dt', { text: name }), h('dd', { text: value }));
}

function tupleText(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

function orderText(visits: number[]): string {
  return visits.length <= 2 ? visits.join(',') : `${visits[0]},${visits[1]}…`;
}
