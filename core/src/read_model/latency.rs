//! Produce-to-acknowledgement latency per `acks` setting, from the ledger: how long the
//! application waited between `send()` and the producer's success, so acks=0, 1 and all can be
//! compared in one run (records may override the producer's `acks`, as a produce step's `acks`).
//!
//! acks=0 completes when the request is written to the socket (R2.6), so its latency is the
//! producer's own batching; acks=1 adds a round trip to the leader; acks=all adds the followers'
//! next fetch and the HW moving past the record (R2.7).

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::config::Acks;
use crate::types::Millis;

/// Upper edges (inclusive) of the histogram's buckets, in virtual ms; the last bucket holds
/// everything slower.
pub const BUCKET_EDGES_MS: [Millis; 10] = [0, 2, 5, 10, 20, 50, 100, 500, 2_000, 10_000];

/// The latency of the records sent with one `acks` setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckLatencyGroup {
    /// The setting.
    pub acks: Acks,
    /// Records acknowledged.
    pub acked: usize,
    /// Records still waiting (queued or in flight).
    pub waiting: usize,
    /// Records the producer gave up on.
    pub failed: usize,
    /// Median latency of the acknowledged ones (nearest rank), in ms.
    pub p50_ms: Option<Millis>,
    /// 95th percentile (nearest rank), in ms.
    pub p95_ms: Option<Millis>,
    /// Slowest acknowledgement, in ms.
    pub max_ms: Option<Millis>,
    /// Acknowledged records per bucket of [`BUCKET_EDGES_MS`] (one more bucket for the rest).
    pub histogram: Vec<u32>,
}

/// One group per `acks` setting that sent at least one record, in the order 0, 1, all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckLatency {
    /// The groups.
    pub groups: Vec<AckLatencyGroup>,
}

/// The nearest-rank percentile `p` (0–100) of `v` (unsorted, not empty).
fn percentile(v: &mut [Millis], p: usize) -> Millis {
    let rank = (v.len() * p).div_ceil(100).clamp(1, v.len());
    *v.select_nth_unstable(rank - 1).1
}

impl Cluster {
    /// Produce-to-acknowledgement latency per `acks` setting (records of the application's
    /// producers; a pipeline's outputs are left out).
    pub fn ack_latency(&self) -> AckLatency {
        let mut groups = Vec::new();
        for acks in [Acks::None, Acks::Leader, Acks::All] {
            let mut waits: Vec<Millis> = Vec::new();
            let (mut sent, mut failed) = (0, 0);
            for e in self.ledger().entries.iter().filter(|e| e.acks == acks) {
                if e.source.is_some() {
                    continue;
                }
                sent += 1;
                match (&e.acked, &e.failed) {
                    (Some((at, _)), _) => waits.push(at.time.saturating_sub(e.produced.time)),
                    (None, Some(_)) => failed += 1,
                    (None, None) => {}
                }
            }
            if sent == 0 {
                continue;
            }
            let mut histogram = vec![0u32; BUCKET_EDGES_MS.len() + 1];
            for w in &waits {
                histogram[BUCKET_EDGES_MS.partition_point(|edge| edge < w)] += 1;
            }
            let acked = waits.len();
            let (p50_ms, p95_ms, max_ms) = if waits.is_empty() {
                (None, None, None)
            } else {
                (
                    Some(percentile(&mut waits, 50)),
                    Some(percentile(&mut waits, 95)),
                    waits.iter().max().copied(),
                )
            };
            groups.push(AckLatencyGroup {
                acks,
                acked,
                waiting: sent - acked - failed,
                failed,
                p50_ms,
                p95_ms,
                max_ms,
                histogram,
            });
        }
        AckLatency { groups }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v = vec![5, 1, 4, 2, 3];
        assert_eq!(percentile(&mut v, 50), 3);
        assert_eq!(percentile(&mut v, 95), 5);
        assert_eq!(percentile(&mut [7], 50), 7);
        let mut hundred: Vec<Millis> = (1..=100).rev().collect();
        assert_eq!(percentile(&mut hundred, 95), 95);
        assert_eq!(percentile(&mut hundred, 50), 50);
    }

    #[test]
    fn buckets_are_inclusive_upper_edges() {
        let bucket = |w: Millis| BUCKET_EDGES_MS.partition_point(|edge| *edge < w);
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(2), 1);
        assert_eq!(bucket(3), 2);
        assert_eq!(bucket(10_000), 9);
        assert_eq!(bucket(10_001), 10);
    }
}
