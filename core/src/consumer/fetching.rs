//! Fetching from partition leaders (R7.1): fetch requests per leader, `auto.offset.reset`, and
//! position validation after a leader change (KIP-320, R7.7).

use crate::vec_map::VecMap;

use super::{Consumer, Req, LATEST};
use crate::config::{ClusterConfig, OffsetReset};
use crate::node::Out;
use crate::protocol::{EpochEndOffset, ErrorCode, FetchedPartition, Message};
use crate::txn::isolation::{deliver, FetchedRecord};
use crate::txn::RecordTxn;
use crate::types::{BrokerId, Epoch, Millis, Offset, TopicPartition};

impl Consumer {
    pub(super) fn send_fetches(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if now < self.fetch_not_before {
            self.wake(now, self.fetch_not_before, out);
            return;
        }
        let mut per_leader: VecMap<BrokerId, Vec<(TopicPartition, Offset)>> = VecMap::new();
        let mut to_validate: VecMap<BrokerId, Vec<(TopicPartition, Epoch)>> = VecMap::new();
        let mut need_metadata = false;
        for tp in &self.assigned {
            let Some(&pos) = self.positions.get(tp) else {
                continue;
            };
            let Some(&(leader, epoch)) = self.metadata.get(tp) else {
                need_metadata = true;
                continue;
            };
            // R7.7 (KIP-320): a new leader epoch since the last fetch ⇒ validate the position
            // (SubscriptionState#maybeValidatePositionForCurrentLeader).
            let seen = *self.fetch_epoch.entry(*tp).or_insert(epoch);
            if cfg.switches().consumer_truncation_detection
                && epoch > seen
                && self.last_epoch.contains_key(tp)
            {
                self.validating.insert(*tp);
            }
            match leader {
                Some(l) if self.validating.contains(tp) => {
                    let last = self.last_epoch.get(tp).copied().unwrap_or(-1);
                    to_validate.entry(l).or_default().push((*tp, last));
                }
                Some(l) => per_leader.entry(l).or_default().push((*tp, pos)),
                None => need_metadata = true,
            }
        }
        for (broker, partitions) in to_validate {
            let busy = self.in_flight(|r| matches!(r, Req::Validate { broker: b } if *b == broker));
            if !busy {
                self.request(
                    now,
                    cfg,
                    broker,
                    Req::Validate { broker },
                    |request_id| Message::OffsetsForLeaderEpoch {
                        request_id,
                        partitions,
                    },
                    out,
                );
            }
        }
        for (broker, offsets) in per_leader {
            let busy =
                self.in_flight(|r| matches!(r, Req::Fetch { broker: b, .. } if *b == broker));
            if busy {
                continue;
            }
            let req = Req::Fetch {
                broker,
                offsets: offsets.clone(),
            };
            let isolation = self.isolation;
            self.request(
                now,
                cfg,
                broker,
                req,
                |request_id| Message::ConsumerFetch {
                    request_id,
                    partitions: offsets,
                    isolation,
                },
                out,
            );
        }
        if need_metadata {
            self.request_metadata(now, cfg, out);
        }
    }

    /// No valid position and no reset policy: the partition stays assigned but unread.
    fn stop_consuming(&mut self, tp: TopicPartition, why: String, out: &mut Out) {
        self.positions.remove(&tp);
        self.stuck.insert(tp);
        self.note(out, false, format!("{why}: stops consuming it"));
    }

    /// `auto.offset.reset` (R7.1): no committed offset, or the position is out of range.
    pub(super) fn reset_position(
        &mut self,
        tp: TopicPartition,
        range: Option<(Offset, Offset)>,
        cfg: &ClusterConfig,
        out: &mut Out,
    ) {
        let to = match (cfg.consumer.auto_offset_reset, range) {
            (OffsetReset::Earliest, Some((start, _))) => start,
            (OffsetReset::Earliest, None) => 0,
            (OffsetReset::Latest, Some((_, hw))) => hw,
            (OffsetReset::Latest, None) => LATEST,
            (OffsetReset::None, _) => {
                let p = tp.partition;
                let why = format!("no valid offset for p{p} and auto.offset.reset=none");
                self.stop_consuming(tp, why, out);
                return;
            }
        };
        self.positions.insert(tp, to);
        self.last_epoch.remove(&tp);
        let shown = if to == LATEST {
            "the HW".to_string()
        } else {
            format!("offset {to}")
        };
        self.note(
            out,
            false,
            format!(
                "auto.offset.reset={} moves {}-{} to {shown}",
                match cfg.consumer.auto_offset_reset {
                    OffsetReset::Earliest => "earliest",
                    OffsetReset::Latest => "latest",
                    OffsetReset::None => "none",
                },
                crate::coordinator::topic_name(cfg, tp.topic),
                tp.partition
            ),
        );
    }

