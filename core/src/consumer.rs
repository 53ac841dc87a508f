//! A consumer client in a group (KafkaConsumer with its ConsumerCoordinator, simplified): the
//! application's poll loop, fetching from partition leaders (below the HW only, R7.1), position
//! vs committed offset (R7.2), the three commit disciplines (R7.3), and the classic group protocol
//! seen from the member's side (R7.4): FindCoordinator, JoinGroup, SyncGroup (the leader runs the
//! assignor, R7.5), heartbeats, `max.poll.interval.ms`, eager revocation.
//!
//! Sans-IO like the producer. Simplifications: one group, subscribed to every topic; no prefetch
//! while the application processes; an empty fetch is retried after `fetch.max.wait.ms` (the broker
//! does not park consumer fetches); `auto.offset.reset = latest` asks the leader for its HW with a
//! fetch at offset -1 instead of ListOffsets; cooperative-sticky runs eagerly. After a leader
//! change the position is validated with OffsetsForLeaderEpoch (KIP-320, R7.7) using the epoch of
//! the last record returned; committed offsets carry no epoch here, so a position restored from a
//! commit is not validated.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::assignor::{assign, Subscription, TopicPartitionName};
use crate::config::{ClusterConfig, CommitMode, OffsetReset};
use crate::coordinator::is_internal;
use crate::log::Record;
use crate::node::{Observation, Out, TimerKind};
use crate::protocol::{ErrorCode, FetchedPartition, JoinResult, Message};
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset, TopicPartition};

/// A fetch position of -1 asks the leader for its HW (`auto.offset.reset = latest`).
pub const LATEST: Offset = -1;

/// Where the member is in the group protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberState {
    Unjoined,
    Joining,
    Syncing,
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
}

