//! What a node handler may do: its effects are data (sans-IO). A handler takes `now` and one input
//! and pushes [`Effect`]s; the [`crate::cluster::Cluster`] turns them into network envelopes,
//! timers, ledger entries and events.

use serde::{Deserialize, Serialize};

use crate::config::Acks;
use crate::log::{Record, RecordId};
use crate::protocol::{ErrorCode, Message};
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset, TopicPartition};

/// A node-local timer. Setting a timer of the same kind again replaces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TimerKind {
    /// Broker → controller heartbeat period.
    Heartbeat,
    /// Send the next fetch to this leader (after a back-off).
    FetchBackoff(BrokerId),
    /// The fetch in flight to this leader has gone unanswered for `replica.socket.timeout.ms`.
    FetchTimeout(BrokerId),
    /// `maybeShrinkIsr` runs every `replica.lag.time.max.ms / 2` (R2.3).
    IsrExpiration,
    /// A follower fetch parked in the leader's purgatory times out (R1.3).
    DelayedFetch(u64),
    /// An acks=all produce parked in the purgatory times out (R2.6 step 6).
    DelayedProduce(u64),
    /// The OS writes dirty pages to disk.
    Flush,
    /// Resend a pending AlterPartition that got no answer.
    AlterPartitionRetry(TopicPartition),
    /// Controller: the next broker session may have expired.
    SessionCheck,
    /// Producer: a produce request's `request.timeout.ms`.
    RequestTimeout(u64),
    /// Producer: a retry back-off or delivery timeout is due.
    ProducerWakeup,
    /// Producer: the metadata request in flight timed out, or a retry is due.
    MetadataRetry,
    /// The application sends a record (auto-produce workload).
    AutoProduce,
    /// A shutting-down broker gives up waiting for the controller.
    ShutdownTimeout,
    /// Consumer: the application calls `poll()` again, or a back-off is over.
    ConsumerWakeup,
    /// Consumer: the application finished processing the current record.
    ProcessRecord,
    /// Consumer: the heartbeat thread's next beat (also checks `max.poll.interval.ms`).
    GroupHeartbeat,
    /// Consumer: a request got no answer within `request.timeout.ms`.
    ConsumerRequestTimeout(u64),
    /// Group coordinator: member sessions and the rebalance timeout are due for a check.
    GroupSessionCheck,
    /// Broker: apply retention to every replica (`log.retention.check.interval.ms`).
    RetentionCheck,
}

impl TimerKind {
    /// Heartbeat bookkeeping (broker and group heartbeats, session checks): background chatter
    /// a face may hide.
    pub fn is_heartbeat(&self) -> bool {
        matches!(
            self,
            TimerKind::Heartbeat
                | TimerKind::SessionCheck
                | TimerKind::GroupHeartbeat
                | TimerKind::GroupSessionCheck
        )
    }

    pub fn name(&self) -> &'static str {
        match self {
            TimerKind::Heartbeat => "heartbeat",
            TimerKind::FetchBackoff(_) => "fetch-backoff",
            TimerKind::FetchTimeout(_) => "fetch-timeout",
            TimerKind::IsrExpiration => "isr-expiration",
            TimerKind::DelayedFetch(_) => "delayed-fetch",
            TimerKind::DelayedProduce(_) => "delayed-produce",
            TimerKind::Flush => "flush",
            TimerKind::AlterPartitionRetry(_) => "alter-partition-retry",
            TimerKind::SessionCheck => "session-check",
            TimerKind::RequestTimeout(_) => "request-timeout",
            TimerKind::ProducerWakeup => "producer-wakeup",
            TimerKind::MetadataRetry => "metadata-retry",
            TimerKind::AutoProduce => "auto-produce",
            TimerKind::ShutdownTimeout => "shutdown-timeout",
            TimerKind::ConsumerWakeup => "consumer-wakeup",
            TimerKind::ProcessRecord => "process-record",
            TimerKind::GroupHeartbeat => "group-heartbeat",
            TimerKind::ConsumerRequestTimeout(_) => "consumer-request-timeout",
            TimerKind::GroupSessionCheck => "group-session-check",
            TimerKind::RetentionCheck => "retention-check",
        }
    }
}

