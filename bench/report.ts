/** Rows, summary statistics and the printed / Markdown tables. */

import { SMALL, type CaseGroup, type CaseId } from './cases.js';
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
  /** copy (cases 1-9) or compute (10-14: reported on their own). */
  group: CaseGroup;
  strided: boolean;
  /** Bytes read + written by one repetition. */
  bytes: number;
  ndgpu: Stat | null;
  baseline: (Stat & { method: string }) | null;
  /** ndgpu GB/s / baseline GB/s (copy cases: = baseline time / ndgpu time, the baseline moving the same
   * bytes; compute cases: the baseline copies the bytes the case reads). */
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

/** One compute case (10-14) on one backend: ndgpu / baseline and ndgpu / each peer beside it. */
export interface ComputeRatios {
  case: CaseId;
  number: string;
  backend: BackendName;
  vsBaseline: number | null;
  vsPeer: Partial<Record<PeerName, number | null>>;
}

export interface Summary {
  /** Per backend: ndgpu / baseline over the strided cases (2-8). */
  stridedVsBaseline: Partial<Record<BackendName, Extreme>>;
  /** Per peer: ndgpu / peer over the copy cases (1-9) it expresses. */
  vsPeer: Partial<Record<PeerName, Extreme & { backend: BackendName }>>;
  /** The compute cases (10-14), case by case (no mean). */
  compute: ComputeRatios[];
}

function extreme(pairs: { case: CaseId; ratio: number }[]): Extreme | null {
  if (pairs.length === 0) return null;
  const worst = pairs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  return { geomean: geomean(pairs.map((p) => p.ratio)), worst, cases: pairs.length };
}

export function summarize(rows: readonly Row[]): Summary {
  const summary: Summary = { stridedVsBaseline: {}, vsPeer: {}, compute: [] };
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
      if (r.group === 'copy' && r.backend === backend && cell?.status === 'ok' && cell.ndgpuOverPeer !== null)
        pairs.push({ case: r.case, ratio: cell.ndgpuOverPeer });
    }
    const e = extreme(pairs);
    if (e) summary.vsPeer[name] = { ...e, backend };
  }
  for (const r of rows) {
    if (r.group !== 'compute') continue;
    const vsPeer: ComputeRatios['vsPeer'] = {};
    for (const { name, backend } of PEER_COLUMNS) {
      const cell = r.peers[name];
      if (backend === r.backend && cell) vsPeer[name] = cell.status === 'ok' ? cell.ndgpuOverPeer : null;
    }
    summary.compute.push({ case: r.case, number: r.number, backend: r.backend, vsBaseline: r.ratio, vsPeer });
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

const GROUP_TITLE: Record<CaseGroup, string> = {
  copy: 'Copies and slice assignment (cases 1-9)',
  compute:
    'Compute (cases 10-12, 16-17, 26): elementwise add of transposed views, float32 sums (26: many outputs of two items), exact uint8 sum and mean, checked against the CPU before timing; not in the strided geometric mean',
  joining: 'Joining and rearranging (cases 13-15): concatenate, pad and roll into new arrays; not in the strided geometric mean',
  indexing:
    'Advanced indexing (cases 18-21): gather, scatter with repeated indices, boolean mask selection, cumsum; the baseline copies half the bytes counted',
  product:
    'Products (cases 22-25): float32 matmul, checked against the CPU before timing; the GB/s columns are GFLOP/s (2·m·n·k per product); no baseline',
  division:
    'Integer division (case 27): floor_divide and remainder of int32 arrays, checked before timing; the baseline copies the bytes read',
};

/** The rows by group (copy, then compute), each in run order. */
function sections(rows: readonly Row[]): { group: CaseGroup; rows: Row[] }[] {
  return (['copy', 'compute', 'joining', 'indexing', 'product', 'division'] as const)
    .map((group) => ({ group, rows: rows.filter((r) => r.group === group) }))
    .filter((s) => s.rows.length > 0);
}

/** One table with one column layout; a title line before each group. */
export function textTable(rows: readonly Row[]): string {
  const groups = sections(rows);
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, c) => Math.max(...table.map((r) => [...r[c]].length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(HEADER), rule];
  groups.forEach(({ group, rows: members }, k) => {
    if (k > 0) out.push(rule);
    if (groups.length > 1 || group !== 'copy') out.push(`${GROUP_TITLE[group]}:`);
    out.push(...members.map((r) => line(cells(r))));
  });
  return out.join('\n');
}

/** One Markdown table per group, each under a bold title. */
export function markdownTable(rows: readonly Row[]): string {
  const escape = (s: string) => s.replaceAll('|', '\\|');
  const out: string[] = [];
  for (const { group, rows: members } of sections(rows)) {
    if (out.length) out.push('');
    out.push(`**${GROUP_TITLE[group]}**`, '');
    out.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, c) => (c < 2 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const row of members) out.push(`| ${cells(row).map(escape).join(' | ')} |`);
  }
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
      `ndgpu ${e.backend} / ${PEER_TITLE[name as PeerName]}, copy cases (1-9): geometric mean ${fmt(e.geomean)}×, worst ${fmt(e.worst.ratio)}× (${e.worst.case}), ${e.cases} case${e.cases === 1 ? '' : 's'}`,
    );
  }
  lines.push(...perSetLines(rows));
  lines.push(...computeLines(summary.compute ?? []));
  lines.push(...joiningLines(rows));
  lines.push(...indexingLines(rows));
  lines.push(...productLines(rows));
  return lines;
}

