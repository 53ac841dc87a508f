//! One broker's replica of one partition: leader and follower behaviour, named after Kafka's
//! `Partition` (makeLeader, makeFollower, maybeIncrementLeaderHW, maybeShrinkIsr, maybeExpandIsr,
//! updateFollowerFetchState, appendRecordsToLeader) and the fetcher's `processPartitionData`.

use crate::vec_map::VecMap;

use crate::config::{Acks, ClusterConfig, TruncationMode};
use crate::log::{ProducerFields, RecordId, ReplicaLog};
use crate::node::{Observation, Out, TimerKind};
use crate::ordered;
use crate::producer_state::{AppendCheck, Origin, ProducerStateError};
use crate::protocol::{
    ErrorCode, FetchPartition, FetchedPartition, Message, PartitionRegistration,
};
use crate::truncation::{offset_truncation_state, offset_truncation_state_v0};
use crate::txn::coordinator::WriteTxnMarker;
use crate::txn::isolation::IsolationLevel;
use crate::txn::{RecordTxn, TxnError};
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset, TopicPartition, UNDEFINED_EPOCH};

/// Largest number of records one fetch response carries (stands in for `replica.fetch.max.bytes`).
pub const MAX_FETCH_RECORDS: usize = 500;

/// Read-only context of a handler call.
pub struct Ctx<'a> {
    /// This broker.
    pub me: BrokerId,
    /// The current simulated time.
    pub now: Millis,
    /// The cluster's configuration.
    pub cfg: &'a ClusterConfig,
    /// This broker's broker epoch.
    pub broker_epoch: u64,
    /// Brokers fenced or in controlled shutdown, from the controller's last metadata update.
    pub ineligible: Vec<BrokerId>,
}

impl Ctx<'_> {
    /// Partition#isReplicaIsrEligible (KRaft): not fenced and not in controlled shutdown. (The
    /// third condition, a matching broker epoch in the fetch (KIP-903), is not modelled.)
    pub fn is_isr_eligible(&self, replica: BrokerId) -> bool {
        !self.ineligible.contains(&replica)
    }
}

/// The leader's view of a follower (Kafka's `Replica` state, R1.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RemoteReplica {
    /// `None` = unknown (reset when this broker newly becomes leader, R2.2).
    pub leo: Option<Offset>,
    /// When the follower last fetched (`lastFetchTimeMs`).
    pub last_fetch_time: Option<Millis>,
    /// The leader's LEO at that fetch (`lastFetchLeaderLogEndOffset`).
    pub last_fetch_leader_leo: Option<Offset>,
    /// When the follower was last caught up (`lastCaughtUpTimeMs`), for `replica.lag.time.max.ms` (R2.2).
    pub last_caught_up_time: Option<Millis>,
}

/// What an append waiting for the HW answers with once resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DelayedReply {
    /// A ProduceResponse.
    Produce,
    /// An OffsetCommit written by the group coordinator to `__consumer_offsets`, answered with an
    /// OffsetCommitResponse (GroupMetadataManager#storeOffsets appends with acks=all, R7.2).
    OffsetCommit,
    /// A COMMIT/ABORT marker, answered with a WriteTxnMarkersResponse (markers are appended with
    /// acks=all, ReplicaManager#appendRecords from KafkaApis#handleWriteTxnMarkersRequest, R6.5).
    TxnMarker,
    /// A TxnOffsetCommit written by the group coordinator (R6.8), answered with a
    /// TxnOffsetCommitResponse once replicated (GroupMetadataManager#storeOffsets).
    TxnOffsetCommit,
}

/// An acks=all produce waiting for the HW (DelayedProduce).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DelayedProduce {
    /// The produce request's id.
    pub request_id: u64,
    /// The producer to answer.
    pub client: NodeId,
    /// The record's offset: the request completes when the HW passes it.
    pub offset: Offset,
    /// The response it is answered with.
    pub reply: DelayedReply,
}

impl DelayedProduce {
    /// The response to send once the append is resolved.
    pub fn response(&self, tp: TopicPartition, result: Result<Offset, ErrorCode>) -> Message {
        if self.reply == DelayedReply::TxnMarker {
            return Message::WriteTxnMarkersResponse {
                request_id: self.request_id,
                tp,
                result: result.map(|_| ()),
            };
        }
        // GroupMetadataManager#storeOffsets maps the append errors for the client.
        let offsets_result = || {
            result.map(|_| ()).map_err(|e| match e {
                ErrorCode::NotLeaderOrFollower => ErrorCode::NotCoordinator,
                ErrorCode::NotEnoughReplicas
                | ErrorCode::NotEnoughReplicasAfterAppend
                | ErrorCode::RequestTimedOut => ErrorCode::CoordinatorNotAvailable,
                other => other,
            })
        };
        if self.reply == DelayedReply::OffsetCommit {
            Message::OffsetCommitResponse {
                request_id: self.request_id,
                result: offsets_result(),
            }
        } else if self.reply == DelayedReply::TxnOffsetCommit {
            Message::TxnOffsetCommitResponse {
                request_id: self.request_id,
                result: offsets_result(),
            }
        } else {
            Message::ProduceResponse {
                request_id: self.request_id,
                tp,
                result,
            }
        }
    }
}

/// State kept only while leading.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderState {
    /// The first offset of the leader's epoch (the LEO when it became leader).
    pub epoch_start_offset: Offset,
    /// Committed ISR plus replicas being added by an in-flight AlterPartition (KIP-497).
    pub maximal_isr: Vec<BrokerId>,
    /// The ISR proposed in the AlterPartition in flight, if any (one per partition, R2.5).
    pub pending_isr: Option<Vec<BrokerId>>,
    /// The leader's view of each follower (Kafka's `Replica` state).
    pub remotes: VecMap<BrokerId, RemoteReplica>,
    /// `acks=all` produce requests waiting for the HW (produce purgatory).
    pub delayed: Vec<DelayedProduce>,
}

/// An AlterPartition waiting for the controller's answer: an item of Kafka's
/// `DefaultAlterPartitionManager#unsentIsrUpdates`, which holds one per partition from submit to
/// answer (a second submit for the partition fails with OPERATION_NOT_ATTEMPTED). It outlives
/// leadership changes: the manager resends it until it is answered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AlterPartitionItem {
    /// The latest send of the item; answers to earlier sends are ignored (Kafka drops the
    /// connection that carried them).
    pub request_id: u64,
    /// The leader epoch the proposal was made in.
    pub leader_epoch: Epoch,
    /// The partition epoch the proposal was based on (the controller checks it, R2.5).
    pub partition_epoch: i32,
    /// The proposed ISR.
    pub new_isr: Vec<BrokerId>,
}

/// Leader or follower (or neither: no metadata yet / offline).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// This broker leads the partition.
    Leader(Box<LeaderState>),
    /// This broker follows `leader` (none known when `None`).
    Follower {
        /// The leader, if known.
        leader: Option<BrokerId>,
    },
    /// This broker has not learned the partition's state yet.
    Unknown,
}

/// What `apply_registration` changed, for the broker's fetcher bookkeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleChange {
    /// The role did not change.
    None,
    /// This broker became the leader.
    BecameLeader,
    /// This broker became a follower of `leader`.
    BecameFollower {
        /// The new leader, if known.
        leader: Option<BrokerId>,
    },
}

/// A ListOffsets question ([`Partition::list_offsets`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOffsetsQuery {
    /// `LATEST_TIMESTAMP` from a consumer with `isolation.level=read_uncommitted`.
    LatestReadUncommitted,
    /// `LATEST_TIMESTAMP` with no isolation level (a replica or an admin tool).
    LatestReplica,
    /// `EARLIEST_TIMESTAMP`.
    Earliest,
}

