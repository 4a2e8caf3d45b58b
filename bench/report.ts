/** Rows, summary statistics and the printed / Markdown tables. */

import { SMALL, type CaseId } from './cases.js';
import type { PeerName } from './peers/peer.js';
import { geomean } from './timing.js';

export type BackendName = 'webgpu' | 'cpu';

export interface Stat {
  medianMs: number;
  gbps: number;
  timesMs: number[];
}

export type PeerCell =
  | (Stat & { status: 'ok'; ndgpuOverPeer: number | null; allocMedianMs?: number })
  | { status: 'unsupported' }
  | { status: 'unavailable' | 'error'; reason: string };

export interface Row {
  case: CaseId;
  number: string;
  label: string;
  backend: BackendName;
  strided: boolean;
  /** Bytes read + written by one repetition. */
  bytes: number;
  ndgpu: Stat | null;
  baseline: (Stat & { method: string }) | null;
  /** ndgpu GB/s / baseline GB/s (= baseline time / ndgpu time: the baseline moves the same bytes). */
  ratio: number | null;
  error?: string;
  peers: Partial<Record<PeerName, PeerCell>>;
}

export const PEER_COLUMNS: { name: PeerName; title: string; backend: BackendName }[] = [
  { name: 'tfjs', title: 'tfjs', backend: 'webgpu' },
  { name: 'ndarray-ops', title: 'ndarray-ops', backend: 'cpu' },
  { name: 'numpy', title: 'NumPy', backend: 'cpu' },
];

export interface Extreme {
  geomean: number;
  worst: { case: CaseId; ratio: number };
  cases: number;
}

export interface Summary {
  /** Per backend: ndgpu / baseline over the strided cases (2-8). */
  stridedVsBaseline: Partial<Record<BackendName, Extreme>>;
  /** Per peer: ndgpu / peer over the cases it expresses. */
  vsPeer: Partial<Record<PeerName, Extreme & { backend: BackendName }>>;
}

function extreme(pairs: { case: CaseId; ratio: number }[]): Extreme | null {
  if (pairs.length === 0) return null;
  const worst = pairs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  return { geomean: geomean(pairs.map((p) => p.ratio)), worst, cases: pairs.length };
}

export function summarize(rows: readonly Row[]): Summary {
  const summary: Summary = { stridedVsBaseline: {}, vsPeer: {} };
  for (const backend of ['webgpu', 'cpu'] as const) {
    const pairs = rows
      .filter((r) => r.backend === backend && r.strided && r.ratio !== null)
      .map((r) => ({ case: r.case, ratio: r.ratio as number }));
    const e = extreme(pairs);
    if (e) summary.stridedVsBaseline[backend] = e;
  }
  for (const { name, backend } of PEER_COLUMNS) {
    const pairs: { case: CaseId; ratio: number }[] = [];
    for (const r of rows) {
      const cell = r.peers[name];
      if (r.backend === backend && cell?.status === 'ok' && cell.ndgpuOverPeer !== null) pairs.push({ case: r.case, ratio: cell.ndgpuOverPeer });
    }
    const e = extreme(pairs);
    if (e) summary.vsPeer[name] = { ...e, backend };
  }
  return summary;
}

// ------------------------------------------------------------------------------------------------
// Formatting

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 0.1) return x.toFixed(2);
  return x.toPrecision(2);
}

function ms(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function peerText(row: Row, name: PeerName, backend: BackendName): string {
  if (row.backend !== backend) return '';
  const cell = row.peers[name];
  if (!cell) return '';
  switch (cell.status) {
    case 'ok':
      return `${fmt(cell.gbps)} (${fmt(cell.ndgpuOverPeer)}×)`;
    case 'unsupported':
      return '—';
    case 'unavailable':
      return 'n/a';
    case 'error':
      return 'error';
  }
}

const HEADER = ['case', 'backend', 'ndgpu ms', 'ndgpu GB/s', 'baseline GB/s', 'ratio', ...PEER_COLUMNS.map((p) => p.title)];

function cells(row: Row): string[] {
  return [
    `${row.number} ${row.label}`,
    row.backend,
    row.error ? 'error' : ms(row.ndgpu?.medianMs),
    fmt(row.ndgpu?.gbps),
    fmt(row.baseline?.gbps),
    row.ratio === null ? '—' : `${fmt(row.ratio)}×`,
    ...PEER_COLUMNS.map((p) => peerText(row, p.name, p.backend)),
  ];
}

export function textTable(rows: readonly Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, c) => Math.max(...table.map((r) => [...r[c]].length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(table[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: readonly Row[]): string {
  const escape = (s: string) => s.replaceAll('|', '\\|');
  const out = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, c) => (c < 2 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of rows) out.push(`| ${cells(row).map(escape).join(' | ')} |`);
  return out.join('\n');
}

const PEER_TITLE: Record<PeerName, string> = { tfjs: 'tfjs (WebGPU)', 'ndarray-ops': 'ndarray-ops (CPU)', numpy: 'NumPy (CPU)' };

export function summaryLines(summary: Summary, rows: readonly Row[] = []): string[] {
  const lines: string[] = [];
  for (const [backend, e] of Object.entries(summary.stridedVsBaseline)) {
    lines.push(
      `ndgpu ${backend} / ${backend === 'webgpu' ? 'copyBufferToBuffer' : 'TypedArray.set'}, strided cases (2-8): geometric mean ${fmt(e.geomean)}×, worst ${fmt(e.worst.ratio)}× (${e.worst.case}), ${e.cases} case${e.cases === 1 ? '' : 's'}`,
    );
  }
  for (const [name, e] of Object.entries(summary.vsPeer)) {
    lines.push(
      `ndgpu ${e.backend} / ${PEER_TITLE[name as PeerName]}: geometric mean ${fmt(e.geomean)}×, worst ${fmt(e.worst.ratio)}× (${e.worst.case}), ${e.cases} case${e.cases === 1 ? '' : 's'}`,
    );
  }
  lines.push(...perSetLines(rows));
  return lines;
}

/** Case 9 in microseconds per set, beside the baseline and peers. */
function perSetLines(rows: readonly Row[]): string[] {
  const us = (ms: number) => `${((ms * 1000) / SMALL.sets).toFixed(1)} µs`;
  return rows
    .filter((r) => r.case === 'smallsets' && r.ndgpu)
    .map((r) => {
      const others = [`baseline ${us(r.baseline?.medianMs ?? Number.NaN)}`];
      for (const { name, title } of PEER_COLUMNS) {
        const cell = r.peers[name];
        if (cell?.status === 'ok') others.push(`${title} ${us(cell.medianMs)}`);
      }
      return `case 9 on ${r.backend}: ndgpu ${us(r.ndgpu?.medianMs ?? Number.NaN)} per set (${others.join(', ')})`;
    });
}