// ----- joining, splitting, rearranging -----

/** Cases 13-15, per backend: each ratio to the baseline, and the geometric mean against each peer. */
function joiningLines(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const backend of ['webgpu', 'cpu'] as const) {
    const members = rows.filter((r) => r.group === 'joining' && r.backend === backend);
    if (members.length === 0) continue;
    const base = backend === 'webgpu' ? 'copyBufferToBuffer' : 'TypedArray.set';
    const each = members.map((r) => `${r.number} ${r.case} ${r.ratio === null ? '—' : `${fmt(r.ratio)}×`}`).join(', ');
    lines.push(`joining (13-15) on ${backend}, ndgpu / ${base} of the same bytes: ${each}`);
    for (const { name, backend: peerBackend } of PEER_COLUMNS) {
      if (peerBackend !== backend) continue;
      const pairs = members.flatMap((r) => {
        const cell = r.peers[name];
        return cell?.status === 'ok' && cell.ndgpuOverPeer !== null ? [{ case: r.case, ratio: cell.ndgpuOverPeer }] : [];
      });
      const e = extreme(pairs);
      if (!e) continue;
      const list = pairs.map((p) => `${p.case} ${fmt(p.ratio)}×`).join(', ');
      lines.push(`joining (13-15) on ${backend}, ndgpu / ${PEER_TITLE[name]}: geometric mean ${fmt(e.geomean)}× (${list})`);
    }
  }
  return lines;
}

// ----- advanced indexing -----

/** The advanced-indexing cases (18-21), per backend: each ratio, and the geometric means. */
function indexingLines(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const backend of ['webgpu', 'cpu'] as const) {
    const cases = rows.filter((r) => r.group === 'indexing' && r.backend === backend);
    if (cases.length === 0) continue;
    const base = backend === 'webgpu' ? 'copyBufferToBuffer' : 'TypedArray.set';
    const describe = (ratios: (number | null)[]) => {
      const list = cases.map((r, k) => `${r.number} ${r.case} ${ratios[k] === null ? '—' : `${fmt(ratios[k])}×`}`).join(', ');
      const known = ratios.filter((x): x is number => x !== null);
      return `${list}${known.length > 1 ? `; geometric mean ${fmt(geomean(known))}×` : ''}`;
    };
    lines.push(`advanced indexing (18-21) on ${backend}, ndgpu / ${base} of half the bytes: ${describe(cases.map((r) => r.ratio))}`);
    for (const { name, backend: peerBackend } of PEER_COLUMNS) {
      if (peerBackend !== backend) continue;
      const ratios = cases.map((r) => {
        const cell = r.peers[name];
        return cell?.status === 'ok' ? cell.ndgpuOverPeer : null;
      });
      if (ratios.some((x) => x !== null))
        lines.push(`advanced indexing (18-21) on ${backend}, ndgpu / ${PEER_TITLE[name]}: ${describe(ratios)}`);
    }
  }
  return lines;
}

/** The compute cases, one line per backend and comparison, case by case. */
function computeLines(compute: readonly ComputeRatios[]): string[] {
  const lines: string[] = [];
  const list = (ratios: { c: ComputeRatios; ratio: number | null | undefined }[]) =>
    ratios.map(({ c, ratio }) => `${c.number} ${c.case} ${ratio === null || ratio === undefined ? '—' : `${fmt(ratio)}×`}`).join(', ');
  for (const backend of ['webgpu', 'cpu'] as const) {
    const cases = compute.filter((c) => c.backend === backend);
    if (cases.length === 0) continue;
    const base = backend === 'webgpu' ? 'copyBufferToBuffer' : 'TypedArray.set';
    lines.push(`compute (10-14) on ${backend}, ndgpu / ${base} of the bytes read: ${list(cases.map((c) => ({ c, ratio: c.vsBaseline })))}`);
    for (const { name, backend: peerBackend } of PEER_COLUMNS) {
      if (peerBackend !== backend || !cases.some((c) => name in c.vsPeer)) continue;
      lines.push(`compute (10-14) on ${backend}, ndgpu / ${PEER_TITLE[name]}: ${list(cases.map((c) => ({ c, ratio: c.vsPeer[name] })))}`);
    }
  }
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

/** The product cases (13-16), one line per backend: ndgpu's GFLOP/s and each peer's beside it. */
function productLines(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const backend of ['webgpu', 'cpu'] as const) {
    const products = rows.filter((r) => r.group === 'product' && r.backend === backend);
    if (products.length === 0) continue;
    const cells = products.map((r) => {
      const peers = PEER_COLUMNS.filter((p) => p.backend === backend).flatMap(({ name, title }) => {
        const cell = r.peers[name];
        return cell?.status === 'ok' ? [`${title} ${fmt(cell.gbps)}, ${fmt(cell.ndgpuOverPeer)}×`] : [];
      });
      return `${r.number} ${r.case} ${r.ndgpu ? fmt(r.ndgpu.gbps) : 'error'}${peers.length ? ` (${peers.join('; ')})` : ''}`;
    });
    lines.push(`products on ${backend}, ndgpu GFLOP/s (peer GFLOP/s, ndgpu ÷ peer): ${cells.join(', ')}`);
  }
  return lines;
}
