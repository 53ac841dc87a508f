//! The log start offset of one replica: retention, DeleteRecords on the leader, and a follower
//! following the leader's log start (KIP-107; UnifiedLog#maybeIncrementLogStartOffset).

use crate::node::{Observation, Out};
use crate::partition::{Ctx, Partition};
use crate::protocol::ErrorCode;
use crate::types::Offset;

impl Partition {
    /// LogManager#cleanupLogs, run by every replica (leader or follower) on the
    /// `log.retention.check.interval.ms` timer. UnifiedLog#deleteOldSegments applies
    /// `retention.ms` (deleteRetentionMsBreachedSegments: records older than it, by timestamp)
    /// and then `retention.bytes` (deleteRetentionSizeBreachedSegments: the oldest records beyond
    /// it, counted in records). Both delete a prefix of the log and only below the HW
    /// (UnifiedLog#deletableSegments keeps a segment unless `highWatermark >= upperBoundOffset`).
    pub fn apply_retention(&mut self, ctx: &Ctx, out: &mut Out) {
        let Some(topic) = ctx.cfg.topics.get(self.tp.topic as usize) else {
            return;
        };
        if let Some(ms) = topic.retention_ms {
            let hw = self.log.high_watermark();
            let expired = (self.log.log_start_offset()..hw)
                .take_while(|&o| {
                    self.log
                        .get(o)
                        .is_some_and(|r| ctx.now.saturating_sub(r.timestamp) > ms)
                })
                .count();
            if expired > 0 {
                let to = self.log.log_start_offset() + expired as Offset;
                self.move_log_start(ctx, to, "retention.ms", out);
            }
        }
        if let Some(limit) = topic.retention_bytes {
            let size = (self.log.leo() - self.log.log_start_offset()) as u64;
            if size > limit {
                let to = self.log.log_start_offset() + (size - limit) as Offset;
                self.move_log_start(ctx, to, "retention.bytes", out);
            }
        }
    }

    /// The leader's side of DeleteRecords (ReplicaManager#deleteRecords →
    /// UnifiedLog#maybeIncrementLogStartOffset): `to` = -1 means the HW; above the HW (or below
    /// 0) is OFFSET_OUT_OF_RANGE. Returns the new log start (the DeleteRecords low watermark).
    pub fn delete_records(
        &mut self,
        ctx: &Ctx,
        to: Offset,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        if !self.is_leader() {
            return Err(ErrorCode::NotLeaderOrFollower);
        }
        let hw = self.log.high_watermark();
        let to = if to == -1 { hw } else { to };
        if to < 0 || to > hw {
            return Err(ErrorCode::OffsetOutOfRange);
        }
        self.move_log_start(ctx, to, "DeleteRecords", out);
        Ok(self.log.log_start_offset())
    }

    /// ReplicaFetcherThread#processPartitionData: a follower moves its log start up to the
    /// leader's (`log_start_offset` of the fetch response; LeaderOffsetIncremented), bounded by
    /// its own HW.
    pub(crate) fn follow_leader_log_start(
        &mut self,
        ctx: &Ctx,
        leader_start: Offset,
        out: &mut Out,
    ) {
        if leader_start > self.log.log_start_offset() {
            self.move_log_start(ctx, leader_start, "the leader's log start", out);
        }
    }

    /// AbstractFetcherThread#handleOutOfRangeError / fetchOffsetAndTruncate: a follower whose
    /// fetch offset is below the leader's log start truncates fully and starts again at the
    /// leader's log start (UnifiedLog#truncateFullyAndStartAt).
    pub(crate) fn restart_at_leader_log_start(
        &mut self,
        ctx: &Ctx,
        leader_start: Offset,
        out: &mut Out,
    ) {
        let from = self.log.log_start_offset();
        let removed = self.log.truncate_fully_and_start_at(leader_start);
        out.observe(Observation::Truncated {
            broker: ctx.me,
            tp: self.tp,
            to: leader_start,
            removed,
            reason: format!(
                "fetch offset below the leader's log start {leader_start}: truncate fully and start at it (was log start {from})"
            ),
        });
    }

