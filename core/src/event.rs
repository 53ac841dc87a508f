//! Structured events: one or more per step, for the animation, the text log and `highwater trace`.

use serde::{Deserialize, Serialize};

use crate::read_model::{MessageKind, Moment};
use crate::types::{Millis, NodeId};

/// What kind of thing happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A user command was applied.
    Command,
    /// A message left its sender.
    Send,
    /// A message reached its destination and was handled.
    Deliver,
    /// A message was lost (cut link, dropped by the user, destination down).
    Drop,
    /// A timer fired.
    Timer,
    /// A replica appended a record.
    Append,
    /// A replica's high watermark moved.
    HighWatermark,
    /// A replica truncated its log.
    Truncate,
    /// A broker became a partition's leader.
    Leader,
    /// A broker became a partition's follower.
    Follower,
    /// An ISR change was proposed or committed.
    Isr,
    /// The controller elected a leader.
    Election,
    /// The controller fenced a broker.
    Fenced,
    /// The controller unfenced a broker.
    Unfenced,
    /// A producer got a successful acknowledgement.
    Ack,
    /// A produce request failed and will be retried.
    ProduceError,
    /// A send failed for good (reported to the application).
    Failed,
    /// A node crashed.
    Crash,
    /// A node restarted.
    Restart,
    /// An acknowledged record is gone from the committed log.
    Lost,
    /// A record was appended more than once.
    Duplicate,
    /// An invariant broke.
    Invariant,
    /// A consumer processed a record (or a consumer-side note).
    Consume,
    /// An offset commit was acknowledged.
    Commit,
    /// An offset commit failed.
    CommitFailed,
    /// Group membership: JoinGroup, SyncGroup, generations, member expiry.
    Rebalance,
    /// A consumer was assigned partitions.
    Assign,
    /// A consumer's partitions were revoked.
    Revoke,
    /// A transaction: a producer's transactional state, the coordinator's, fencing (R6).
    Transaction,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 29] = [
        EventKind::Command,
        EventKind::Send,
        EventKind::Deliver,
        EventKind::Drop,
        EventKind::Timer,
        EventKind::Append,
        EventKind::HighWatermark,
        EventKind::Truncate,
        EventKind::Leader,
        EventKind::Follower,
        EventKind::Isr,
        EventKind::Election,
        EventKind::Fenced,
        EventKind::Unfenced,
        EventKind::Ack,
        EventKind::ProduceError,
        EventKind::Failed,
        EventKind::Crash,
        EventKind::Restart,
        EventKind::Lost,
        EventKind::Duplicate,
        EventKind::Invariant,
        EventKind::Consume,
        EventKind::Commit,
        EventKind::CommitFailed,
        EventKind::Rebalance,
        EventKind::Assign,
        EventKind::Revoke,
        EventKind::Transaction,
    ];

    /// The JSON value: `"command"`, `"high-watermark"`, … (kebab-case).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Command => "command",
            EventKind::Send => "send",
            EventKind::Deliver => "deliver",
            EventKind::Drop => "drop",
            EventKind::Timer => "timer",
            EventKind::Append => "append",
            EventKind::HighWatermark => "high-watermark",
            EventKind::Truncate => "truncate",
            EventKind::Leader => "leader",
            EventKind::Follower => "follower",
            EventKind::Isr => "isr",
            EventKind::Election => "election",
            EventKind::Fenced => "fenced",
            EventKind::Unfenced => "unfenced",
            EventKind::Ack => "ack",
            EventKind::ProduceError => "produce-error",
            EventKind::Failed => "failed",
            EventKind::Crash => "crash",
            EventKind::Restart => "restart",
            EventKind::Lost => "lost",
            EventKind::Duplicate => "duplicate",
            EventKind::Invariant => "invariant",
            EventKind::Consume => "consume",
            EventKind::Commit => "commit",
            EventKind::CommitFailed => "commit-failed",
            EventKind::Rebalance => "rebalance",
            EventKind::Assign => "assign",
            EventKind::Revoke => "revoke",
            EventKind::Transaction => "transaction",
        }
    }
}

/// One event of the log.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    /// The cluster step at which the event happened.
    pub step: u64,
    /// The simulated time of the event.
    pub time: Millis,
    /// What kind of event it is.
    pub kind: EventKind,
    /// The node the event happened at.
    pub node: Option<NodeId>,
    /// The other node involved, e.g. a message's sender.
    pub peer: Option<NodeId>,
    /// The network message this event is about, if any.
    pub message: Option<u64>,
    /// Heartbeat chatter (a heartbeat message sent, delivered or dropped, or a heartbeat or
    /// session-check timer) that a face may hide.
    #[serde(default)]
    pub heartbeat: bool,
    /// The kind of [`Event::message`] (send, deliver and drop events of a message on the wire),
    /// for faces that filter by kind. Not in the JSON: its shape is unchanged.
    #[serde(skip)]
    pub message_kind: Option<MessageKind>,
    /// The big moment this event records (an election, an ISR change, a truncation, a lost
    /// record, a fencing), for faces that call it out. Not in the JSON: its shape is unchanged.
    #[serde(skip)]
    pub moment: Option<Box<Moment>>,
    /// The event in words.
    pub text: String,
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "#{:<5} t={:<7} ", self.step, self.time)?;
        match (self.node, self.peer) {
            (Some(n), Some(p))
                if matches!(
                    self.kind,
                    EventKind::Send | EventKind::Deliver | EventKind::Drop
                ) =>
            {
                let verb = match self.kind {
                    EventKind::Send => "send",
                    EventKind::Deliver => "recv",
                    _ => "drop",
                };
                write!(f, "{verb} {n} → {p}: ")?
            }
            (Some(n), _) => write!(f, "{n}: ")?,
            _ => {}
        }
        f.write_str(&self.text)
    }
}
