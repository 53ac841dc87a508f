//! The per-record ledger: produced → acked → committed, and lost / duplicated / failed flags.

use crate::vec_map::{VecMap, VecSet};

use serde::{Deserialize, Serialize};

use crate::config::Acks;
use crate::log::{RecordId, ReplicaLog};
use crate::protocol::ErrorCode;
use crate::types::{BrokerId, Epoch, Millis, Offset, TopicPartition};

/// When something happened: the step number and the virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// The cluster step.
    pub step: u64,
    /// The simulated time.
    pub time: Millis,
}

/// Everything known about one record the application sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The record's id.
    pub id: RecordId,
    /// The producer that sent it.
    pub producer: u32,
    /// The partition it was sent to.
    pub tp: TopicPartition,
    /// The record's key.
    pub key: Option<String>,
    /// The record's value.
    pub value: String,
    /// The `acks` it was sent with.
    pub acks: Acks,
    /// When the application called `send()`.
    pub produced: Stamp,
    /// Produce requests sent for it (1 + retries).
    pub attempts: u32,
    /// Success reported to the application, with the offset (none for acks=0).
    pub acked: Option<(Stamp, Option<Offset>)>,
    /// The producer gave up with this error.
    pub failed: Option<(Stamp, ErrorCode)>,
    /// Retriable errors seen on the way.
    pub errors: Vec<ErrorCode>,
    /// First time a leader's HW passed a copy of it.
    pub committed: Option<Stamp>,
    /// It was acknowledged or committed and the partition's current leader does not have it:
    /// since when. Cleared when a later leader has it again (see `history`).
    pub lost: Option<Stamp>,
    /// Every change of its lost status, in order: lost when a partition leader lacked it,
    /// readable again when a later leader had it.
    #[serde(default)]
    pub history: Vec<LossChange>,
    /// A second copy was appended by a leader while the first was still in its log.
    pub duplicated: Option<Stamp>,
    /// Every leader append of it: (offset, leader epoch).
    pub appends: Vec<(Offset, Epoch)>,
    /// Every time a consumer's application processed it (R7.3).
    #[serde(default)]
    pub consumed: Vec<Consumption>,
    /// First time the group's committed offset of its partition passed it (R7.2).
    #[serde(default)]
    pub offset_committed: Option<Stamp>,
    /// When the partition leader's log start passed it (retention, DeleteRecords): deleted, not
    /// lost (KIP-107).
    #[serde(default)]
    pub deleted: Option<Stamp>,
    /// When a partition leader wrote the ABORT marker of the record's transaction (R6.5): the
    /// record stays in the log, and read_committed consumers skip it (R6.7).
    #[serde(default)]
    pub aborted: Option<Stamp>,
    /// When a partition leader wrote the COMMIT marker of the record's transaction (R6.5):
    /// from then on read_committed consumers can see it.
    #[serde(default)]
    pub txn_committed: Option<Stamp>,
    /// The input record a pipeline instance produced this output record from (R6.8).
    #[serde(default)]
    pub source: Option<RecordId>,
    /// How many times a pipeline wrote this input record to the external system.
    #[serde(default)]
    pub external_writes: u32,
    /// The output records a pipeline produced from this input record, in order.
    #[serde(default)]
    pub outputs: Vec<RecordId>,
}

/// One change of a record's lost status, judged at a change of the partition's leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LossChange {
    /// When the leader took over.
    pub at: Stamp,
    /// True: the record became lost; false: it became readable again.
    pub lost: bool,
    /// The leader that lacked (or had) it.
    pub leader: BrokerId,
    /// That leader's leader epoch.
    pub epoch: Epoch,
}

/// One processing of a record by a consumer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Consumption {
    /// The consumer that processed the record.
    pub consumer: u32,
    /// The group generation it was processed in.
    pub generation: i32,
    /// The offset it was read from.
    pub offset: Offset,
    /// When it was processed.
    pub at: Stamp,
    /// The dedup sink already held it: the processing had no effect.
    pub skipped: bool,
}

