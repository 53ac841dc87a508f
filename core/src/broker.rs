//! A broker process: its replicas, the replica fetchers (one per leader broker, like Kafka's
//! ReplicaFetcherThread), the fetch and produce purgatories, heartbeats to the controller and a
//! metadata cache for clients.

use std::hash::{Hash, Hasher};

use crate::config::{Acks, ClusterConfig};
use crate::consumer::LATEST;
use crate::coordinator::{offsets_tp, GroupCoordinator, OffsetsRecord};
use crate::log::{ProducerFields, ReplicaLog};
use crate::node::{Effect, Out, TimerKind};
use crate::partition::{Ctx, DelayedProduce, DelayedReply, Partition, RoleChange};
use crate::protocol::{
    CoordinatorType, ErrorCode, FetchPartition, FetchedPartition, MemberSubscription, Message,
    PartitionRegistration,
};
use crate::txn::host::TxnHost;
use crate::txn::isolation::IsolationLevel;
use crate::txn::log_record::txn_state_tp;
use crate::types::{BrokerId, Millis, NodeId, Offset, TopicPartition};
use crate::vec_map::VecMap;

/// A follower's fetcher for one leader broker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Fetcher {
    /// The partitions this fetcher replicates from the leader.
    pub partitions: Vec<TopicPartition>,
    /// Partitions fenced by the leader (FENCED_LEADER_EPOCH) wait for new metadata (R1.6).
    pub failed: Vec<TopicPartition>,
    /// The fetch id of the Fetch request in flight, if any.
    pub in_flight: Option<u64>,
    /// True while the fetcher waits out `replica.fetch.backoff.ms` after an error.
    pub backing_off: bool,
}

/// A follower fetch parked in the leader's purgatory (DelayedFetch).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DelayedFetch {
    /// The id of the parked Fetch request, echoed in its response.
    pub fetch_id: u64,
    /// The follower that sent the fetch.
    pub replica: BrokerId,
    /// The partitions requested, with their fetch offsets.
    pub partitions: Vec<FetchPartition>,
}

/// What survives a crash: the logs (HW and epoch caches are checkpointed with them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Disk {
    /// Each hosted partition's log, as last flushed.
    pub logs: VecMap<TopicPartition, ReplicaLog>,
}

/// One broker process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Broker {
    /// This broker's id (`node.id`).
    pub id: BrokerId,
    /// Changes on every start, so the controller can tell a restart from a late heartbeat.
    pub incarnation: u64,
    /// The broker epoch the controller granted at registration (KIP-380); 0 before.
    pub broker_epoch: u64,
    /// The partitions this broker hosts a replica of.
    pub partitions: VecMap<TopicPartition, crate::shared::Shared<Partition>>,
    /// Replica fetchers, one per leader broker this broker follows.
    pub fetchers: VecMap<BrokerId, Fetcher>,
    /// Follower fetches waiting for data or the fetch wait time (fetch purgatory).
    pub purgatory: Vec<DelayedFetch>,
    /// The partition registrations as this broker last learned them from the controller.
    pub metadata: crate::shared::Shared<VecMap<TopicPartition, PartitionRegistration>>,
    /// The metadata version (offset in the metadata log) this broker has applied.
    pub metadata_version: u64,
    /// Brokers fenced or in controlled shutdown, as last published by the controller (the broker
    /// registrations in Kafka's metadata cache), and the metadata version it came with.
    pub ineligible: Vec<BrokerId>,
    ineligible_version: u64,
    /// True once this broker has started a controlled shutdown.
    pub shutting_down: bool,
    next_fetch_id: u64,
    /// The group coordinator, active while this broker leads the group's `__consumer_offsets`
    /// partition (in memory: a restart starts it afresh).
    pub coordinator: GroupCoordinator,
    /// Due time of the coordinator's session-check timer, if set.
    group_timer: Option<Millis>,
    /// The transaction coordinator, active while this broker leads `__transaction_state`
    /// (in memory: a restart starts it afresh and loads it from the log, R6.2).
    pub txn: TxnHost,
}

impl Broker {
    /// Writes the checker's fingerprint of this broker: every field, each partition by its cached
    /// fingerprint (a move that touched one partition rehashes only that one). The destructuring
    /// names every field, so a new field cannot be left out of the visited set's key.
    pub(crate) fn write_fingerprint(&self, h: &mut crate::fingerprint::FingerprintHasher) {
        let Broker {
            id,
            incarnation,
            broker_epoch,
            partitions,
            fetchers,
            purgatory,
            metadata,
            metadata_version,
            ineligible,
            ineligible_version,
            shutting_down,
            next_fetch_id,
            coordinator,
            group_timer,
            txn,
        } = self;
        id.hash(h);
        incarnation.hash(h);
        broker_epoch.hash(h);
        h.write_usize(partitions.len());
        for (tp, p) in partitions {
            tp.hash(h);
            h.write_u64(crate::fingerprint::shared(p));
        }
        fetchers.hash(h);
        purgatory.hash(h);
        h.write_u64(crate::fingerprint::shared(metadata));
        metadata_version.hash(h);
        ineligible.hash(h);
        ineligible_version.hash(h);
        shutting_down.hash(h);
        next_fetch_id.hash(h);
        coordinator.hash(h);
        group_timer.hash(h);
        txn.hash(h);
    }
}