/// One replica of one partition on one broker.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Partition {
    /// The partition.
    pub tp: TopicPartition,
    /// This replica's log.
    pub log: ReplicaLog,
    /// The assigned replicas.
    pub replicas: Vec<BrokerId>,
    /// The committed ISR as last learnt from the controller.
    pub isr: Vec<BrokerId>,
    /// The leader as this broker last learned it.
    pub leader: Option<BrokerId>,
    /// The current leader epoch.
    pub leader_epoch: Epoch,
    /// The partition epoch (bumped on every leader or ISR change, KIP-497).
    pub partition_epoch: i32,
    /// This broker's role for the partition.
    pub role: Role,
    /// KIP-101 v0 (Kafka 0.11): a new follower is in the "truncating" state until one
    /// OffsetsForLeaderEpoch round has told it where to truncate (R4.2); only then does it fetch.
    pub truncating: bool,
    /// The AlterPartition of this partition sent and not yet answered: at most one (R2.5).
    pub alter_in_flight: Option<AlterPartitionItem>,
    /// AlterPartition requests sent for this partition (numbers their request ids).
    alter_sends: u64,
}

impl Partition {
    /// A replica of `tp` with no known leader yet.
    pub fn new(tp: TopicPartition, replicas: Vec<BrokerId>, log: ReplicaLog) -> Self {
        Partition {
            tp,
            log,
            replicas,
            isr: Vec::new(),
            leader: None,
            leader_epoch: UNDEFINED_EPOCH,
            partition_epoch: -1,
            role: Role::Unknown,
            truncating: false,
            alter_in_flight: None,
            alter_sends: 0,
        }
    }

    /// True if this broker leads the partition.
    pub fn is_leader(&self) -> bool {
        matches!(self.role, Role::Leader(_))
    }

    /// The leader's state, if this broker leads the partition.
    pub fn leader_state(&self) -> Option<&LeaderState> {
        match &self.role {
            Role::Leader(l) => Some(l),
            _ => None,
        }
    }

    /// What this replica answers to a ListOffsets request (Partition.scala#fetchOffsetForTimestamp,
    /// KIP-207, S11). Only a leader answers (`fetchOnlyFromLeader`). A client's LATEST is the HW,
    /// but `OFFSET_NOT_AVAILABLE` while the HW lags behind the start offset of this leader's epoch:
    /// the HW a new leader starts with may be stale, and answering it could make offsets go
    /// backwards for a consumer. A replica's LATEST (no isolation level) is the LEO.
    pub fn list_offsets(&self, query: ListOffsetsQuery) -> Result<Offset, ErrorCode> {
        let Some(l) = self.leader_state() else {
            return Err(ErrorCode::NotLeaderOrFollower);
        };
        let hw = self.log.high_watermark();
        match query {
            ListOffsetsQuery::LatestReadUncommitted if l.epoch_start_offset > hw => {
                Err(ErrorCode::OffsetNotAvailable)
            }
            ListOffsetsQuery::LatestReadUncommitted => Ok(hw),
            ListOffsetsQuery::LatestReplica => Ok(self.log.leo()),
            ListOffsetsQuery::Earliest => Ok(self.log.log_start_offset()),
        }
    }

    fn rf(&self) -> usize {
        self.replicas.len()
    }

    /// `effectiveMinIsr`: capped at RF from 3.7 on (KAFKA-15583, §0.3).
    pub fn effective_min_isr(&self, cfg: &ClusterConfig) -> usize {
        let m = cfg.broker.min_insync_replicas as usize;
        if cfg.switches().min_isr_hw_gate {
            m.min(self.rf())
        } else {
            m
        }
    }

    /// Applies a partition registration from the controller: makeLeader / makeFollower / ISR update.
    pub fn apply_registration(
        &mut self,
        ctx: &Ctx,
        reg: &PartitionRegistration,
        out: &mut Out,
    ) -> RoleChange {
        let newer_epoch = reg.leader_epoch > self.leader_epoch;
        // Partition.makeLeader / makeFollower skip a state older than the partition epoch they
        // have ("Skipped the become-leader state change … since the leader is already at a
        // newer partition epoch"; PartitionTest#testIgnoreLeaderPartitionStateChangeWith
        // OlderPartitionEpoch): a replica never goes back to an older leader epoch. A newer but
        // already superseded state is applied, as a broker replaying the metadata log does.
        if reg.leader_epoch < self.leader_epoch
            || (!newer_epoch && reg.partition_epoch <= self.partition_epoch)
        {
            return RoleChange::None; // stale or already applied
        }
        self.replicas = reg.replicas.clone();
        self.partition_epoch = reg.partition_epoch;
        self.isr = reg.isr.clone();
        self.leader = reg.leader;
        let me_leader = reg.leader == Some(ctx.me);
        if me_leader && (newer_epoch || !self.is_leader()) {
            self.leader_epoch = reg.leader_epoch;
            self.make_leader(ctx, out);
            return RoleChange::BecameLeader;
        }
        if !me_leader && (newer_epoch || self.is_leader() || self.role == Role::Unknown) {
            // KAFKA-7164: a follower restarts fetching (and truncation) on every new leader epoch.
            self.leader_epoch = reg.leader_epoch;
            self.make_follower(ctx, reg.leader, out);
            return RoleChange::BecameFollower { leader: reg.leader };
        }
        // Same epoch, newer partition epoch: an ISR change (R3.2: no leader-epoch bump on ISR changes).
        if let Role::Leader(l) = &mut self.role {
            // Partition.makeLeader → updateAssignmentAndIsr: the committed state replaces a
            // pending one; the answer to its AlterPartition will be ignored when it comes.
            l.maximal_isr = self.isr.clone();
            l.pending_isr = None;
            self.maybe_increment_hw(ctx, out);
            self.try_complete_delayed(ctx, out);
        }
        RoleChange::None
    }

    /// Partition.makeLeader (R2.2, R3.4).
    fn make_leader(&mut self, ctx: &Ctx, out: &mut Out) {
        let was_leader = self.is_leader();
        self.truncating = false;
        // KAFKA-7415: the new leader records its epoch's start offset at once.
        self.log.assign_epoch_start(self.leader_epoch);
        let epoch_start_offset = self.log.leo();
        let mut remotes = VecMap::new();
        for &r in self.replicas.iter().filter(|&&r| r != ctx.me) {
            let in_isr = self.isr.contains(&r);
            remotes.insert(
                r,
                RemoteReplica {
                    leo: None,
                    last_fetch_time: if was_leader && in_isr {
                        Some(ctx.now)
                    } else {
                        None
                    },
                    last_fetch_leader_leo: if was_leader {
                        Some(epoch_start_offset)
                    } else {
                        None
                    },
                    last_caught_up_time: if in_isr { Some(ctx.now) } else { None },
                },
            );
        }
        let delayed = match std::mem::replace(&mut self.role, Role::Unknown) {
            Role::Leader(l) => l.delayed,
            _ => Vec::new(),
        };
        self.role = Role::Leader(Box::new(LeaderState {
            epoch_start_offset,
            maximal_isr: self.isr.clone(),
            pending_isr: None,
            remotes,
            delayed,
        }));
        out.observe(Observation::BecameLeader {
            broker: ctx.me,
            tp: self.tp,
            epoch: self.leader_epoch,
            isr: self.isr.clone(),
        });
        self.maybe_increment_hw(ctx, out);
        self.try_complete_delayed(ctx, out);
    }

    /// Partition.makeFollower; with the high-watermark profile, truncate to the local HW (R4.1).
    fn make_follower(&mut self, ctx: &Ctx, leader: Option<BrokerId>, out: &mut Out) {
        if let Role::Leader(l) = std::mem::replace(&mut self.role, Role::Unknown) {
            // ReplicaManagerTest.testClearPurgatoryOnBecomingFollower.
            for d in l.delayed {
                out.cancel_timer(TimerKind::DelayedProduce(d.request_id));
                out.send(
                    d.client,
                    d.response(self.tp, Err(ErrorCode::NotLeaderOrFollower)),
                );
            }
        }
        self.role = Role::Follower { leader };
        self.truncating = true;
        out.observe(Observation::BecameFollower {
            broker: ctx.me,
            tp: self.tp,
            epoch: self.leader_epoch,
            leader,
        });
        if ctx.cfg.switches().truncation == TruncationMode::HighWatermark && leader.is_some() {
            let hw = self.log.high_watermark();
            self.truncate(
                ctx,
                hw,
                "becoming follower: truncate to the local high watermark (Kafka ≤ 0.10)",
                out,
            );
        }
    }

