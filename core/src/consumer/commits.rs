//! Offsets: the three commit disciplines (R7.3) around the application's processing, and the
//! committed offsets a new owner starts from (R7.2).

use super::{AppDone, Await, Commit, CommitKind, Consumer, MemberState, Req};
use crate::config::{ClusterConfig, CommitMode};
use crate::log::Record;
use crate::node::{Observation, Out, TimerKind};
use crate::protocol::{ErrorCode, Message};
use crate::types::{Millis, Offset, TopicPartition};

impl Consumer {
    /// Sends `allConsumed()` (the positions). Without a valid generation ConsumerCoordinator
    /// fails the commit locally (CommitFailedException / RebalanceInProgressException).
    pub(super) fn commit(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: CommitKind,
        out: &mut Out,
    ) -> Commit {
        let offsets: Vec<(TopicPartition, Offset)> = self
            .assigned
            .iter()
            .filter_map(|tp| self.positions.get(tp).map(|o| (*tp, *o)))
            .filter(|(_, o)| *o >= 0)
            .collect();
        if kind == CommitKind::Auto
            && offsets
                .iter()
                .all(|(tp, o)| self.committed.get(tp) == Some(o))
        {
            return Commit::Nothing;
        }
        if offsets.is_empty() {
            return Commit::Nothing;
        }
        if self.state != MemberState::Stable || self.generation < 0 {
            // No generation: CommitFailedException ("not part of an active group"); a
            // rebalance under way: RebalanceInProgressException.
            let error = if self.generation < 0 {
                ErrorCode::UnknownMemberId
            } else {
                ErrorCode::RebalanceInProgress
            };
            out.observe(Observation::CommitFailed {
                consumer: self.id,
                error,
            });
            return Commit::Failed;
        }
        let Some(c) = self.coordinator else {
            return Commit::Failed;
        };
        let (generation, member_id) = (self.generation, self.member_id.clone());
        let req = Req::Commit {
            kind,
            offsets: offsets.clone(),
        };
        self.request(
            now,
            cfg,
            c,
            req,
            |request_id| Message::OffsetCommit {
                request_id,
                generation,
                member_id,
                offsets,
            },
            out,
        );
        Commit::Sent
    }

    pub(super) fn start_processing(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        batch: Vec<(TopicPartition, Record)>,
        out: &mut Out,
    ) {
        self.processing = batch.into();
        if cfg.consumer.processing_ms == 0 {
            while !self.processing.is_empty() {
                self.process_one(out);
            }
            self.batch_done(now, cfg, out);
        } else {
            out.set_timer(TimerKind::ProcessRecord, now + cfg.consumer.processing_ms);
        }
    }

    pub(super) fn process_one(&mut self, out: &mut Out) {
        if let Some((tp, r)) = self.processing.pop_front() {
            self.processed += 1;
            out.observe(Observation::Consumed {
                consumer: self.id,
                record: r.id,
                tp,
                offset: r.offset,
                generation: self.generation,
                read_committed_txn: r.txn == crate::txn::RecordTxn::Transactional
                    && self.isolation == crate::txn::isolation::IsolationLevel::ReadCommitted,
            });
        }
    }

    pub(super) fn batch_done(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.app {
            // A pipeline instance: its application commits the batch (R6.8) and resumes the
            // loop with `app_done`.
            self.awaiting = Some(Await::Application);
            let offsets = self
                .assigned
                .iter()
                .filter_map(|tp| Some((*tp, *self.positions.get(tp)?)))
                .collect();
            out.observe(Observation::BatchProcessed {
                consumer: self.id,
                offsets,
                generation: self.generation,
                member_id: self.member_id.clone(),
            });
            return;
        }
        if self.mode == CommitMode::AfterProcessing {
            self.awaiting = Some(Await::CommitAfter);
            self.commit_sync(now, cfg, CommitKind::AfterProcessing, out);
            return;
        }
        self.poll(now, cfg, out);
    }