impl LedgerEntry {
    /// Whether `log` holds this record where it was acknowledged (or, with no acknowledged
    /// offset, at any offset a leader appended it).
    fn held_by(&self, log: &ReplicaLog) -> bool {
        // Below the log start a record was deleted (retention, DeleteRecords), not lost.
        let has =
            |o: Offset| o < log.log_start_offset() || log.get(o).is_some_and(|r| r.id == self.id);
        match self.acked {
            Some((_, Some(offset))) => has(offset),
            _ => self.appends.iter().any(|(o, _)| has(*o)),
        }
    }
}

/// All records of a run, by id (ids are dense from 0).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ledger {
    /// Every record produced, in send order.
    pub entries: Vec<LedgerEntry>,
    /// Records reported successful to the application, per partition (checked at every election).
    #[serde(skip)]
    acked_by_tp: VecMap<TopicPartition, Vec<RecordId>>,
    /// The group's last acknowledged committed offset per partition.
    #[serde(default)]
    pub group_committed: VecMap<TopicPartition, Offset>,
    /// Errors consumers saw on offset commits.
    #[serde(default)]
    pub consumer_errors: VecSet<ErrorCode>,
}

impl Ledger {
    /// The entry of record `id`.
    pub fn get(&self, id: RecordId) -> Option<&LedgerEntry> {
        self.entries.get(id as usize)
    }

    /// Registers a new record and returns its id.
    pub fn produce(
        &mut self,
        producer: u32,
        tp: TopicPartition,
        key: Option<String>,
        value: String,
        acks: Acks,
        at: Stamp,
    ) -> RecordId {
        let id = self.entries.len() as RecordId;
        self.entries.push(LedgerEntry {
            id,
            producer,
            tp,
            key,
            value,
            acks,
            produced: at,
            attempts: 0,
            acked: None,
            failed: None,
            errors: Vec::new(),
            committed: None,
            lost: None,
            history: Vec::new(),
            duplicated: None,
            appends: Vec::new(),
            consumed: Vec::new(),
            offset_committed: None,
            deleted: None,
            aborted: None,
            txn_committed: None,
            source: None,
            external_writes: 0,
            outputs: Vec::new(),
        });
        id
    }

    /// A pipeline instance sends the output of input record `source` (R6.8).
    #[allow(clippy::too_many_arguments)]
    pub fn produce_output(
        &mut self,
        producer: u32,
        tp: TopicPartition,
        key: Option<String>,
        value: String,
        acks: Acks,
        source: RecordId,
        at: Stamp,
    ) -> RecordId {
        let id = self.produce(producer, tp, key, value, acks, at);
        self.entries[id as usize].source = Some(source);
        if let Some(e) = self.entries.get_mut(source as usize) {
            e.outputs.push(id);
        }
        id
    }

    /// A pipeline wrote input record `id` to the external system; how many times so far.
    pub fn on_external_write(&mut self, id: RecordId) -> u32 {
        match self.entries.get_mut(id as usize) {
            Some(e) => {
                e.external_writes += 1;
                e.external_writes
            }
            None => 0,
        }
    }

    /// A partition leader wrote the COMMIT marker of `producer_id`'s transaction that starts at
    /// `from` (R6.5): its records are committed for read_committed readers. Returns them.
    pub fn on_commit_marker(
        &mut self,
        log: &crate::log::ReplicaLog,
        producer_id: i64,
        from: Offset,
        marker: Offset,
        at: Stamp,
    ) -> Vec<RecordId> {
        let ids = txn_records(log, producer_id, from, marker);
        for id in &ids {
            if let Some(e) = self.entries.get_mut(*id as usize) {
                e.txn_committed.get_or_insert(at);
            }
        }
        ids
    }

    /// Whether a read_committed reader of the output topic sees output record `e`: committed,
    /// not lost, not aborted, and — when it was written in a transaction — its COMMIT marker
    /// written.
    pub fn output_visible(e: &LedgerEntry, transactional: bool) -> bool {
        e.committed.is_some()
            && e.lost.is_none()
            && e.aborted.is_none()
            && (!transactional || e.txn_committed.is_some())
    }

    /// How many outputs of input record `input` a read_committed reader of the output topic
    /// sees: the pipeline's exactly-once verdict is 1 (R6.8).
    pub fn visible_outputs(&self, input: RecordId, transactional: bool) -> usize {
        self.get(input).map_or(0, |e| {
            e.outputs
                .iter()
                .filter_map(|o| self.get(*o))
                .filter(|o| Ledger::output_visible(o, transactional))
                .count()
        })
    }

