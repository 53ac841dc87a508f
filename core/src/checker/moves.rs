//! The moves of the search: the events manual mode offers, and the budgeted faults and workload,
//! each turned into the user input that performs it (so a path is a replayable run).

use serde::{Deserialize, Serialize};

use super::options::{Budgets, Options, TimeMode};
use crate::cluster::{BrokerStatus, Cluster};
use crate::command::{Action, Command, Input};
use crate::types::{BrokerId, NodeId};

/// One move from a state to a successor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Move {
    /// A manual-mode event: deliver a link's head message or fire a timer.
    Event(Action),
    /// Kill a broker.
    Crash(BrokerId),
    /// Power failure of a broker (unflushed records lost).
    PowerFail(BrokerId),
    /// Restart a crashed or stopped broker.
    Restart(BrokerId),
    /// SIGSTOP a broker.
    Pause(BrokerId),
    /// Resume a paused broker (free: it only undoes a pause).
    Resume(BrokerId),
    /// Cut one link.
    Cut(NodeId, NodeId),
    /// Heal every link.
    Heal,
    /// Drop a link's head message (by its id).
    Drop(u64),
    /// Producer 1 sends record `r<n>`.
    Produce(u8),
}

impl Move {
    /// The user input that performs this move.
    pub fn input(&self) -> Input {
        let cmd = match self {
            Move::Event(a) => return Input::Action(a.clone()),
            Move::Crash(b) => Command::Crash {
                broker: *b,
                lose_unflushed: false,
            },
            Move::PowerFail(b) => Command::Crash {
                broker: *b,
                lose_unflushed: true,
            },
            Move::Restart(b) => Command::Restart { broker: *b },
            Move::Pause(b) => Command::Pause {
                node: NodeId::Broker(*b),
            },
            Move::Resume(b) => Command::Resume {
                node: NodeId::Broker(*b),
            },
            Move::Cut(from, to) => Command::Cut {
                from: *from,
                to: *to,
                both: false,
            },
            Move::Heal => Command::Heal { node: None },
            Move::Drop(m) => Command::Drop { message: *m },
            Move::Produce(n) => Command::Produce {
                producer: 1,
                topic: None,
                partition: None,
                key: None,
                value: format!("r{n}"),
                acks: None,
            },
        };
        Input::Command(cmd)
    }

    /// Counts this move against `used`.
    pub(crate) fn spend(&self, used: &mut Budgets) {
        match self {
            Move::Crash(_) => used.crashes += 1,
            Move::PowerFail(_) => used.power_failures += 1,
            Move::Restart(_) => used.restarts += 1,
            Move::Pause(_) => used.pauses += 1,
            Move::Cut(..) => used.cuts += 1,
            Move::Heal => used.heals += 1,
            Move::Drop(_) => used.drops += 1,
            Move::Produce(_) => used.produces += 1,
            Move::Event(_) | Move::Resume(_) => {}
        }
    }

    /// Applies the move; the simulator validates it like any user input.
    pub(crate) fn apply(&self, c: &mut Cluster) -> Result<(), crate::command::CommandError> {
        c.apply_owned_input(self.input())
    }
}

/// Every move from `c`, in a fixed order: events first (queue order), then faults, then workload.
pub(crate) fn moves(c: &Cluster, opts: &Options, used: &Budgets) -> Vec<Move> {
    // Room for the usual number of moves: growing this list showed in the search's profile.
    let mut out = Vec::with_capacity(16);
    // The queue is in due order, and its first event is always enabled.
    let earliest = c.next_event_time();
    let b = &opts.budgets;
    let drops = used.drops < b.drops;
    let mut heads = Vec::new();
    for (action, at) in c.enabled_actions() {
        match &action {
            Action::Deliver { message } if drops => heads.push(*message),
            _ => {}
        }
        let in_window = match (opts.time, earliest) {
            (TimeMode::Manual, _) => true,
            (TimeMode::Window(w), Some(e)) => at <= e.saturating_add(w),
            (TimeMode::Window(_), None) => false,
        };
        if in_window {
            out.push(Move::Event(action));
        }
    }
    for (&id, slot) in c.brokers() {
        let up = slot.status == BrokerStatus::Up;
        let paused = c.is_paused(NodeId::Broker(id));
        if up && used.crashes < b.crashes {
            out.push(Move::Crash(id));
        }
        if up && used.power_failures < b.power_failures {
            out.push(Move::PowerFail(id));
        }
        if !up && used.restarts < b.restarts {
            out.push(Move::Restart(id));
        }
        if up && !paused && used.pauses < b.pauses {
            out.push(Move::Pause(id));
        }
        if paused {
            out.push(Move::Resume(id));
        }
    }
    if used.cuts < b.cuts {
        let nodes = || {
            std::iter::once(NodeId::Controller)
                .chain(c.brokers().map(|(id, _)| NodeId::Broker(*id)))
        };
        for from in nodes() {
            for to in nodes() {
                if from != to && !c.is_cut(from, to) {
                    out.push(Move::Cut(from, to));
                }
            }
        }
    }
    if used.heals < b.heals && !c.cuts.is_empty() {
        out.push(Move::Heal);
    }
    if drops {
        out.extend(heads.into_iter().map(Move::Drop));
    }
    if used.produces < b.produces {
        out.push(Move::Produce(used.produces + 1));
    }
    out
}