/// Something worth knowing that happened inside a node: feeds the ledger, the invariants and the
/// event log. Observations never change the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Observation {
    Appended {
        broker: BrokerId,
        tp: TopicPartition,
        record: Record,
        as_leader: bool,
    },
    HighWatermark {
        broker: BrokerId,
        tp: TopicPartition,
        old: Offset,
        new: Offset,
        as_leader: bool,
    },
    /// A replica's log start moved up (retention, DeleteRecords, or the leader's log start):
    /// the records in `[from, to)` are deleted.
    LogStartAdvanced {
        broker: BrokerId,
        tp: TopicPartition,
        from: Offset,
        to: Offset,
        reason: String,
    },
    Truncated {
        broker: BrokerId,
        tp: TopicPartition,
        to: Offset,
        removed: Vec<Record>,
        reason: String,
    },
    BecameLeader {
        broker: BrokerId,
        tp: TopicPartition,
        epoch: Epoch,
        isr: Vec<BrokerId>,
    },
    BecameFollower {
        broker: BrokerId,
        tp: TopicPartition,
        epoch: Epoch,
        leader: Option<BrokerId>,
    },
    IsrProposed {
        broker: BrokerId,
        tp: TopicPartition,
        isr: Vec<BrokerId>,
    },
    /// The controller committed a new leader / ISR.
    PartitionChanged {
        tp: TopicPartition,
        leader: Option<BrokerId>,
        leader_epoch: Epoch,
        isr: Vec<BrokerId>,
        unclean: bool,
        leader_changed: bool,
        reason: String,
    },
    BrokerFenced {
        broker: BrokerId,
    },
    BrokerUnfenced {
        broker: BrokerId,
        broker_epoch: u64,
        /// A new process registered (new broker epoch); false when the same process came back
        /// from a fence (a pause or a cut) with its epoch.
        registered: bool,
    },
    /// A producer sent (or re-sent) a record.
    Sent {
        producer: u32,
        record: RecordId,
        broker: BrokerId,
        attempt: u32,
    },
    /// The producer reported success to the application.
    Acked {
        producer: u32,
        record: RecordId,
        tp: TopicPartition,
        offset: Option<Offset>,
        acks: Acks,
    },
    /// A retriable error; the record will be retried.
    ProduceError {
        producer: u32,
        record: RecordId,
        error: ErrorCode,
    },
    /// The producer gave up on the record and reported the error to the application.
    Failed {
        producer: u32,
        record: RecordId,
        error: ErrorCode,
    },
    /// A consumer's application finished processing a record (R7.3).
    Consumed {
        consumer: u32,
        record: RecordId,
        tp: TopicPartition,
        offset: Offset,
        generation: i32,
    },
    /// The coordinator acknowledged a consumer's offset commit (R7.2).
    OffsetsCommitted {
        consumer: u32,
        generation: i32,
        offsets: Vec<(TopicPartition, Offset)>,
    },
    /// A consumer's offset commit failed (CommitFailedException and friends).
    CommitFailed {
        consumer: u32,
        error: ErrorCode,
    },
    /// A consumer received its partitions for a generation (SyncGroup, or standalone assign).
    Assigned {
        consumer: u32,
        generation: i32,
        member_id: String,
        partitions: Vec<TopicPartition>,
    },
    /// A consumer gave up partitions (eager revoke before rejoining, or lost membership).
    Revoked {
        consumer: u32,
        partitions: Vec<TopicPartition>,
    },
    /// Anything else a consumer or a group coordinator wants to tell (position resets, group
    /// state changes).
    GroupNote {
        node: NodeId,
        rebalance: bool,
        text: String,
    },
}

/// One effect of a handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Send {
        to: NodeId,
        msg: Message,
    },
    SetTimer {
        kind: TimerKind,
        at: Millis,
    },
    CancelTimer {
        kind: TimerKind,
    },
    Observe(Observation),
    /// The process stops itself (end of a controlled shutdown).
    Halt,
}

/// The output vector a handler pushes into.
#[derive(Debug, Default)]
pub struct Out {
    pub effects: Vec<Effect>,
}

impl Out {
    pub fn send(&mut self, to: NodeId, msg: Message) {
        self.effects.push(Effect::Send { to, msg });
    }
    pub fn set_timer(&mut self, kind: TimerKind, at: Millis) {
        self.effects.push(Effect::SetTimer { kind, at });
    }
    pub fn cancel_timer(&mut self, kind: TimerKind) {
        self.effects.push(Effect::CancelTimer { kind });
    }
    pub fn observe(&mut self, o: Observation) {
        self.effects.push(Effect::Observe(o));
    }
}