    /// A consumer's application processed `id`. With `dedup`, a record the group already
    /// processed is skipped by the sink; returns whether it was skipped.
    pub fn on_consumed(
        &mut self,
        id: RecordId,
        consumer: u32,
        generation: i32,
        offset: Offset,
        dedup: bool,
        at: Stamp,
    ) -> bool {
        let Some(e) = self.entries.get_mut(id as usize) else {
            return false;
        };
        let skipped = dedup && e.consumed.iter().any(|c| !c.skipped);
        e.consumed.push(Consumption {
            consumer,
            generation,
            offset,
            at,
            skipped,
        });
        skipped
    }

    /// How many times the group's processing of `id` took effect.
    pub fn processed_count(&self, id: RecordId) -> usize {
        self.get(id)
            .map_or(0, |e| e.consumed.iter().filter(|c| !c.skipped).count())
    }

    /// The group committed `offset` for `tp` (acknowledged by the coordinator).
    pub fn on_group_commit(&mut self, tp: TopicPartition, offset: Offset, at: Stamp) {
        self.group_committed.insert(tp, offset);
        for e in self.entries.iter_mut().filter(|e| e.tp == tp) {
            if e.offset_committed.is_none() && e.appends.last().is_some_and(|(o, _)| *o < offset) {
                e.offset_committed = Some(at);
            }
        }
    }

    /// Records the group processed more than once (consumer-side duplicates; dedup-skipped
    /// processings do not count).
    pub fn consumer_duplicates(&self) -> Vec<RecordId> {
        self.entries
            .iter()
            .filter(|e| e.consumed.iter().filter(|c| !c.skipped).count() > 1)
            .map(|e| e.id)
            .collect()
    }

    /// Records the dedup sink dropped at least once.
    pub fn dedup_skipped(&self) -> Vec<RecordId> {
        self.entries
            .iter()
            .filter(|e| e.consumed.iter().any(|c| c.skipped))
            .map(|e| e.id)
            .collect()
    }

    /// Committed records the group never processed although its committed offset has moved
    /// past them: lost on the consuming side (the at-most-once anomaly, R7.3).
    pub fn consumer_lost(&self) -> Vec<RecordId> {
        self.entries
            .iter()
            .filter(|e| e.committed.is_some() && e.lost.is_none() && e.consumed.is_empty())
            .filter(|e| {
                let at = e.appends.last().map(|(o, _)| *o);
                let past = self.group_committed.get(&e.tp).copied();
                matches!((at, past), (Some(o), Some(c)) if o < c)
            })
            .map(|e| e.id)
            .collect()
    }

    /// The leader of `tp` moved its log start to `to`: every record of `tp` below it is deleted.
    pub fn on_log_start(&mut self, tp: TopicPartition, to: Offset, at: Stamp) {
        for e in self
            .entries
            .iter_mut()
            .filter(|e| e.tp == tp && e.deleted.is_none())
        {
            let offset = match e.acked {
                Some((_, Some(o))) => Some(o),
                _ => e.appends.last().map(|(o, _)| *o),
            };
            if offset.is_some_and(|o| o < to) {
                e.deleted = Some(at);
            }
        }
    }

    /// A leader wrote an ABORT marker: the records of `log` in `[from, marker)` written by
    /// `producer_id` in its transaction are aborted (R6.5). Returns those a consumer already
    /// processed.
    pub fn on_abort_marker(
        &mut self,
        log: &crate::log::ReplicaLog,
        producer_id: i64,
        from: Offset,
        marker: Offset,
        at: Stamp,
    ) -> Vec<RecordId> {
        let mut processed = Vec::new();
        for id in txn_records(log, producer_id, from, marker) {
            if let Some(e) = self.entries.get_mut(id as usize) {
                e.aborted.get_or_insert(at);
                if !e.consumed.is_empty() {
                    processed.push(id);
                }
            }
        }
        processed
    }

