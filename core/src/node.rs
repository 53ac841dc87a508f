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
    /// The transaction coordinator resends markers that failed (R6.5).
    TxnMarkerRetry,
    /// The transaction coordinator looks for transactions past their timeout (R6.4).
    TxnTimeoutCheck,
    /// A transactional producer retries its coordinator request after a back-off.
    TxnRetry,
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

    /// The timer's name, as scenarios and the event log write it.
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
            TimerKind::TxnMarkerRetry => "txn-marker-retry",
            TimerKind::TxnTimeoutCheck => "txn-timeout-check",
            TimerKind::TxnRetry => "txn-retry",
        }
    }
}

/// Something worth knowing that happened inside a node: feeds the ledger, the invariants and the
/// event log. Observations never change the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Observation {
    /// A replica appended a record to its log.
    Appended {
        /// The broker holding the replica.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The appended record.
        record: Record,
        /// True if the leader appended it (from a produce), false for a follower (from a fetch).
        as_leader: bool,
    },
    /// A replica's high watermark moved.
    HighWatermark {
        /// The broker holding the replica.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The high watermark before.
        old: Offset,
        /// The high watermark after.
        new: Offset,
        /// True if the replica is the leader.
        as_leader: bool,
    },
    /// A replica's log start moved up (retention, DeleteRecords, or the leader's log start):
    /// the records in `[from, to)` are deleted.
    LogStartAdvanced {
        /// The broker holding the replica.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The log start before.
        from: Offset,
        /// The new log start.
        to: Offset,
        /// Why it moved, in words.
        reason: String,
    },
    /// A replica truncated its log.
    Truncated {
        /// The broker holding the replica.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The new log end offset.
        to: Offset,
        /// The records removed.
        removed: Vec<Record>,
        /// Why it truncated, in words.
        reason: String,
    },
    /// A broker became a partition's leader.
    BecameLeader {
        /// The new leader.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The new leader epoch.
        epoch: Epoch,
        /// The ISR it leads with.
        isr: Vec<BrokerId>,
    },
    /// A broker became a partition's follower.
    BecameFollower {
        /// The follower.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The leader epoch it follows.
        epoch: Epoch,
        /// The leader it follows, if any.
        leader: Option<BrokerId>,
    },
    /// A leader proposed a new ISR in AlterPartition.
    IsrProposed {
        /// The leader.
        broker: BrokerId,
        /// The partition.
        tp: TopicPartition,
        /// The proposed ISR.
        isr: Vec<BrokerId>,
    },
    /// The controller committed a new leader / ISR.
    PartitionChanged {
        /// The partition.
        tp: TopicPartition,
        /// The new leader, if any.
        leader: Option<BrokerId>,
        /// The new leader epoch.
        leader_epoch: Epoch,
        /// The new ISR.
        isr: Vec<BrokerId>,
        /// The ISR before the change (for the call-out of who left or joined it).
        old_isr: Vec<BrokerId>,
        /// The new eligible leader replicas (KIP-966; empty when ELR is off).
        elr: Vec<BrokerId>,
        /// True if the leader came from outside the ISR.
        unclean: bool,
        /// True if the leader changed (not only the ISR).
        leader_changed: bool,
        /// Why it changed, in words.
        reason: String,
    },
    /// The controller fenced a broker.
    BrokerFenced {
        /// The fenced broker.
        broker: BrokerId,
    },
    /// The controller unfenced a broker.
    BrokerUnfenced {
        /// The unfenced broker.
        broker: BrokerId,
        /// Its broker epoch.
        broker_epoch: u64,
        /// A new process registered (new broker epoch); false when the same process came back
        /// from a fence (a pause or a cut) with its epoch.
        registered: bool,
    },
    /// A producer sent (or re-sent) a record.
    Sent {
        /// The producer.
        producer: u32,
        /// The record.
        record: RecordId,
        /// The broker it was sent to.
        broker: BrokerId,
        /// The attempt number, from 1.
        attempt: u32,
    },
    /// The producer reported success to the application.
    Acked {
        /// The producer.
        producer: u32,
        /// The record.
        record: RecordId,
        /// The partition.
        tp: TopicPartition,
        /// The offset the leader returned (`None` with `acks=0`).
        offset: Option<Offset>,
        /// The `acks` the record was sent with.
        acks: Acks,
    },
    /// A retriable error; the record will be retried.
    ProduceError {
        /// The producer.
        producer: u32,
        /// The record.
        record: RecordId,
        /// The error in the response.
        error: ErrorCode,
    },
    /// The producer gave up on the record and reported the error to the application.
    Failed {
        /// The producer.
        producer: u32,
        /// The record.
        record: RecordId,
        /// The error reported to the application.
        error: ErrorCode,
    },
    /// A consumer's application finished processing a record (R7.3).
    Consumed {
        /// The consumer.
        consumer: u32,
        /// The record.
        record: RecordId,
        /// The partition.
        tp: TopicPartition,
        /// The record's offset.
        offset: Offset,
        /// The consumer's group generation.
        generation: i32,
        /// The record was transactional data read at `isolation.level = read_committed`: its
        /// transaction must have committed (R6.7).
        read_committed_txn: bool,
    },
    /// A pipeline instance's consumer processed a batch: its application commits it (R6.8).
    BatchProcessed {
        /// The consumer.
        consumer: u32,
        /// The positions to commit.
        offsets: Vec<(TopicPartition, Offset)>,
        /// The generation the batch was read in.
        generation: i32,
        /// The consumer's member id.
        member_id: String,
    },
    /// The coordinator acknowledged a consumer's offset commit (R7.2).
    OffsetsCommitted {
        /// The consumer.
        consumer: u32,
        /// The generation the commit was made in.
        generation: i32,
        /// The committed offsets.
        offsets: Vec<(TopicPartition, Offset)>,
    },
    /// A consumer's offset commit failed (CommitFailedException and friends).
    CommitFailed {
        /// The consumer.
        consumer: u32,
        /// The error the coordinator returned.
        error: ErrorCode,
    },
    /// A consumer received its partitions for a generation (SyncGroup, or standalone assign).
    Assigned {
        /// The consumer.
        consumer: u32,
        /// The new generation.
        generation: i32,
        /// The consumer's member id.
        member_id: String,
        /// The partitions assigned.
        partitions: Vec<TopicPartition>,
        /// Those it did not own before (all of them under the eager protocols).
        added: Vec<TopicPartition>,
    },
    /// A consumer gave up partitions (eager revoke before rejoining, a cooperative revoke of what
    /// its new assignment lacks, or lost membership).
    Revoked {
        /// The consumer.
        consumer: u32,
        /// The generation it was in when it revoked them (`-1` after losing it).
        generation: i32,
        /// The partitions revoked.
        partitions: Vec<TopicPartition>,
    },
    /// Anything else a consumer or a group coordinator wants to tell (position resets, group
    /// state changes).
    GroupNote {
        /// The consumer or coordinator broker that tells.
        node: NodeId,
        /// True if the note is about a rebalance.
        rebalance: bool,
        /// The note.
        text: String,
    },
    /// What a transactional producer or a transaction coordinator wants to tell (R6): state
    /// changes, fencing, markers written.
    TxnNote {
        /// The producer or coordinator broker that tells.
        node: NodeId,
        /// The note.
        text: String,
    },
}

