//! Messages exchanged over the simulated network, named after Kafka's RPCs, and Kafka's error codes.

use serde::{Deserialize, Serialize};

use crate::config::Acks;
use crate::log::{ProducerFields, Record, RecordId};
use crate::read_model::MessageKind;
use crate::txn::coordinator::WriteTxnMarker;
use crate::txn::isolation::IsolationLevel;
use crate::txn::{TxnError, TxnResult};
use crate::types::{BrokerId, Epoch, Millis, Offset, TopicPartition};

/// Kafka error codes that the simulator produces (Errors.java names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// NOT_LEADER_OR_FOLLOWER: the broker does not lead the partition.
    NotLeaderOrFollower,
    /// NOT_ENOUGH_REPLICAS: the ISR is smaller than `min.insync.replicas` (R3.2).
    NotEnoughReplicas,
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND: the ISR shrank below `min.insync.replicas` after the append.
    NotEnoughReplicasAfterAppend,
    /// REQUEST_TIMED_OUT: the request's timeout expired (e.g. in produce purgatory).
    RequestTimedOut,
    /// FENCED_LEADER_EPOCH: the request's leader epoch is older than the broker's (KIP-320).
    FencedLeaderEpoch,
    /// UNKNOWN_LEADER_EPOCH: the request's leader epoch is newer than the broker's (KIP-320).
    UnknownLeaderEpoch,
    /// OFFSET_OUT_OF_RANGE: the fetch offset is outside the log.
    OffsetOutOfRange,
    /// INVALID_UPDATE_VERSION: an AlterPartition with a stale partition epoch (R2.5).
    InvalidUpdateVersion,
    /// INVALID_REQUEST: an AlterPartition for an unknown partition, not from its leader, or without the leader in the new ISR.
    InvalidRequest,
    /// STALE_BROKER_EPOCH: a request from an older incarnation of the broker (KIP-380).
    StaleBrokerEpoch,
    /// NETWORK_EXCEPTION: the connection failed (the destination is down or unreachable).
    NetworkException,
    /// Client-side: `delivery.timeout.ms` expired before the record was acknowledged.
    DeliveryTimeout,
    /// OUT_OF_ORDER_SEQUENCE_NUMBER: a sequence gap from an idempotent producer (R5.2).
    OutOfOrderSequenceNumber,
    /// ListOffsets(LATEST) while the new leader's HW is below its epoch start offset (KIP-207).
    OffsetNotAvailable,
    /// A batch from an older producer epoch than the partition knows (R5.2 step 2, since 2.7).
    InvalidProducerEpoch,
    /// The broker is not the group's coordinator (it does not lead its `__consumer_offsets`
    /// partition): find the coordinator again.
    NotCoordinator,
    /// The coordinator cannot write to `__consumer_offsets` now (no leader, or too few in-sync
    /// replicas: GroupMetadataManager maps NOT_ENOUGH_REPLICAS to this).
    CoordinatorNotAvailable,
    /// R7.4: a commit, heartbeat or SyncGroup from another generation.
    IllegalGeneration,
    /// R7.4: the group is rebalancing; the member must rejoin.
    RebalanceInProgress,
    /// R7.4: the coordinator does not know the member (it was removed, or the coordinator moved).
    UnknownMemberId,
    /// AlterPartition proposed a replica that is fenced or shutting down (KIP-903, R2.5).
    IneligibleReplica,
    /// A transactional batch or a marker that does not fit the partition's transaction state
    /// (R6.3): e.g. non-transactional data while the producer's transaction is open.
    InvalidTxnState,
    /// A marker from a coordinator older than the last one the partition saw (R6.5, S35).
    TransactionCoordinatorFenced,
    /// Client-side: the record was still queued when the application aborted the transaction
    /// (TransactionAbortedException).
    TransactionAborted,
    /// UNSTABLE_OFFSET_COMMIT: an OffsetFetch with `require_stable` found a transactional offset
    /// commit still pending for the partition (KIP-447, R6.8).
    UnstableOffsetCommit,
}

impl ErrorCode {
    /// Every error code, in declaration order.
    pub const ALL: [ErrorCode; 25] = [
        ErrorCode::NotLeaderOrFollower,
        ErrorCode::NotEnoughReplicas,
        ErrorCode::NotEnoughReplicasAfterAppend,
        ErrorCode::RequestTimedOut,
        ErrorCode::FencedLeaderEpoch,
        ErrorCode::UnknownLeaderEpoch,
        ErrorCode::OffsetOutOfRange,
        ErrorCode::InvalidUpdateVersion,
        ErrorCode::InvalidRequest,
        ErrorCode::StaleBrokerEpoch,
        ErrorCode::NetworkException,
        ErrorCode::DeliveryTimeout,
        ErrorCode::OutOfOrderSequenceNumber,
        ErrorCode::OffsetNotAvailable,
        ErrorCode::InvalidProducerEpoch,
        ErrorCode::NotCoordinator,
        ErrorCode::CoordinatorNotAvailable,
        ErrorCode::IllegalGeneration,
        ErrorCode::RebalanceInProgress,
        ErrorCode::UnknownMemberId,
        ErrorCode::IneligibleReplica,
        ErrorCode::InvalidTxnState,
        ErrorCode::TransactionCoordinatorFenced,
        ErrorCode::TransactionAborted,
        ErrorCode::UnstableOffsetCommit,
    ];