/// `offsets.commit.timeout.ms`: how long an offset commit waits for the ISR (Kafka default 5000).
pub const OFFSETS_COMMIT_TIMEOUT_MS: Millis = 5_000;

impl Broker {
    /// A broker process starting with `disk` (empty logs on the first start).
    pub fn start(
        id: BrokerId,
        incarnation: u64,
        disk: Disk,
        assignment: &[(TopicPartition, Vec<BrokerId>)],
    ) -> Self {
        let mut logs = disk.logs;
        let mut partitions = VecMap::new();
        for (tp, replicas) in assignment {
            if replicas.contains(&id) {
                let log = logs.remove(tp).unwrap_or_default();
                partitions.insert(*tp, Partition::new(*tp, replicas.clone(), log).into());
            }
        }
        Broker {
            id,
            incarnation,
            broker_epoch: 0,
            partitions,
            fetchers: VecMap::new(),
            purgatory: Vec::new(),
            metadata: Default::default(),
            metadata_version: 0,
            ineligible: Vec::new(),
            ineligible_version: 0,
            shutting_down: false,
            next_fetch_id: ((id as u64) << 48) | (incarnation << 32),
            coordinator: GroupCoordinator::new(id),
            group_timer: None,
            txn: TxnHost::default(),
        }
    }

    /// The disk as a crash leaves it.
    pub fn disk(&self) -> Disk {
        Disk {
            logs: self
                .partitions
                .iter()
                .map(|(tp, p)| (*tp, p.log.clone()))
                .collect(),
        }
    }

