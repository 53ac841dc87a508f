//! A consumer client in a group (KafkaConsumer with its ConsumerCoordinator, simplified): the
//! application's poll loop, fetching from partition leaders (below the HW only, R7.1), position
//! vs committed offset (R7.2), the three commit disciplines (R7.3), and the classic group protocol
//! seen from the member's side (R7.4): FindCoordinator, JoinGroup, SyncGroup (the leader runs the
//! assignor, R7.5), heartbeats, `max.poll.interval.ms`, eager revocation or incremental
//! cooperative rebalancing (KIP-429).
//!
//! Sans-IO like the producer. Simplifications: one group, subscribed to every topic; no prefetch
//! while the application processes; an empty fetch is retried after `fetch.max.wait.ms` (the broker
//! does not park consumer fetches); `auto.offset.reset = latest` asks the leader for its HW with a
//! fetch at offset -1 instead of ListOffsets; no fetching while the member rejoins (a cooperative
//! member keeps its partitions and positions, but does not fetch them until the join completes,
//! which Kafka's does). After a leader
//! change the position is validated with OffsetsForLeaderEpoch (KIP-320, R7.7) using the epoch of
//! the last record returned; committed offsets carry no epoch here, so a position restored from a
//! commit is not validated.

use std::collections::VecDeque;

use crate::config::{ClusterConfig, CommitMode};
use crate::coordinator::is_internal;
use crate::log::Record;
use crate::node::{Observation, Out, TimerKind};
use crate::protocol::{ErrorCode, Message};
use crate::txn::isolation::IsolationLevel;
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset, TopicPartition};
use crate::vec_map::{VecMap, VecSet};

mod commits;
mod fetching;
mod membership;

/// A fetch position of -1 asks the leader for its HW (`auto.offset.reset = latest`).
pub const LATEST: Offset = -1;

/// Where the member is in the group protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberState {
    /// Not in the group.
    Unjoined,
    /// JoinGroup sent, waiting for its response.
    Joining,
    /// SyncGroup sent, waiting for its assignment.
    Syncing,
    /// A member of the current generation with an assignment.
    Stable,
}

/// Why an offset commit was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommitKind {
    /// `enable.auto.commit`, asynchronous (R7.3).
    Auto,
    /// `commitSync()` before processing (at-most-once).
    BeforeProcessing,
    /// `commitSync()` after processing (at-least-once).
    AfterProcessing,
    /// Before rejoining (ConsumerCoordinator#onJoinPrepare) or on close.
    Rebalance,
}

/// A request waiting for its answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Req {
    Metadata,
    FindCoordinator,
    Join,
    Sync,
    Heartbeat,
    Leave,
    Commit {
        kind: CommitKind,
        offsets: Vec<(TopicPartition, Offset)>,
    },
    OffsetFetch,
    Fetch {
        broker: BrokerId,
        offsets: Vec<(TopicPartition, Offset)>,
    },
    /// OffsetsForLeaderEpoch (KIP-320).
    Validate {
        broker: BrokerId,
    },
}

/// What [`Consumer::commit`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Commit {
    Sent,
    Nothing,
    Failed,
}

/// What the poll loop is blocked on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Await {
    /// At-most-once: the commit must succeed before the batch is processed.
    CommitBefore(Vec<(TopicPartition, Record)>),
    /// At-least-once: the batch is processed, its commit must succeed before the next poll.
    CommitAfter,
    /// A pipeline instance: the batch is processed; its application commits it (a transaction,
    /// or a flush then a commit) and then calls [`Consumer::app_done`].
    Application,
}

/// One member's assignment change in one generation (R7.4): under the eager protocols it revoked
/// everything before joining and all of `assigned` is new; under cooperative-sticky (KIP-429) only
/// the partitions that move are revoked, after SyncGroup, and only `added` arrive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AssignmentChange {
    /// The generation whose SyncGroup answer brought the assignment.
    pub generation: i32,
    /// The whole assignment of that generation.
    pub assigned: Vec<TopicPartition>,
    /// Partitions of `assigned` the member did not own before (ConsumerRebalanceListener
    /// `onPartitionsAssigned`).
    pub added: Vec<TopicPartition>,
    /// Partitions it gave up for this generation: before joining (eager) or because the new
    /// assignment lacks them (cooperative; `onPartitionsRevoked`).
    pub revoked: Vec<TopicPartition>,
}

