//! What the nodes report ([`Observation`]s) turned into the ledger, the invariants' verdicts and
//! the event log.

use super::*;
use crate::txn::{ControlKind, RecordTxn};
use crate::types::{Epoch, Offset};

/// Where the transaction that the marker at `marker` closed started (it is still among the
/// completed transactions the LSO waits for: the marker is not below the HW yet).
fn txn_start(log: &crate::log::ReplicaLog, pid: i64, marker: Offset) -> Option<Offset> {
    log.txns()
        .unreplicated()
        .iter()
        .rev()
        .find(|t| t.producer_id == pid && t.marker_offset == marker)
        .map(|t| t.first_offset)
}

/// A partition as the picture names it: `t-0`, `__consumer_offsets-2`.
fn partition_label(cfg: &ClusterConfig, tp: TopicPartition) -> String {
    format!(
        "{}-{}",
        crate::coordinator::topic_name(cfg, tp.topic),
        tp.partition
    )
}

impl Cluster {
    /// The labels of `tps` for an event's text; nothing when the event log is off.
    fn traced_labels<'a>(&self, tps: impl IntoIterator<Item = &'a TopicPartition>) -> Vec<String> {
        if !self.cfg.trace {
            return Vec::new();
        }
        tps.into_iter()
            .map(|tp| partition_label(&self.cfg, *tp))
            .collect()
    }

    /// Logs invariants that broke for the first time, as seen at `node`.
    pub(super) fn log_broken(&mut self, node: NodeId, broken: impl IntoIterator<Item = String>) {
        for d in broken {
            self.log_at(EventKind::Invariant, node, || {
                format!("invariant broken: {d}")
            });
        }
    }

    /// Runs the per-replica invariant checks on the running replicas of `tp` held by `brokers`
    /// (incremental: each replica is compared from where it was last verified).
    pub(super) fn check_replicas(&mut self, tp: TopicPartition, brokers: &[BrokerId]) {
        let at = self.stamp();
        let mut broken = Vec::new();
        for (&b, slot) in &self.brokers {
            if slot.status != BrokerStatus::Up || !brokers.contains(&b) {
                continue;
            }
            if let Some(p) = slot.broker.partitions.get(&tp) {
                for d in self.monitor.check_replica(b, tp, &p.log, at) {
                    broken.push((b, d));
                }
            }
        }
        for (b, d) in broken {
            self.log_broken(NodeId::Broker(b), [d]);
        }
    }

    /// Feeds the ledger, the invariants and the event log.
    pub(super) fn observe(&mut self, o: Observation) {
        let at = self.stamp();
        let cfg = self.cfg.clone();
        let pl = |tp: TopicPartition| partition_label(&cfg, tp);
        match o {
            Observation::Appended {
                broker,
                tp,
                record,
                as_leader,
            } => {
                let Some(log) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                    .map(|p| &p.log)
                else {
                    return;
                };
                let internal = is_internal(&self.cfg, tp);
                let dup = as_leader
                    && !internal
                    && self.ledger.on_leader_append(
                        record.id,
                        record.offset,
                        record.epoch,
                        log,
                        at,
                    );
                let mut aborted_reads = Vec::new();
                // R6.5: a marker closes its producer's transaction on this partition, which
                // starts at `first`.
                let pid = record.producer.producer_id;
                let first = txn_start(log, pid, record.offset);
                if as_leader && record.txn == RecordTxn::Control(ControlKind::Abort) {
                    if let Some(first) = first {
                        aborted_reads =
                            self.ledger
                                .on_abort_marker(log, pid, first, record.offset, at);
                    }
                }
                let mut fenced_commit = None;
                let mut txn_committed = Vec::new();
                if as_leader && record.txn == RecordTxn::Control(ControlKind::Commit) {
                    if let Some(first) = first {
                        txn_committed =
                            self.ledger
                                .on_commit_marker(log, pid, first, record.offset, at);
                    }
                    // R6.2 / R6.5: the transaction this marker closes holds only records of the
                    // marker's producer epoch.
                    if let Some(first) = first {
                        fenced_commit = log
                            .slice(first, record.offset)
                            .iter()
                            .find(|r| {
                                r.producer.producer_id == pid
                                    && r.txn == RecordTxn::Transactional
                                    && r.producer.producer_epoch != record.producer.producer_epoch
                            })
                            .map(|r| (r.id, r.producer.producer_epoch));
                    }
                }
                let broken = self.monitor.check_replica(broker, tp, log, at);
                self.log_broken(NodeId::Broker(broker), broken);
                if let Some((id, epoch)) = fenced_commit {
                    let d = format!(
                        "{} (producer epoch {epoch}) was committed by a marker of epoch {}",
                        self.value_of(id),
                        record.producer.producer_epoch
                    );
                    self.monitor
                        .violate(InvariantId::FencedNeverCommits, at, d.clone());
                    self.log_broken(NodeId::Broker(broker), vec![d]);
                }
                for id in aborted_reads {
                    self.aborted_read(id, at);
                }
                self.check_exactly_once(&txn_committed, at);
                if as_leader && self.cfg.trace {
                    let value = self.record_text(tp, &record);
                    self.log_at(EventKind::Append, NodeId::Broker(broker), || {
                        format!(
                            "appended {value} at offset {} (epoch {}) as leader of {}",
                            record.offset,
                            record.epoch,
                            pl(tp)
                        )
                    });
                }
                if dup {
                    let value = self.value_of(record.id);
                    self.log_at(EventKind::Duplicate, NodeId::Broker(broker), || {
                        format!(
                            "{value} is now in {} twice (a retry after a lost response)",
                            pl(tp)
                        )
                    });
                }
            }
            Observation::HighWatermark {
                broker,
                tp,
                old,
                new,
                as_leader,
            } => {
                let Some(p) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                else {
                    return;
                };
                let (log, epoch) = (&p.log, p.leader_epoch);
                let mut broken = Vec::new();
                let mut now_committed = Vec::new();
                if as_leader && !is_internal(&self.cfg, tp) {
                    self.ledger.on_leader_hw(log, old, new, at);
                    broken.extend(self.monitor.on_leader_hw(broker, tp, epoch, new, at));
                    if !self.apps.is_empty() && new > old {
                        now_committed = log.slice(old, new).iter().map(|r| r.id).collect();
                    }
                }
                if new > old {
                    broken.extend(self.monitor.on_hw_covers(broker, tp, log, old, new, at));
                }
                broken.extend(self.monitor.check_replica(broker, tp, log, at));
                self.log_at(EventKind::HighWatermark, NodeId::Broker(broker), || {
                    format!(
                        "HW of {} {old} → {new}{}",
                        pl(tp),
                        if as_leader { " (leader)" } else { "" }
                    )
                });
                self.log_broken(NodeId::Broker(broker), broken);
                self.check_exactly_once(&now_committed, at);
            }
            Observation::LogStartAdvanced {
                broker,
                tp,
                from,
                to,
                reason,
            } => {
                let leads = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                    .is_some_and(|p| p.is_leader());
                if leads && !is_internal(&self.cfg, tp) {
                    self.ledger.on_log_start(tp, to, at);
                }
                self.log_at(EventKind::Truncate, NodeId::Broker(broker), || {
                    format!(
                        "log start of {} moves from {from} to {to} ({reason}): offsets below it are deleted",
                        pl(tp)
                    )
                });
            }
            Observation::Truncated {
                broker,
                tp,
                to,
                removed,
                reason,
            } => {
                let values: Vec<String> = removed.iter().map(|r| self.value_of(r.id)).collect();
                if let Some(p) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                {
                    let broken = self.monitor.check_replica(broker, tp, &p.log, at);
                    self.log_broken(NodeId::Broker(broker), broken);
                }
                let before = self.events.len();
                self.log_at(EventKind::Truncate, NodeId::Broker(broker), || {
                    format!(
                        "truncated {} to offset {to}, removing [{}]: {reason}",
                        pl(tp),
                        values.join(", ")
                    )
                });
                if !removed.is_empty() {
                    self.attach_moment(before, |c| {
                        Some(Moment::truncation(broker, tp, &c.partition_label(tp), to))
                    });
                }
            }
            Observation::BecameLeader {
                broker,
                tp,
                epoch,
                isr,
            } => {
                let broken = self.monitor.on_became_leader(broker, tp, epoch, at);
                self.log_broken(NodeId::Broker(broker), broken);
                let leo = self.brokers[&broker].broker.partitions[&tp].log.leo();
                self.log_at(EventKind::Leader, NodeId::Broker(broker), || {
                    format!(
                        "became leader of {} in epoch {epoch}, ISR {isr:?}, LEO {leo}",
                        pl(tp)
                    )
                });
                // "Lost" is judged against the partition's current leader: the leader of the
                // highest leader epoch the controller has committed. A broker that applies an
                // older registration (a paused broker catching up with the metadata it missed,
                // as a KRaft broker replays the metadata log in order) leads a superseded epoch
                // for a moment: followers fetching in the newer epoch fence it (R1.6) and it
                // follows the current leader at the next update, so its log decides nothing.
                let current = self.controller.partitions.get(&tp);
                if current.is_some_and(|r| r.leader == Some(broker) && r.leader_epoch == epoch) {
                    self.judge_new_leader(broker, tp, epoch, at);
                } else {
                    let now = current.map_or(String::new(), |r| {
                        let l = r.leader.map_or("none".to_string(), |l| format!("b{l}"));
                        format!(
                            " (the controller's leader is {l} in epoch {})",
                            r.leader_epoch
                        )
                    });
                    self.log_at(EventKind::Leader, NodeId::Broker(broker), || {
                        format!(
                            "epoch {epoch} of {} is already superseded{now}: no record is judged lost by b{broker}'s log",
                            pl(tp)
                        )
                    });
                }
            }
            Observation::BecameFollower {
                broker,
                tp,
                epoch,
                leader,
            } => {
                self.log_at(EventKind::Follower, NodeId::Broker(broker), || {
                    let l = leader.map_or("no leader".to_string(), |l| format!("leader b{l}"));
                    format!("follows {l} for {} in epoch {epoch}", pl(tp))
                });
            }
            Observation::IsrProposed { broker, tp, isr } => {
                self.log_at(EventKind::Isr, NodeId::Broker(broker), || {
                    format!("proposes ISR {isr:?} for {}", pl(tp))
                });
            }
            Observation::PartitionChanged {
                tp,
                leader,
                leader_epoch,
                isr,
                old_isr,
                elr,
                unclean,
                leader_changed,
                reason,
            } => {
                let before = self.events.len();
                self.monitor.check_leader_in_isr(tp, leader, &isr, at);
                // Every ISR member's log must agree with the committed log below its HW. A
                // replica can rejoin the ISR without having changed since it restarted — with a
                // divergent record below its HW under high-watermark truncation (KIP-101
                // scenario 2, S17) — so it is compared again here, not only when it changes.
                self.check_replicas(tp, &isr);
                let kind = if leader_changed {
                    EventKind::Election
                } else {
                    EventKind::Isr
                };
                self.log(kind, Some(NodeId::Controller), None, None, || {
                    let l = leader.map_or("none (offline)".to_string(), |l| format!("b{l}"));
                    let elr = if elr.is_empty() {
                        String::new()
                    } else {
                        format!(", ELR {elr:?}")
                    };
                    if leader_changed {
                        format!(
                            "{} election for {}: leader {l}, epoch {leader_epoch}, ISR {isr:?}{elr} ({reason})",
                            if unclean { "UNCLEAN" } else { "clean" },
                            pl(tp)
                        )
                    } else {
                        format!("ISR of {} is now {isr:?}{elr} ({reason})", pl(tp))
                    }
                });
                if leader_changed {
                    self.attach_moment(before, |c| {
                        let label = c.partition_label(tp);
                        Some(Moment::leader_change(
                            tp,
                            &label,
                            leader,
                            leader_epoch,
                            unclean,
                        ))
                    });
                } else {
                    // Only when the event was logged (the checker runs without the log).
                    self.attach_moment(before, |c| {
                        Moment::isr_change(tp, &c.partition_label(tp), leader, &old_isr, &isr)
                    });
                }
            }
            Observation::BrokerFenced { broker } => {
                let before = self.events.len();
                self.log(
                    EventKind::Fenced,
                    Some(NodeId::Controller),
                    Some(NodeId::Broker(broker)),
                    None,
                    || format!("fenced b{broker}"),
                );
                self.attach_moment(before, |_| Some(Moment::fencing(broker)));
            }
            Observation::BrokerUnfenced {
                broker,
                broker_epoch,
                registered,
            } => {
                self.log(
                    EventKind::Unfenced,
                    Some(NodeId::Controller),
                    Some(NodeId::Broker(broker)),
                    None,
                    || {
                        if registered {
                            format!("registered b{broker} with broker epoch {broker_epoch}")
                        } else {
                            format!("unfenced b{broker}: it heartbeats again, broker epoch {broker_epoch} kept")
                        }
                    },
                );
            }
            Observation::Sent {
                producer,
                record,
                broker,
                attempt,
            } => {
                self.ledger.on_sent(record);
                if attempt > 1 {
                    let value = self.value_of(record);
                    self.log(
                        EventKind::Send,
                        Some(NodeId::Producer(producer)),
                        Some(NodeId::Broker(broker)),
                        None,
                        || format!("retry #{} of {value}", attempt - 1),
                    );
                }
            }
            Observation::Acked {
                producer,
                record,
                tp,
                offset,
                acks,
            } => {
                self.ledger.on_acked(record, offset, at);
                let value = self.value_of(record);
                let label = self.traced_labels([&tp]).concat();
                self.log_at(
                    EventKind::Ack,
                    NodeId::Producer(producer),
                    || match offset {
                        Some(o) => format!(
                            "{value} acknowledged at {label} offset {o} (acks={})",
                            acks.as_str()
                        ),
                        None => format!("{value} sent with acks=0: no acknowledgement, no offset"),
                    },
                );
            }
            Observation::ProduceError {
                producer,
                record,
                error,
            } => {
                self.ledger.on_error(record, error);
                let value = self.value_of(record);
                self.log_at(EventKind::ProduceError, NodeId::Producer(producer), || {
                    format!("{value}: {error}, will retry")
                });
            }
            Observation::Failed {
                producer,
                record,
                error,
            } => {
                self.ledger.on_failed(record, error, at);
                self.pipeline_send_failed(producer);
                let value = self.value_of(record);
                self.log_at(EventKind::Failed, NodeId::Producer(producer), || {
                    format!("{value} failed: {error}")
                });
            }
            o => self.observe_consumer(o, at),
        }
    }

    /// Output records that just became committed (HW) or transaction-committed (marker): a
    /// second visible output of one input breaks the pipeline's exactly-once (R6.8).
    fn check_exactly_once(&mut self, outputs: &[crate::log::RecordId], at: Stamp) {
        if self.apps.is_empty() || outputs.is_empty() {
            return;
        }
        let transactional = self.cfg.transactional();
        let mut seen = VecSet::new();
        for id in outputs {
            let Some(source) = self.ledger.get(*id).and_then(|e| e.source) else {
                continue;
            };
            if !seen.insert(source) {
                continue;
            }
            let n = self.ledger.visible_outputs(source, transactional);
            if n > 1 {
                let d = format!(
                    "{} has {n} outputs a read_committed reader of {} sees",
                    self.value_of(source),
                    self.cfg.pipeline.as_ref().map_or("", |p| p.output.as_str())
                );
                self.monitor
                    .violate(InvariantId::ExactlyOnceOutput, at, d.clone());
                self.log_broken(NodeId::Controller, vec![d]);
            }
        }
    }

    /// The consuming side's observations: ledger, the one-owner invariant, events.
    pub(super) fn observe_consumer(&mut self, o: Observation, at: Stamp) {
        match o {
            Observation::Consumed {
                consumer,
                record,
                tp,
                offset,
                generation,
                read_committed_txn,
            } => {
                let dedup = self.cfg.consumer.dedup;
                let skipped = self
                    .ledger
                    .on_consumed(record, consumer, generation, offset, dedup, at);
                self.pipeline_processed(consumer, record);
                if self.ledger.get(record).is_some_and(|e| e.aborted.is_some()) {
                    self.aborted_read(record, at);
                } else if read_committed_txn
                    && self
                        .ledger
                        .get(record)
                        .is_some_and(|e| e.txn_committed.is_none())
                {
                    // R6.7: below the LSO every transaction has its marker.
                    self.uncommitted_read(record, at);
                }
                let value = self.value_of(record);
                let times = self.ledger.processed_count(record);
                self.log_at(EventKind::Consume, NodeId::consumer(consumer), || {
                    if skipped {
                        format!(
                            "{value} (p{} offset {offset}) is already in the sink: skipped (dedup)",
                            tp.partition
                        )
                    } else if times > 1 {
                        format!(
                            "processed {value} (p{} offset {offset}) AGAIN: {times} times",
                            tp.partition
                        )
                    } else {
                        format!("processed {value} (p{} offset {offset})", tp.partition)
                    }
                });
            }
            Observation::BatchProcessed {
                consumer,
                offsets,
                generation,
                member_id,
            } => {
                let batch = crate::pipeline::ProcessedBatch {
                    offsets,
                    generation,
                    member_id,
                };
                self.pipeline_batch(consumer, batch);
            }
            Observation::OffsetsCommitted {
                consumer,
                generation,
                offsets,
            } => {
                for (tp, o) in &offsets {
                    self.ledger.on_group_commit(*tp, *o, at);
                }
                let labels = self.traced_labels(offsets.iter().map(|(tp, _)| tp));
                self.log_at(EventKind::Commit, NodeId::consumer(consumer), || {
                    let parts: Vec<String> = labels
                        .iter()
                        .zip(&offsets)
                        .map(|(l, (_, o))| format!("{l}={o}"))
                        .collect();
                    format!("committed {} (generation {generation})", parts.join(", "))
                });
            }
            Observation::CommitFailed { consumer, error } => {
                self.ledger.consumer_errors.insert(error);
                self.log_at(EventKind::CommitFailed, NodeId::consumer(consumer), || {
                    format!("offset commit failed: {error}")
                });
            }
            Observation::Assigned {
                consumer,
                generation,
                member_id,
                partitions,
                added,
            } => {
                let broken = self
                    .monitor
                    .on_assigned(consumer, generation, &partitions, at);
                let ps = self.traced_labels(&partitions);
                let new = self.traced_labels(
                    added
                        .iter()
                        .filter(|tp| added.len() < partitions.len() && partitions.contains(tp)),
                );
                self.log_at(EventKind::Assign, NodeId::consumer(consumer), || {
                    let new = if new.is_empty() {
                        String::new()
                    } else {
                        format!(" (new: {})", new.join(", "))
                    };
                    format!(
                        "{member_id} is assigned [{}]{new} in generation {generation}",
                        ps.join(", ")
                    )
                });
                self.log_broken(NodeId::consumer(consumer), broken);
            }
            Observation::Revoked {
                consumer,
                generation,
                partitions,
            } => {
                let ps = self.traced_labels(&partitions);
                self.log_at(EventKind::Revoke, NodeId::consumer(consumer), || {
                    format!("revokes [{}] (generation {generation})", ps.join(", "))
                });
            }
            Observation::GroupNote {
                node,
                rebalance,
                text,
            } => {
                let kind = if rebalance {
                    EventKind::Rebalance
                } else {
                    EventKind::Consume
                };
                self.log(kind, Some(node), None, None, || text);
            }
            Observation::TxnNote { node, text } => {
                self.log(EventKind::Transaction, Some(node), None, None, || text);
            }
            _ => {}
        }
    }

    /// The current leader `broker` of `tp` (epoch `epoch`) took over: records it lacks are lost
    /// (ledger, "no acknowledged record lost", "no committed record lost"), and lost records it
    /// has are readable again.
    fn judge_new_leader(&mut self, broker: BrokerId, tp: TopicPartition, epoch: Epoch, at: Stamp) {
        let internal = is_internal(&self.cfg, tp);
        let label = partition_label(&self.cfg, tp);
        let log = &self.brokers[&broker].broker.partitions[&tp].log;
        let leader = (broker, epoch);
        let (lost, found) = if internal {
            (Vec::new(), Vec::new())
        } else {
            self.ledger.on_new_leader(tp, log, leader, at)
        };
        let mut committed_missing = self.monitor.on_new_leader_log(broker, tp, log, at);
        committed_missing.retain(|id| OffsetsRecord::decode(*id).is_none());
        for id in &committed_missing {
            self.ledger.mark_lost(*id, leader, at);
        }
        let mut all_lost = lost.clone();
        for id in committed_missing {
            if !all_lost.contains(&id) {
                all_lost.push(id);
            }
        }
        // Under a durable configuration the promise covers acks=all records only; a record
        // sent with a per-record acks=0/1 override may be lost without breaking it (R2.7).
        let promised = self
            .monitor
            .status(InvariantId::NoAckedLoss)
            .is_some_and(|s| s.promised);
        let counted: Vec<u32> = lost
            .iter()
            .copied()
            .filter(|id| !promised || self.ledger.get(*id).is_some_and(|e| e.acks == Acks::All))
            .collect();
        if !counted.is_empty() {
            let values: Vec<String> = counted.iter().map(|id| self.value_of(*id)).collect();
            let d = format!(
                "b{broker} leads {label} without acknowledged [{}]",
                values.join(", ")
            );
            self.monitor.violate(InvariantId::NoAckedLoss, at, d);
        }
        for id in all_lost {
            let value = self.value_of(id);
            let before = self.events.len();
            self.log_at(EventKind::Lost, NodeId::Broker(broker), || {
                format!("{value} is lost: the new leader of {label} does not have it")
            });
            self.attach_moment(before, |c| {
                let acked = c.ledger.get(id).is_some_and(|e| e.acked.is_some());
                Some(Moment::loss(broker, tp, &label, &value, acked))
            });
        }
        for id in found {
            let value = self.value_of(id);
            self.log_at(EventKind::Leader, NodeId::Broker(broker), || {
                format!("{value} is readable again: the new leader of {label} has it")
            });
        }
    }

    /// A consumer processed a record of an aborted transaction (R6.7).
    fn aborted_read(&mut self, id: crate::log::RecordId, at: Stamp) {
        self.bad_read(id, "although its transaction was aborted", at);
    }

    fn uncommitted_read(&mut self, id: crate::log::RecordId, at: Stamp) {
        self.bad_read(id, "at read_committed before its transaction committed", at);
    }

    /// A record was processed that "no aborted record processed" forbids (R6.7).
    fn bad_read(&mut self, id: crate::log::RecordId, why: &str, at: Stamp) {
        if self.monitor.status(InvariantId::NoAbortedRead).is_none() {
            return;
        }
        let d = format!("{} was processed {why}", self.value_of(id));
        self.monitor
            .violate(InvariantId::NoAbortedRead, at, d.clone());
        self.log_broken(NodeId::Controller, vec![d]);
    }

    /// A log record in words: a marker, a `__transaction_state` entry, or [`Cluster::value_of`].
    pub(super) fn record_text(&self, tp: TopicPartition, r: &crate::log::Record) -> String {
        match r.txn {
            crate::txn::RecordTxn::Control(crate::txn::ControlKind::Commit) => {
                return "a COMMIT marker".into()
            }
            crate::txn::RecordTxn::Control(crate::txn::ControlKind::Abort) => {
                return "an ABORT marker".into()
            }
            _ => {}
        }
        if crate::txn::log_record::txn_state_tp(&self.cfg) == Some(tp) {
            if let Some(t) = crate::txn::log_record::TxnLogRecord::decode(r.id, &self.cfg) {
                let mut s = format!("{} epoch {}", t.state.name(), t.producer_epoch);
                if let Some(p) = t.partition {
                    s.push_str(&format!(" +{}", partition_label(&self.cfg, p)));
                }
                return s;
            }
        }
        self.value_of(r.id)
    }

    pub(super) fn value_of(&self, id: u32) -> String {
        if let Some(d) = OffsetsRecord::describe(id, &|tp| self.partition_label(*tp)) {
            return d;
        }
        self.ledger
            .get(id)
            .map_or_else(|| format!("r{id}"), |e| e.value.clone())
    }
}
