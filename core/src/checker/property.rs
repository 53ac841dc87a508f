//! What the search looks for: a monitor invariant breaking, or a ledger verdict appearing.

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::invariants::{names, Monitor};
use crate::ledger::Ledger;
use crate::shared::Shared;

/// A ledger verdict about records (`ledger.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A record acknowledged to its producer is gone from the partition leader's log.
    AckedLost,
    /// A record once below a leader's high watermark is gone.
    CommittedLost,
    /// A leader appended a second copy of a record.
    Duplicate,
    /// The group processed a record after a later one of the same producer and partition.
    OutOfOrder,
    /// The group processed a record more than once.
    ConsumedTwice,
}

impl Verdict {
    /// Every verdict, in a fixed order.
    pub const ALL: [Verdict; 5] = [
        Verdict::AckedLost,
        Verdict::CommittedLost,
        Verdict::Duplicate,
        Verdict::OutOfOrder,
        Verdict::ConsumedTwice,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::AckedLost => "acked-lost",
            Verdict::CommittedLost => "committed-lost",
            Verdict::Duplicate => "duplicate",
            Verdict::OutOfOrder => "out-of-order",
            Verdict::ConsumedTwice => "consumed-twice",
        }
    }

    /// Parses [`Verdict::name`].
    pub fn parse(s: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.name() == s)
    }

    /// The value of the first record (by id) the verdict applies to.
    pub fn record(self, c: &Cluster) -> Option<String> {
        let l = c.ledger();
        let first = |ids: Vec<crate::log::RecordId>| {
            ids.first()
                .and_then(|id| l.get(*id))
                .map(|e| e.value.clone())
        };
        let entry = |f: &dyn Fn(&crate::ledger::LedgerEntry) -> bool| {
            l.entries.iter().find(|e| f(e)).map(|e| e.value.clone())
        };
        match self {
            Verdict::AckedLost => entry(&|e| e.acked.is_some() && e.lost.is_some()),
            Verdict::CommittedLost => entry(&|e| e.committed.is_some() && e.lost.is_some()),
            Verdict::Duplicate => entry(&|e| e.duplicated.is_some()),
            Verdict::OutOfOrder => first(l.consumed_out_of_order()),
            Verdict::ConsumedTwice => first(l.consumer_duplicates()),
        }
    }

    fn find(self, c: &Cluster) -> Option<String> {
        let v = self.record(c)?;
        Some(match self {
            Verdict::AckedLost => format!("acknowledged record {v} lost"),
            Verdict::CommittedLost => format!("committed record {v} lost"),
            Verdict::Duplicate => format!("record {v} appended twice"),
            Verdict::OutOfOrder => format!("record {v} consumed out of order"),
            Verdict::ConsumedTwice => format!("record {v} processed twice"),
        })
    }
}

/// One property the search checks in every state it reaches.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Property {
    /// A monitor invariant (`invariants.rs`), by its plain-words name.
    Invariant(String),
    /// A ledger verdict.
    Verdict(Verdict),
}

impl Property {
    /// Every invariant the monitor tracks for `c`'s configuration, promised or not.
    pub fn invariants(c: &Cluster) -> Vec<Property> {
        c.invariants()
            .iter()
            .map(|s| Property::Invariant(s.name.to_string()))
            .collect()
    }

    /// The invariants `c`'s configuration promises.
    pub fn promised(c: &Cluster) -> Vec<Property> {
        c.invariants()
            .iter()
            .filter(|s| s.promised)
            .map(|s| Property::Invariant(s.name.to_string()))
            .collect()
    }

    /// Every ledger verdict.
    pub fn verdicts() -> Vec<Property> {
        Verdict::ALL.into_iter().map(Property::Verdict).collect()
    }

    /// Every invariant and every verdict: the default.
    pub fn all(c: &Cluster) -> Vec<Property> {
        let mut v = Property::invariants(c);
        v.extend(Property::verdicts());
        v
    }

    /// A property by its name: an invariant's plain-words name (`no acknowledged record lost`)
    /// or a verdict's (`acked-lost`).
    pub fn parse(c: &Cluster, s: &str) -> Option<Property> {
        if let Some(v) = Verdict::parse(s) {
            return Some(Property::Verdict(v));
        }
        c.invariants()
            .iter()
            .find(|i| i.name == s)
            .map(|i| Property::Invariant(i.name.to_string()))
    }

    /// The property's name.
    pub fn name(&self) -> &str {
        match self {
            Property::Invariant(n) => n,
            Property::Verdict(v) => v.name(),
        }
    }