/// How a pipeline's application finished a batch ([`Consumer::app_done`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppDone {
    /// The transaction with these offsets committed.
    Committed(Vec<(TopicPartition, Offset)>),
    /// The transaction aborted: read again from the committed offsets.
    Aborted,
    /// At least once: the outputs are acknowledged; commit the offsets.
    Flushed,
}

/// How many [`AssignmentChange`]s a consumer keeps.
pub const REBALANCES_KEPT: usize = 8;

/// One consumer client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Consumer {
    /// The consumer's index.
    pub id: u32,
    /// How the consumer commits offsets.
    pub mode: CommitMode,
    /// The group coordinator broker, once found.
    pub coordinator: Option<BrokerId>,
    /// The member id the coordinator assigned; empty before the first join.
    pub member_id: String,
    /// `-1` outside a generation.
    pub generation: i32,
    /// Where the consumer is in the join/sync protocol.
    pub state: MemberState,
    /// The partitions currently assigned to this consumer.
    pub assigned: Vec<TopicPartition>,
    /// Next offset to return from `poll()` per partition (R7.2).
    pub positions: VecMap<TopicPartition, Offset>,
    /// The last commit this consumer saw acknowledged, per partition.
    pub committed: VecMap<TopicPartition, Offset>,
    /// Fetched records not yet returned by `poll()`.
    pub buffer: VecMap<TopicPartition, VecDeque<Record>>,
    /// Records returned by `poll()` that the application is still processing, in order.
    pub processing: VecDeque<(TopicPartition, Record)>,
    /// Records processed so far.
    pub processed: u64,
    /// A heartbeat or commit said the group is rebalancing: rejoin at the next `poll()`.
    pub needs_rejoin: bool,
    /// Partitions with no position and `auto.offset.reset = none`.
    pub stuck: VecSet<TopicPartition>,
    /// Leader epoch of the last record `poll()` returned per partition (KIP-320).
    pub last_epoch: VecMap<TopicPartition, Epoch>,
    /// The partition's leader epoch the position was last fetched or validated under.
    fetch_epoch: VecMap<TopicPartition, Epoch>,
    /// Positions to validate with OffsetsForLeaderEpoch before fetching again (R7.7).
    pub validating: VecSet<TopicPartition>,
    /// True once the consumer was removed or closed.
    pub closed: bool,
    /// Its `isolation.level` (R6.7): the configuration's, unless a command changed it.
    pub isolation: IsolationLevel,
    /// It is an instance of the run's pipeline (`[pipeline]`): it reads the input topic only and
    /// its application commits its batches.
    pub app: bool,
    /// Its last [`REBALANCES_KEPT`] assignment changes, oldest first (R7.4).
    pub rebalances: Vec<AssignmentChange>,
    /// Partitions revoked since the last assignment, for the next [`AssignmentChange`].
    pending_revoked: Vec<TopicPartition>,
    /// The last assignment and its generation, as the eager sticky assignor keeps them in its
    /// user data (StickyAssignor#onAssignment, KIP-341).
    sticky_memory: (Vec<TopicPartition>, i32),
    metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>,
    requests: VecMap<u64, Req>,
    next_request: u64,
    last_poll: Millis,
    last_auto_commit: Millis,
    awaiting: Option<Await>,
    wake_at: Option<Millis>,
    heartbeat_running: bool,
    bootstrap: u32,
    fetch_not_before: Millis,
}