    fn truncate(&mut self, ctx: &Ctx, to: Offset, reason: &str, out: &mut Out) {
        let removed = self.log.truncate_to(to);
        if !removed.is_empty() {
            out.observe(Observation::Truncated {
                broker: ctx.me,
                tp: self.tp,
                to,
                removed,
                reason: reason.to_string(),
            });
        }
    }

    /// Partition.appendRecordsToLeader (R2.6 steps 2–5). Returns the offset, or the error to send.
    pub fn append_records_to_leader(
        &mut self,
        ctx: &Ctx,
        acks: Acks,
        id: RecordId,
        producer: ProducerFields,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        self.append_to_leader(ctx, acks, id, producer, RecordTxn::None, out)
    }

    /// A transactional producer's batch (R6.3, R6.5): the idempotence checks, then the
    /// partition's transaction checks (a fenced epoch, non-transactional data in an open
    /// transaction).
    pub fn append_transactional_to_leader(
        &mut self,
        ctx: &Ctx,
        id: RecordId,
        producer: ProducerFields,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        self.append_to_leader(ctx, Acks::All, id, producer, RecordTxn::Transactional, out)
    }

    /// WriteTxnMarkers on the leader (R6.5; Partition#appendRecordsToLeader with the coordinator
    /// origin, acks=all): a control record carrying the producer's epoch and the coordinator
    /// epoch, which the partition checks (a zombie coordinator's marker is refused, S35).
    pub fn append_marker(
        &mut self,
        ctx: &Ctx,
        marker: &WriteTxnMarker,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        let producer = ProducerFields {
            producer_id: marker.producer_id,
            producer_epoch: marker.producer_epoch,
            sequence: -1,
        };
        let id = crate::txn::marker_id(marker.coordinator_epoch);
        let txn = RecordTxn::Control(marker.kind);
        self.append_to_leader(ctx, Acks::All, id, producer, txn, out)
    }

    fn append_to_leader(
        &mut self,
        ctx: &Ctx,
        acks: Acks,
        id: RecordId,
        producer: ProducerFields,
        txn: RecordTxn,
        out: &mut Out,
    ) -> Result<Offset, ErrorCode> {
        if !self.is_leader() {
            return Err(ErrorCode::NotLeaderOrFollower);
        }
        // R2.6 step 2: checked against the committed ISR, before anything is appended.
        if acks == Acks::All && self.isr.len() < self.effective_min_isr(ctx.cfg) {
            return Err(ErrorCode::NotEnoughReplicas);
        }
        // R2.6 step 4 / R5.2 (UnifiedLog#analyzeAndValidateProducerState): a retry of one of the
        // producer's last 5 batches is answered with its original offset and not appended again;
        // otherwise the epoch and sequence must follow on.
        // Markers carry no sequence: ProducerStateManager checks them by epoch only (below); nor
        // do the group coordinator's TxnOffsetCommit records (AppendOrigin.COORDINATOR skips the
        // sequence checks).
        let coordinator_write = matches!(txn, RecordTxn::Control(_))
            || (txn == RecordTxn::Transactional && producer.sequence < 0);
        let check = if coordinator_write {
            Ok(AppendCheck::Append)
        } else {
            self.log.producer_state().check(
                producer.producer_id,
                producer.producer_epoch,
                producer.sequence,
                producer.sequence,
                Origin::Client,
            )
        };
        match check {
            Ok(AppendCheck::Append) => {}
            Ok(AppendCheck::Duplicate { first_offset, .. }) => return Ok(first_offset),
            Err(ProducerStateError::OutOfOrderSequence) => {
                return Err(ErrorCode::OutOfOrderSequenceNumber)
            }
            Err(ProducerStateError::InvalidProducerEpoch) => {
                return Err(ErrorCode::InvalidProducerEpoch)
            }
        }
        let offset = if txn == RecordTxn::None {
            self.log
                .append_as_leader_at(self.leader_epoch, id, producer, ctx.now)
        } else {
            // R6.3 / R6.5: the transaction checks (ProducerAppendInfo#checkProducerEpoch,
            // #appendEndTxnMarker) refuse what does not fit.
            self.log
                .append_txn_as_leader_at(self.leader_epoch, id, producer, txn, ctx.now)
                .map_err(|e| match e {
                    TxnError::InvalidProducerEpoch | TxnError::ProducerFenced => {
                        ErrorCode::InvalidProducerEpoch
                    }
                    TxnError::TransactionCoordinatorFenced => {
                        ErrorCode::TransactionCoordinatorFenced
                    }
                    _ => ErrorCode::InvalidTxnState,
                })?
        };
        let record = *self.log.get(offset).expect("just appended");
        out.observe(Observation::Appended {
            broker: ctx.me,
            tp: self.tp,
            record,
            as_leader: true,
        });
        if ctx.cfg.broker.log_flush_interval_ms == 0 {
            self.log.flush();
        }
        // R1.5 triggers: Partition.appendRecordsToLeader calls maybeIncrementLeaderHW after every
        // append, whatever the acks ("we may need to increment high watermark since ISR could be
        // down to 1"): with an ISR of one the HW follows the LEO at once.
        self.maybe_increment_hw(ctx, out);
        Ok(offset)
    }

    /// Parks an acks=all produce until the HW passes `offset` (DelayedProduce), then tries it at once.
    pub fn add_delayed_produce(
        &mut self,
        ctx: &Ctx,
        d: DelayedProduce,
        timeout: Millis,
        out: &mut Out,
    ) {
        out.set_timer(TimerKind::DelayedProduce(d.request_id), ctx.now + timeout);
        if let Role::Leader(l) = &mut self.role {
            l.delayed.push(d);
        }
        self.maybe_increment_hw(ctx, out);
        self.try_complete_delayed(ctx, out);
    }

    /// DelayedProduce.tryComplete (R2.6 step 6).
    pub fn try_complete_delayed(&mut self, ctx: &Ctx, out: &mut Out) {
        let hw = self.log.high_watermark();
        let min_isr = self.effective_min_isr(ctx.cfg);
        let tp = self.tp;
        if let Role::Leader(l) = &mut self.role {
            if l.delayed.is_empty() {
                return;
            }
            let enough = l.maximal_isr.len() >= min_isr;
            l.delayed.retain(|d| {
                if hw > d.offset {
                    let result = if enough {
                        Ok(d.offset)
                    } else {
                        Err(ErrorCode::NotEnoughReplicasAfterAppend)
                    };
                    out.cancel_timer(TimerKind::DelayedProduce(d.request_id));
                    out.send(d.client, d.response(tp, result));
                    false
                } else {
                    true
                }
            });
        }
    }

    /// The purgatory timer of a parked produce fired: REQUEST_TIMED_OUT.
    pub fn expire_delayed_produce(&mut self, request_id: u64, out: &mut Out) -> bool {
        let tp = self.tp;
        if let Role::Leader(l) = &mut self.role {
            if let Some(i) = l.delayed.iter().position(|d| d.request_id == request_id) {
                let d = l.delayed.remove(i);
                out.send(d.client, d.response(tp, Err(ErrorCode::RequestTimedOut)));
                return true;
            }
        }
        false
    }