    /// The error's name as Kafka's `Errors` writes it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            ErrorCode::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            ErrorCode::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            ErrorCode::RequestTimedOut => "REQUEST_TIMED_OUT",
            ErrorCode::FencedLeaderEpoch => "FENCED_LEADER_EPOCH",
            ErrorCode::UnknownLeaderEpoch => "UNKNOWN_LEADER_EPOCH",
            ErrorCode::OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
            ErrorCode::InvalidUpdateVersion => "INVALID_UPDATE_VERSION",
            ErrorCode::InvalidRequest => "INVALID_REQUEST",
            ErrorCode::StaleBrokerEpoch => "STALE_BROKER_EPOCH",
            ErrorCode::NetworkException => "NETWORK_EXCEPTION",
            ErrorCode::DeliveryTimeout => "DELIVERY_TIMEOUT",
            ErrorCode::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            ErrorCode::OffsetNotAvailable => "OFFSET_NOT_AVAILABLE",
            ErrorCode::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            ErrorCode::NotCoordinator => "NOT_COORDINATOR",
            ErrorCode::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
            ErrorCode::IllegalGeneration => "ILLEGAL_GENERATION",
            ErrorCode::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            ErrorCode::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            ErrorCode::IneligibleReplica => "INELIGIBLE_REPLICA",
            ErrorCode::InvalidTxnState => "INVALID_TXN_STATE",
            ErrorCode::TransactionCoordinatorFenced => "TRANSACTION_COORDINATOR_FENCED",
            ErrorCode::TransactionAborted => "TRANSACTION_ABORTED",
            ErrorCode::UnstableOffsetCommit => "UNSTABLE_OFFSET_COMMIT",
        }
    }

    /// The error with Kafka name `s`, if the simulator knows it.
    pub fn from_name(s: &str) -> Option<ErrorCode> {
        Self::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A partition's state as the controller registered it (PartitionRegistration).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartitionRegistration {
    /// The partition.
    pub tp: TopicPartition,
    /// The assigned replicas.
    pub replicas: Vec<BrokerId>,
    /// The in-sync replicas.
    pub isr: Vec<BrokerId>,
    /// `None` is Kafka's leader = -1 (offline).
    pub leader: Option<BrokerId>,
    /// The leader epoch, bumped on every leader change.
    pub leader_epoch: Epoch,
    /// The partition epoch, bumped on every leader or ISR change (KIP-497).
    pub partition_epoch: i32,
    /// KIP-704: set after an unclean election until the leader has recovered.
    pub recovering: bool,
    /// KIP-966 eligible leader replicas (R3.3): replicas that left an ISR below
    /// `min.insync.replicas` and hold every committed record; empty when ELR is off.
    #[serde(default)]
    pub elr: Vec<BrokerId>,
}

/// One partition of a follower's Fetch request (R1.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FetchPartition {
    /// The partition.
    pub tp: TopicPartition,
    /// The follower's log end offset: the offset to fetch from.
    pub fetch_offset: Offset,
    /// Fetch v12+; `None` with the high-watermark truncation profile.
    pub last_fetched_epoch: Option<Epoch>,
    /// KIP-320 fencing; `None` before Kafka 2.1.
    pub current_leader_epoch: Option<Epoch>,
}

/// One partition of a Fetch response (R1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FetchedPartition {
    /// The partition.
    pub tp: TopicPartition,
    /// The partition-level error, if any.
    pub error: Option<ErrorCode>,
    /// The leader's HW captured before this fetch updated the follower's state.
    pub high_watermark: Offset,
    /// The leader's log start offset.
    pub log_start_offset: Offset,
    /// The leader's LEO, used on OFFSET_OUT_OF_RANGE (in Kafka the follower asks for it with ListOffsets).
    pub leader_log_end_offset: Offset,
    /// `(epoch, end offset)` when the follower's log diverges (Fetch v12; KAFKA-10554).
    pub diverging_epoch: Option<(Epoch, Offset)>,
    /// The records from the fetch offset (empty if none or on error).
    pub records: Vec<Record>,
    /// read_committed consumer fetches: the aborted transactions overlapping the records,
    /// `(producer id, first offset)` (FetchResponse `aborted_transactions`, R6.7).
    #[serde(default)]
    pub aborted: Vec<(i64, Offset)>,
}

/// OffsetsForLeaderEpoch's answer for one partition: `(epoch, end offset)` or an error.
pub type EpochEndOffset = Result<(Epoch, Offset), ErrorCode>;

/// What the coordinator answers to a JoinGroup once the rebalance completes (R7.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct JoinResult {
    /// The new generation id.
    pub generation: i32,
    /// The member id of the joining consumer.
    pub member_id: String,
    /// The member id of the group leader.
    pub leader: String,
    /// Every member's subscription, for the leader only (empty for followers).
    pub members: Vec<MemberSubscription>,
}

/// One member's JoinGroup metadata as the leader receives it (ConsumerProtocolSubscription).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberSubscription {
    /// The member's `member.id`.
    pub member_id: String,
    /// The subscribed topics.
    pub topics: Vec<String>,
    /// The partitions the member says it owns (`ownedPartitions`, v1+, KIP-429; for the eager
    /// sticky assignor, the last assignment kept in its user data, KIP-54/KIP-341).
    pub owned: Vec<TopicPartition>,
    /// The generation `owned` is from (`generationId`, v2+, KIP-792; the sticky user data's
    /// generation, KIP-341); `-1` (DEFAULT_GENERATION) when unknown.
    pub generation: i32,
}