/// One effect of a handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Send a message.
    Send {
        /// The recipient.
        to: NodeId,
        /// The message.
        msg: Message,
    },
    /// Set (or reset) a timer.
    SetTimer {
        /// Which timer.
        kind: TimerKind,
        /// When it fires.
        at: Millis,
    },
    /// Cancel a timer.
    CancelTimer {
        /// Which timer.
        kind: TimerKind,
    },
    /// Report an observation.
    Observe(Observation),
    /// The process stops itself (end of a controlled shutdown).
    Halt,
}

/// The output vector a handler pushes into.
#[derive(Debug, Default)]
pub struct Out {
    /// The effects, in the order they were pushed.
    pub effects: Vec<Effect>,
}

impl Out {
    /// Sends `msg` to `to`.
    pub fn send(&mut self, to: NodeId, msg: Message) {
        self.effects.push(Effect::Send { to, msg });
    }
    /// Sets timer `kind` to fire at `at`.
    pub fn set_timer(&mut self, kind: TimerKind, at: Millis) {
        self.effects.push(Effect::SetTimer { kind, at });
    }
    /// Cancels timer `kind`.
    pub fn cancel_timer(&mut self, kind: TimerKind) {
        self.effects.push(Effect::CancelTimer { kind });
    }
    /// Reports an observation.
    pub fn observe(&mut self, o: Observation) {
        self.effects.push(Effect::Observe(o));
    }
}
