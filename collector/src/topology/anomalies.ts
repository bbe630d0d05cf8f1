// Impossible or suspicious transitions: counted, reported, never applied by guessing.
export const ANOMALY_REASONS = [
  'unknown_node',
  'unknown_actor',
  'duplicate_join',
  'duplicate_failure',
  'not_failed',
  'duplicate_spawn',
  'duplicate_exit',
  'exit_before_spawn',
  'restart_count_decreased',
  'duplicate_seq',
  'seq_gap',
  /** A new node, actor, flow edge or emitter beyond its bound (StateOptions): not applied, so memory stays bounded. */
  'entity_limit',
] as const;
export type AnomalyReason = (typeof ANOMALY_REASONS)[number];

export interface Anomaly {
  reason: AnomalyReason;
  type: string;
  subject: string;
}