/// Which coordinator a FindCoordinator asks for (FindCoordinatorRequest `key_type`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CoordinatorType {
    /// The group coordinator (`__consumer_offsets`).
    #[default]
    Group,
    /// The transaction coordinator (`__transaction_state`).
    Transaction,
}

/// Every message of the simulated protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Message {
    /// Producer → partition leader. One batch of one record.
    Produce {
        /// Matches the response to this request.
        request_id: u64,
        /// The partition.
        tp: TopicPartition,
        /// The `acks` of the request.
        acks: Acks,
        /// `timeout.ms`: how long the leader waits for `acks=all` replication.
        timeout_ms: u64,
        /// The record.
        record: RecordId,
        /// The idempotent producer's fields (KIP-98).
        producer: ProducerFields,
        /// The batch's transactional flag (R6.3).
        #[serde(default)]
        transactional: bool,
    },
    /// Leader → producer: the base offset, or an error.
    ProduceResponse {
        /// The `request_id` of the Produce it answers.
        request_id: u64,
        /// The partition.
        tp: TopicPartition,
        /// The record's offset, or the error.
        result: Result<Offset, ErrorCode>,
    },
    /// Client → any broker.
    MetadataRequest {
        /// Matches the response to this request.
        request_id: u64,
    },
    /// Broker → client, from its metadata cache.
    MetadataResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Each partition's leader and leader epoch.
        partitions: Vec<(TopicPartition, Option<BrokerId>, Epoch)>,
    },
    /// Follower → leader (one request per leader broker, every partition it follows there).
    Fetch {
        /// The fetching follower (`replica_id`).
        replica_id: BrokerId,
        /// Matches the response to this fetch.
        fetch_id: u64,
        /// The partitions to fetch.
        partitions: Vec<FetchPartition>,
    },
    /// Leader → follower: the answer to a Fetch.
    FetchResponse {
        /// The `fetch_id` of the Fetch it answers.
        fetch_id: u64,
        /// One answer per partition fetched.
        partitions: Vec<FetchedPartition>,
    },
    /// Partition leader → controller: a new ISR (R2.3/R2.4), validated by R2.5.
    AlterPartition {
        /// Matches the answer to this send (a resend gets a new id).
        request_id: u64,
        /// The leader that proposes the ISR.
        broker: BrokerId,
        /// The leader's broker epoch (KIP-380).
        broker_epoch: u64,
        /// The partition.
        tp: TopicPartition,
        /// The leader's leader epoch.
        leader_epoch: Epoch,
        /// The partition epoch the proposal is based on (R2.5).
        partition_epoch: i32,
        /// The proposed ISR.
        new_isr: Vec<BrokerId>,
    },
    /// Controller → partition leader: the committed registration or an error.
    AlterPartitionResponse {
        /// The `request_id` of the AlterPartition it answers.
        request_id: u64,
        /// The partition.
        tp: TopicPartition,
        /// The registration as committed, or the error.
        result: Result<PartitionRegistration, ErrorCode>,
    },
    /// Broker → controller, every `broker.heartbeat.interval.ms`; the first after a start registers.
    BrokerHeartbeat {
        /// The broker.
        broker: BrokerId,
        /// The broker's incarnation (new on every start).
        incarnation: u64,
        /// The metadata version the broker has applied.
        metadata_version: u64,
        /// True while the broker wants a controlled shutdown.
        shutting_down: bool,
    },
    /// Controller → broker: its broker epoch, and every partition change it has not seen.
    HeartbeatResponse {
        /// The broker's epoch.
        broker_epoch: u64,
        /// The metadata version of `changes`.
        metadata_version: u64,
        /// Partition registrations changed since the broker's version.
        changes: Vec<PartitionRegistration>,
        /// End of a controlled shutdown: leadership has moved away.
        should_shut_down: bool,
    },
    /// Controller → brokers as soon as partitions or broker registrations change (the KRaft
    /// metadata log, pushed).
    MetadataUpdate {
        /// The new metadata version.
        metadata_version: u64,
        /// Partition registrations changed by this version.
        changes: Vec<PartitionRegistration>,
        /// Every broker that is fenced or in controlled shutdown at this version: the part of the
        /// broker registrations a partition leader needs to tell which replicas are ISR-eligible
        /// (KRaftMetadataCache#isBrokerFenced/#isBrokerShuttingDown, Partition#isReplicaIsrEligible,
        /// R1.5, R2.4). A full set, not a delta, so a broker that missed an update catches up with
        /// the next one.
        ineligible: Vec<BrokerId>,
    },
    /// Consumer → partition leader (Fetch with replica id -1): read from each position, below the
    /// HW only (R7.1).
    ConsumerFetch {
        /// Matches the response to this request.
        request_id: u64,
        /// Each partition and the offset to read from.
        partitions: Vec<(TopicPartition, Offset)>,
        /// The consumer's `isolation.level` (R6.7).
        #[serde(default)]
        isolation: IsolationLevel,
    },
    /// Partition leader → consumer: the answer to a ConsumerFetch.
    ConsumerFetchResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// One answer per partition fetched.
        partitions: Vec<FetchedPartition>,
    },
    /// Client → any broker: who coordinates my group (a consumer) or my transactional id (a
    /// transactional producer)?
    FindCoordinator {
        /// Matches the response to this request.
        request_id: u64,
        /// The coordinator asked for (FindCoordinatorRequest's `key_type`).
        #[serde(default)]
        key_type: CoordinatorType,
    },
    /// Broker → consumer: the group's coordinator, or an error.
    FindCoordinatorResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// The coordinator broker, or the error.
        result: Result<BrokerId, ErrorCode>,
    },
    /// Consumer → coordinator (R7.4). An empty `member_id` asks for a new one.
    JoinGroup {
        /// Matches the response to this request.
        request_id: u64,
        /// The consumer's member id; empty on a first join.
        member_id: String,
        /// The topics the consumer subscribes to.
        topics: Vec<String>,
        /// The partitions the consumer owns (`ownedPartitions`, KIP-429; see
        /// [`MemberSubscription::owned`]).
        owned: Vec<TopicPartition>,
        /// The generation `owned` is from (`generationId`, KIP-792); `-1` when unknown.
        generation: i32,
    },
    /// Coordinator → consumer: the join's result once the rebalance completes.
    JoinGroupResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// The generation and membership, or the error.
        result: Result<JoinResult, ErrorCode>,
    },
    /// Consumer → coordinator; the leader carries the assignment it computed.
    SyncGroup {
        /// Matches the response to this request.
        request_id: u64,
        /// The generation the consumer joined.
        generation: i32,
        /// The consumer's member id.
        member_id: String,
        /// The leader's assignment, by member id (empty for followers).
        assignments: Vec<(String, Vec<TopicPartition>)>,
    },
    /// Coordinator → consumer: its assignment.
    SyncGroupResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// The partitions assigned to the consumer, or the error.
        result: Result<Vec<TopicPartition>, ErrorCode>,
    },
    /// Consumer → coordinator, every `heartbeat.interval.ms` (group Heartbeat RPC).
    GroupHeartbeat {
        /// Matches the response to this request.
        request_id: u64,
        /// The consumer's generation.
        generation: i32,
        /// The consumer's member id.
        member_id: String,
    },
    /// Coordinator → consumer: the answer to a heartbeat.
    GroupHeartbeatResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// The error (e.g. REBALANCE_IN_PROGRESS), if any.
        error: Option<ErrorCode>,
    },
    /// Consumer → coordinator: the consumer leaves the group.
    LeaveGroup {
        /// Matches the response to this request.
        request_id: u64,
        /// The leaving member's id.
        member_id: String,
    },
    /// Coordinator → consumer: the leave is done.
    LeaveGroupResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
    },
    /// Consumer → coordinator: `generation = -1` and an empty member id for a consumer outside
    /// the group protocol (R7.4 "manual / standalone consumers").
    OffsetCommit {
        /// Matches the response to this request.
        request_id: u64,
        /// The committing member's generation (-1 outside the group protocol).
        generation: i32,
        /// The committing member's id (empty outside the group protocol).
        member_id: String,
        /// The offsets to commit: the next offset to read per partition.
        offsets: Vec<(TopicPartition, Offset)>,
    },
    /// Coordinator → consumer: the commit's result.
    OffsetCommitResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Success, or the error (e.g. ILLEGAL_GENERATION).
        result: Result<(), ErrorCode>,
    },
    /// Consumer → coordinator: the group's committed offsets.
    OffsetFetch {
        /// Matches the response to this request.
        request_id: u64,
        /// The partitions asked for.
        partitions: Vec<TopicPartition>,
        /// KIP-447: answer UNSTABLE_OFFSET_COMMIT while a transaction holds a pending offset for
        /// one of them (the Java consumer asks this at `isolation.level = read_committed`).
        require_stable: bool,
    },
    /// Coordinator → consumer: the committed offsets.
    OffsetFetchResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Each partition's committed offset (`None` if none), or the error.
        result: Result<Vec<(TopicPartition, Option<Offset>)>, ErrorCode>,
    },
    /// Consumer → partition leader (KIP-320, R7.7): where does each epoch end?
    OffsetsForLeaderEpoch {
        /// Matches the response to this request.
        request_id: u64,
        /// Each partition and the consumer's epoch for it.
        partitions: Vec<(TopicPartition, Epoch)>,
    },
    /// `(largest epoch ≤ requested, its end offset)` per partition (R4.3).
    OffsetsForLeaderEpochResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Each partition's answer.
        partitions: Vec<(TopicPartition, EpochEndOffset)>,
    },
    /// Transactional producer → transaction coordinator: bind my `transactional.id` to a producer
    /// id and a new epoch, fencing older instances (R6.2).
    InitProducerId {
        /// Matches the response to this request.
        request_id: u64,
        /// The producer's `transactional.id`.
        transactional_id: String,
        /// The producer's `transaction.timeout.ms`.
        timeout_ms: Millis,
    },
    /// Coordinator → producer: its producer id and epoch, or an error.
    InitProducerIdResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Producer id and epoch, or the error.
        result: Result<(i64, i16), TxnError>,
    },
    /// Producer → coordinator: these partitions join my open transaction (R6.3); with the
    /// group's `__consumer_offsets` partition this is AddOffsetsToTxn.
    AddPartitionsToTxn {
        /// Matches the response to this request.
        request_id: u64,
        /// The producer's `transactional.id`.
        transactional_id: String,
        /// Producer id.
        producer_id: i64,
        /// Producer epoch.
        producer_epoch: i16,
        /// The partitions to add.
        partitions: Vec<TopicPartition>,
    },
    /// Coordinator → producer: the partitions are in the transaction, or an error.
    AddPartitionsToTxnResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Ok, or the error.
        result: Result<(), TxnError>,
    },
    /// Producer → coordinator: commit or abort my transaction (R6.4).
    EndTxn {
        /// Matches the response to this request.
        request_id: u64,
        /// The producer's `transactional.id`.
        transactional_id: String,
        /// Producer id.
        producer_id: i64,
        /// Producer epoch.
        producer_epoch: i16,
        /// Commit or abort.
        result: TxnResult,
    },
    /// Coordinator → producer: PrepareCommit/PrepareAbort is written (the markers follow), or
    /// an error.
    EndTxnResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Ok, or the error.
        result: Result<(), TxnError>,
    },
    /// Transactional producer → group coordinator (sendOffsetsToTransaction, R6.8, KIP-447):
    /// these offsets commit with my transaction; fenced by the member's generation.
    TxnOffsetCommit {
        /// Matches the response to this request.
        request_id: u64,
        /// The producer's `transactional.id`.
        transactional_id: String,
        /// Producer id.
        producer_id: i64,
        /// Producer epoch.
        producer_epoch: i16,
        /// The consumer's generation (consumerGroupMetadata()).
        generation: i32,
        /// The consumer's member id.
        member_id: String,
        /// The offsets: the next offset to read per partition.
        offsets: Vec<(TopicPartition, Offset)>,
    },
    /// Group coordinator → producer: the offsets are pending in the transaction, or an error.
    TxnOffsetCommitResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// Ok, or the error (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, NOT_COORDINATOR, …).
        result: Result<(), ErrorCode>,
    },
    /// Coordinator → partition leader: write a COMMIT/ABORT marker (R6.5).
    WriteTxnMarkers {
        /// Matches the response to this request.
        request_id: u64,
        /// The marker.
        marker: WriteTxnMarker,
    },
    /// Partition leader → coordinator: the marker is replicated, or an error.
    WriteTxnMarkersResponse {
        /// The `request_id` of the request it answers.
        request_id: u64,
        /// The partition.
        tp: TopicPartition,
        /// Ok, or the error.
        result: Result<(), ErrorCode>,
    },
    /// Sent back to the sender of a request whose destination process is down.
    ConnectionRefused {
        /// The request that could not be delivered.
        original: Box<Message>,
    },
    /// Broker → producer: the broker closed the connection because an acks=0 produce failed —
    /// there is no response to carry the error (KafkaApis#handleProduceRequest `closeConnection`:
    /// "the producer client will know that some error has happened and will refresh its
    /// metadata", S5). The error itself never reaches the client.
    ConnectionClosed {
        /// The error the broker saw (not sent to the client).
        error: ErrorCode,
    },
}