    /// Partition.maybeIncrementLeaderHW (R1.5). Returns whether the HW moved.
    pub fn maybe_increment_hw(&mut self, ctx: &Ctx, out: &mut Out) -> bool {
        let Role::Leader(l) = &self.role else {
            return false;
        };
        let cfg = ctx.cfg;
        if cfg.switches().min_isr_hw_gate && self.isr.len() < self.effective_min_isr(cfg) {
            return false; // KAFKA-15583: frozen under min ISR
        }
        let leo = self.log.leo();
        let mut hw = leo;
        for (&r, st) in &l.remotes {
            let r_leo = st.leo.unwrap_or(-1);
            if r_leo >= hw {
                continue;
            }
            let counts = if cfg.switches().maximal_isr {
                l.maximal_isr.contains(&r)
            } else {
                self.isr.contains(&r)
            };
            // KAFKA-15021 (R1.5 `shouldWaitForReplicaToJoinIsr`): a caught-up replica that is
            // about to join the ISR holds the HW back — only if it is ISR-eligible: a fenced or
            // shutting-down broker (e.g. one that crashed) will not join, so waiting for it would
            // stall the HW for up to replica.lag.time.max.ms.
            let waits_for_caught_up = cfg.switches().hw_waits_for_caught_up_replicas
                && st.leo.is_some()
                && is_caught_up(st, leo, ctx.now, cfg.broker.replica_lag_time_max_ms)
                && ctx.is_isr_eligible(r);
            if counts || waits_for_caught_up {
                hw = r_leo;
            }
        }
        let old = self.log.high_watermark();
        if hw > old {
            self.log.set_high_watermark(hw);
            out.observe(Observation::HighWatermark {
                broker: ctx.me,
                tp: self.tp,
                old,
                new: hw,
                as_leader: true,
            });
            self.try_complete_delayed(ctx, out);
            true
        } else {
            false
        }
    }

    /// Leader side of a consumer fetch (replica id -1): records from `fetch_offset` up to the HW
    /// only (R7.1, LocalLog.scala#read). `fetch_offset` above the LEO or below the log start is
    /// OFFSET_OUT_OF_RANGE; between HW and LEO the answer is empty, not an error.
    pub fn read_for_consumer(&self, fetch_offset: Offset, max_records: usize) -> FetchedPartition {
        self.read_for_consumer_at(fetch_offset, max_records, IsolationLevel::ReadUncommitted)
    }

    /// [`Partition::read_for_consumer`] at an `isolation.level` (R6.7, UnifiedLog#read):
    /// read_committed reads stop at the LSO and come with the aborted transactions they overlap.
    pub fn read_for_consumer_at(
        &self,
        fetch_offset: Offset,
        max_records: usize,
        isolation: IsolationLevel,
    ) -> FetchedPartition {
        let mut resp = FetchedPartition {
            aborted: Vec::new(),
            tp: self.tp,
            error: None,
            high_watermark: self.log.high_watermark(),
            log_start_offset: self.log.log_start_offset(),
            leader_log_end_offset: self.log.leo(),
            diverging_epoch: None,
            records: Vec::new(),
        };
        if !self.is_leader() {
            resp.error = Some(ErrorCode::NotLeaderOrFollower);
        } else if fetch_offset > self.log.leo() || fetch_offset < self.log.log_start_offset() {
            resp.error = Some(ErrorCode::OffsetOutOfRange);
        } else {
            let hw = self.log.high_watermark();
            let upper = isolation.fetch_upper_bound(hw, self.log.last_stable_offset());
            let end = upper.min(fetch_offset.saturating_add(max_records as Offset));
            resp.records = self.log.slice(fetch_offset, end).to_vec();
            if isolation == IsolationLevel::ReadCommitted {
                resp.aborted = self.log.txns().aborted_transactions(fetch_offset, end);
            }
        }
        resp
    }

    /// Leader side of a follower fetch for one partition (R1.2–R1.4). `update_state` is false when a
    /// parked fetch is re-read on completion.
    pub fn read_for_follower(
        &mut self,
        ctx: &Ctx,
        replica: BrokerId,
        fp: &FetchPartition,
        update_state: bool,
        out: &mut Out,
    ) -> FetchedPartition {
        let mut resp = FetchedPartition {
            aborted: Vec::new(),
            tp: self.tp,
            error: None,
            high_watermark: self.log.high_watermark(),
            log_start_offset: self.log.log_start_offset(),
            leader_log_end_offset: self.log.leo(),
            diverging_epoch: None,
            records: Vec::new(),
        };
        if !self.is_leader() {
            resp.error = Some(ErrorCode::NotLeaderOrFollower);
            return resp;
        }
        let mode = ctx.cfg.switches().truncation;
        // R1.2 step 1 (KIP-320): fencing by the follower's current leader epoch.
        if mode == TruncationMode::LeaderEpoch {
            if let Some(e) = fp.current_leader_epoch {
                if e < self.leader_epoch {
                    resp.error = Some(ErrorCode::FencedLeaderEpoch);
                    return resp;
                }
                if e > self.leader_epoch {
                    resp.error = Some(ErrorCode::UnknownLeaderEpoch);
                    return resp;
                }
            }
        }
        // R1.2 step 2.
        if !self.replicas.contains(&replica) || replica == ctx.me {
            resp.error = Some(ErrorCode::UnknownLeaderEpoch);
            return resp;
        }
        let leo = self.log.leo();
        // Below the log start first: Partition#readRecords throws OffsetOutOfRangeException for
        // a fetch offset below the log start "regardless of whether epochs are diverging", before
        // its diverging-epoch check (ReplicaManager#readFromLocalLog answers
        // OFFSET_OUT_OF_RANGE); the follower then truncates fully (restart_at_leader_log_start).
        if fp.fetch_offset < self.log.log_start_offset() {
            resp.error = Some(ErrorCode::OffsetOutOfRange);
            return resp;
        }
        // R1.2 step 4: divergence from the last fetched epoch.
        if let Some(lfe) = fp.last_fetched_epoch {
            match mode {
                TruncationMode::LeaderEpoch => {
                    let (e, end) = self.log.epoch_cache().end_offset_for(lfe, leo);
                    if e == UNDEFINED_EPOCH && end < 0 {
                        resp.error = Some(ErrorCode::OffsetOutOfRange);
                        return resp;
                    }
                    if e < lfe || end < fp.fetch_offset {
                        resp.diverging_epoch = Some((e, end));
                        return resp;
                    }
                }
                TruncationMode::LeaderEpochV0 => {
                    // KIP-101 v0 (R4.2): the epoch is only sent by a follower still truncating,
                    // and this stands for its OffsetsForLeaderEpoch round: the answer is an end
                    // offset only (UNDEFINED when the leader cannot tell), and no records.
                    let end = self.log.epoch_cache().end_offset_for_v0(lfe, leo);
                    resp.diverging_epoch = Some((UNDEFINED_EPOCH, end));
                    return resp;
                }
                TruncationMode::HighWatermark => {}
            }
        }
        // R1.2 step 5.
        if fp.fetch_offset > leo || fp.fetch_offset < self.log.log_start_offset() {
            resp.error = Some(ErrorCode::OffsetOutOfRange);
            return resp;
        }
        resp.records = self
            .log
            .slice(
                fp.fetch_offset,
                fp.fetch_offset + MAX_FETCH_RECORDS as Offset,
            )
            .to_vec();
        if update_state {
            self.update_follower_fetch_state(ctx, replica, fp.fetch_offset, leo, out);
        }
        resp
    }

