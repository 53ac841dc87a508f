//! The run's big moments — elections, ISR changes, truncations, lost records, fencing — that a
//! face calls out for a moment in the picture and to screen readers (issue 16 item 5). Each is
//! attached to the event that records it ([`crate::event::Event::moment`]), so a face finds them
//! by type, never by reading an event's text.

use crate::types::{BrokerId, Epoch, Offset, TopicPartition};

/// What kind of big moment it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MomentKind {
    /// The controller elected a leader from the ISR (R3.2).
    Election,
    /// The controller elected a leader from outside the ISR (`unclean.leader.election.enable`, R3.4).
    UncleanElection,
    /// The controller left a partition without a leader (no live ISR member, R3.2).
    NoLeader,
    /// The controller committed a smaller ISR (AlterPartition or a fenced broker, R2.3).
    IsrShrink,
    /// The controller committed a larger ISR (R2.4).
    IsrExpand,
    /// A replica removed records from its log end (R4.4).
    Truncation,
    /// A record is gone from the partition's current leader (§11).
    Loss,
    /// The controller fenced a broker that missed its heartbeats (R1.5, R3.2).
    Fencing,
}

impl MomentKind {
    /// A short name for styles and selectors: `election`, `isr-shrink`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            MomentKind::Election => "election",
            MomentKind::UncleanElection => "unclean-election",
            MomentKind::NoLeader => "no-leader",
            MomentKind::IsrShrink => "isr-shrink",
            MomentKind::IsrExpand => "isr-expand",
            MomentKind::Truncation => "truncation",
            MomentKind::Loss => "loss",
            MomentKind::Fencing => "fencing",
        }
    }
}

/// One big moment: its kind, the broker a call-out points at, and the call-out in words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Moment {
    /// What happened.
    pub kind: MomentKind,
    /// The broker the call-out points at: the new leader, the partition's leader after an ISR
    /// change, the truncating replica's broker, the leader without the lost record, the fenced
    /// broker. `None`: the controller (a partition left without a leader).
    pub broker: Option<BrokerId>,
    /// The partition it is about, if any.
    pub tp: Option<TopicPartition>,
    /// The call-out: "b2 elected leader of t-0 (leader epoch 2)", "ISR of t-0 shrank: b3 out".
    pub text: String,
}

impl Moment {
    /// A committed leader change of `label` (R3.2): elected, elected uncleanly, or none.
    pub fn leader_change(
        tp: TopicPartition,
        label: &str,
        leader: Option<BrokerId>,
        leader_epoch: Epoch,
        unclean: bool,
    ) -> Moment {
        let (kind, text) = match leader {
            Some(l) if unclean => (
                MomentKind::UncleanElection,
                format!("b{l} elected leader of {label} from outside the ISR (leader epoch {leader_epoch})"),
            ),
            Some(l) => (
                MomentKind::Election,
                format!("b{l} elected leader of {label} (leader epoch {leader_epoch})"),
            ),
            None => (
                MomentKind::NoLeader,
                format!("{label} has no leader (leader epoch {leader_epoch})"),
            ),
        };
        Moment {
            kind,
            broker: leader,
            tp: Some(tp),
            text,
        }
    }

    /// A committed ISR change of `label` without a leader change, from `old` to `new`; `None`
    /// when the membership did not change (an ELR-only update).
    pub fn isr_change(
        tp: TopicPartition,
        label: &str,
        leader: Option<BrokerId>,
        old: &[BrokerId],
        new: &[BrokerId],
    ) -> Option<Moment> {
        let names = |v: Vec<BrokerId>| {
            v.iter()
                .map(|b| format!("b{b}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let out: Vec<BrokerId> = old.iter().copied().filter(|b| !new.contains(b)).collect();
        let back: Vec<BrokerId> = new.iter().copied().filter(|b| !old.contains(b)).collect();
        let (kind, text) = match (out.is_empty(), back.is_empty()) {
            (true, true) => return None,
            (false, true) => (
                MomentKind::IsrShrink,
                format!("ISR of {label} shrank: {} out", names(out)),
            ),
            (true, false) => (
                MomentKind::IsrExpand,
                format!("ISR of {label} grew: {} back in", names(back)),
            ),
            (false, false) => (
                MomentKind::IsrShrink,
                format!("ISR of {label}: {} out, {} in", names(out), names(back)),
            ),
        };
        Some(Moment {
            kind,
            broker: leader,
            tp: Some(tp),
            text,
        })
    }

    /// `broker` truncated `label` to offset `to`, removing `removed` records (R4.4).
    pub fn truncation(broker: BrokerId, tp: TopicPartition, label: &str, to: Offset) -> Moment {
        Moment {
            kind: MomentKind::Truncation,
            broker: Some(broker),
            tp: Some(tp),
            text: format!("b{broker} truncated {label} to offset {to}"),
        }
    }

    /// The record `value` is gone from `label`, whose new leader is `broker`.
    pub fn loss(
        broker: BrokerId,
        tp: TopicPartition,
        label: &str,
        value: &str,
        acked: bool,
    ) -> Moment {
        Moment {
            kind: MomentKind::Loss,
            broker: Some(broker),
            tp: Some(tp),
            text: if acked {
                format!("acked {value} lost from {label}")
            } else {
                format!("{value} lost from {label}")
            },
        }
    }

    /// The controller fenced `broker`.
    pub fn fencing(broker: BrokerId) -> Moment {
        Moment {
            kind: MomentKind::Fencing,
            broker: Some(broker),
            tp: None,
            text: format!("b{broker} fenced by the controller"),
        }
    }
}