    /// Committed records deleted (retention, DeleteRecords) before the group processed them: a
    /// consumer that fell behind the log start was reset by `auto.offset.reset` past them and
    /// never saw them (R7.1; Fetcher#handleOffsetOutOfRange). Kafka reports nothing.
    pub fn deleted_unread(&self) -> Vec<RecordId> {
        self.entries
            .iter()
            .filter(|e| e.deleted.is_some() && e.committed.is_some() && e.consumed.is_empty())
            .map(|e| e.id)
            .collect()
    }

    /// Records whose first processing came after that of a record the same producer sent
    /// later to the same partition (order within a partition, as the application saw it).
    pub fn consumed_out_of_order(&self) -> Vec<RecordId> {
        let mut out = Vec::new();
        for e in &self.entries {
            let Some(first) = e.consumed.first().map(|c| c.at.step) else {
                continue;
            };
            let overtaken = self.entries[e.id as usize + 1..].iter().any(|l| {
                l.tp == e.tp
                    && l.producer == e.producer
                    && l.consumed.first().is_some_and(|c| c.at.step < first)
            });
            if overtaken {
                out.push(e.id);
            }
        }
        out
    }

    /// The first entry whose value is `value`.
    pub fn find_by_value(&self, value: &str) -> Option<&LedgerEntry> {
        self.entries.iter().find(|e| e.value == value)
    }

    /// Records that `id` was sent to a broker.
    pub fn on_sent(&mut self, id: RecordId) {
        if let Some(e) = self.entries.get_mut(id as usize) {
            e.attempts += 1;
        }
    }

    /// Records that `id` was acknowledged, at `offset` if known (not with `acks=0`).
    pub fn on_acked(&mut self, id: RecordId, offset: Option<Offset>, at: Stamp) {
        if let Some(e) = self.entries.get_mut(id as usize) {
            if e.acked.is_none() {
                e.acked = Some((at, offset));
                self.acked_by_tp.entry(e.tp).or_default().push(id);
            }
        }
    }

    /// Records a retriable error for `id`.
    pub fn on_error(&mut self, id: RecordId, error: ErrorCode) {
        if let Some(e) = self.entries.get_mut(id as usize) {
            e.errors.push(error);
        }
    }

    /// Records that the send of `id` failed for good with `error`.
    pub fn on_failed(&mut self, id: RecordId, error: ErrorCode, at: Stamp) {
        if let Some(e) = self.entries.get_mut(id as usize) {
            e.failed.get_or_insert((at, error));
        }
    }

    /// A leader appended `id` at `offset`; returns true if this made a duplicate (an earlier copy
    /// is still in the same leader's log).
    pub fn on_leader_append(
        &mut self,
        id: RecordId,
        offset: Offset,
        epoch: Epoch,
        leader_log: &ReplicaLog,
        at: Stamp,
    ) -> bool {
        let Some(e) = self.entries.get_mut(id as usize) else {
            return false;
        };
        let dup = e
            .appends
            .iter()
            .any(|(o, _)| *o != offset && leader_log.get(*o).is_some_and(|r| r.id == id));
        e.appends.push((offset, epoch));
        if dup && e.duplicated.is_none() {
            e.duplicated = Some(at);
            return true;
        }
        false
    }

    /// A leader's HW moved from `old` to `new`: mark the records in between committed.
    pub fn on_leader_hw(&mut self, leader_log: &ReplicaLog, old: Offset, new: Offset, at: Stamp) {
        for r in leader_log.slice(old, new) {
            if let Some(e) = self.entries.get_mut(r.id as usize) {
                e.committed.get_or_insert(at);
            }
        }
    }