    fn move_log_start(&mut self, ctx: &Ctx, to: Offset, reason: &str, out: &mut Out) {
        let from = self.log.log_start_offset();
        let deleted = self.log.advance_log_start(to);
        if !deleted.is_empty() {
            out.observe(Observation::LogStartAdvanced {
                broker: ctx.me,
                tp: self.tp,
                from,
                to: self.log.log_start_offset(),
                reason: reason.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::Cluster;
    use crate::command::Command;
    use crate::config::ClusterConfig;

    fn produced(n: usize) -> Cluster {
        produced_with(ClusterConfig::default(), n)
    }

    fn produced_with(cfg: ClusterConfig, n: usize) -> Cluster {
        let mut c = Cluster::new(cfg, 1).unwrap();
        c.run_until(10_000);
        for i in 0..n {
            let value = format!("v{i}");
            c.apply(Command::Produce {
                producer: 1,
                topic: None,
                partition: None,
                key: None,
                value,
                acks: None,
            })
            .unwrap();
        }
        c.run_until(20_000);
        c
    }

    fn starts(c: &Cluster) -> Vec<i64> {
        c.brokers()
            .map(|(_, s)| {
                s.broker
                    .partitions
                    .values()
                    .next()
                    .unwrap()
                    .log
                    .log_start_offset()
            })
            .collect()
    }

    #[test]
    fn delete_records_moves_leader_and_followers_log_start() {
        let mut c = produced(4);
        c.apply(Command::DeleteRecords {
            topic: None,
            partition: 0,
            offset: 3,
        })
        .unwrap();
        c.run_until(30_000);
        assert_eq!(
            starts(&c),
            vec![3, 3, 3],
            "followers learn it from fetch responses"
        );
    }

    #[test]
    fn delete_records_bad_input_gets_a_clear_message() {
        let mut c = produced(2);
        let e = c
            .apply(Command::DeleteRecords {
                topic: None,
                partition: 0,
                offset: 9,
            })
            .unwrap_err();
        assert!(
            e.0.contains("OffsetOutOfRange") && e.0.contains("HW 2"),
            "{e}"
        );
        let e = c
            .apply(Command::DeleteRecords {
                topic: None,
                partition: 5,
                offset: 0,
            })
            .unwrap_err();
        assert!(e.0.contains("no partition 5"), "{e}");
        let e = c
            .apply(Command::DeleteRecords {
                topic: None,
                partition: 0,
                offset: -7,
            })
            .unwrap_err();
        assert!(e.0.contains("invalid"), "{e}");
        assert_eq!(starts(&c), vec![0, 0, 0]);
    }

    #[test]
    fn retention_keeps_the_newest_records_on_every_replica() {
        let mut cfg = ClusterConfig::default();
        cfg.topics[0].retention_bytes = Some(2);
        cfg.broker.log_retention_check_interval_ms = 1_000;
        let mut c = produced_with(cfg, 5);
        c.run_until(30_000);
        assert_eq!(starts(&c), vec![3, 3, 3]);
    }

    #[test]
    fn retention_ms_deletes_records_older_than_it_below_the_hw() {
        // Records produced at t = 10 s; with retention.ms = 15 s they expire after t = 25 s, and
        // the next check (every 1 s) deletes them on every replica.
        let mut cfg = ClusterConfig::default();
        cfg.topics[0].retention_ms = Some(15_000);
        cfg.broker.log_retention_check_interval_ms = 1_000;
        let mut c = produced_with(cfg, 3);
        c.run_until(24_000);
        assert_eq!(starts(&c), vec![0, 0, 0], "not yet older than retention.ms");
        c.run_until(27_000);
        assert_eq!(starts(&c), vec![3, 3, 3]);
    }
}