impl Message {
    /// The message's kind (its RPC name is `kind().name()`): used by the event log, selectors in
    /// scenario files and every face of the read model.
    pub fn kind(&self) -> MessageKind {
        use MessageKind as K;
        match self {
            Message::Produce { .. } => K::Produce,
            Message::ProduceResponse { .. } => K::ProduceResponse,
            Message::MetadataRequest { .. } => K::MetadataRequest,
            Message::MetadataResponse { .. } => K::MetadataResponse,
            Message::Fetch { .. } => K::Fetch,
            Message::FetchResponse { .. } => K::FetchResponse,
            Message::AlterPartition { .. } => K::AlterPartition,
            Message::AlterPartitionResponse { .. } => K::AlterPartitionResponse,
            Message::BrokerHeartbeat { .. } => K::BrokerHeartbeat,
            Message::HeartbeatResponse { .. } => K::HeartbeatResponse,
            Message::MetadataUpdate { .. } => K::MetadataUpdate,
            Message::ConsumerFetch { .. } => K::ConsumerFetch,
            Message::ConsumerFetchResponse { .. } => K::ConsumerFetchResponse,
            Message::FindCoordinator { .. } => K::FindCoordinator,
            Message::FindCoordinatorResponse { .. } => K::FindCoordinatorResponse,
            Message::JoinGroup { .. } => K::JoinGroup,
            Message::JoinGroupResponse { .. } => K::JoinGroupResponse,
            Message::SyncGroup { .. } => K::SyncGroup,
            Message::SyncGroupResponse { .. } => K::SyncGroupResponse,
            Message::GroupHeartbeat { .. } => K::GroupHeartbeat,
            Message::GroupHeartbeatResponse { .. } => K::GroupHeartbeatResponse,
            Message::LeaveGroup { .. } => K::LeaveGroup,
            Message::LeaveGroupResponse { .. } => K::LeaveGroupResponse,
            Message::OffsetCommit { .. } => K::OffsetCommit,
            Message::OffsetCommitResponse { .. } => K::OffsetCommitResponse,
            Message::OffsetFetch { .. } => K::OffsetFetch,
            Message::OffsetFetchResponse { .. } => K::OffsetFetchResponse,
            Message::OffsetsForLeaderEpoch { .. } => K::OffsetsForLeaderEpoch,
            Message::OffsetsForLeaderEpochResponse { .. } => K::OffsetsForLeaderEpochResponse,
            Message::InitProducerId { .. } => K::InitProducerId,
            Message::InitProducerIdResponse { .. } => K::InitProducerIdResponse,
            Message::AddPartitionsToTxn { .. } => K::AddPartitionsToTxn,
            Message::AddPartitionsToTxnResponse { .. } => K::AddPartitionsToTxnResponse,
            Message::EndTxn { .. } => K::EndTxn,
            Message::EndTxnResponse { .. } => K::EndTxnResponse,
            Message::TxnOffsetCommit { .. } => K::TxnOffsetCommit,
            Message::TxnOffsetCommitResponse { .. } => K::TxnOffsetCommitResponse,
            Message::WriteTxnMarkers { .. } => K::WriteTxnMarkers,
            Message::WriteTxnMarkersResponse { .. } => K::WriteTxnMarkersResponse,
            Message::ConnectionRefused { .. } => K::ConnectionRefused,
            Message::ConnectionClosed { .. } => K::ConnectionClosed,
        }
    }