    /// The partition's current leader `leader` (in leader epoch `epoch`) took over `tp`: every
    /// acknowledged record it lacks is lost (acks=0 records count once some leader appended
    /// them), and every lost record it has is readable again (a later election brought back a
    /// replica that has it, e.g. after an unclean election). Returns the newly lost ids and the
    /// ids readable again.
    pub fn on_new_leader(
        &mut self,
        tp: TopicPartition,
        leader_log: &ReplicaLog,
        leader: (BrokerId, Epoch),
        at: Stamp,
    ) -> (Vec<RecordId>, Vec<RecordId>) {
        let mut found = Vec::new();
        for e in self.entries.iter_mut() {
            if e.tp == tp && e.lost.is_some() && e.held_by(leader_log) {
                e.lost = None;
                e.history.push(LossChange {
                    at,
                    lost: false,
                    leader: leader.0,
                    epoch: leader.1,
                });
                found.push(e.id);
            }
        }
        let mut lost = Vec::new();
        let candidates: Vec<RecordId> = self.acked_by_tp.get(&tp).cloned().unwrap_or_default();
        for id in candidates {
            let e = &self.entries[id as usize];
            // acks=0 (S5): the application was told "sent" with no offset. Once a leader
            // appended it, a new leader holding no copy at any of those offsets has lost it —
            // silently, as far as the producer knows. (A record that never reached a leader is
            // invisible here.)
            let missing = match e.acked {
                Some((_, Some(_))) => !e.held_by(leader_log),
                Some((_, None)) => !e.appends.is_empty() && !e.held_by(leader_log),
                None => false,
            };
            if missing && self.mark_lost(id, leader, at) {
                lost.push(id);
            }
        }
        (lost, found)
    }

    /// Marks `id` lost: the current leader `leader` lacks it (the acknowledged records of
    /// [`Ledger::on_new_leader`], or committed ones the invariant monitor's committed-log
    /// reference finds missing). Returns false if it was lost already.
    pub fn mark_lost(&mut self, id: RecordId, leader: (BrokerId, Epoch), at: Stamp) -> bool {
        match self.entries.get_mut(id as usize) {
            Some(e) if e.lost.is_none() => {
                e.lost = Some(at);
                e.history.push(LossChange {
                    at,
                    lost: true,
                    leader: leader.0,
                    epoch: leader.1,
                });
                true
            }
            _ => false,
        }
    }
}

