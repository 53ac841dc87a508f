//! What a consumer hands to its application (R6.7; UnifiedLog.scala#read for the broker's bound,
//! CompletedFetch.java for the client's filter).

use std::collections::VecDeque;

use crate::vec_map::VecSet;

use serde::{Deserialize, Serialize};

use super::ControlKind;
use crate::ordered;
use crate::types::Offset;

/// The consumer's `isolation.level` (ConsumerConfig: default `read_uncommitted`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    /// Reads below the HW, aborted data included (the default).
    #[default]
    ReadUncommitted,
    /// Reads below the LSO and drops aborted transactions.
    ReadCommitted,
}

impl IsolationLevel {
    /// The config value.
    pub fn name(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "read_uncommitted",
            IsolationLevel::ReadCommitted => "read_committed",
        }
    }

    /// Parses a config value.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "read_uncommitted" => Some(IsolationLevel::ReadUncommitted),
            "read_committed" => Some(IsolationLevel::ReadCommitted),
            _ => None,
        }
    }

    /// The leader serves offsets below this bound (UnifiedLog#read: HW or LSO).
    pub fn fetch_upper_bound(self, high_watermark: Offset, last_stable_offset: Offset) -> Offset {
        match self {
            IsolationLevel::ReadUncommitted => high_watermark,
            IsolationLevel::ReadCommitted => last_stable_offset.min(high_watermark),
        }
    }
}

/// A fetched record as the client sees its batch header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FetchedRecord {
    /// Its offset.
    pub offset: Offset,
    /// The batch's producer id (-1 without one).
    pub producer_id: i64,
    /// The batch's transactional flag.
    pub transactional: bool,
    /// `Some` for a control batch (a marker).
    pub control: Option<ControlKind>,
}

/// What the client keeps from one fetched range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Offsets handed to the application, in order.
    pub delivered: Vec<Offset>,
    /// Offsets dropped because their transaction was aborted.
    pub dropped_aborted: Vec<Offset>,
    /// The position after the range: past the last record, markers included.
    pub next_position: Option<Offset>,
}

/// Filters a fetched range (CompletedFetch#nextFetchedRecord): control records are never
/// delivered; under read_committed, a transactional batch of a producer in `aborted` is dropped
/// from that transaction's first offset up to the producer's ABORT marker.
pub fn deliver(
    level: IsolationLevel,
    records: &[FetchedRecord],
    aborted: &[(i64, Offset)],
) -> Delivery {
    let mut queue: Vec<(i64, Offset)> = aborted.to_vec();
    ordered::sort_by_key(&mut queue, |&(p, o)| (o, p));
    let mut queue: VecDeque<(i64, Offset)> = queue.into();
    let mut aborted_producers: VecSet<i64> = VecSet::new();
    let mut out = Delivery::default();
    for r in records {
        out.next_position = Some(r.offset + 1);
        if level == IsolationLevel::ReadCommitted {
            while queue.front().is_some_and(|&(_, first)| first <= r.offset) {
                let (p, _) = queue.pop_front().expect("front");
                aborted_producers.insert(p);
            }
        }
        match r.control {
            Some(kind) => {
                if kind == ControlKind::Abort {
                    aborted_producers.remove(&r.producer_id);
                }
            }
            None => {
                if level == IsolationLevel::ReadCommitted
                    && r.transactional
                    && aborted_producers.contains(&r.producer_id)
                {
                    out.dropped_aborted.push(r.offset);
                } else {
                    out.delivered.push(r.offset);
                }
            }
        }
    }
    out
}