impl Consumer {
    /// A new consumer with index `id`, not yet in the group.
    pub fn new(
        id: u32,
        now: Millis,
        cfg: &ClusterConfig,
        metadata: VecMap<TopicPartition, (Option<BrokerId>, Epoch)>,
    ) -> Self {
        Consumer {
            id,
            mode: cfg.consumer.commit,
            coordinator: None,
            member_id: String::new(),
            generation: -1,
            state: MemberState::Unjoined,
            assigned: Vec::new(),
            positions: VecMap::new(),
            committed: VecMap::new(),
            buffer: VecMap::new(),
            processing: VecDeque::new(),
            processed: 0,
            needs_rejoin: false,
            stuck: VecSet::new(),
            last_epoch: VecMap::new(),
            fetch_epoch: VecMap::new(),
            validating: VecSet::new(),
            closed: false,
            app: cfg.pipeline.is_some(),
            isolation: cfg.isolation_level(),
            rebalances: Vec::new(),
            pending_revoked: Vec::new(),
            sticky_memory: (Vec::new(), -1),
            metadata: metadata
                .into_iter()
                .filter(|(tp, _)| !is_internal(cfg, *tp))
                .collect(),
            requests: VecMap::new(),
            next_request: 0,
            last_poll: now,
            last_auto_commit: now,
            awaiting: None,
            wake_at: None,
            heartbeat_running: false,
            bootstrap: id,
            fetch_not_before: 0,
        }
    }

    fn node(&self) -> NodeId {
        NodeId::consumer(self.id)
    }

    /// The first `poll()` of a freshly started consumer.
    pub fn on_start(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        self.poll(now, cfg, out);
    }

    fn note(&self, out: &mut Out, rebalance: bool, text: String) {
        out.observe(Observation::GroupNote {
            node: self.node(),
            rebalance,
            text,
        });
    }

    fn wake(&mut self, now: Millis, at: Millis, out: &mut Out) {
        let at = at.max(now + 1);
        if self.wake_at.is_none_or(|w| at < w) {
            self.wake_at = Some(at);
            out.set_timer(TimerKind::ConsumerWakeup, at);
        }
    }

    fn request(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        to: BrokerId,
        req: Req,
        msg: impl FnOnce(u64) -> Message,
        out: &mut Out,
    ) -> u64 {
        self.next_request += 1;
        // Request ids of different clients never collide on a broker's purgatory timers.
        let request_id = ((self.id as u64) << 40) | (1 << 39) | self.next_request;
        self.requests.insert(request_id, req);
        out.send(NodeId::Broker(to), msg(request_id));
        out.set_timer(
            TimerKind::ConsumerRequestTimeout(request_id),
            now + cfg.consumer.request_timeout_ms,
        );
        request_id
    }

    fn in_flight(&self, pred: impl Fn(&Req) -> bool) -> bool {
        self.requests.values().any(pred)
    }

    fn next_bootstrap(&mut self, cfg: &ClusterConfig) -> BrokerId {
        self.bootstrap = self.bootstrap % cfg.brokers + 1;
        self.bootstrap
    }

    /// The application's `poll()`: group upkeep, auto-commit, then records (or a fetch).
    pub fn poll(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.closed || !self.processing.is_empty() {
            return;
        }
        if let Some(aw) = self.awaiting.clone() {
            // A synchronous commit is pending or must be retried.
            if self.in_flight(|r| matches!(r, Req::Commit { .. })) {
                return;
            }
            if self.coordinator.is_none() {
                self.find_coordinator(now, cfg, out);
                return;
            }
            let kind = match aw {
                Await::CommitBefore(_) => CommitKind::BeforeProcessing,
                Await::CommitAfter => CommitKind::AfterProcessing,
                Await::Application => return,
            };
            self.commit_sync(now, cfg, kind, out);
            return;
        }
        self.last_poll = now;
        if self.coordinator.is_none() {
            self.find_coordinator(now, cfg, out);
            return;
        }
        if self.needs_rejoin || self.state == MemberState::Unjoined {
            if self.state == MemberState::Stable || self.state == MemberState::Unjoined {
                self.join_prepare(now, cfg, out);
                self.send_join(now, cfg, out);
            }
            return;
        }
        if self.state != MemberState::Stable {
            return;
        }
        let missing: Vec<TopicPartition> = self
            .assigned
            .iter()
            .filter(|tp| !self.positions.contains_key(tp) && !self.stuck.contains(tp))
            .copied()
            .collect();
        if !missing.is_empty() {
            if !self.in_flight(|r| matches!(r, Req::OffsetFetch)) {
                let c = self.coordinator.expect("checked");
                let require_stable = self.isolation == IsolationLevel::ReadCommitted;
                self.request(
                    now,
                    cfg,
                    c,
                    Req::OffsetFetch,
                    |request_id| Message::OffsetFetch {
                        request_id,
                        partitions: missing,
                        // KIP-447: a read_committed consumer waits for pending transactional
                        // offsets (ConsumerCoordinator: requireStable = isolation.level).
                        require_stable,
                    },
                    out,
                );
            }
            return;
        }
        // R7.3: auto-commit runs at the start of poll() once the interval has elapsed and
        // commits the positions, which cover the records returned by earlier polls.
        // A pipeline instance never auto-commits: its application commits (Kafka Streams sets
        // enable.auto.commit = false).
        if cfg.consumer.auto_commit() && !self.app {
            let due = self.last_auto_commit + cfg.consumer.auto_commit_interval_ms;
            if now >= due {
                self.last_auto_commit = now;
                let _ = self.commit(now, cfg, CommitKind::Auto, out);
            } else {
                self.wake(now, due, out);
            }
        }
        let batch = self.take_batch(cfg);
        if !batch.is_empty() {
            for (tp, r) in &batch {
                // R7.2: position after poll() = last returned offset + 1.
                self.positions.insert(*tp, r.offset + 1);
                self.last_epoch.insert(*tp, r.epoch);
            }
            if self.mode == CommitMode::BeforeProcessing && !self.app {
                self.awaiting = Some(Await::CommitBefore(batch));
                self.commit_sync(now, cfg, CommitKind::BeforeProcessing, out);
            } else {
                self.start_processing(now, cfg, batch, out);
            }
            return;
        }
        self.send_fetches(now, cfg, out);
    }