    /// Partition.updateFollowerFetchState (R1.4), then maybeExpandIsr and maybeIncrementLeaderHW.
    fn update_follower_fetch_state(
        &mut self,
        ctx: &Ctx,
        replica: BrokerId,
        f: Offset,
        leader_leo: Offset,
        out: &mut Out,
    ) {
        let now = ctx.now;
        let Role::Leader(l) = &mut self.role else {
            return;
        };
        let Some(st) = l.remotes.get_mut(&replica) else {
            return;
        };
        let old_leo = st.leo;
        st.leo = Some(f);
        if f >= leader_leo {
            st.last_caught_up_time = Some(st.last_caught_up_time.map_or(now, |t| t.max(now)));
        } else if st.last_fetch_leader_leo.is_some_and(|prev| f >= prev) {
            if let Some(prev_fetch) = st.last_fetch_time {
                st.last_caught_up_time = Some(
                    st.last_caught_up_time
                        .map_or(prev_fetch, |t| t.max(prev_fetch)),
                );
            }
        }
        st.last_fetch_leader_leo = Some(
            st.last_fetch_leader_leo
                .map_or(leader_leo, |p| p.max(leader_leo)),
        );
        st.last_fetch_time = Some(now);
        self.maybe_expand_isr(ctx, replica, out);
        if old_leo != Some(f) {
            self.maybe_increment_hw(ctx, out);
        }
    }

    /// Partition.maybeExpandIsr (R2.4).
    fn maybe_expand_isr(&mut self, ctx: &Ctx, replica: BrokerId, out: &mut Out) {
        let hw = self.log.high_watermark();
        let guard = ctx.cfg.switches().isr_expansion_epoch_guard;
        let maximal = ctx.cfg.switches().maximal_isr;
        let in_flight = self.alter_in_flight.is_some();
        let Role::Leader(l) = &mut self.role else {
            return;
        };
        // Partition#canAddReplicaToIsr: not while an ISR change is pending; and not while the
        // AlterPartitionManager still holds an unanswered item for the partition (its submit
        // would fail with OPERATION_NOT_ATTEMPTED and reset the state at once).
        if l.pending_isr.is_some() || in_flight || self.isr.contains(&replica) {
            return;
        }
        let Some(leo) = l.remotes.get(&replica).and_then(|r| r.leo) else {
            return;
        };
        if leo < hw || (guard && leo < l.epoch_start_offset) {
            return;
        }
        // R2.4: only an ISR-eligible replica (not fenced, not shutting down) is proposed; the
        // controller would refuse it anyway (INELIGIBLE_REPLICA, R2.5).
        if !ctx.is_isr_eligible(replica) {
            return;
        }
        let mut new_isr = self.isr.clone();
        new_isr.push(replica);
        ordered::sort_by_key(&mut new_isr, |b| self.replicas.iter().position(|r| r == b));
        if maximal {
            l.maximal_isr = new_isr.clone();
        }
        l.pending_isr = Some(new_isr.clone());
        self.send_alter_partition(ctx, new_isr, out);
    }

    /// Partition.maybeShrinkIsr (R2.3), run by the isr-expiration timer.
    pub fn maybe_shrink_isr(&mut self, ctx: &Ctx, out: &mut Out) {
        let lag = ctx.cfg.broker.replica_lag_time_max_ms;
        let leo = self.log.leo();
        let in_flight = self.alter_in_flight.is_some();
        let Role::Leader(l) = &mut self.role else {
            return;
        };
        // Partition#maybeShrinkIsr: `!partitionState.isInflight`, and one item per partition in
        // the AlterPartitionManager (as in maybe_expand_isr).
        if l.pending_isr.is_some() || in_flight {
            return;
        }
        let out_of_sync: Vec<BrokerId> = self
            .isr
            .iter()
            .copied()
            .filter(|&r| r != ctx.me)
            .filter(|r| {
                l.remotes
                    .get(r)
                    .is_none_or(|st| !is_caught_up(st, leo, ctx.now, lag))
            })
            .collect();
        if out_of_sync.is_empty() {
            return;
        }
        let new_isr: Vec<BrokerId> = self
            .isr
            .iter()
            .copied()
            .filter(|r| !out_of_sync.contains(r))
            .collect();
        // The maximal ISR keeps the old members until the controller accepts the shrink (S6).
        l.pending_isr = Some(new_isr.clone());
        self.send_alter_partition(ctx, new_isr, out);
    }

    /// Partition#submitAlterPartition: the proposal becomes the partition's one item in flight.
    fn send_alter_partition(&mut self, ctx: &Ctx, new_isr: Vec<BrokerId>, out: &mut Out) {
        out.observe(Observation::IsrProposed {
            broker: ctx.me,
            tp: self.tp,
            isr: new_isr.clone(),
        });
        self.alter_in_flight = Some(AlterPartitionItem {
            request_id: 0,
            leader_epoch: self.leader_epoch,
            partition_epoch: self.partition_epoch,
            new_isr,
        });
        self.send_alter_item(ctx, out);
    }

    /// Sends (or resends) the item in flight with a fresh request id.
    fn send_alter_item(&mut self, ctx: &Ctx, out: &mut Out) {
        let Some(item) = &mut self.alter_in_flight else {
            return;
        };
        self.alter_sends += 1;
        let request_id = (ctx.broker_epoch << 32) | self.alter_sends;
        item.request_id = request_id;
        out.send(
            NodeId::Controller,
            Message::AlterPartition {
                request_id,
                broker: ctx.me,
                broker_epoch: ctx.broker_epoch,
                tp: self.tp,
                leader_epoch: item.leader_epoch,
                partition_epoch: item.partition_epoch,
                new_isr: item.new_isr.clone(),
            },
        );
        out.set_timer(
            TimerKind::AlterPartitionRetry(self.tp),
            ctx.now + ctx.cfg.broker.replica_socket_timeout_ms,
        );
    }

    /// No answer within the socket timeout: the request or its answer was lost, so the item is
    /// sent again ("we will not timeout AlterPartition request, instead letting it retry
    /// indefinitely until a response is received", DefaultAlterPartitionManager#sendRequest).
    pub fn retry_alter_partition(&mut self, ctx: &Ctx, out: &mut Out) {
        self.send_alter_item(ctx, out);
    }

    /// The controller's answer to an AlterPartition of this partition.
    pub fn on_alter_partition_response(
        &mut self,
        ctx: &Ctx,
        request_id: u64,
        result: Result<PartitionRegistration, ErrorCode>,
        out: &mut Out,
    ) {
        let Some(item) = self.alter_in_flight.take_if(|i| i.request_id == request_id) else {
            return; // the answer to an earlier send of the item, or to an older process
        };
        out.cancel_timer(TimerKind::AlterPartitionRetry(self.tp));
        if result == Err(ErrorCode::StaleBrokerEpoch) {
            // A top-level error: DefaultAlterPartitionManager keeps the item and sends it again
            // 50 ms later, with the broker epoch it has then.
            self.alter_in_flight = Some(item);
            out.set_timer(TimerKind::AlterPartitionRetry(self.tp), ctx.now + 50);
            return;
        }
        // Partition#submitAlterPartition: "partitionState != proposedIsrState" — the state
        // was replaced (a new leader-and-ISR, or a new leadership) after the request was sent,
        // so the answer is out of date and ignored, success or error alike.
        let proposed = self.leader_state().and_then(|l| l.pending_isr.as_ref());
        if proposed != Some(&item.new_isr)
            || self.leader_epoch != item.leader_epoch
            || self.partition_epoch != item.partition_epoch
        {
            return;
        }
        match result {
            // Partition#handleAlterPartitionUpdate: an answer for another leader epoch or an
            // older partition epoch is ignored and the state stays pending until new metadata.
            Ok(reg)
                if reg.leader_epoch != self.leader_epoch
                    || reg.partition_epoch < self.partition_epoch => {}
            Ok(reg) => {
                self.isr = reg.isr.clone();
                self.partition_epoch = reg.partition_epoch;
                if let Role::Leader(l) = &mut self.role {
                    l.maximal_isr = reg.isr;
                    l.pending_isr = None;
                }
                self.maybe_increment_hw(ctx, out);
                self.try_complete_delayed(ctx, out);
            }
            // Partition#handleAlterPartitionError: the controller says the request was not
            // applied and the partition epoch is right, so back to the committed state.
            Err(ErrorCode::IneligibleReplica) => {
                let isr = self.isr.clone();
                if let Role::Leader(l) = &mut self.role {
                    l.maximal_isr = isr;
                    l.pending_isr = None;
                }
            }
            // FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INVALID_REQUEST: the partition
            // state is out of date; it stays pending until new metadata replaces it.
            Err(
                ErrorCode::FencedLeaderEpoch
                | ErrorCode::InvalidUpdateVersion
                | ErrorCode::InvalidRequest,
            ) => {}
            // Any other error is retried with the same proposal.
            Err(_) => {
                self.alter_in_flight = Some(item);
                self.send_alter_item(ctx, out);
            }
        }
    }