/// The records of `log` in `[from, marker)` that `producer_id` wrote in its transaction (R6.5).
fn txn_records(
    log: &crate::log::ReplicaLog,
    producer_id: i64,
    from: Offset,
    marker: Offset,
) -> Vec<RecordId> {
    log.slice(from, marker)
        .iter()
        .filter(|r| {
            r.producer.producer_id == producer_id && r.txn == crate::txn::RecordTxn::Transactional
        })
        .map(|r| r.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::ProducerFields;
    use crate::read_model::RecordStatus;

    /// A ledger with `values` appended at offsets 0.. of one partition and committed.
    fn committed_ledger(values: &[&str]) -> (Ledger, TopicPartition) {
        let tp = TopicPartition {
            topic: 0,
            partition: 0,
        };
        let at = Stamp { step: 0, time: 0 };
        let mut ledger = Ledger::default();
        let mut log = ReplicaLog::new();
        for v in values {
            let id = ledger.produce(1, tp, None, v.to_string(), Acks::All, at);
            let o = log.append_as_leader(0, id, ProducerFields::NONE);
            ledger.on_leader_append(id, o, 0, &log, at);
        }
        ledger.on_leader_hw(&log, 0, log.leo(), at);
        (ledger, tp)
    }

    fn at(step: u64) -> Stamp {
        Stamp { step, time: step }
    }

    #[test]
    fn consumer_verdicts_duplicates_losses_and_dedup() {
        let (mut l, tp) = committed_ledger(&["a", "b", "c"]);
        assert!(!l.on_consumed(0, 1, 1, 0, false, at(1)));
        assert!(
            !l.on_consumed(0, 2, 2, 0, false, at(2)),
            "dedup off: it counts"
        );
        assert_eq!(l.consumer_duplicates(), vec![0]);
        assert_eq!(l.processed_count(0), 2);
        // Nothing lost while the group has not moved past b and c.
        l.on_group_commit(tp, 1, at(3));
        assert!(l.consumer_lost().is_empty());
        assert!(l.get(0).unwrap().offset_committed.is_some());
        assert!(l.get(1).unwrap().offset_committed.is_none());
        // At-most-once: the group committed 3 but never processed b and c.
        l.on_group_commit(tp, 3, at(4));
        assert_eq!(l.consumer_lost(), vec![1, 2]);
        // With dedup, a second processing is skipped and not a duplicate.
        let (mut d, _) = committed_ledger(&["a"]);
        assert!(!d.on_consumed(0, 1, 1, 0, true, at(1)));
        assert!(d.on_consumed(0, 1, 2, 0, true, at(2)));
        assert!(d.consumer_duplicates().is_empty());
        assert_eq!(d.dedup_skipped(), vec![0]);
        assert_eq!(d.processed_count(0), 1);
    }

    #[test]
    fn a_record_first_processed_after_a_later_one_is_out_of_order() {
        let (mut l, _) = committed_ledger(&["a", "b", "c"]);
        l.on_consumed(1, 1, 1, 1, false, at(1));
        l.on_consumed(0, 1, 1, 0, false, at(2));
        l.on_consumed(2, 1, 1, 2, false, at(3));
        l.on_consumed(1, 1, 1, 1, false, at(4)); // a replay does not count: first processing only
        assert_eq!(l.consumed_out_of_order(), vec![0]);
    }

    #[test]
    fn an_appended_acks0_record_missing_from_the_new_leader_is_lost() {
        // S5: acks=0 is "sent" with no offset; once a leader appended it, a new leader without
        // any copy has lost it. A record no leader ever appended cannot be judged.
        let tp = TopicPartition {
            topic: 0,
            partition: 0,
        };
        let at = Stamp { step: 0, time: 0 };
        let mut ledger = Ledger::default();
        let a = ledger.produce(1, tp, None, "a".into(), Acks::None, at);
        let z = ledger.produce(1, tp, None, "z".into(), Acks::None, at);
        let never = ledger.produce(1, tp, None, "never".into(), Acks::None, at);
        let mut old = ReplicaLog::new();
        for id in [a, z, never] {
            ledger.on_acked(id, None, at);
        }
        for id in [a, z] {
            let o = old.append_as_leader(0, id, ProducerFields::NONE);
            ledger.on_leader_append(id, o, 0, &old, at);
        }
        let mut new = ReplicaLog::new();
        new.append_as_leader(0, a, ProducerFields::NONE);
        assert_eq!(ledger.on_new_leader(tp, &new, (2, 1), at).0, vec![z]);
        assert!(ledger.get(never).unwrap().lost.is_none());
    }

    #[test]
    fn a_lost_record_a_later_leader_has_is_readable_again_with_both_transitions() {
        // Repeated unclean elections: b has it, c does not, then b leads again, then c.
        let (mut ledger, tp) = committed_ledger(&["x", "y"]);
        ledger.on_acked(1, Some(1), at(1));
        let mut with = ReplicaLog::new();
        with.append_as_leader(0, 0, ProducerFields::NONE);
        with.append_as_leader(0, 1, ProducerFields::NONE);
        let mut without = ReplicaLog::new();
        without.append_as_leader(0, 0, ProducerFields::NONE);
        assert_eq!(
            ledger.on_new_leader(tp, &without, (3, 1), at(2)),
            (vec![1], vec![])
        );
        assert_eq!(RecordStatus::of(ledger.get(1).unwrap()), RecordStatus::Lost);
        assert_eq!(
            ledger.on_new_leader(tp, &with, (2, 2), at(3)),
            (vec![], vec![1])
        );
        assert_eq!(
            RecordStatus::of(ledger.get(1).unwrap()),
            RecordStatus::AckedCommitted
        );
        assert_eq!(
            ledger.on_new_leader(tp, &without, (3, 3), at(4)),
            (vec![1], vec![])
        );
        let h: Vec<(bool, BrokerId, Epoch, u64)> = ledger
            .get(1)
            .unwrap()
            .history
            .iter()
            .map(|c| (c.lost, c.leader, c.epoch, c.at.step))
            .collect();
        assert_eq!(h, vec![(true, 3, 1, 2), (false, 2, 2, 3), (true, 3, 3, 4)]);
        assert_eq!(ledger.get(1).unwrap().lost, Some(at(4)));
        // A committed record found missing by the monitor (not acknowledged) comes back too.
        assert!(ledger.mark_lost(0, (3, 3), at(5)));
        let mut moved = ReplicaLog::new();
        moved.append_as_leader(0, 0, ProducerFields::NONE);
        assert_eq!(ledger.on_new_leader(tp, &moved, (1, 4), at(6)).1, vec![0]);
    }
}