    fn take_batch(&mut self, cfg: &ClusterConfig) -> Vec<(TopicPartition, Record)> {
        let mut batch = Vec::new();
        let max = cfg.consumer.max_poll_records as usize;
        for (tp, q) in self.buffer.iter_mut() {
            while batch.len() < max {
                match q.pop_front() {
                    Some(r) => batch.push((*tp, r)),
                    None => break,
                }
            }
        }
        self.buffer.retain(|_, q| !q.is_empty());
        batch
    }

    /// Sends `req` to the next bootstrap broker, unless a request of its kind is in flight.
    fn request_any_broker(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        msg: impl FnOnce(u64) -> Message,
        out: &mut Out,
    ) {
        let kind = std::mem::discriminant(&req);
        if self.in_flight(|r| std::mem::discriminant(r) == kind) {
            return;
        }
        let b = self.next_bootstrap(cfg);
        self.request(now, cfg, b, req, msg, out);
    }

    fn request_metadata(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let msg = |request_id| Message::MetadataRequest { request_id };
        self.request_any_broker(now, cfg, Req::Metadata, msg, out);
    }

    /// Handles a timer that fired on this consumer.
    pub fn handle_timer(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: TimerKind,
        out: &mut Out,
    ) {
        if self.closed {
            return;
        }
        match kind {
            TimerKind::ConsumerWakeup => {
                self.wake_at = None;
                self.poll(now, cfg, out);
            }
            TimerKind::ProcessRecord => {
                self.process_one(out);
                if self.processing.is_empty() {
                    self.batch_done(now, cfg, out);
                } else {
                    out.set_timer(TimerKind::ProcessRecord, now + cfg.consumer.processing_ms);
                }
            }
            TimerKind::GroupHeartbeat => self.heartbeat(now, cfg, out),
            TimerKind::ConsumerRequestTimeout(request_id) => {
                if let Some(req) = self.requests.remove(&request_id) {
                    self.failed(now, cfg, req, ErrorCode::RequestTimedOut, out);
                }
            }
            _ => {}
        }
    }