    /// Whether this is a request whose sender wants to hear when the destination is down.
    pub fn is_request(&self) -> bool {
        matches!(
            self,
            Message::Produce { .. }
                | Message::MetadataRequest { .. }
                | Message::Fetch { .. }
                | Message::AlterPartition { .. }
                | Message::BrokerHeartbeat { .. }
                | Message::ConsumerFetch { .. }
                | Message::FindCoordinator { .. }
                | Message::JoinGroup { .. }
                | Message::SyncGroup { .. }
                | Message::GroupHeartbeat { .. }
                | Message::LeaveGroup { .. }
                | Message::OffsetCommit { .. }
                | Message::OffsetFetch { .. }
                | Message::OffsetsForLeaderEpoch { .. }
                | Message::InitProducerId { .. }
                | Message::AddPartitionsToTxn { .. }
                | Message::EndTxn { .. }
                | Message::TxnOffsetCommit { .. }
                | Message::WriteTxnMarkers { .. }
        )
    }

    /// Background chatter that a picture may hide.
    pub fn is_heartbeat(&self) -> bool {
        self.kind().is_heartbeat()
    }

    /// A response carrying an error code (for one of its partitions, if it has several), or a
    /// refused or closed connection.
    pub fn carries_error(&self) -> bool {
        match self {
            Message::ProduceResponse { result, .. } => result.is_err(),
            Message::FetchResponse { partitions, .. }
            | Message::ConsumerFetchResponse { partitions, .. } => {
                partitions.iter().any(|p| p.error.is_some())
            }
            Message::AlterPartitionResponse { result, .. } => result.is_err(),
            Message::FindCoordinatorResponse { result, .. } => result.is_err(),
            Message::JoinGroupResponse { result, .. } => result.is_err(),
            Message::SyncGroupResponse { result, .. } => result.is_err(),
            Message::GroupHeartbeatResponse { error, .. } => error.is_some(),
            Message::OffsetCommitResponse { result, .. } => result.is_err(),
            Message::OffsetFetchResponse { result, .. } => result.is_err(),
            Message::OffsetsForLeaderEpochResponse { partitions, .. } => {
                partitions.iter().any(|(_, r)| r.is_err())
            }
            Message::InitProducerIdResponse { result, .. } => result.is_err(),
            Message::AddPartitionsToTxnResponse { result, .. }
            | Message::EndTxnResponse { result, .. } => result.is_err(),
            Message::WriteTxnMarkersResponse { result, .. } => result.is_err(),
            Message::TxnOffsetCommitResponse { result, .. } => result.is_err(),
            Message::ConnectionRefused { .. } | Message::ConnectionClosed { .. } => true,
            Message::InitProducerId { .. }
            | Message::AddPartitionsToTxn { .. }
            | Message::EndTxn { .. }
            | Message::TxnOffsetCommit { .. }
            | Message::WriteTxnMarkers { .. }
            | Message::Produce { .. }
            | Message::MetadataRequest { .. }
            | Message::MetadataResponse { .. }
            | Message::Fetch { .. }
            | Message::AlterPartition { .. }
            | Message::BrokerHeartbeat { .. }
            | Message::HeartbeatResponse { .. }
            | Message::MetadataUpdate { .. }
            | Message::ConsumerFetch { .. }
            | Message::FindCoordinator { .. }
            | Message::JoinGroup { .. }
            | Message::SyncGroup { .. }
            | Message::GroupHeartbeat { .. }
            | Message::LeaveGroup { .. }
            | Message::LeaveGroupResponse { .. }
            | Message::OffsetCommit { .. }
            | Message::OffsetFetch { .. }
            | Message::OffsetsForLeaderEpoch { .. } => false,
        }
    }