    /// What a follower sends for this partition (R1.1).
    pub fn fetch_request(&self, cfg: &ClusterConfig) -> FetchPartition {
        let last_fetched_epoch = match cfg.switches().truncation {
            TruncationMode::HighWatermark => None,
            // KIP-101 v0: OffsetsForLeaderEpoch(latest epoch, or UNDEFINED for a log without
            // epochs) once after becoming follower (ReplicaFetcherThread#buildLeaderEpochRequest
            // in 0.11), plain fetches afterwards.
            TruncationMode::LeaderEpochV0 if self.truncating => {
                Some(self.log.last_fetched_epoch().unwrap_or(UNDEFINED_EPOCH))
            }
            TruncationMode::LeaderEpochV0 => None,
            // Fetch v12: every fetch carries LastFetchedEpoch (KAFKA-10554).
            TruncationMode::LeaderEpoch => self.log.last_fetched_epoch(),
        };
        FetchPartition {
            tp: self.tp,
            fetch_offset: self.log.leo(),
            last_fetched_epoch,
            current_leader_epoch: if cfg.switches().truncation == TruncationMode::LeaderEpoch {
                Some(self.leader_epoch)
            } else {
                None
            },
        }
    }

    /// Follower side of a fetch response for one partition (R1.6). Returns the error, if any.
    pub fn process_fetched(
        &mut self,
        ctx: &Ctx,
        fp: FetchedPartition,
        out: &mut Out,
    ) -> Option<ErrorCode> {
        if !matches!(self.role, Role::Follower { .. }) {
            return None;
        }
        if let Some(err) = fp.error {
            if err == ErrorCode::OffsetOutOfRange && self.log.leo() < fp.log_start_offset {
                self.restart_at_leader_log_start(ctx, fp.log_start_offset, out);
                return None;
            }
            if err == ErrorCode::OffsetOutOfRange && fp.leader_log_end_offset < self.log.leo() {
                // AbstractFetcherThread#fetchOffsetAndTruncate.
                self.truncate(
                    ctx,
                    fp.leader_log_end_offset,
                    "fetch offset out of range: truncate to the leader's LEO",
                    out,
                );
                return None;
            }
            return Some(err);
        }
        if let Some((e, end)) = fp.diverging_epoch {
            let leo = self.log.leo();
            let hw = self.log.high_watermark();
            let state = match ctx.cfg.switches().truncation {
                // R4.2 / 0.11 ReplicaFetcherThread#maybeTruncate: min(end, LEO), or the HW when
                // the leader could not answer; one round, then the follower fetches.
                TruncationMode::LeaderEpochV0 => {
                    self.truncating = false;
                    offset_truncation_state_v0(end, leo, hw)
                }
                _ => offset_truncation_state(e, end, self.log.epoch_cache(), leo, hw),
            };
            let reason = match ctx.cfg.switches().truncation {
                TruncationMode::LeaderEpochV0 if end < 0 => {
                    "the leader cannot tell where our epoch ends (KIP-101 v0): truncate to the local high watermark".to_string()
                }
                TruncationMode::LeaderEpochV0 => {
                    format!("the leader says our last epoch ends at offset {end} (KIP-101 v0)")
                }
                _ => format!("diverging epoch (e{e}, end {end}) from the leader"),
            };
            // R1.6: truncate and do not append this round (testTruncateOnFetchDoesNotProcessPartitionData).
            self.truncate(ctx, state.offset, &reason, out);
            return None;
        }
        if !fp.records.is_empty() {
            if !self.log.append_as_follower(&fp.records) {
                return None; // not at our LEO: a stale response; ignore it
            }
            for r in &fp.records {
                out.observe(Observation::Appended {
                    broker: ctx.me,
                    tp: self.tp,
                    record: *r,
                    as_leader: false,
                });
            }
            if ctx.cfg.broker.log_flush_interval_ms == 0 {
                self.log.flush();
            }
        }
        // R1.6: HW := min(leader HW, own LEO); not necessarily monotone.
        let old = self.log.high_watermark();
        self.log.set_high_watermark(fp.high_watermark);
        let new = self.log.high_watermark();
        self.follow_leader_log_start(ctx, fp.log_start_offset, out);
        if new != old {
            out.observe(Observation::HighWatermark {
                broker: ctx.me,
                tp: self.tp,
                old,
                new,
                as_leader: false,
            });
        }
        None
    }
}

