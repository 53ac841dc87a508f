//! Structured events: one or more per step, for the animation, the text log and `highwater trace`.

use serde::{Deserialize, Serialize};

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
    Append,
    HighWatermark,
    Truncate,
    Leader,
    Follower,
    Isr,
    Election,
    Fenced,
    Unfenced,
    Ack,
    ProduceError,
    Failed,
    Crash,
    Restart,
    Lost,
    Duplicate,
    Invariant,
    /// A consumer processed a record (or a consumer-side note).
    Consume,
    /// An offset commit was acknowledged.
    Commit,
    CommitFailed,
    /// Group membership: JoinGroup, SyncGroup, generations, member expiry.
    Rebalance,
    Assign,
    Revoke,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 28] = [
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
        }
    }
}

/// One event of the log.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub step: u64,
    pub time: Millis,
    pub kind: EventKind,
    pub node: Option<NodeId>,
    pub peer: Option<NodeId>,
    /// The network message this event is about, if any.
    pub message: Option<u64>,
    /// Heartbeat chatter (a heartbeat message sent, delivered or dropped, or a heartbeat or
    /// session-check timer) that a face may hide.
    #[serde(default)]
    pub heartbeat: bool,
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