/// One consumer client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Consumer {
    pub id: u32,
    pub mode: CommitMode,
    pub coordinator: Option<BrokerId>,
    pub member_id: String,
    /// `-1` outside a generation.
    pub generation: i32,
    pub state: MemberState,
    pub assigned: Vec<TopicPartition>,
    /// Next offset to return from `poll()` per partition (R7.2).
    pub positions: BTreeMap<TopicPartition, Offset>,
    /// The last commit this consumer saw acknowledged, per partition.
    pub committed: BTreeMap<TopicPartition, Offset>,
    /// Fetched records not yet returned by `poll()`.
    pub buffer: BTreeMap<TopicPartition, VecDeque<Record>>,
    /// Records returned by `poll()` that the application is still processing, in order.
    pub processing: VecDeque<(TopicPartition, Record)>,
    /// Records processed so far.
    pub processed: u64,
    /// A heartbeat or commit said the group is rebalancing: rejoin at the next `poll()`.
    pub needs_rejoin: bool,
    /// Partitions with no position and `auto.offset.reset = none`.
    pub stuck: BTreeSet<TopicPartition>,
    /// Leader epoch of the last record `poll()` returned per partition (KIP-320).
    pub last_epoch: BTreeMap<TopicPartition, Epoch>,
    /// The partition's leader epoch the position was last fetched or validated under.
    fetch_epoch: BTreeMap<TopicPartition, Epoch>,
    /// Positions to validate with OffsetsForLeaderEpoch before fetching again (R7.7).
    pub validating: BTreeSet<TopicPartition>,
    pub closed: bool,
    metadata: BTreeMap<TopicPartition, (Option<BrokerId>, Epoch)>,
    requests: BTreeMap<u64, Req>,
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
    pub fn new(
        id: u32,
        now: Millis,
        cfg: &ClusterConfig,
        metadata: BTreeMap<TopicPartition, (Option<BrokerId>, Epoch)>,
    ) -> Self {
        Consumer {
            id,
            mode: cfg.consumer.commit,
            coordinator: None,
            member_id: String::new(),
            generation: -1,
            state: MemberState::Unjoined,
            assigned: Vec::new(),
            positions: BTreeMap::new(),
            committed: BTreeMap::new(),
            buffer: BTreeMap::new(),
            processing: VecDeque::new(),
            processed: 0,
            needs_rejoin: false,
            stuck: BTreeSet::new(),
            last_epoch: BTreeMap::new(),
            fetch_epoch: BTreeMap::new(),
            validating: BTreeSet::new(),
            closed: false,
            metadata: metadata
                .into_iter()
                .filter(|(tp, _)| !is_internal(cfg, *tp))
                .collect(),
            requests: BTreeMap::new(),
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
                self.request(
                    now,
                    cfg,
                    c,
                    Req::OffsetFetch,
                    |request_id| Message::OffsetFetch {
                        request_id,
                        partitions: missing,
                    },
                    out,
                );
            }
            return;
        }
        // R7.3: auto-commit runs at the start of poll() once the interval has elapsed and
        // commits the positions, which cover the records returned by earlier polls.
        if cfg.consumer.auto_commit() {
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
            if self.mode == CommitMode::BeforeProcessing {
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

    fn send_fetches(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if now < self.fetch_not_before {
            self.wake(now, self.fetch_not_before, out);
            return;
        }
        let mut per_leader: BTreeMap<BrokerId, Vec<(TopicPartition, Offset)>> = BTreeMap::new();
        let mut to_validate: BTreeMap<BrokerId, Vec<(TopicPartition, Epoch)>> = BTreeMap::new();
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
            if cfg.profile.consumer_truncation_detection
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
            self.request(
                now,
                cfg,
                broker,
                req,
                |request_id| Message::ConsumerFetch {
                    request_id,
                    partitions: offsets,
                },
                out,
            );
        }
        if need_metadata {
            self.request_metadata(now, cfg, out);
        }
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

    fn find_coordinator(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let msg = |request_id| Message::FindCoordinator { request_id };
        self.request_any_broker(now, cfg, Req::FindCoordinator, msg, out);
    }

    /// ConsumerCoordinator#onJoinPrepare: commit (auto-commit only) and revoke everything (eager).
    fn join_prepare(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.state == MemberState::Stable && cfg.consumer.auto_commit() {
            let _ = self.commit(now, cfg, CommitKind::Rebalance, out);
        }
        self.revoke_all(out);
    }

    fn revoke_all(&mut self, out: &mut Out) {
        if !self.assigned.is_empty() {
            out.observe(Observation::Revoked {
                consumer: self.id,
                partitions: std::mem::take(&mut self.assigned),
            });
        }
        self.positions.clear();
        self.buffer.clear();
        self.stuck.clear();
        self.last_epoch.clear();
        self.fetch_epoch.clear();
        self.validating.clear();
        for r in self.requests.values_mut() {
            if let Req::Fetch { offsets, .. } = r {
                offsets.clear(); // answers for revoked partitions are ignored
            }
        }
    }

    fn send_join(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let Some(c) = self.coordinator else {
            return;
        };
        if self.in_flight(|r| matches!(r, Req::Join | Req::Sync)) {
            return;
        }
        self.state = MemberState::Joining;
        self.needs_rejoin = false;
        let member_id = self.member_id.clone();
        let topics: Vec<String> = cfg.topics.iter().map(|t| t.name.clone()).collect();
        self.request(
            now,
            cfg,
            c,
            Req::Join,
            |request_id| Message::JoinGroup {
                request_id,
                member_id,
                topics,
                owned: vec![],
            },
            out,
        );
        if !self.heartbeat_running {
            self.heartbeat_running = true;
            out.set_timer(
                TimerKind::GroupHeartbeat,
                now + cfg.consumer.heartbeat_interval_ms,
            );
        }
    }

    /// Sends `allConsumed()` (the positions). Without a valid generation ConsumerCoordinator
    /// fails the commit locally (CommitFailedException / RebalanceInProgressException).
    fn commit(
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

    fn start_processing(
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

    fn process_one(&mut self, out: &mut Out) {
        if let Some((tp, r)) = self.processing.pop_front() {
            self.processed += 1;
            out.observe(Observation::Consumed {
                consumer: self.id,
                record: r.id,
                tp,
                offset: r.offset,
                generation: self.generation,
            });
        }
    }

    fn batch_done(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.mode == CommitMode::AfterProcessing {
            self.awaiting = Some(Await::CommitAfter);
            self.commit_sync(now, cfg, CommitKind::AfterProcessing, out);
            return;
        }
        self.poll(now, cfg, out);
    }

    /// `commitSync()`: the poll loop waits for the answer ([`Consumer::commit_done`]).
    fn commit_sync(&mut self, now: Millis, cfg: &ClusterConfig, kind: CommitKind, out: &mut Out) {
        match self.commit(now, cfg, kind, out) {
            Commit::Sent => {}
            Commit::Nothing => self.commit_done(now, cfg, true, out),
            Commit::Failed => self.commit_done(now, cfg, false, out),
        }
    }

    /// A synchronous commit finished: continue the poll loop.
    fn commit_done(&mut self, now: Millis, cfg: &ClusterConfig, ok: bool, out: &mut Out) {
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

    /// Lost the membership (UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION): rejoin as a new member.
    fn reset_generation(&mut self, error: ErrorCode) {
        if error == ErrorCode::UnknownMemberId {
            self.member_id.clear();
        }
        self.generation = -1;
        self.state = MemberState::Unjoined;
        self.needs_rejoin = true;
    }

    /// `close()`: commit (auto-commit only), then LeaveGroup.
    pub fn close(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        if self.state == MemberState::Stable && cfg.consumer.auto_commit() {
            let _ = self.commit(now, cfg, CommitKind::Rebalance, out);
        }
        if let (Some(c), false) = (self.coordinator, self.member_id.is_empty()) {
            let member_id = self.member_id.clone();
            self.request(
                now,
                cfg,
                c,
                Req::Leave,
                |request_id| Message::LeaveGroup {
                    request_id,
                    member_id,
                },
                out,
            );
        }
        self.revoke_all(out);
        self.closed = true;
    }

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

    /// The heartbeat thread (AbstractCoordinator.HeartbeatThread).
    fn heartbeat(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        let busy = !self.processing.is_empty() || self.awaiting.is_some();
        let member = !self.member_id.is_empty() && self.generation >= 0;
        if member && busy && now > self.last_poll + cfg.consumer.max_poll_interval_ms {
            // R7.4: "consumer poll timeout has expired" — the client leaves the group itself.
            self.note(
                out,
                true,
                format!(
                    "did not poll for max.poll.interval.ms ({} ms): leaves the group",
                    cfg.consumer.max_poll_interval_ms
                ),
            );
            if let Some(c) = self.coordinator {
                let member_id = self.member_id.clone();
                self.request(
                    now,
                    cfg,
                    c,
                    Req::Leave,
                    |request_id| Message::LeaveGroup {
                        request_id,
                        member_id,
                    },
                    out,
                );
            }
            self.reset_generation(ErrorCode::UnknownMemberId);
        } else if member && !self.in_flight(|r| matches!(r, Req::Heartbeat)) {
            if let Some(c) = self.coordinator {
                let (generation, member_id) = (self.generation, self.member_id.clone());
                self.request(
                    now,
                    cfg,
                    c,
                    Req::Heartbeat,
                    |request_id| Message::GroupHeartbeat {
                        request_id,
                        generation,
                        member_id,
                    },
                    out,
                );
            }
        }
        out.set_timer(
            TimerKind::GroupHeartbeat,
            now + cfg.consumer.heartbeat_interval_ms,
        );
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
                | Message::FindCoordinator { request_id }
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
            Message::SyncGroupResponse { result, .. } => match result {
                Ok(tps) => {
                    self.state = MemberState::Stable;
                    self.assigned = tps.clone();
                    self.last_poll = now;
                    out.observe(Observation::Assigned {
                        consumer: self.id,
                        generation: self.generation,
                        member_id: self.member_id.clone(),
                        partitions: tps,
                    });
                    self.poll(now, cfg, out);
                }
                Err(e @ (ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration)) => {
                    self.reset_generation(e);
                    self.poll(now, cfg, out);
                }
                Err(ErrorCode::RebalanceInProgress) => {
                    self.state = MemberState::Unjoined;
                    self.poll(now, cfg, out);
                }
                Err(e) => self.failed(now, cfg, req, e, out),
            },
            Message::GroupHeartbeatResponse { error, .. } => match error {
                None => {}
                Some(ErrorCode::RebalanceInProgress) if self.state == MemberState::Stable => {
                    self.needs_rejoin = true;
                    self.wake(now, now, out);
                }
                Some(ErrorCode::RebalanceInProgress) => {}
                Some(e @ (ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration)) => {
                    self.note(
                        out,
                        true,
                        format!("heartbeat answered {e}: rejoins the group"),
                    );
                    self.reset_generation(e);
                    self.wake(now, now, out);
                }
                Some(e) => self.failed(now, cfg, req, e, out),
            },
            Message::LeaveGroupResponse { .. } => {}
            Message::OffsetCommitResponse { result, .. } => {
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
            Message::OffsetFetchResponse { result, .. } => match result {
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
            },
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

    /// `auto.offset.reset` (R7.1): no committed offset, or the position is out of range.
    fn reset_position(
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
                self.positions.remove(&tp);
                self.stuck.insert(tp);
                self.note(
                    out,
                    false,
                    format!(
                        "no valid offset for p{} and auto.offset.reset=none: stops consuming it",
                        tp.partition
                    ),
                );
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
                "auto.offset.reset={} moves p{} to {shown}",
                match cfg.consumer.auto_offset_reset {
                    OffsetReset::Earliest => "earliest",
                    OffsetReset::Latest => "latest",
                    OffsetReset::None => "none",
                },
                tp.partition
            ),
        );
    }

    /// R7.7 (SubscriptionState#maybeCompleteValidation): an end offset below the position means
    /// the consumer read records that were truncated away.
    fn on_validated(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        partitions: Vec<(TopicPartition, crate::protocol::EpochEndOffset)>,
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
                    self.positions.remove(&tp);
                    self.stuck.insert(tp);
                    self.note(
                        out,
                        false,
                        format!(
                            "LogTruncationException: p{} ends at {end} in the last consumed epoch, below the position {pos}",
                            tp.partition
                        ),
                    );
                } else {
                    self.positions.insert(tp, end);
                    self.note(
                        out,
                        false,
                        format!(
                            "log truncation detected (KIP-320): p{} ends at {end}, below the position {pos}: seeks to {end}",
                            tp.partition
                        ),
                    );
                }
            }
        }
        self.poll(now, cfg, out);
    }

    fn on_fetch(
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
                    let q = self.buffer.entry(fp.tp).or_default();
                    for r in fp.records {
                        if r.offset >= from {
                            q.push_back(r);
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

    fn on_join(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        req: Req,
        result: Result<JoinResult, ErrorCode>,
        out: &mut Out,
    ) {
        match result {
            Ok(j) => {
                self.generation = j.generation;
                self.member_id = j.member_id.clone();
                self.state = MemberState::Syncing;
                let assignments = if j.leader == j.member_id {
                    self.compute_assignment(cfg, &j.members)
                } else {
                    vec![]
                };
                // The coordinator that answered (the consumer may have forgotten it meanwhile).
                let NodeId::Broker(c) = from else { return };
                self.coordinator = Some(c);
                let (generation, member_id) = (self.generation, self.member_id.clone());
                self.request(
                    now,
                    cfg,
                    c,
                    Req::Sync,
                    |request_id| Message::SyncGroup {
                        request_id,
                        generation,
                        member_id,
                        assignments,
                    },
                    out,
                );
            }
            Err(ErrorCode::UnknownMemberId) => {
                self.reset_generation(ErrorCode::UnknownMemberId);
                self.state = MemberState::Unjoined;
                self.wake(now, now, out);
            }
            Err(e) => self.failed(now, cfg, req, e, out),
        }
    }

    /// The group leader runs the assignor on every member's subscription (R7.5).
    fn compute_assignment(
        &self,
        cfg: &ClusterConfig,
        members: &[(String, Vec<String>, Vec<TopicPartition>)],
    ) -> Vec<(String, Vec<TopicPartition>)> {
        let partitions_per_topic: BTreeMap<String, u32> = cfg
            .topics
            .iter()
            .map(|t| (t.name.clone(), t.partitions))
            .collect();
        let name = |tp: &TopicPartition| {
            TopicPartitionName::new(
                cfg.topics[tp.topic as usize].name.clone(),
                tp.partition as u32,
            )
        };
        let subs: Vec<Subscription> = members
            .iter()
            .map(|(m, topics, owned)| Subscription {
                member: m.clone(),
                topics: topics.clone(),
                owned: owned
                    .iter()
                    .filter(|tp| !is_internal(cfg, **tp))
                    .map(name)
                    .collect(),
            })
            .collect();
        let a = assign(
            cfg.consumer.partition_assignment_strategy,
            &partitions_per_topic,
            &subs,
        );
        a.owned
            .into_iter()
            .map(|(m, tps)| {
                let tps = tps
                    .into_iter()
                    .filter_map(|n| {
                        let ti = cfg.topics.iter().position(|t| t.name == n.topic)?;
                        Some(TopicPartition {
                            topic: ti as u16,
                            partition: n.partition as u16,
                        })
                    })
                    .collect();
                (m, tps)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    const TP: TopicPartition = TopicPartition {
        topic: 0,
        partition: 0,
    };
    const B1: NodeId = NodeId::Broker(1);

    fn cfg(mode: CommitMode) -> ClusterConfig {
        let mut c = ClusterConfig::default();
        c.consumers = 1;
        c.consumer.commit = mode;
        c.consumer.processing_ms = 0;
        c.consumer.auto_commit_interval_ms = 1_000;
        c
    }

    fn sent(out: &Out) -> Vec<Message> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { msg, .. } => Some(msg.clone()),
                _ => None,
            })
            .collect()
    }

    fn consumed(out: &Out) -> Vec<Offset> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Observe(Observation::Consumed { offset, .. }) => Some(*offset),
                _ => None,
            })
            .collect()
    }

    fn record(offset: Offset) -> Record {
        Record {
            offset,
            epoch: 0,
            id: offset as u32,
            producer: crate::log::ProducerFields::NONE,
        }
    }

    /// Drives a consumer through FindCoordinator, JoinGroup (as leader), SyncGroup and
    /// OffsetFetch (committed offset `committed`); returns it and the request id of its fetch.
    fn stable(cfg: &ClusterConfig, committed: Option<Offset>) -> (Consumer, u64) {
        let metadata = [(TP, (Some(1), 0))].into_iter().collect();
        let mut c = Consumer::new(1, 0, cfg, metadata);
        let mut out = Out::default();
        c.on_start(0, cfg, &mut out);
        let Some(Message::FindCoordinator { request_id }) = sent(&out).pop() else {
            panic!("{:?}", out.effects)
        };
        let mut out = Out::default();
        let result = Ok(1);
        c.handle_message(
            1,
            cfg,
            B1,
            Message::FindCoordinatorResponse { request_id, result },
            &mut out,
        );
        let Some(Message::JoinGroup {
            request_id,
            member_id,
            ..
        }) = sent(&out).pop()
        else {
            panic!("{:?}", out.effects)
        };
        assert!(member_id.is_empty(), "a new member");
        let join = JoinResult {
            generation: 1,
            member_id: "c1-1".into(),
            leader: "c1-1".into(),
            members: vec![("c1-1".into(), vec!["t".into()], vec![])],
        };
        let mut out = Out::default();
        let msg = Message::JoinGroupResponse {
            request_id,
            result: Ok(join),
        };
        c.handle_message(2, cfg, B1, msg, &mut out);
        let Some(Message::SyncGroup {
            request_id,
            assignments,
            ..
        }) = sent(&out).pop()
        else {
            panic!("{:?}", out.effects)
        };
        assert_eq!(
            assignments,
            vec![("c1-1".to_string(), vec![TP])],
            "the leader assigns"
        );
        let mut out = Out::default();
        let msg = Message::SyncGroupResponse {
            request_id,
            result: Ok(vec![TP]),
        };
        c.handle_message(3, cfg, B1, msg, &mut out);
        let Some(Message::OffsetFetch { request_id, .. }) = sent(&out).pop() else {
            panic!("{:?}", out.effects)
        };
        let mut out = Out::default();
        let msg = Message::OffsetFetchResponse {
            request_id,
            result: Ok(vec![(TP, committed)]),
        };
        c.handle_message(4, cfg, B1, msg, &mut out);
        let Some(Message::ConsumerFetch {
            request_id,
            partitions,
        }) = sent(&out).pop()
        else {
            panic!("{:?}", out.effects)
        };
        assert_eq!(
            partitions,
            vec![(TP, committed.unwrap_or(0))],
            "R7.2: from the committed offset"
        );
        (c, request_id)
    }

    fn fetched(request_id: u64, records: Vec<Record>, hw: Offset) -> Message {
        Message::ConsumerFetchResponse {
            request_id,
            partitions: vec![FetchedPartition {
                tp: TP,
                error: None,
                high_watermark: hw,
                log_start_offset: 0,
                leader_log_end_offset: hw,
                diverging_epoch: None,
                records,
            }],
        }
    }

    #[test]
    fn after_processing_commits_the_position_once_the_batch_is_processed() {
        let cfg = cfg(CommitMode::AfterProcessing);
        let (mut c, fetch) = stable(&cfg, Some(5));
        let mut out = Out::default();
        c.handle_message(
            10,
            &cfg,
            B1,
            fetched(fetch, vec![record(5), record(6)], 7),
            &mut out,
        );
        assert_eq!(consumed(&out), [5, 6]);
        let commit = sent(&out).into_iter().find_map(|m| match m {
            Message::OffsetCommit {
                offsets,
                generation,
                member_id,
                ..
            } => Some((offsets, generation, member_id)),
            _ => None,
        });
        assert_eq!(commit, Some((vec![(TP, 7)], 1, "c1-1".to_string())));
        let i = out.effects.iter().position(|e| {
            matches!(
                e,
                Effect::Send {
                    msg: Message::OffsetCommit { .. },
                    ..
                }
            )
        });
        let last_consumed = out
            .effects
            .iter()
            .rposition(|e| matches!(e, Effect::Observe(Observation::Consumed { .. })));
        assert!(i > last_consumed, "the commit follows the processing");
    }

    #[test]
    fn before_processing_processes_only_after_the_commit_succeeded() {
        let cfg = cfg(CommitMode::BeforeProcessing);
        let (mut c, fetch) = stable(&cfg, None);
        let mut out = Out::default();
        c.handle_message(
            10,
            &cfg,
            B1,
            fetched(fetch, vec![record(0), record(1)], 2),
            &mut out,
        );
        assert!(
            consumed(&out).is_empty(),
            "nothing processed before the commit"
        );
        let Some(Message::OffsetCommit {
            request_id,
            offsets,
            ..
        }) = sent(&out).pop()
        else {
            panic!("{:?}", out.effects)
        };
        assert_eq!(offsets, vec![(TP, 2)]);
        let mut out = Out::default();
        let msg = Message::OffsetCommitResponse {
            request_id,
            result: Ok(()),
        };
        c.handle_message(20, &cfg, B1, msg, &mut out);
        assert_eq!(consumed(&out), [0, 1]);
        assert_eq!(c.committed.get(&TP), Some(&2));
    }

    #[test]
    fn a_fenced_before_processing_commit_skips_the_batch() {
        // ConsumerCoordinatorTest.testCommitOffsetIllegalGeneration: CommitFailedException.
        let cfg = cfg(CommitMode::BeforeProcessing);
        let (mut c, fetch) = stable(&cfg, None);
        let mut out = Out::default();
        c.handle_message(10, &cfg, B1, fetched(fetch, vec![record(0)], 1), &mut out);
        let Some(Message::OffsetCommit { request_id, .. }) = sent(&out).pop() else {
            panic!()
        };
        let mut out = Out::default();
        let msg = Message::OffsetCommitResponse {
            request_id,
            result: Err(ErrorCode::IllegalGeneration),
        };
        c.handle_message(20, &cfg, B1, msg, &mut out);
        assert!(consumed(&out).is_empty());
        assert!(
            sent(&out)
                .iter()
                .any(|m| matches!(m, Message::JoinGroup { .. })),
            "rejoins"
        );
        assert!(c.assigned.is_empty(), "revoked before rejoining");
    }

    #[test]
    fn auto_commit_runs_at_the_start_of_a_poll_once_the_interval_elapsed() {
        // R7.3, ConsumerCoordinatorTest.testAutoCommitDynamicAssignment.
        let cfg = cfg(CommitMode::Auto);
        let (mut c, fetch) = stable(&cfg, Some(100));
        let mut out = Out::default();
        c.handle_message(
            10,
            &cfg,
            B1,
            fetched(fetch, vec![record(100)], 101),
            &mut out,
        );
        assert_eq!(consumed(&out), [100]);
        assert!(
            !sent(&out)
                .iter()
                .any(|m| matches!(m, Message::OffsetCommit { .. })),
            "interval not elapsed"
        );
        let mut out = Out::default();
        c.handle_timer(1_000, &cfg, TimerKind::ConsumerWakeup, &mut out);
        let commit = sent(&out).into_iter().find_map(|m| match m {
            Message::OffsetCommit { offsets, .. } => Some(offsets),
            _ => None,
        });
        assert_eq!(commit, Some(vec![(TP, 101)]), "the position");
    }

    #[test]
    fn out_of_range_positions_follow_auto_offset_reset() {
        for (reset, want) in [
            (OffsetReset::Earliest, Some(0)),
            (OffsetReset::Latest, Some(9)),
            (OffsetReset::None, None),
        ] {
            let mut cfg = cfg(CommitMode::AfterProcessing);
            cfg.consumer.auto_offset_reset = reset;
            let (mut c, fetch) = stable(&cfg, Some(50));
            let mut out = Out::default();
            let msg = Message::ConsumerFetchResponse {
                request_id: fetch,
                partitions: vec![FetchedPartition {
                    tp: TP,
                    error: Some(ErrorCode::OffsetOutOfRange),
                    high_watermark: 9,
                    log_start_offset: 0,
                    leader_log_end_offset: 10,
                    diverging_epoch: None,
                    records: vec![],
                }],
            };
            c.handle_message(10, &cfg, B1, msg, &mut out);
            assert_eq!(c.positions.get(&TP).copied(), want, "{reset:?}");
        }
    }
}
