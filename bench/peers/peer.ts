/** What every peer library offers the runner. */

import type { CaseId, Geometry } from '../cases.js';
import type { Measurement, RepetitionCounts } from '../timing.js';

export type PeerName = 'tfjs' | 'ndarray-ops' | 'numpy';

export interface Peer {
  name: PeerName;
  version: string;
  /** Which backend's rows it stands beside. */
  backend: 'webgpu' | 'cpu';
  /** The case's measurement, or null where the library cannot express the case. */
  measure(id: CaseId, g: Geometry, source: Float32Array, counts: RepetitionCounts): Promise<Measurement | null>;
  dispose?(): void;
}

/** A loaded peer, or why it could not be loaded. */
export type PeerLoad = { ok: true; peer: Peer } | { ok: false; name: PeerName; reason: string };

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