    /// One-line summary for the event log, partitions named as the picture names them (`t-0`,
    /// `__consumer_offsets-2`) by `tp_name`, records as the ledger names them (their value) by
    /// `record_name`.
    pub fn summary(
        &self,
        tp_name: &dyn Fn(&TopicPartition) -> String,
        record_name: &dyn Fn(RecordId) -> String,
    ) -> String {
        match self {
            Message::Produce {
                tp,
                acks,
                record,
                transactional,
                ..
            } => {
                format!(
                    "Produce {} to {} acks={}{}",
                    record_name(*record),
                    tp_name(tp),
                    acks.as_str(),
                    if *transactional {
                        " (transactional)"
                    } else {
                        ""
                    }
                )
            }
            Message::ProduceResponse { tp, result, .. } => match result {
                Ok(o) => format!("ProduceResponse {} offset {o}", tp_name(tp)),
                Err(e) => format!("ProduceResponse {} {e}", tp_name(tp)),
            },
            Message::MetadataRequest { .. } => "Metadata request".into(),
            Message::MetadataResponse { partitions, .. } => {
                format!("Metadata: {} partitions", partitions.len())
            }
            Message::Fetch { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|p| match p.last_fetched_epoch {
                        Some(e) => format!("{}@{} e{e}", tp_name(&p.tp), p.fetch_offset),
                        None => format!("{}@{}", tp_name(&p.tp), p.fetch_offset),
                    })
                    .collect();
                format!("Fetch {}", parts.join(", "))
            }
            Message::FetchResponse { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|p| {
                        if let Some(e) = p.error {
                            format!("{} {e}", tp_name(&p.tp))
                        } else if let Some((e, o)) = p.diverging_epoch {
                            format!("{} diverging (e{e}, {o})", tp_name(&p.tp))
                        } else {
                            format!(
                                "{} {} rec HW={}",
                                tp_name(&p.tp),
                                p.records.len(),
                                p.high_watermark
                            )
                        }
                    })
                    .collect();
                format!("FetchResponse {}", parts.join(", "))
            }
            Message::AlterPartition { tp, new_isr, .. } => {
                format!("AlterPartition {} ISR {:?}", tp_name(tp), new_isr)
            }
            Message::AlterPartitionResponse { tp, result, .. } => match result {
                Ok(r) => format!("AlterPartitionResponse {} ISR {:?}", tp_name(tp), r.isr),
                Err(e) => format!("AlterPartitionResponse {} {e}", tp_name(tp)),
            },
            Message::BrokerHeartbeat { broker, .. } => format!("Heartbeat from b{broker}"),
            Message::HeartbeatResponse { broker_epoch, .. } => {
                format!("Heartbeat ok (broker epoch {broker_epoch})")
            }
            Message::MetadataUpdate {
                changes,
                ineligible,
                ..
            } => {
                let mut parts: Vec<String> = changes
                    .iter()
                    .map(|r| {
                        let leader = r.leader.map_or("none".to_string(), |l| format!("b{l}"));
                        format!(
                            "{} leader {leader} e{} ISR {:?}",
                            tp_name(&r.tp),
                            r.leader_epoch,
                            r.isr
                        )
                    })
                    .collect();
                if changes.is_empty() {
                    parts.push(format!("brokers fenced or shutting down: {ineligible:?}"));
                }
                format!("MetadataUpdate {}", parts.join("; "))
            }
            Message::ConsumerFetch { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|(tp, o)| format!("{}@{o}", tp_name(tp)))
                    .collect();
                format!("ConsumerFetch {}", parts.join(", "))
            }
            Message::ConsumerFetchResponse { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|p| match p.error {
                        Some(e) => format!("{} {e}", tp_name(&p.tp)),
                        None => format!(
                            "{} {} rec HW={}",
                            tp_name(&p.tp),
                            p.records.len(),
                            p.high_watermark
                        ),
                    })
                    .collect();
                format!("ConsumerFetchResponse {}", parts.join(", "))
            }
            Message::FindCoordinator { key_type, .. } => match key_type {
                CoordinatorType::Group => "FindCoordinator (group)".into(),
                CoordinatorType::Transaction => "FindCoordinator (transaction)".into(),
            },
            Message::FindCoordinatorResponse { result, .. } => match result {
                Ok(b) => format!("FindCoordinator: b{b}"),
                Err(e) => format!("FindCoordinator: {e}"),
            },
            Message::JoinGroup { member_id, .. } if member_id.is_empty() => {
                "JoinGroup (new member)".into()
            }
            Message::JoinGroup { member_id, .. } => format!("JoinGroup {member_id}"),
            Message::JoinGroupResponse { result, .. } => match result {
                Ok(j) => format!(
                    "JoinGroup ok: generation {}, member {}, leader {}",
                    j.generation, j.member_id, j.leader
                ),
                Err(e) => format!("JoinGroup {e}"),
            },
            Message::SyncGroup {
                member_id,
                generation,
                assignments,
                ..
            } => {
                if assignments.is_empty() {
                    format!("SyncGroup {member_id} generation {generation}")
                } else {
                    format!("SyncGroup {member_id} generation {generation} (with the assignment)")
                }
            }
            Message::SyncGroupResponse { result, .. } => match result {
                Ok(tps) => {
                    let ps: Vec<String> = tps.iter().map(tp_name).collect();
                    format!("SyncGroup ok: [{}]", ps.join(", "))
                }
                Err(e) => format!("SyncGroup {e}"),
            },
            Message::GroupHeartbeat {
                member_id,
                generation,
                ..
            } => format!("Heartbeat {member_id} generation {generation}"),
            Message::GroupHeartbeatResponse { error, .. } => match error {
                None => "Heartbeat ok".into(),
                Some(e) => format!("Heartbeat {e}"),
            },
            Message::LeaveGroup { member_id, .. } => format!("LeaveGroup {member_id}"),
            Message::LeaveGroupResponse { .. } => "LeaveGroup ok".into(),
            Message::OffsetCommit {
                offsets,
                generation,
                ..
            } => format!(
                "OffsetCommit {} (generation {generation})",
                offsets_text(offsets, tp_name)
            ),
            Message::OffsetCommitResponse { result, .. } => match result {
                Ok(()) => "OffsetCommit ok".into(),
                Err(e) => format!("OffsetCommit {e}"),
            },
            Message::OffsetFetch { .. } => "OffsetFetch".into(),
            Message::OffsetFetchResponse { result, .. } => match result {
                Ok(v) => {
                    let parts: Vec<String> = v
                        .iter()
                        .map(|(tp, o)| match o {
                            Some(o) => format!("{}={o}", tp_name(tp)),
                            None => format!("{}=none", tp_name(tp)),
                        })
                        .collect();
                    format!("OffsetFetch: {}", parts.join(", "))
                }
                Err(e) => format!("OffsetFetch {e}"),
            },
            Message::OffsetsForLeaderEpoch { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|(tp, e)| format!("{} e{e}", tp_name(tp)))
                    .collect();
                format!("OffsetsForLeaderEpoch {}", parts.join(", "))
            }
            Message::OffsetsForLeaderEpochResponse { partitions, .. } => {
                let parts: Vec<String> = partitions
                    .iter()
                    .map(|(tp, r)| match r {
                        Ok((e, o)) => format!("{} (e{e}, {o})", tp_name(tp)),
                        Err(e) => format!("{} {e}", tp_name(tp)),
                    })
                    .collect();
                format!("OffsetsForLeaderEpoch: {}", parts.join(", "))
            }
            Message::InitProducerId {
                transactional_id, ..
            } => format!("InitProducerId {transactional_id}"),
            Message::InitProducerIdResponse { result, .. } => match result {
                Ok((pid, epoch)) => format!("InitProducerId ok: producer id {pid}, epoch {epoch}"),
                Err(e) => format!("InitProducerId {e}"),
            },
            Message::AddPartitionsToTxn {
                partitions,
                producer_epoch,
                ..
            } => {
                let ps: Vec<String> = partitions.iter().map(tp_name).collect();
                format!(
                    "AddPartitionsToTxn [{}] epoch {producer_epoch}",
                    ps.join(", ")
                )
            }
            Message::AddPartitionsToTxnResponse { result, .. } => match result {
                Ok(()) => "AddPartitionsToTxn ok".into(),
                Err(e) => format!("AddPartitionsToTxn {e}"),
            },
            Message::EndTxn {
                result,
                producer_epoch,
                ..
            } => format!(
                "EndTxn {} epoch {producer_epoch}",
                match result {
                    TxnResult::Commit => "COMMIT",
                    TxnResult::Abort => "ABORT",
                }
            ),
            Message::EndTxnResponse { result, .. } => match result {
                Ok(()) => "EndTxn ok".into(),
                Err(e) => format!("EndTxn {e}"),
            },
            Message::TxnOffsetCommit {
                offsets,
                generation,
                producer_epoch,
                ..
            } => format!(
                "TxnOffsetCommit {} (generation {generation}, producer epoch {producer_epoch})",
                offsets_text(offsets, tp_name)
            ),
            Message::TxnOffsetCommitResponse { result, .. } => match result {
                Ok(()) => "TxnOffsetCommit ok (pending until the marker)".into(),
                Err(e) => format!("TxnOffsetCommit {e}"),
            },
            Message::WriteTxnMarkers { marker, .. } => format!(
                "WriteTxnMarkers {} to {} (producer epoch {}, coordinator epoch {})",
                match marker.kind {
                    crate::txn::ControlKind::Commit => "COMMIT",
                    crate::txn::ControlKind::Abort => "ABORT",
                },
                tp_name(&marker.tp),
                marker.producer_epoch,
                marker.coordinator_epoch
            ),
            Message::WriteTxnMarkersResponse { tp, result, .. } => match result {
                Ok(()) => format!("WriteTxnMarkers {} ok", tp_name(tp)),
                Err(e) => format!("WriteTxnMarkers {} {e}", tp_name(tp)),
            },
            Message::ConnectionRefused { original } => {
                format!("connection refused ({})", original.kind())
            }
            Message::ConnectionClosed { error } => {
                format!("connection closed by the broker (acks=0 produce failed: {error})")
            }
        }
    }
}

/// Committed offsets in a summary: `t-0=3, t-1=1`.
fn offsets_text(
    offsets: &[(TopicPartition, Offset)],
    tp_name: &dyn Fn(&TopicPartition) -> String,
) -> String {
    let parts: Vec<String> = offsets
        .iter()
        .map(|(tp, o)| format!("{}={o}", tp_name(tp)))
        .collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_names_round_trip() {
        for e in [
            ErrorCode::NotEnoughReplicas,
            ErrorCode::NotEnoughReplicasAfterAppend,
            ErrorCode::FencedLeaderEpoch,
        ] {
            assert_eq!(ErrorCode::from_name(e.name()), Some(e));
        }
        assert_eq!(ErrorCode::from_name("nope"), None);
    }
}
