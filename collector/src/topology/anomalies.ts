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
] as const;
export type AnomalyReason = (typeof ANOMALY_REASONS)[number];

export interface Anomaly {
  reason: AnomalyReason;
  type: string;
  subject: string;
}