    /// Whether `c`'s configuration promises it (verdicts: the invariant that covers them).
    pub fn is_promised(&self, c: &Cluster) -> bool {
        let inv = match self {
            Property::Invariant(n) => n.as_str(),
            Property::Verdict(Verdict::AckedLost) => names::NO_ACKED_LOSS,
            Property::Verdict(Verdict::CommittedLost) => names::NO_COMMITTED_LOSS,
            Property::Verdict(_) => return false,
        };
        c.invariants().iter().any(|s| s.name == inv && s.promised)
    }

    /// `Some(detail)` when the property is broken in `c`.
    pub fn broken(&self, c: &Cluster) -> Option<String> {
        match self {
            Property::Invariant(n) => c
                .invariants()
                .iter()
                .find(|s| &s.name == n)
                .and_then(|s| s.first_violation.as_ref())
                .map(|v| v.detail.clone()),
            Property::Verdict(v) => v.find(c),
        }
    }
}

/// The first of `props` broken in `c`.
pub(crate) fn first_broken(props: &[Property], c: &Cluster) -> Option<(Property, String)> {
    first_of(props.iter(), c)
}

/// The first of `props` broken in `c`, with its detail.
fn first_of<'a>(
    mut props: impl Iterator<Item = &'a Property>,
    c: &Cluster,
) -> Option<(Property, String)> {
    props.find_map(|p| p.broken(c).map(|d| (p.clone(), d)))
}

/// The parts of a state its properties read: invariants read only the monitor, verdicts only the
/// ledger.
pub(crate) struct Checked {
    ledger: Shared<Ledger>,
    monitor: Shared<Monitor>,
}

impl Checked {
    /// The parts of `c`, a state in which no property is broken.
    pub(crate) fn of(c: &Cluster) -> Checked {
        Checked {
            ledger: c.ledger.clone(),
            monitor: c.monitor.clone(),
        }
    }
}

/// [`first_broken`] for a successor of a state whose parts are `parent` (none broken there): a
/// property whose part the move left untouched (still the very same shared copy) cannot have
/// broken, so it is not checked again.
pub(crate) fn first_broken_after(
    props: &[Property],
    c: &Cluster,
    parent: &Checked,
) -> Option<(Property, String)> {
    let ledger_same = Shared::ptr_eq(&c.ledger, &parent.ledger);
    let monitor_same = Shared::ptr_eq(&c.monitor, &parent.monitor);
    if ledger_same && monitor_same {
        return None;
    }
    let changed = props.iter().filter(|p| match p {
        Property::Invariant(_) => !monitor_same,
        Property::Verdict(_) => !ledger_same,
    });
    first_of(changed, c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::moves::moves;
    use crate::checker::options::{Budgets, Options};
    use crate::scenario::{setup_len, start_after, Scenario};

    /// Skipping the properties of untouched parts changes no answer: breadth-first from the
    /// KIP-101 scenario 1 start under high-watermark truncation (which reaches the loss), every
    /// successor gets the same first broken property with and without the skip.
    #[test]
    fn skipping_untouched_parts_agrees_with_checking_everything() {
        let text = include_str!("../../../scenarios/s16-kip101-scenario1-hw.toml");
        let s = Scenario::parse(text).expect("bundled scenario parses");
        let mut start = start_after(&s, setup_len(&s)).expect("bundled scenario runs");
        start.stop_recording();
        let props = Property::all(&start);
        let opts = Options::default();
        let mut seen = std::collections::HashSet::new();
        let mut queue = std::collections::VecDeque::from([(start, Budgets::default())]);
        let (mut compared, mut broken) = (0, 0);
        while let Some((parent, used)) = queue.pop_front() {
            if compared > 20_000 {
                break;
            }
            let checked = Checked::of(&parent);
            for m in moves(&parent, &opts, &used) {
                let mut next = parent.clone();
                if m.apply(&mut next).is_err() {
                    continue;
                }
                compared += 1;
                let full = first_broken(&props, &next);
                assert_eq!(
                    first_broken_after(&props, &next, &checked),
                    full,
                    "after {m:?}"
                );
                let mut u = used;
                m.spend(&mut u);
                if full.is_some() {
                    broken += 1;
                } else if seen.insert(next.fingerprint()) {
                    queue.push_back((next, u));
                }
            }
        }
        assert!(compared > 5_000, "{compared} successors compared");
        assert!(broken > 0, "the comparison must include broken states");
    }
}