    /// R7.7 (SubscriptionState#maybeCompleteValidation): an end offset below the position means
    /// the consumer read records that were truncated away.
    pub(super) fn on_validated(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        partitions: Vec<(TopicPartition, EpochEndOffset)>,
        out: &mut Out,
    ) {
        for (tp, result) in partitions {
            if !self.validating.contains(&tp) {
                continue;
            }
            let Ok((_, end)) = result else {
                self.metadata.insert(tp, (None, -1));
                self.fetch_not_before = now + cfg.consumer.retry_backoff_ms;
                continue;
            };
            self.validating.remove(&tp);
            if let Some(&(_, epoch)) = self.metadata.get(&tp) {
                self.fetch_epoch.insert(tp, epoch);
            }
            let Some(&pos) = self.positions.get(&tp) else {
                continue;
            };
            if end >= 0 && end < pos {
                self.buffer.remove(&tp);
                self.last_epoch.remove(&tp);
                if cfg.consumer.auto_offset_reset == OffsetReset::None {
                    let p = tp.partition;
                    let why = format!("LogTruncationException: p{p} ends at {end} in the last consumed epoch, below the position {pos}");
                    self.stop_consuming(tp, why, out);
                } else {
                    self.positions.insert(tp, end);
                    self.note(
                        out,
                        false,
                        format!(
                            "log truncation detected (KIP-320): {}-{} ends at {end}, below the position {pos}: seeks to {end}",
                            crate::coordinator::topic_name(cfg, tp.topic),
                            tp.partition
                        ),
                    );
                }
            }
        }
        self.poll(now, cfg, out);
    }

    pub(super) fn on_fetch(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        offsets: Vec<(TopicPartition, Offset)>,
        partitions: Vec<FetchedPartition>,
        out: &mut Out,
    ) {
        let mut got_any = false;
        for fp in partitions {
            let Some(&(_, asked)) = offsets.iter().find(|(tp, _)| *tp == fp.tp) else {
                continue;
            };
            if self.positions.get(&fp.tp) != Some(&asked) {
                continue; // the position moved meanwhile (reset, revoke)
            }
            match fp.error {
                Some(ErrorCode::OffsetOutOfRange) => {
                    self.reset_position(
                        fp.tp,
                        Some((fp.log_start_offset, fp.high_watermark)),
                        cfg,
                        out,
                    );
                    got_any = true;
                }
                Some(_) => {
                    self.metadata.insert(fp.tp, (None, -1));
                    self.fetch_not_before = now + cfg.consumer.retry_backoff_ms;
                }
                None if asked == LATEST => {
                    self.positions.insert(fp.tp, fp.high_watermark);
                    got_any = true;
                }
                None => {
                    let buffered = self
                        .buffer
                        .get(&fp.tp)
                        .and_then(|q| q.back())
                        .map(|r| r.offset + 1);
                    let from = buffered.unwrap_or(asked);
                    // R6.7 (CompletedFetch#nextFetchedRecord): markers never reach the
                    // application; at read_committed neither does an aborted transaction. The
                    // position still moves past them.
                    let fetched: Vec<FetchedRecord> = fp
                        .records
                        .iter()
                        .map(|r| FetchedRecord {
                            offset: r.offset,
                            producer_id: r.producer.producer_id,
                            transactional: r.txn == RecordTxn::Transactional,
                            control: match r.txn {
                                RecordTxn::Control(k) => Some(k),
                                _ => None,
                            },
                        })
                        .collect();
                    let delivery = deliver(self.isolation, &fetched, &fp.aborted);
                    let q = self.buffer.entry(fp.tp).or_default();
                    for r in fp.records {
                        if r.offset >= from && delivery.delivered.contains(&r.offset) {
                            q.push_back(r);
                            got_any = true;
                        }
                    }
                    // Nothing buffered behind the skipped tail: move the position past it.
                    if let Some(next) = delivery.next_position {
                        let pending = self.buffer.get(&fp.tp).is_some_and(|q| !q.is_empty());
                        if !pending && next > asked {
                            self.positions.insert(fp.tp, next);
                            got_any = true;
                        }
                    }
                }
            }
        }
        self.buffer.retain(|_, q| !q.is_empty());
        if !got_any && self.fetch_not_before <= now {
            // Nothing new: fetch again after fetch.max.wait.ms (where Kafka's broker would
            // have held the fetch).
            self.fetch_not_before = now + cfg.consumer.fetch_max_wait_ms;
        }
        self.poll(now, cfg, out);
    }
}