/// Replica.isCaughtUp (R2.1).
pub fn is_caught_up(st: &RemoteReplica, leader_leo: Offset, now: Millis, lag: Millis) -> bool {
    st.leo == Some(leader_leo)
        || st
            .last_caught_up_time
            .is_some_and(|t| now.saturating_sub(t) <= lag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caught_up_by_leo_or_by_time() {
        // Replica.isCaughtUp (R2.1)
        let st = RemoteReplica {
            leo: Some(5),
            last_fetch_time: None,
            last_fetch_leader_leo: None,
            last_caught_up_time: Some(100),
        };
        assert!(
            is_caught_up(&st, 5, 1_000_000, 10),
            "LEO equality short-circuits the time check"
        );
        assert!(is_caught_up(&st, 9, 110, 10));
        assert!(!is_caught_up(&st, 9, 111, 10));
        let never = RemoteReplica {
            leo: None,
            last_fetch_time: None,
            last_fetch_leader_leo: None,
            last_caught_up_time: None,
        };
        assert!(!is_caught_up(&never, 0, 0, 10));
    }

    const TP: TopicPartition = TopicPartition {
        topic: 0,
        partition: 0,
    };

    fn ctx<'a>(
        cfg: &'a ClusterConfig,
        me: BrokerId,
        now: Millis,
        ineligible: &[BrokerId],
    ) -> Ctx<'a> {
        Ctx {
            me,
            now,
            cfg,
            broker_epoch: 1,
            ineligible: ineligible.to_vec(),
        }
    }

    fn reg(
        leader: BrokerId,
        epoch: Epoch,
        partition_epoch: i32,
        isr: &[BrokerId],
    ) -> PartitionRegistration {
        PartitionRegistration {
            tp: TP,
            replicas: vec![1, 2, 3],
            isr: isr.to_vec(),
            leader: Some(leader),
            leader_epoch: epoch,
            partition_epoch,
            recovering: false,
            elr: Vec::new(),
        }
    }

    /// A follower fetch at `offset` as the leader handles it.
    fn fetch(p: &mut Partition, c: &Ctx, replica: BrokerId, offset: Offset) -> FetchedPartition {
        let fp = FetchPartition {
            tp: TP,
            fetch_offset: offset,
            last_fetched_epoch: p.log.last_fetched_epoch(),
            current_leader_epoch: Some(p.leader_epoch),
        };
        p.read_for_follower(c, replica, &fp, true, &mut Out::default())
    }

    /// Leader b1 of replicas {1,2,3}, ISR {1,2}, one record replicated to b2 and b3; then b3 stops
    /// fetching (it crashed) and a second record is appended. Returns the partition.
    fn leader_with_stopped_b3(cfg: &ClusterConfig, ineligible: &[BrokerId]) -> Partition {
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(cfg, 1, 0, ineligible);
        p.apply_registration(&c, &reg(1, 0, 0, &[1, 2]), &mut Out::default());
        p.append_records_to_leader(
            &c,
            Acks::Leader,
            0,
            ProducerFields::NONE,
            &mut Out::default(),
        )
        .unwrap();
        let c = ctx(cfg, 1, 100, ineligible);
        fetch(&mut p, &c, 3, 1); // b3 caught up at t=100, then dies
        p.append_records_to_leader(
            &c,
            Acks::Leader,
            1,
            ProducerFields::NONE,
            &mut Out::default(),
        )
        .unwrap();
        let c = ctx(cfg, 1, 200, ineligible);
        fetch(&mut p, &c, 2, 2); // b2 (ISR) has both records
        p
    }

    #[test]
    fn a_consumer_reads_below_the_hw_only() {
        // R7.1 (LocalLog.scala#read): records up to the HW; HW ≤ offset ≤ LEO is an empty answer;
        // beyond the LEO is OFFSET_OUT_OF_RANGE; a follower answers NOT_LEADER_OR_FOLLOWER.
        let cfg = ClusterConfig::default();
        let p = leader_with_stopped_b3(&cfg, &[]);
        assert_eq!((p.log.high_watermark(), p.log.leo()), (1, 2));
        let r = p.read_for_consumer(0, 10);
        assert_eq!((r.error, r.records.len(), r.high_watermark), (None, 1, 1));
        for offset in [1, 2] {
            let r = p.read_for_consumer(offset, 10);
            assert_eq!((r.error, r.records.len()), (None, 0), "offset {offset}");
        }
        assert_eq!(
            p.read_for_consumer(3, 10).error,
            Some(ErrorCode::OffsetOutOfRange)
        );
        let mut f = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(&cfg, 2, 0, &[]);
        f.apply_registration(&c, &reg(1, 0, 0, &[1, 2]), &mut Out::default());
        assert_eq!(
            f.read_for_consumer(0, 10).error,
            Some(ErrorCode::NotLeaderOrFollower)
        );
    }

    #[test]
    fn hw_does_not_wait_for_a_fenced_caught_up_replica() {
        // R1.5 / KAFKA-15021: Partition#maybeIncrementLeaderHW `shouldWaitForReplicaToJoinIsr` =
        // isCaughtUp && isReplicaIsrEligible. b3 is caught up by time (fetched 100 ms ago,
        // replica.lag.time.max.ms 30000) and lags by one record.
        let cfg = ClusterConfig::default();
        let p = leader_with_stopped_b3(&cfg, &[]);
        assert_eq!(
            p.log.high_watermark(),
            1,
            "an eligible caught-up b3 holds the HW"
        );
        let p = leader_with_stopped_b3(&cfg, &[3]);
        assert_eq!(p.log.high_watermark(), 2, "a fenced b3 does not");
    }

    #[test]
    fn fenced_replica_is_not_proposed_for_the_isr() {
        // R2.4: Partition#maybeExpandIsr requires isReplicaIsrEligible.
        let cfg = ClusterConfig::default();
        for (ineligible, proposed) in [(&[][..], Some(vec![1, 2, 3])), (&[3][..], None)] {
            let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
            let c = ctx(&cfg, 1, 0, ineligible);
            p.apply_registration(&c, &reg(1, 0, 0, &[1, 2]), &mut Out::default());
            fetch(&mut p, &c, 3, 0);
            assert_eq!(
                p.leader_state().unwrap().pending_isr,
                proposed,
                "ineligible {ineligible:?}"
            );
        }
    }

    #[test]
    fn leader_append_advances_the_hw_of_a_single_replica_isr() {
        // R1.5 triggers / Partition.appendRecordsToLeader → maybeIncrementLeaderHW: with ISR {1}
        // an acks=1 append is committed at once (pre-3.7 profile, or min.insync.replicas = 1).
        let cfg = ClusterConfig::default();
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(&cfg, 1, 0, &[]);
        p.apply_registration(&c, &reg(1, 0, 0, &[1]), &mut Out::default());
        p.append_records_to_leader(
            &c,
            Acks::Leader,
            0,
            ProducerFields::NONE,
            &mut Out::default(),
        )
        .unwrap();
        assert_eq!(p.log.high_watermark(), 1);
        // KAFKA-15583: frozen while |ISR| < min.insync.replicas.
        let mut cfg = ClusterConfig::default();
        cfg.broker.min_insync_replicas = 2;
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(&cfg, 1, 0, &[]);
        p.apply_registration(&c, &reg(1, 0, 0, &[1]), &mut Out::default());
        p.append_records_to_leader(
            &c,
            Acks::Leader,
            0,
            ProducerFields::NONE,
            &mut Out::default(),
        )
        .unwrap();
        assert_eq!(p.log.high_watermark(), 0);
    }

    #[test]
    fn kip101_v0_truncates_once_and_falls_back_to_the_hw() {
        // R4.2 / Kafka 0.11 ReplicaFetcherThread: one OffsetsForLeaderEpoch round after becoming
        // follower; an UNDEFINED end offset means "truncate to the local HW"; then plain fetches.
        let mut cfg = ClusterConfig::default();
        cfg.profile.truncation = Some(TruncationMode::LeaderEpochV0);
        let mut log = ReplicaLog::new();
        for id in 0..3 {
            log.append_as_leader(0, id, ProducerFields::NONE);
        }
        log.set_high_watermark(1);
        let mut p = Partition::new(TP, vec![1, 2, 3], log);
        let c = ctx(&cfg, 1, 0, &[]);
        p.apply_registration(&c, &reg(2, 5, 5, &[1, 2, 3]), &mut Out::default());
        let fp = p.fetch_request(&cfg);
        assert_eq!(
            fp.last_fetched_epoch,
            Some(0),
            "the truncation round names the epoch"
        );
        let answer = FetchedPartition {
            aborted: Vec::new(),
            tp: TP,
            error: None,
            high_watermark: 0,
            log_start_offset: 0,
            leader_log_end_offset: 9,
            diverging_epoch: Some((UNDEFINED_EPOCH, crate::types::UNDEFINED_OFFSET)),
            records: Vec::new(),
        };
        p.process_fetched(&c, answer, &mut Out::default());
        assert_eq!(p.log.leo(), 1, "undefined end offset: truncated to the HW");
        assert_eq!(
            p.fetch_request(&cfg).last_fetched_epoch,
            None,
            "then plain fetches"
        );
    }

    #[test]
    fn idempotent_retries_are_deduplicated_and_gaps_refused() {
        // R5.2 steps 1 and 4 (UnifiedLogTest.testDuplicateAppends, ProducerStateManagerTest
        // .testBasicIdMapping), and NOT_ENOUGH_REPLICAS before the log is touched (R2.6 step 2).
        let cfg = ClusterConfig::default();
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(&cfg, 1, 0, &[]);
        p.apply_registration(&c, &reg(1, 0, 0, &[1, 2, 3]), &mut Out::default());
        let fields = |sequence| ProducerFields {
            producer_id: 7,
            producer_epoch: 0,
            sequence,
        };
        let append = |p: &mut Partition, id, seq| {
            p.append_records_to_leader(&c, Acks::All, id, fields(seq), &mut Out::default())
        };
        assert_eq!(append(&mut p, 0, 0), Ok(0));
        assert_eq!(
            append(&mut p, 0, 0),
            Ok(0),
            "a retry gets the original offset"
        );
        assert_eq!(p.log.leo(), 1, "and is not appended");
        assert_eq!(
            append(&mut p, 2, 2),
            Err(ErrorCode::OutOfOrderSequenceNumber)
        );
        assert_eq!(append(&mut p, 1, 1), Ok(1));
        assert_eq!(p.log.leo(), 2);
    }

    /// The AlterPartition requests in `out`: (request id, proposed ISR).
    fn alter_requests(out: &Out) -> Vec<(u64, Vec<BrokerId>)> {
        out.effects
            .iter()
            .filter_map(|e| match e {
                crate::node::Effect::Send {
                    msg:
                        Message::AlterPartition {
                            request_id,
                            new_isr,
                            ..
                        },
                    ..
                } => Some((*request_id, new_isr.clone())),
                _ => None,
            })
            .collect()
    }

    /// Leader b1 of {1,2,3} in epoch 5, partition epoch 1, ISR {1,2,3}; at t=`lag`+1 neither
    /// follower has fetched, so the ISR check proposes {1}. Returns the partition and the
    /// request id of that AlterPartition.
    fn leader_shrinking(cfg: &ClusterConfig) -> (Partition, u64) {
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        let c = ctx(cfg, 1, 0, &[]);
        p.apply_registration(&c, &reg(1, 5, 1, &[1, 2, 3]), &mut Out::default());
        let lag = cfg.broker.replica_lag_time_max_ms;
        let mut out = Out::default();
        p.maybe_shrink_isr(&ctx(cfg, 1, lag + 1, &[]), &mut out);
        let sent = alter_requests(&out);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].1, vec![1]);
        assert_eq!(p.leader_state().unwrap().pending_isr, Some(vec![1]));
        (p, sent[0].0)
    }

    #[test]
    fn one_alter_partition_in_flight_even_after_a_new_leader_and_isr() {
        // PartitionTest#testAlterIsrLeaderAndIsrRace: a new leader-and-ISR (same leader epoch,
        // newer partition epoch) replaces the pending shrink (Partition.makeLeader →
        // updateAssignmentAndIsr), but DefaultAlterPartitionManager still holds the unanswered
        // request, so no second one is sent for the partition until its answer comes.
        let cfg = ClusterConfig::default();
        let lag = cfg.broker.replica_lag_time_max_ms;
        let (mut p, first) = leader_shrinking(&cfg);
        let c = ctx(&cfg, 1, lag + 2, &[]);
        p.apply_registration(&c, &reg(1, 5, 2, &[1, 2, 3]), &mut Out::default());
        assert_eq!(
            p.leader_state().unwrap().pending_isr,
            None,
            "committed again"
        );
        let mut out = Out::default();
        p.maybe_shrink_isr(&ctx(&cfg, 1, 2 * lag + 3, &[]), &mut out);
        assert!(
            alter_requests(&out).is_empty(),
            "the first is still in flight"
        );
        assert_eq!(p.leader_state().unwrap().pending_isr, None);
        // The controller's answer to the first request (sent at partition epoch 1) races the
        // new leader-and-ISR: INVALID_UPDATE_VERSION. It is ignored and frees the partition.
        let c = ctx(&cfg, 1, 2 * lag + 4, &[]);
        let mut out = Out::default();
        p.on_alter_partition_response(&c, first, Err(ErrorCode::InvalidUpdateVersion), &mut out);
        assert_eq!((p.isr.clone(), p.partition_epoch), (vec![1, 2, 3], 2));
        assert!(p.alter_in_flight.is_none());
        let mut out = Out::default();
        p.maybe_shrink_isr(&ctx(&cfg, 1, 2 * lag + 5, &[]), &mut out);
        assert_eq!(
            alter_requests(&out).len(),
            1,
            "now the shrink is proposed again"
        );
    }

    #[test]
    fn an_answer_to_a_superseded_request_does_not_regress_the_state() {
        // Partition#submitAlterPartition ignores an answer when `partitionState !=
        // proposedIsrState`; Partition#handleAlterPartitionUpdate ignores an older partition
        // epoch. The controller applied the shrink (partition epoch 2, ISR {1}) and then
        // re-added b2 (partition epoch 3); the leader learnt epoch 3 first.
        let cfg = ClusterConfig::default();
        let (mut p, first) = leader_shrinking(&cfg);
        let c = ctx(&cfg, 1, 2_000_000, &[]);
        p.apply_registration(&c, &reg(1, 5, 3, &[1, 2]), &mut Out::default());
        let mut out = Out::default();
        p.on_alter_partition_response(&c, first, Ok(reg(1, 5, 2, &[1])), &mut out);
        assert_eq!((p.isr.clone(), p.partition_epoch), (vec![1, 2], 3));
        assert_eq!(p.leader_state().unwrap().maximal_isr, vec![1, 2]);
        assert!(p.alter_in_flight.is_none());
    }

    #[test]
    fn a_resent_alter_partition_counts_only_the_answer_to_the_last_send() {
        // The request got no answer within the socket timeout and is sent again (the channel
        // manager's retry); an answer to the first send is ignored, the item stays in flight.
        let cfg = ClusterConfig::default();
        let (mut p, first) = leader_shrinking(&cfg);
        let c = ctx(&cfg, 1, 2_000_000, &[]);
        let mut out = Out::default();
        p.retry_alter_partition(&c, &mut out);
        let resent = alter_requests(&out);
        assert_eq!(resent.len(), 1);
        assert_ne!(resent[0].0, first);
        p.on_alter_partition_response(&c, first, Ok(reg(1, 5, 2, &[1])), &mut Out::default());
        assert_eq!(
            p.isr,
            vec![1, 2, 3],
            "the first send's answer is not applied"
        );
        assert!(p.alter_in_flight.is_some());
        p.on_alter_partition_response(&c, resent[0].0, Ok(reg(1, 5, 2, &[1])), &mut Out::default());
        assert_eq!((p.isr.clone(), p.partition_epoch), (vec![1], 2));
        assert_eq!(p.leader_state().unwrap().pending_isr, None);
    }

    #[test]
    fn an_ineligible_replica_answer_resets_and_other_errors_wait_for_metadata() {
        // Partition#handleAlterPartitionError: INELIGIBLE_REPLICA (and OPERATION_NOT_ATTEMPTED)
        // go back to the committed state; INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH and
        // INVALID_REQUEST leave the partition pending until new metadata replaces the state.
        let cfg = ClusterConfig::default();
        let c = ctx(&cfg, 1, 2_000_000, &[]);
        let (mut p, first) = leader_shrinking(&cfg);
        p.on_alter_partition_response(
            &c,
            first,
            Err(ErrorCode::IneligibleReplica),
            &mut Out::default(),
        );
        assert_eq!(p.leader_state().unwrap().pending_isr, None);
        for e in [
            ErrorCode::InvalidUpdateVersion,
            ErrorCode::FencedLeaderEpoch,
            ErrorCode::InvalidRequest,
        ] {
            let (mut p, first) = leader_shrinking(&cfg);
            p.on_alter_partition_response(&c, first, Err(e), &mut Out::default());
            assert_eq!(p.leader_state().unwrap().pending_isr, Some(vec![1]), "{e}");
            assert!(p.alter_in_flight.is_none());
            let mut out = Out::default();
            p.maybe_shrink_isr(&ctx(&cfg, 1, 3_000_000, &[]), &mut out);
            assert!(
                alter_requests(&out).is_empty(),
                "{e}: no new proposal while pending"
            );
        }
    }

    #[test]
    fn a_registration_older_than_the_replica_is_skipped() {
        // Partition.makeLeader / makeFollower: no going back to an older partition epoch.
        let cfg = ClusterConfig::default();
        let c = ctx(&cfg, 1, 0, &[]);
        let mut p = Partition::new(TP, vec![1, 2, 3], ReplicaLog::new());
        p.apply_registration(&c, &reg(1, 2, 3, &[1, 2, 3]), &mut Out::default());
        for stale in [reg(2, 1, 2, &[2, 3]), reg(1, 2, 2, &[1])] {
            let change = p.apply_registration(&c, &stale, &mut Out::default());
            assert_eq!(change, RoleChange::None, "{stale:?}");
            assert_eq!((p.leader_epoch, p.partition_epoch), (2, 3));
            assert!(p.is_leader());
            assert_eq!(p.isr, vec![1, 2, 3]);
        }
    }
}