    pub(crate) fn ctx<'a>(&self, now: Millis, cfg: &'a ClusterConfig) -> Ctx<'a> {
        Ctx {
            me: self.id,
            now,
            cfg,
            broker_epoch: self.broker_epoch,
            ineligible: self.ineligible.clone(),
        }
    }

    /// Timers a freshly started broker needs; it registers with the controller at once.
    pub fn on_start(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        self.send_heartbeat(out);
        out.set_timer(
            TimerKind::Heartbeat,
            now + cfg.broker.broker_heartbeat_interval_ms,
        );
        out.set_timer(
            TimerKind::IsrExpiration,
            now + (cfg.broker.replica_lag_time_max_ms / 2).max(1),
        );
        if cfg.broker.log_flush_interval_ms > 0 {
            out.set_timer(TimerKind::Flush, now + cfg.broker.log_flush_interval_ms);
        }
        // LogManager#startup schedules cleanupLogs; only runs that set a retention need it.
        if cfg
            .topics
            .iter()
            .any(|t| t.retention_bytes.is_some() || t.retention_ms.is_some())
        {
            out.set_timer(
                TimerKind::RetentionCheck,
                now + cfg.broker.log_retention_check_interval_ms.max(1),
            );
        }
    }

    /// DeleteRecords on this broker (ReplicaManager#deleteRecords): only the leader of `tp`
    /// moves its log start; see [`Partition::delete_records`].
    pub fn delete_records(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        tp: TopicPartition,
        offset: Offset,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        let ctx = self.ctx(now, cfg);
        match self.partitions.get_mut(&tp) {
            Some(p) => p.delete_records(&ctx, offset, out),
            None => Err(ErrorCode::NotLeaderOrFollower),
        }
    }

    fn send_heartbeat(&self, out: &mut Out) {
        out.send(
            NodeId::Controller,
            Message::BrokerHeartbeat {
                broker: self.id,
                incarnation: self.incarnation,
                metadata_version: self.metadata_version,
                shutting_down: self.shutting_down,
            },
        );
    }

    /// Begins a controlled shutdown: the controller moves leadership away first (R3.1).
    pub fn begin_shutdown(&mut self, now: Millis, cfg: &ClusterConfig, out: &mut Out) {
        self.shutting_down = true;
        for p in self.partitions.values_mut() {
            p.log.flush();
        }
        self.send_heartbeat(out);
        out.set_timer(
            TimerKind::ShutdownTimeout,
            now + cfg.broker.broker_session_timeout_ms,
        );
    }

    /// Handles a timer that fired on this broker.
    pub fn handle_timer(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        kind: TimerKind,
        out: &mut Out,
    ) {
        match kind {
            TimerKind::Heartbeat => {
                self.send_heartbeat(out);
                out.set_timer(
                    TimerKind::Heartbeat,
                    now + cfg.broker.broker_heartbeat_interval_ms,
                );
            }
            TimerKind::IsrExpiration => {
                let ctx = self.ctx(now, cfg);
                for p in self.partitions.values_mut() {
                    p.maybe_shrink_isr(&ctx, out);
                }
                out.set_timer(
                    TimerKind::IsrExpiration,
                    now + (cfg.broker.replica_lag_time_max_ms / 2).max(1),
                );
            }
            TimerKind::Flush => {
                for p in self.partitions.values_mut() {
                    p.log.flush();
                }
                out.set_timer(TimerKind::Flush, now + cfg.broker.log_flush_interval_ms);
            }
            TimerKind::RetentionCheck => {
                let ctx = self.ctx(now, cfg);
                for p in self.partitions.values_mut() {
                    p.apply_retention(&ctx, out);
                }
                out.set_timer(
                    TimerKind::RetentionCheck,
                    now + cfg.broker.log_retention_check_interval_ms.max(1),
                );
            }
            TimerKind::FetchBackoff(leader) => {
                if let Some(f) = self.fetchers.get_mut(&leader) {
                    f.backing_off = false;
                }
                self.maybe_send_fetch(now, cfg, leader, out);
            }
            TimerKind::FetchTimeout(leader) => {
                if let Some(f) = self.fetchers.get_mut(&leader) {
                    f.in_flight = None;
                }
                self.maybe_send_fetch(now, cfg, leader, out);
            }
            TimerKind::DelayedFetch(fetch_id) => {
                self.complete_delayed_fetch(now, cfg, fetch_id, out)
            }
            TimerKind::DelayedProduce(request_id) => {
                for p in self.partitions.values_mut() {
                    if p.expire_delayed_produce(request_id, out) {
                        break;
                    }
                }
            }
            TimerKind::AlterPartitionRetry(tp) => {
                let ctx = self.ctx(now, cfg);
                if let Some(p) = self.partitions.get_mut(&tp) {
                    p.retry_alter_partition(&ctx, out);
                }
            }
            TimerKind::ShutdownTimeout => out.effects.push(Effect::Halt),
            TimerKind::GroupSessionCheck => {
                self.group_timer = None;
                self.coordinator.check(now, cfg, self.id, out);
            }
            TimerKind::TxnMarkerRetry | TimerKind::TxnTimeoutCheck => {
                self.handle_txn_timer(now, cfg, kind, out)
            }
            _ => {}
        }
        self.group_upkeep(cfg, out);
        self.txn_upkeep(now, cfg, out);
    }

    /// Handles a message delivered to this broker.
    pub fn handle_message(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        self.handle_message_inner(now, cfg, from, msg, out);
        self.group_upkeep(cfg, out);
        self.txn_upkeep(now, cfg, out);
    }

    /// After every handler call: parked SyncGroups complete once the group record is committed,
    /// and the coordinator's session timer follows its next deadline.
    fn group_upkeep(&mut self, cfg: &ClusterConfig, out: &mut Out) {
        let Some(otp) = offsets_tp(cfg) else {
            return;
        };
        if self.coordinator.active {
            if let Some(hw) = self.partitions.get(&otp).map(|p| p.log.high_watermark()) {
                self.coordinator.on_high_watermark(hw, cfg, self.id, out);
            }
        }
        let due = self.coordinator.next_deadline(cfg);
        if due != self.group_timer {
            match due {
                Some(at) => out.set_timer(TimerKind::GroupSessionCheck, at),
                None => out.cancel_timer(TimerKind::GroupSessionCheck),
            }
            self.group_timer = due;
        }
    }

    /// Consumer-facing requests: fetch (R7.1), FindCoordinator and the group RPCs (R7.4).
    fn handle_client(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        let otp = offsets_tp(cfg);
        let active = self.coordinator.active;
        let me = self.id;
        match msg {
            Message::ConsumerFetch {
                request_id,
                partitions,
                isolation,
            } => {
                let partitions = partitions
                    .into_iter()
                    .map(|(tp, offset)| match self.partitions.get(&tp) {
                        Some(p) if offset == LATEST => {
                            let mut r = p.read_for_consumer(p.log.high_watermark(), 0);
                            r.records.clear();
                            if isolation == IsolationLevel::ReadCommitted {
                                // ListOffsets(LATEST) at read_committed answers the LSO (KIP-98,
                                // R6.7); the consumer takes this field as its position.
                                r.high_watermark = p.log.last_stable_offset();
                            }
                            r
                        }
                        Some(p) => {
                            p.read_for_consumer_at(offset, MAX_CONSUMER_FETCH_RECORDS, isolation)
                        }
                        None => FetchedPartition {
                            aborted: Vec::new(),
                            tp,
                            error: Some(ErrorCode::NotLeaderOrFollower),
                            high_watermark: 0,
                            log_start_offset: 0,
                            leader_log_end_offset: 0,
                            diverging_epoch: None,
                            records: Vec::new(),
                        },
                    })
                    .collect();
                out.send(
                    from,
                    Message::ConsumerFetchResponse {
                        request_id,
                        partitions,
                    },
                );
            }
            Message::OffsetsForLeaderEpoch {
                request_id,
                partitions,
            } => {
                // R4.3 / R7.7: the leader's epoch cache answers where an epoch ends.
                let partitions = partitions
                    .into_iter()
                    .map(|(tp, epoch)| match self.partitions.get(&tp) {
                        Some(p) if p.is_leader() => (
                            tp,
                            Ok(p.log.epoch_cache().end_offset_for(epoch, p.log.leo())),
                        ),
                        _ => (tp, Err(ErrorCode::NotLeaderOrFollower)),
                    })
                    .collect();
                out.send(
                    from,
                    Message::OffsetsForLeaderEpochResponse {
                        request_id,
                        partitions,
                    },
                );
            }
            Message::FindCoordinator {
                request_id,
                key_type,
            } => {
                let tp = match key_type {
                    CoordinatorType::Group => otp,
                    CoordinatorType::Transaction => txn_state_tp(cfg),
                };
                let result = tp
                    .and_then(|tp| self.metadata.get(&tp))
                    .and_then(|r| r.leader)
                    .ok_or(ErrorCode::CoordinatorNotAvailable);
                out.send(
                    from,
                    Message::FindCoordinatorResponse { request_id, result },
                );
            }
            Message::JoinGroup {
                request_id,
                member_id,
                topics,
                owned,
                generation,
            } => {
                if !active {
                    let result = Err(ErrorCode::NotCoordinator);
                    out.send(from, Message::JoinGroupResponse { request_id, result });
                    return;
                }
                let subscription = MemberSubscription {
                    member_id,
                    topics,
                    owned,
                    generation,
                };
                self.coordinator
                    .join(now, cfg, me, from, request_id, subscription, out);
            }
            Message::SyncGroup {
                request_id,
                generation,
                member_id,
                assignments,
            } => {
                if !active {
                    let result = Err(ErrorCode::NotCoordinator);
                    out.send(from, Message::SyncGroupResponse { request_id, result });
                    return;
                }
                let store = self.coordinator.sync(
                    now,
                    cfg,
                    me,
                    from,
                    request_id,
                    generation,
                    &member_id,
                    assignments,
                    out,
                );
                if let (Some(_), Some(otp)) = (store, otp) {
                    // GroupCoordinator#doSyncGroup stores the group before answering.
                    let mut last = Ok(0);
                    for r in self.coordinator.group_records() {
                        let Some(id) = r.encode() else { continue };
                        last = self.append_internal(now, cfg, otp, id, out);
                        if last.is_err() {
                            break;
                        }
                    }
                    match last {
                        Ok(offset) => self.coordinator.stored(offset),
                        Err(e) => {
                            let e = map_store_error(e);
                            self.coordinator.store_failed(now, cfg, me, e, out)
                        }
                    }
                }
            }
            Message::GroupHeartbeat {
                request_id,
                generation,
                member_id,
            } => {
                let error = if active {
                    self.coordinator.heartbeat(now, generation, &member_id)
                } else {
                    Some(ErrorCode::NotCoordinator)
                };
                out.send(from, Message::GroupHeartbeatResponse { request_id, error });
            }
            Message::LeaveGroup {
                request_id,
                member_id,
            } => {
                if active {
                    self.coordinator.leave(now, cfg, me, &member_id, out);
                }
                out.send(from, Message::LeaveGroupResponse { request_id });
            }
            Message::OffsetCommit {
                request_id,
                generation,
                member_id,
                offsets,
            } => {
                let resp = |result| Message::OffsetCommitResponse { request_id, result };
                let store = OffsetsStore {
                    client: from,
                    request_id,
                    txn: None,
                    reply: DelayedReply::OffsetCommit,
                };
                self.store_offsets(now, cfg, generation, &member_id, &offsets, store, resp, out);
            }
            Message::TxnOffsetCommit {
                request_id,
                producer_id,
                producer_epoch,
                generation,
                member_id,
                offsets,
                ..
            } => {
                // R6.8 / KIP-447: fenced by generation like a plain commit
                // (GroupCoordinator#handleTxnCommitOffsets → doTxnCommitOffsets), then written as
                // the producer's transactional data: pending until its marker.
                let resp = |result| Message::TxnOffsetCommitResponse { request_id, result };
                let store = OffsetsStore {
                    client: from,
                    request_id,
                    txn: Some(ProducerFields {
                        producer_id,
                        producer_epoch,
                        sequence: -1,
                    }),
                    reply: DelayedReply::TxnOffsetCommit,
                };
                self.store_offsets(now, cfg, generation, &member_id, &offsets, store, resp, out);
            }
            Message::OffsetFetch {
                request_id,
                partitions,
                require_stable,
            } => {
                let result = match (active, otp.and_then(|tp| self.partitions.get(&tp))) {
                    (true, Some(p)) => {
                        // KIP-447: with require_stable, a pending transactional commit answers
                        // UNSTABLE_OFFSET_COMMIT (GroupMetadataManager#getOffsets).
                        let offsets = self.coordinator.offsets(&p.log);
                        partitions
                            .into_iter()
                            .map(|tp| {
                                offsets
                                    .fetch(tp, require_stable)
                                    .map(|o| (tp, o))
                                    .map_err(|_| ErrorCode::UnstableOffsetCommit)
                            })
                            .collect()
                    }
                    _ => Err(ErrorCode::NotCoordinator),
                };
                out.send(from, Message::OffsetFetchResponse { request_id, result });
            }
            _ => {}
        }
    }

    /// An OffsetCommit or TxnOffsetCommit on the group coordinator: fenced by generation
    /// (R7.4), one record per partition in `__consumer_offsets`, answered once committed
    /// (acks=all, GroupMetadataManager#storeOffsets, R7.2).
    #[allow(clippy::too_many_arguments)]
    fn store_offsets(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        generation: i32,
        member_id: &str,
        offsets: &[(TopicPartition, crate::types::Offset)],
        store: OffsetsStore,
        resp: impl Fn(Result<(), ErrorCode>) -> Message,
        out: &mut Out,
    ) {
        let reply = |out: &mut Out, result| out.send(store.client, resp(result));
        let (true, Some(otp)) = (self.coordinator.active, offsets_tp(cfg)) else {
            reply(out, Err(ErrorCode::NotCoordinator));
            return;
        };
        if let Err(e) = self.coordinator.validate_commit(generation, member_id) {
            reply(out, Err(e));
            return;
        }
        let ids: Option<Vec<u32>> = offsets
            .iter()
            .map(|&(tp, offset)| OffsetsRecord::Commit { tp, offset }.encode())
            .collect();
        let Some(ids) = ids else {
            reply(out, Err(ErrorCode::InvalidRequest));
            return;
        };
        let mut last = None;
        for id in ids {
            let appended = match store.txn {
                None => self.append_internal(now, cfg, otp, id, out),
                Some(fields) => self.append_internal_txn(now, cfg, otp, id, fields, out),
            };
            match appended {
                Ok(o) => last = Some(o),
                Err(e) => {
                    reply(out, Err(map_store_error(e)));
                    return;
                }
            }
        }
        let Some(offset) = last else {
            reply(out, Ok(()));
            return;
        };
        let ctx = self.ctx(now, cfg);
        let p = self.partitions.get_mut(&otp).expect("appended above");
        p.add_delayed_produce(
            &ctx,
            DelayedProduce {
                request_id: store.request_id,
                client: store.client,
                offset,
                reply: store.reply,
            },
            OFFSETS_COMMIT_TIMEOUT_MS,
            out,
        );
    }

    /// Appends one transactional `__consumer_offsets` record (a TxnOffsetCommit) as its leader.
    fn append_internal_txn(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        otp: TopicPartition,
        id: u32,
        fields: ProducerFields,
        out: &mut Out,
    ) -> Result<crate::types::Offset, ErrorCode> {
        let ctx = self.ctx(now, cfg);
        let result = match self.partitions.get_mut(&otp) {
            Some(p) => p.append_transactional_to_leader(&ctx, id, fields, out),
            None => Err(ErrorCode::NotLeaderOrFollower),
        };
        if result.is_ok() {
            self.on_leader_append(now, cfg, otp, out);
        }
        result
    }

    /// Appends one `__consumer_offsets` record as its leader (acks=all checks included).
    pub(crate) fn append_internal(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        otp: TopicPartition,
        id: u32,
        out: &mut Out,
    ) -> Result<crate::types::Offset, ErrorCode> {
        let ctx = self.ctx(now, cfg);
        let result = match self.partitions.get_mut(&otp) {
            Some(p) => p.append_records_to_leader(&ctx, Acks::All, id, ProducerFields::NONE, out),
            None => Err(ErrorCode::NotLeaderOrFollower),
        };
        if result.is_ok() {
            self.on_leader_append(now, cfg, otp, out);
        }
        result
    }

    fn handle_message_inner(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        from: NodeId,
        msg: Message,
        out: &mut Out,
    ) {
        match msg {
            Message::ConsumerFetch { .. }
            | Message::OffsetsForLeaderEpoch { .. }
            | Message::FindCoordinator { .. }
            | Message::JoinGroup { .. }
            | Message::SyncGroup { .. }
            | Message::GroupHeartbeat { .. }
            | Message::LeaveGroup { .. }
            | Message::OffsetCommit { .. }
            | Message::TxnOffsetCommit { .. }
            | Message::OffsetFetch { .. } => self.handle_client(now, cfg, from, msg, out),
            Message::InitProducerId { .. }
            | Message::AddPartitionsToTxn { .. }
            | Message::EndTxn { .. }
            | Message::WriteTxnMarkers { .. }
            | Message::WriteTxnMarkersResponse { .. } => {
                self.handle_txn_message(now, cfg, from, msg, out)
            }
            Message::Produce {
                request_id,
                tp,
                acks,
                timeout_ms,
                record,
                producer,
                transactional,
            } => {
                let ctx = self.ctx(now, cfg);
                let result = match self.partitions.get_mut(&tp) {
                    None => Err(ErrorCode::NotLeaderOrFollower),
                    Some(p) if transactional => {
                        p.append_transactional_to_leader(&ctx, record, producer, out)
                    }
                    Some(p) => p.append_records_to_leader(&ctx, acks, record, producer, out),
                };
                match (result, acks) {
                    (Err(e), Acks::None) => {
                        // S5, KafkaApis#handleProduceRequest: no response for acks=0, so on an
                        // error the broker closes the connection; the client only learns that
                        // something went wrong and refreshes its metadata.
                        out.send(from, Message::ConnectionClosed { error: e });
                    }
                    (Err(e), _) => out.send(
                        from,
                        Message::ProduceResponse {
                            request_id,
                            tp,
                            result: Err(e),
                        },
                    ),
                    (Ok(_), Acks::None) => {}
                    (Ok(offset), Acks::Leader) => out.send(
                        from,
                        Message::ProduceResponse {
                            request_id,
                            tp,
                            result: Ok(offset),
                        },
                    ),
                    (Ok(offset), Acks::All) => {
                        let p = self.partitions.get_mut(&tp).expect("appended above");
                        p.add_delayed_produce(
                            &ctx,
                            DelayedProduce {
                                request_id,
                                client: from,
                                offset,
                                reply: DelayedReply::Produce,
                            },
                            timeout_ms,
                            out,
                        );
                    }
                }
                if result.is_ok() {
                    self.on_leader_append(now, cfg, tp, out);
                }
            }
            Message::MetadataRequest { request_id } => {
                let partitions = self
                    .metadata
                    .values()
                    .map(|r| (r.tp, r.leader, r.leader_epoch))
                    .collect();
                out.send(
                    from,
                    Message::MetadataResponse {
                        request_id,
                        partitions,
                    },
                );
            }
            Message::Fetch {
                replica_id,
                fetch_id,
                partitions,
            } => self.handle_fetch(now, cfg, replica_id, fetch_id, partitions, out),
            Message::FetchResponse {
                fetch_id,
                partitions,
            } => {
                if let NodeId::Broker(leader) = from {
                    self.handle_fetch_response(now, cfg, leader, fetch_id, partitions, out);
                }
            }
            Message::AlterPartitionResponse {
                request_id,
                tp,
                result,
            } => {
                let ctx = self.ctx(now, cfg);
                if let Some(p) = self.partitions.get_mut(&tp) {
                    p.on_alter_partition_response(&ctx, request_id, result, out);
                }
            }
            Message::HeartbeatResponse {
                broker_epoch,
                metadata_version,
                changes,
                should_shut_down,
            } => {
                self.broker_epoch = broker_epoch;
                self.apply_metadata(now, cfg, &changes, out);
                self.metadata_version = self.metadata_version.max(metadata_version);
                if should_shut_down && self.shutting_down {
                    out.effects.push(Effect::Halt);
                }
            }
            Message::MetadataUpdate {
                metadata_version,
                changes,
                ineligible,
            } => {
                // The broker set is a full snapshot: any newer one replaces it, even across a gap.
                if metadata_version > self.ineligible_version {
                    self.ineligible = ineligible;
                    self.ineligible_version = metadata_version;
                }
                // Partition changes apply in order only; a gap is filled by the next heartbeat
                // (like the KRaft metadata log).
                if metadata_version == self.metadata_version + 1 {
                    self.apply_metadata(now, cfg, &changes, out);
                    self.metadata_version = metadata_version;
                }
            }
            Message::ConnectionRefused { original } => match (*original, from) {
                (Message::Fetch { fetch_id, .. }, NodeId::Broker(leader)) => {
                    self.fetch_failed(now, cfg, leader, fetch_id, out);
                }
                (m @ Message::WriteTxnMarkers { .. }, _) => {
                    let refused = Message::ConnectionRefused {
                        original: Box::new(m),
                    };
                    self.handle_txn_message(now, cfg, from, refused, out);
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn apply_metadata(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        changes: &[PartitionRegistration],
        out: &mut Out,
    ) {
        for reg in changes {
            let newer = self.metadata.get(&reg.tp).is_none_or(|old| {
                (reg.leader_epoch, reg.partition_epoch) > (old.leader_epoch, old.partition_epoch)
            });
            if !newer {
                continue;
            }
            self.metadata.insert(reg.tp, reg.clone());
            let ctx = self.ctx(now, cfg);
            let Some(p) = self.partitions.get_mut(&reg.tp) else {
                continue;
            };
            let change = p.apply_registration(&ctx, reg, out);
            if Some(reg.tp) == offsets_tp(cfg) {
                match change {
                    RoleChange::BecameLeader => {
                        self.coordinator.activate(now, &p.log);
                        out.observe(crate::node::Observation::GroupNote {
                            node: NodeId::Broker(self.id),
                            rebalance: false,
                            text: format!(
                                "b{} is the group coordinator of {} (leads __consumer_offsets, generation {})",
                                self.id, cfg.consumer.group_id, self.coordinator.generation
                            ),
                        });
                    }
                    RoleChange::BecameFollower { .. } if self.coordinator.active => {
                        self.coordinator.deactivate(out)
                    }
                    _ => {}
                }
            }
            if Some(reg.tp) == txn_state_tp(cfg) {
                self.txn_role_change(now, cfg, &change, out);
            }
            match change {
                RoleChange::None => {}
                RoleChange::BecameLeader => {
                    self.remove_from_fetchers(reg.tp, out);
                    self.complete_fetches_touching(now, cfg, reg.tp, out);
                }
                RoleChange::BecameFollower { leader } => {
                    self.remove_from_fetchers(reg.tp, out);
                    self.complete_fetches_touching(now, cfg, reg.tp, out);
                    if let Some(l) = leader {
                        let f = self.fetchers.entry(l).or_default();
                        f.partitions.push(reg.tp);
                        self.maybe_send_fetch(now, cfg, l, out);
                    }
                }
            }
        }
    }

    fn remove_from_fetchers(&mut self, tp: TopicPartition, out: &mut Out) {
        for f in self.fetchers.values_mut() {
            f.partitions.retain(|t| *t != tp);
            f.failed.retain(|t| *t != tp);
        }
        // ReplicaFetcherManager#shutdownIdleFetcherThreads: a fetcher left with no partitions is
        // shut down, abandoning its fetch in flight (a late response is then ignored as stale).
        // A fetcher added later for the same leader starts afresh and fetches at once, instead of
        // waiting for an abandoned request to time out.
        let idle: Vec<BrokerId> = self
            .fetchers
            .iter()
            .filter(|(_, f)| f.partitions.is_empty())
            .map(|(l, _)| *l)
            .collect();
        for l in idle {
            self.fetchers.remove(&l);
            out.cancel_timer(TimerKind::FetchTimeout(l));
            out.cancel_timer(TimerKind::FetchBackoff(l));
        }
    }

    /// Sends the next fetch to `leader` unless one is in flight or backing off.
    fn maybe_send_fetch(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        leader: BrokerId,
        out: &mut Out,
    ) {
        let Some(f) = self.fetchers.get(&leader) else {
            return;
        };
        if f.in_flight.is_some() || f.backing_off {
            return;
        }
        let partitions: Vec<FetchPartition> = f
            .partitions
            .iter()
            .filter(|tp| !f.failed.contains(tp))
            .filter_map(|tp| self.partitions.get(tp))
            .map(|p| p.fetch_request(cfg))
            .collect();
        if partitions.is_empty() {
            return;
        }
        self.next_fetch_id += 1;
        let fetch_id = self.next_fetch_id;
        self.fetchers.get_mut(&leader).expect("checked").in_flight = Some(fetch_id);
        out.send(
            NodeId::Broker(leader),
            Message::Fetch {
                replica_id: self.id,
                fetch_id,
                partitions,
            },
        );
        out.set_timer(
            TimerKind::FetchTimeout(leader),
            now + cfg.broker.replica_socket_timeout_ms,
        );
    }

    fn fetch_failed(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        leader: BrokerId,
        fetch_id: u64,
        out: &mut Out,
    ) {
        let Some(f) = self.fetchers.get_mut(&leader) else {
            return;
        };
        if f.in_flight != Some(fetch_id) {
            return;
        }
        f.in_flight = None;
        f.backing_off = true;
        out.cancel_timer(TimerKind::FetchTimeout(leader));
        out.set_timer(
            TimerKind::FetchBackoff(leader),
            now + cfg.broker.replica_fetch_backoff_ms,
        );
    }

    /// Leader side: read every partition; park the fetch if nothing is there yet (R1.3).
    fn handle_fetch(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        replica: BrokerId,
        fetch_id: u64,
        partitions: Vec<FetchPartition>,
        out: &mut Out,
    ) {
        let ctx = self.ctx(now, cfg);
        let mut responses = Vec::with_capacity(partitions.len());
        for fp in &partitions {
            let resp = match self.partitions.get_mut(&fp.tp) {
                Some(p) => p.read_for_follower(&ctx, replica, fp, true, out),
                None => FetchedPartition {
                    aborted: Vec::new(),
                    tp: fp.tp,
                    error: Some(ErrorCode::NotLeaderOrFollower),
                    high_watermark: 0,
                    log_start_offset: 0,
                    leader_log_end_offset: 0,
                    diverging_epoch: None,
                    records: Vec::new(),
                },
            };
            responses.push(resp);
        }
        let anything = responses
            .iter()
            .any(|r| r.error.is_some() || r.diverging_epoch.is_some() || !r.records.is_empty());
        if anything || cfg.broker.replica_fetch_wait_max_ms == 0 {
            out.send(
                NodeId::Broker(replica),
                Message::FetchResponse {
                    fetch_id,
                    partitions: responses,
                },
            );
        } else {
            self.purgatory.push(DelayedFetch {
                fetch_id,
                replica,
                partitions,
            });
            out.set_timer(
                TimerKind::DelayedFetch(fetch_id),
                now + cfg.broker.replica_fetch_wait_max_ms,
            );
        }
    }

    /// New data on `tp`: complete parked fetches that include it (DelayedFetch.tryComplete).
    pub(crate) fn on_leader_append(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        tp: TopicPartition,
        out: &mut Out,
    ) {
        self.complete_fetches_touching(now, cfg, tp, out);
    }

    fn complete_fetches_touching(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        tp: TopicPartition,
        out: &mut Out,
    ) {
        let ids: Vec<u64> = self
            .purgatory
            .iter()
            .filter(|d| d.partitions.iter().any(|p| p.tp == tp))
            .map(|d| d.fetch_id)
            .collect();
        for id in ids {
            self.complete_delayed_fetch(now, cfg, id, out);
        }
    }

    fn complete_delayed_fetch(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        fetch_id: u64,
        out: &mut Out,
    ) {
        let Some(i) = self.purgatory.iter().position(|d| d.fetch_id == fetch_id) else {
            return;
        };
        let d = self.purgatory.remove(i);
        out.cancel_timer(TimerKind::DelayedFetch(fetch_id));
        let ctx = self.ctx(now, cfg);
        let partitions = d
            .partitions
            .iter()
            .map(|fp| match self.partitions.get_mut(&fp.tp) {
                Some(p) => p.read_for_follower(&ctx, d.replica, fp, false, out),
                None => FetchedPartition {
                    aborted: Vec::new(),
                    tp: fp.tp,
                    error: Some(ErrorCode::NotLeaderOrFollower),
                    high_watermark: 0,
                    log_start_offset: 0,
                    leader_log_end_offset: 0,
                    diverging_epoch: None,
                    records: Vec::new(),
                },
            })
            .collect();
        out.send(
            NodeId::Broker(d.replica),
            Message::FetchResponse {
                fetch_id,
                partitions,
            },
        );
    }

    /// Follower side: process each partition, then fetch again (after a back-off on errors).
    fn handle_fetch_response(
        &mut self,
        now: Millis,
        cfg: &ClusterConfig,
        leader: BrokerId,
        fetch_id: u64,
        partitions: Vec<FetchedPartition>,
        out: &mut Out,
    ) {
        match self.fetchers.get_mut(&leader) {
            Some(f) if f.in_flight == Some(fetch_id) => f.in_flight = None,
            _ => return, // a stale response
        }
        out.cancel_timer(TimerKind::FetchTimeout(leader));
        let ctx = self.ctx(now, cfg);
        let mut had_error = false;
        for fp in partitions {
            let tp = fp.tp;
            let following = self
                .fetchers
                .get(&leader)
                .is_some_and(|f| f.partitions.contains(&tp));
            if !following {
                continue;
            }
            let Some(p) = self.partitions.get_mut(&tp) else {
                continue;
            };
            match p.process_fetched(&ctx, fp, out) {
                None => {}
                Some(ErrorCode::FencedLeaderEpoch) => {
                    // R1.6: the partition waits for new metadata.
                    if let Some(f) = self.fetchers.get_mut(&leader) {
                        f.failed.push(tp);
                    }
                }
                Some(_) => had_error = true,
            }
        }
        if had_error {
            if let Some(f) = self.fetchers.get_mut(&leader) {
                f.backing_off = true;
            }
            out.set_timer(
                TimerKind::FetchBackoff(leader),
                now + cfg.broker.replica_fetch_backoff_ms,
            );
        } else {
            self.maybe_send_fetch(now, cfg, leader, out);
        }
    }
}

/// Most records one consumer fetch returns per partition (stands in for `max.partition.fetch.bytes`).
pub const MAX_CONSUMER_FETCH_RECORDS: usize = 500;

/// GroupMetadataManager maps append errors of `__consumer_offsets` for the client.
fn map_store_error(e: ErrorCode) -> ErrorCode {
    match e {
        ErrorCode::NotLeaderOrFollower => ErrorCode::NotCoordinator,
        ErrorCode::NotEnoughReplicas
        | ErrorCode::NotEnoughReplicasAfterAppend
        | ErrorCode::RequestTimedOut => ErrorCode::CoordinatorNotAvailable,
        other => other,
    }
}

/// Who an offsets write answers, and how.
struct OffsetsStore {
    client: NodeId,
    request_id: u64,
    /// The producer of a TxnOffsetCommit: the records are its transactional data.
    txn: Option<ProducerFields>,
    reply: DelayedReply,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::Effect;

    const TP: TopicPartition = TopicPartition {
        topic: 0,
        partition: 0,
    };

    fn update(version: u64, leader: BrokerId, epoch: i32) -> Message {
        Message::MetadataUpdate {
            metadata_version: version,
            changes: vec![PartitionRegistration {
                tp: TP,
                replicas: vec![1, 2],
                isr: vec![1, 2],
                leader: Some(leader),
                leader_epoch: epoch,
                partition_epoch: epoch,
                recovering: false,
                elr: Vec::new(),
            }],
            ineligible: vec![],
        }
    }

    fn fetches_sent(out: &Out) -> usize {
        out.effects
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Effect::Send {
                        msg: Message::Fetch { .. },
                        ..
                    }
                )
            })
            .count()
    }

    #[test]
    fn a_follower_fetches_at_once_after_its_fetcher_went_idle() {
        // ReplicaFetcherManager#shutdownIdleFetcherThreads: b2 follows b1 (fetch in flight, its
        // response lost), leads for an epoch, then follows b1 again: the new fetcher must not
        // wait for the abandoned request to time out.
        let cfg = ClusterConfig::default();
        let mut b = Broker::start(2, 1, Disk::default(), &[(TP, vec![1, 2])]);
        let from = NodeId::Controller;
        let mut out = Out::default();
        b.handle_message(0, &cfg, from, update(1, 1, 0), &mut out);
        assert_eq!(fetches_sent(&out), 1, "follower of b1 in epoch 0");
        let mut out = Out::default();
        b.handle_message(10, &cfg, from, update(2, 2, 1), &mut out);
        assert!(
            b.fetchers.is_empty(),
            "leader: the idle fetcher is shut down"
        );
        let mut out = Out::default();
        b.handle_message(20, &cfg, from, update(3, 1, 2), &mut out);
        assert_eq!(
            fetches_sent(&out),
            1,
            "follower of b1 again: fetches at once"
        );
    }

    /// The checker's fingerprint of a broker follows each partition's cached fingerprint: a
    /// write to one partition of a copy changes the copy's fingerprint and leaves the original's.
    #[test]
    fn a_partition_write_changes_the_fingerprint_of_the_copy_only() {
        let fp = |b: &Broker| {
            let mut h = crate::fingerprint::FingerprintHasher::default();
            b.write_fingerprint(&mut h);
            h.finish()
        };
        let a = Broker::start(2, 1, Disk::default(), &[(TP, vec![1, 2])]);
        let before = fp(&a);
        let mut b = a.clone();
        assert_eq!(fp(&b), before, "an untouched copy");
        b.partitions.get_mut(&TP).expect("hosted").leader_epoch += 1;
        assert_ne!(fp(&b), before, "the written copy");
        assert_eq!(fp(&a), before, "the original");
        b.partitions.get_mut(&TP).expect("hosted").leader_epoch -= 1;
        assert_eq!(fp(&b), before, "equal values, equal fingerprints");
    }
}