    /// The pipeline's application finished with the batch (R6.8): its transaction committed
    /// (positions stay), it aborted (positions go back to the committed offsets, fetched again:
    /// Kafka Streams re-initialises a task from its committed offsets after an abort), or, at
    /// least once, its outputs are flushed and the offsets are committed now.
    pub fn app_done(&mut self, now: Millis, cfg: &ClusterConfig, done: AppDone, out: &mut Out) {
        if self.awaiting != Some(Await::Application) {
            return;
        }
        self.awaiting = None;
        match done {
            AppDone::Committed(offsets) => {
                self.committed.extend(offsets);
                self.poll(now, cfg, out);
            }
            AppDone::Aborted => {
                self.positions.clear();
                self.buffer.clear();
                self.validating.clear();
                self.poll(now, cfg, out);
            }
            AppDone::Flushed => {
                self.awaiting = Some(Await::CommitAfter);
                self.commit_sync(now, cfg, CommitKind::AfterProcessing, out);
            }
        }
    }

    /// `commitSync()`: the poll loop waits for the answer ([`Consumer::commit_done`]).
    pub(super) fn commit_sync(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: CommitKind,
        out: &mut Out,
    ) {
        match self.commit(now, cfg, kind, out) {
            Commit::Sent => {}
            Commit::Nothing => self.commit_done(now, cfg, true, out),
            Commit::Failed => self.commit_done(now, cfg, false, out),
        }
    }

    /// A synchronous commit finished: continue the poll loop.
    pub(super) fn commit_done(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        ok: bool,
        out: &mut Out,
    ) {
        if let Some(Await::CommitBefore(batch)) = self.awaiting.take() {
            if ok {
                self.start_processing(now, cfg, batch, out);
                return;
            }
            // CommitFailedException: the application skips the batch; after the rebalance the
            // partitions restart from the committed offsets.
        }
        self.poll(now, cfg, out);
    }
    /// OffsetCommit answered: record the commit, or fail it (R7.3, S36); a synchronous commit
    /// then lets the poll loop continue.
    pub(super) fn on_commit_response(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        result: Result<(), ErrorCode>,
        out: &mut Out,
    ) {
        let Req::Commit { kind, offsets } = req else {
            return;
        };
        match result {
            Ok(()) => {
                for (tp, o) in &offsets {
                    self.committed.insert(*tp, *o);
                }
                out.observe(Observation::OffsetsCommitted {
                    consumer: self.id,
                    generation: self.generation,
                    offsets,
                });
                if matches!(
                    kind,
                    CommitKind::BeforeProcessing | CommitKind::AfterProcessing
                ) {
                    self.commit_done(now, cfg, true, out);
                }
            }
            Err(
                e @ (ErrorCode::UnknownMemberId
                | ErrorCode::IllegalGeneration
                | ErrorCode::RebalanceInProgress),
            ) => {
                // CommitFailedException / RebalanceInProgressException (S36): the
                // member must rejoin; a synchronous commit is not retried.
                out.observe(Observation::CommitFailed {
                    consumer: self.id,
                    error: e,
                });
                if e == ErrorCode::RebalanceInProgress {
                    self.needs_rejoin = true;
                } else {
                    self.reset_generation(e);
                }
                if matches!(
                    kind,
                    CommitKind::BeforeProcessing | CommitKind::AfterProcessing
                ) {
                    self.commit_done(now, cfg, false, out);
                }
            }
            Err(e) => self.failed(now, cfg, Req::Commit { kind, offsets }, e, out),
        }
    }
    /// OffsetFetch answered: positions start at the committed offsets (R7.2), or reset (R7.1).
    pub(super) fn on_offset_fetch(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        result: Result<Vec<(TopicPartition, Option<Offset>)>, ErrorCode>,
        out: &mut Out,
    ) {
        match result {
            Ok(list) => {
                for (tp, committed) in list {
                    if !self.assigned.contains(&tp) || self.positions.contains_key(&tp) {
                        continue;
                    }
                    match committed {
                        Some(o) => {
                            self.committed.insert(tp, o);
                            self.positions.insert(tp, o);
                        }
                        None => self.reset_position(tp, None, cfg, out),
                    }
                }
                self.poll(now, cfg, out);
            }
            Err(e) => self.failed(now, cfg, req, e, out),
        }
    }
}
