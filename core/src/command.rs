//! User commands (the inputs a person or a scenario applies) and manual-mode actions.

use serde::{Deserialize, Serialize};

use crate::config::{Acks, CommitMode};
use crate::node::TimerKind;
use crate::types::{BrokerId, Millis, NodeId, Offset};

/// A transactional producer's API call, as a command names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TxnCallName {
    /// initTransactions().
    Init,
    /// beginTransaction().
    Begin,
    /// commitTransaction().
    Commit,
    /// abortTransaction().
    Abort,
}

impl TxnCallName {
    /// The Java method.
    pub fn method(self) -> &'static str {
        match self {
            TxnCallName::Init => "initTransactions()",
            TxnCallName::Begin => "beginTransaction()",
            TxnCallName::Commit => "commitTransaction()",
            TxnCallName::Abort => "abortTransaction()",
        }
    }

    /// The producer call it makes.
    pub fn call(self) -> crate::producer_txn::TxnCall {
        use crate::producer_txn::TxnCall;
        match self {
            TxnCallName::Init => TxnCall::Init,
            TxnCallName::Begin => TxnCall::Begin,
            TxnCallName::Commit => TxnCall::Commit,
            TxnCallName::Abort => TxnCall::Abort,
        }
    }
}

/// A command applied at the current virtual time. Read by hand (`command_read.rs`): an `Option`
/// field, or one whose doc gives a default, may be left out; a field the variant does not
/// declare is refused.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "cmd", rename_all = "kebab-case")]
pub enum Command {
    /// The application calls `send()` on a producer.
    Produce {
        /// The producer that sends the record. Default: 1.
        producer: u32,
        /// The topic to produce to; the first topic when `None`.
        topic: Option<String>,
        /// The partition; chosen by the partitioner when `None`.
        partition: Option<u32>,
        /// The record's key.
        key: Option<String>,
        /// The record's value.
        value: String,
        /// Overrides the producer's `acks` for this record.
        acks: Option<Acks>,
    },
    /// A producer sends a record every `interval_ms` (0 stops it).
    AutoProduce {
        /// The producer that sends the records. Default: 1.
        producer: u32,
        /// Time between two records.
        interval_ms: Millis,
        /// The topic to produce to; the first topic when `None`.
        topic: Option<String>,
        /// The `acks` to use; the producer's configured `acks` when `None`.
        acks: Option<Acks>,
    },
    /// Kill the broker process. With `lose_unflushed`, the machine loses power and with it the
    /// page cache: records appended since the last flush are gone (KIP-101 scenario 2).
    Crash {
        /// The broker to crash.
        broker: BrokerId,
        /// Whether the broker loses log data not yet flushed to disk. Default: false.
        lose_unflushed: bool,
    },
    /// Controlled shutdown: leadership moves away first, nothing is lost.
    Shutdown {
        /// The broker to shut down.
        broker: BrokerId,
    },
    /// Start a crashed or stopped broker again from its disk.
    Restart {
        /// The broker to restart.
        broker: BrokerId,
    },
    /// Stop a process like SIGSTOP: it handles nothing until resumed.
    Pause {
        /// The node to pause.
        node: NodeId,
    },
    /// Resumes a paused node.
    Resume {
        /// The node to resume.
        node: NodeId,
    },
    /// Cut every link to and from a node.
    Isolate {
        /// The node to isolate.
        node: NodeId,
    },
    /// Cut the link from one node to another (and back, with `both`).
    Cut {
        /// The sender side of the link.
        from: NodeId,
        /// The receiver side of the link.
        to: NodeId,
        /// Whether the link is cut in both directions. Default: false.
        both: bool,
    },
    /// Restore links: all of them, or those of one node.
    Heal {
        /// The node whose links heal; every link when `None`.
        node: Option<NodeId>,
    },
    /// Add latency to a link (both ways with `both`); 0 restores it.
    Slow {
        /// The sender side of the link.
        from: NodeId,
        /// The receiver side of the link.
        to: NodeId,
        /// Delay added to every message on the link.
        extra_ms: Millis,
        /// Whether both directions are slowed. Default: false.
        both: bool,
    },
    /// Lose one message in flight.
    Drop {
        /// The id of the message in flight to drop.
        message: u64,
    },
    /// Write a broker's dirty pages to disk now.
    Flush {
        /// The broker whose logs are flushed.
        broker: BrokerId,
    },
    /// Start one more consumer in the group (`c<n+1>`).
    AddConsumer,
    /// `close()`: the consumer commits (with auto-commit), leaves the group and stops.
    RemoveConsumer {
        /// The consumer to remove.
        consumer: u32,
    },
    /// Kill the consumer process: what it was processing is abandoned, uncommitted positions
    /// are lost.
    CrashConsumer {
        /// The consumer to crash.
        consumer: u32,
    },
    /// Start a crashed or removed consumer again: it joins as a new member and resumes from the
    /// committed offsets.
    RestartConsumer {
        /// The consumer to restart.
        consumer: u32,
    },
    /// The admin client's `deleteRecords` (KIP-107): the partition's leader moves its log start
    /// to `offset` (-1: the HW); above the HW it answers OFFSET_OUT_OF_RANGE. Simplification: the
    /// request reaches the current leader at once (no admin client on the network).
    DeleteRecords {
        /// The topic (default: the first one).
        topic: Option<String>,
        /// The partition. Default: 0.
        partition: u32,
        /// The new log start (-1: the high watermark).
        offset: Offset,
    },
    /// Change when a consumer's application commits (R7.3).
    CommitMode {
        /// The consumer whose commit mode changes.
        consumer: u32,
        /// The new commit mode.
        mode: CommitMode,
    },
    /// A transactional producer's application calls initTransactions(), beginTransaction(),
    /// commitTransaction() or abortTransaction() (R6).
    Transaction {
        /// The producer. Default: 1.
        producer: u32,
        /// The call.
        call: TxnCallName,
    },
    /// The admin client's `incrementalAlterConfigs` sets the cluster-wide dynamic broker config
    /// `unclean.leader.election.enable` (KIP-226) mid-run. Switched on, the controller elects a
    /// leader at once for every partition left without one, uncleanly if no ISR member is live
    /// (KAFKA-6526, KAFKA-12670; R3.2). Simplification: the request reaches the controller at
    /// once (no admin client on the network).
    UncleanLeaderElection {
        /// The new value of `unclean.leader.election.enable`.
        enable: bool,
    },
    /// Change one consumer's `isolation.level` (R6.7): it applies from its next fetch, and after
    /// a restart. Kafka sets it when the consumer is created; here it is switched on the running
    /// consumer so that two consumers can read the same log side by side.
    IsolationLevel {
        /// The consumer.
        consumer: u32,
        /// Its new isolation level.
        level: crate::txn::isolation::IsolationLevel,
    },
}

/// A manual-mode choice among the enabled events. Read by hand (`command_read.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Deliver the message with this id (it must be at the head of its link).
    Deliver {
        /// The message's id.
        message: u64,
    },
    /// Fire a node's timer now.
    Fire {
        /// The node that owns the timer.
        node: NodeId,
        /// Which timer.
        timer: TimerKind,
    },
}

/// One recorded input of a run; a run is `(config, seed, inputs)` (see `crate::trace`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// A user command.
    Command(Command),
    /// Fire this many events in time order.
    Steps(u64),
    /// Fire every event up to this virtual time, then set the clock to it.
    RunUntil(Millis),
    /// A scheduling choice: which pending event happens next.
    Action(Action),
}

/// A command or action the current state does not allow, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError(pub String);

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CommandError {}