    /// A request failed without an answer from the coordinator logic (timeout, connection
    /// refused) or with a coordinator error.
    fn failed(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        req: Req,
        error: ErrorCode,
        out: &mut Out,
    ) {
        let coordinator_gone = matches!(
            error,
            ErrorCode::NotCoordinator
                | ErrorCode::CoordinatorNotAvailable
                | ErrorCode::RequestTimedOut
                | ErrorCode::NetworkException
        );
        match req {
            Req::Fetch { .. } | Req::Metadata | Req::Validate { .. } => {
                self.fetch_not_before = now + cfg.consumer.retry_backoff_ms;
                if matches!(req, Req::Fetch { .. } | Req::Validate { .. }) {
                    self.request_metadata(now, cfg, out);
                }
            }
            Req::FindCoordinator => {}
            Req::Join | Req::Sync => {
                if coordinator_gone {
                    self.coordinator = None;
                }
                self.state = MemberState::Unjoined;
            }
            Req::Heartbeat | Req::OffsetFetch | Req::Leave => {
                if coordinator_gone {
                    self.coordinator = None;
                }
            }
            Req::Commit { .. } => {
                // A retriable error: a synchronous commit is retried by the next poll (it is
                // still awaited); an asynchronous one is not.
                if coordinator_gone {
                    self.coordinator = None;
                }
                out.observe(Observation::CommitFailed {
                    consumer: self.id,
                    error,
                });
            }
        }
        self.wake(now, now + cfg.consumer.retry_backoff_ms, out);
    }

    /// Handles a message delivered to this consumer.
    pub fn handle_message(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        if self.closed {
            return;
        }
        let request_id = match &msg {
            Message::MetadataResponse { request_id, .. }
            | Message::ConsumerFetchResponse { request_id, .. }
            | Message::FindCoordinatorResponse { request_id, .. }
            | Message::JoinGroupResponse { request_id, .. }
            | Message::SyncGroupResponse { request_id, .. }
            | Message::GroupHeartbeatResponse { request_id, .. }
            | Message::LeaveGroupResponse { request_id }
            | Message::OffsetCommitResponse { request_id, .. }
            | Message::OffsetFetchResponse { request_id, .. }
            | Message::OffsetsForLeaderEpochResponse { request_id, .. } => *request_id,
            Message::ConnectionRefused { original } => match original.as_ref() {
                Message::MetadataRequest { request_id }
                | Message::ConsumerFetch { request_id, .. }
                | Message::FindCoordinator { request_id, .. }
                | Message::JoinGroup { request_id, .. }
                | Message::SyncGroup { request_id, .. }
                | Message::GroupHeartbeat { request_id, .. }
                | Message::LeaveGroup { request_id, .. }
                | Message::OffsetCommit { request_id, .. }
                | Message::OffsetFetch { request_id, .. }
                | Message::OffsetsForLeaderEpoch { request_id, .. } => *request_id,
                _ => return,
            },
            _ => return,
        };
        let Some(req) = self.requests.remove(&request_id) else {
            return; // late answer to a request that timed out
        };
        out.cancel_timer(TimerKind::ConsumerRequestTimeout(request_id));
        match msg {
            Message::ConnectionRefused { .. } => {
                self.failed(now, cfg, req, ErrorCode::NetworkException, out)
            }
            Message::MetadataResponse { partitions, .. } => {
                for (tp, leader, epoch) in partitions {
                    if !is_internal(cfg, tp) {
                        self.metadata.insert(tp, (leader, epoch));
                    }
                }
                self.poll(now, cfg, out);
            }
            Message::FindCoordinatorResponse { result, .. } => match result {
                Ok(b) => {
                    self.coordinator = Some(b);
                    self.poll(now, cfg, out);
                }
                Err(e) => self.failed(now, cfg, req, e, out),
            },
            Message::JoinGroupResponse { result, .. } => {
                self.on_join(now, cfg, from, req, result, out)
            }
            Message::SyncGroupResponse { result, .. } => self.on_sync(now, cfg, req, result, out),
            Message::GroupHeartbeatResponse { error, .. } => {
                self.on_heartbeat_response(now, cfg, req, error, out)
            }
            Message::LeaveGroupResponse { .. } => {}
            Message::OffsetCommitResponse { result, .. } => {
                self.on_commit_response(now, cfg, req, result, out)
            }
            Message::OffsetFetchResponse { result, .. } => {
                self.on_offset_fetch(now, cfg, req, result, out)
            }
            Message::ConsumerFetchResponse { partitions, .. } => {
                let Req::Fetch { offsets, .. } = req else {
                    return;
                };
                self.on_fetch(now, cfg, offsets, partitions, out);
            }
            Message::OffsetsForLeaderEpochResponse { partitions, .. } => {
                self.on_validated(now, cfg, partitions, out);
            }
            _ => {}
        }
    }
}
#[cfg(test)]
mod tests;
