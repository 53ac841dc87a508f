//! Expectations about the consuming side (R7): what each consumer processed, duplicates and
//! losses as the application sees them, positions, committed offsets, the group's generation,
//! state and partition owners.

use super::expect::Expect;
use crate::cluster::Cluster;
use crate::coordinator::GroupState;
use crate::ledger::LedgerEntry;
use crate::ordered;
use crate::protocol::ErrorCode;
use crate::types::{NodeId, TopicPartition};

fn consumer_key(c: &Cluster, k: &str) -> Result<u32, String> {
    match k.parse::<NodeId>().ok().and_then(NodeId::as_consumer) {
        Some(id) if c.consumer(id).is_some() => Ok(id),
        Some(id) => Err(format!("there is no consumer c{id}")),
        None => Err(format!("{k:?} is not a consumer (use \"c1\")")),
    }
}

fn partition_key(c: &Cluster, tp: TopicPartition, k: &str) -> Result<TopicPartition, String> {
    let p: u32 = k
        .trim_start_matches('p')
        .parse()
        .map_err(|_| format!("{k:?} is not a partition number"))?;
    c.topic_partition(c.topic_name(tp), p)
        .ok_or_else(|| format!("there is no partition {}-{p}", c.topic_name(tp)))
}

/// (values to check, what, expected, predicate on a ledger entry)
type RecordCheck<'a> = (
    &'a Vec<String>,
    &'static str,
    bool,
    &'a dyn Fn(&LedgerEntry) -> bool,
);

const STATES: [GroupState; 4] = [
    GroupState::Empty,
    GroupState::PreparingRebalance,
    GroupState::CompletingRebalance,
    GroupState::Stable,
];

impl Expect {
    pub(super) fn validate_consumers(&self, c: &Cluster) -> Result<(), String> {
        for k in self.consumed.keys().chain(self.position.keys()) {
            consumer_key(c, k)?;
        }
        let Ok(tp) = self.tp_for_consumers(c) else {
            return Ok(());
        };
        let position_parts = self.position.values().flat_map(|m| m.keys());
        for k in self
            .committed_offset
            .keys()
            .chain(self.owner.keys())
            .chain(position_parts)
        {
            partition_key(c, tp, k)?;
        }
        for v in self.owner.values() {
            if v != "none" {
                // Several owners are listed "c1, c2" (a zombie still believes it owns it).
                for k in v.split(',') {
                    consumer_key(c, k.trim())?;
                }
            }
        }
        for e in self.commit_errors.iter().chain(&self.no_commit_errors) {
            if ErrorCode::from_name(e).is_none() {
                return Err(format!("unknown error code {e:?}"));
            }
        }
        if let Some(s) = &self.group_state {
            if !STATES.iter().any(|g| g.name() == s) {
                return Err(format!(
                    "group_state must be Empty, PreparingRebalance, CompletingRebalance or Stable, not {s:?}"
                ));
            }
        }
        let wants_group = !self.consumed.is_empty()
            || !self.position.is_empty()
            || !self.committed_offset.is_empty()
            || !self.owner.is_empty()
            || self.generation.is_some()
            || self.group_state.is_some()
            || self.coordinator.is_some();
        if wants_group && c.config().consumers == 0 {
            return Err("this run has no consumers (set consumers = 1 or more in [config])".into());
        }
        Ok(())
    }

    fn tp_for_consumers(&self, c: &Cluster) -> Result<TopicPartition, String> {
        let topic = self
            .topic
            .clone()
            .unwrap_or_else(|| c.config().topics[0].name.clone());
        c.topic_partition(&topic, 0)
            .ok_or_else(|| format!("there is no topic {topic}"))
    }

    pub(super) fn check_consumers(
        &self,
        c: &Cluster,
        tp: TopicPartition,
        push: &mut impl FnMut(String, bool, String),
    ) {
        let ledger = c.ledger();
        for (k, want) in &self.consumed {
            let Ok(id) = consumer_key(c, k) else { continue };
            let mut got: Vec<(u64, usize, String)> = ledger
                .entries
                .iter()
                .flat_map(|e| {
                    e.consumed
                        .iter()
                        .enumerate()
                        .filter(|(_, x)| x.consumer == id && !x.skipped)
                        .map(|(i, x)| (x.at.step, i, e.value.clone()))
                })
                .collect();
            ordered::sort(&mut got);
            let got: Vec<String> = got.into_iter().map(|(_, _, v)| v).collect();
            push(
                format!("c{id} processed {want:?}"),
                &got == want,
                format!("{got:?}"),
            );
        }
        // Computed only when asked for: `run_until` checks after every event.
        let lost = if self.consumer_lost.is_empty() && self.not_consumer_lost.is_empty() {
            Vec::new()
        } else {
            ledger.consumer_lost()
        };
        let disordered = if self.out_of_order.is_empty() && self.not_out_of_order.is_empty() {
            Vec::new()
        } else {
            ledger.consumed_out_of_order()
        };
        let unread = if self.deleted_unread.is_empty() && self.not_deleted_unread.is_empty() {
            Vec::new()
        } else {
            ledger.deleted_unread()
        };
        let checks: [RecordCheck; 11] = [
            (&self.processed, "processed by the group", true, &|e| {
                e.consumed.iter().any(|x| !x.skipped)
            }),
            (&self.not_processed, "processed by the group", false, &|e| {
                e.consumed.iter().any(|x| !x.skipped)
            }),
            (
                &self.processed_twice,
                "processed more than once",
                true,
                &|e| e.consumed.iter().filter(|x| !x.skipped).count() > 1,
            ),
            (
                &self.not_processed_twice,
                "processed more than once",
                false,
                &|e| e.consumed.iter().filter(|x| !x.skipped).count() > 1,
            ),
            (&self.consumer_lost, "lost by the consumers", true, &|e| {
                lost.contains(&e.id)
            }),
            (
                &self.not_consumer_lost,
                "lost by the consumers",
                false,
                &|e| lost.contains(&e.id),
            ),
            (
                &self.dedup_skipped,
                "skipped by the dedup sink",
                true,
                &|e| e.consumed.iter().any(|x| x.skipped),
            ),
            (
                &self.deleted_unread,
                "deleted before the group read it",
                true,
                &|e| unread.contains(&e.id),
            ),
            (
                &self.not_deleted_unread,
                "deleted before the group read it",
                false,
                &|e| unread.contains(&e.id),
            ),
            (&self.out_of_order, "processed out of order", true, &|e| {
                disordered.contains(&e.id)
            }),
            (
                &self.not_out_of_order,
                "processed out of order",
                false,
                &|e| disordered.contains(&e.id),
            ),
        ];
        for (values, what, want, pred) in checks {
            for v in values {
                let what_text = format!("{v} is {}{what}", if want { "" } else { "not " });
                let found: Vec<&LedgerEntry> =
                    ledger.entries.iter().filter(|e| &e.value == v).collect();
                if found.is_empty() {
                    push(what_text, false, "no such record was produced".into());
                    continue;
                }
                let got = found.iter().any(|e| pred(e));
                let times = found
                    .iter()
                    .map(|e| e.consumed.iter().filter(|x| !x.skipped).count())
                    .sum::<usize>();
                push(what_text, got == want, format!("processed {times} time(s)"));
            }
        }
        let committed = if self.committed_offset.is_empty() {
            Default::default()
        } else {
            c.group_committed()
        };
        for (k, want) in &self.committed_offset {
            let Ok(p) = partition_key(c, tp, k) else {
                continue;
            };
            let got = committed.get(&p).copied().unwrap_or(-1);
            push(
                format!(
                    "the group's committed offset of {}-{} is {want}",
                    c.topic_name(p),
                    p.partition
                ),
                got == *want,
                got.to_string(),
            );
        }
        let group = c.group_coordinator();
        if let Some(want) = self.generation {
            let got = group.map(|(_, g)| g.generation);
            push(
                format!("the group is in generation {want}"),
                got == Some(want),
                got.map_or("no coordinator".into(), |g| g.to_string()),
            );
        }
        if let Some(want) = &self.group_state {
            let got = group.map(|(_, g)| g.state.name());
            push(
                format!("the group is {want}"),
                got == Some(want.as_str()),
                got.unwrap_or("no coordinator").to_string(),
            );
        }
        if let Some(want) = self.coordinator {
            let got = group.map(|(b, _)| b);
            push(
                format!("b{want} coordinates the group"),
                got == Some(want),
                got.map_or("no coordinator".into(), |b| format!("b{b}")),
            );
        }
        for (k, want) in &self.owner {
            let Ok(p) = partition_key(c, tp, k) else {
                continue;
            };
            let owners: Vec<String> = c
                .consumers()
                .iter()
                .filter(|s| s.status == crate::cluster::BrokerStatus::Up)
                .filter(|s| s.consumer.assigned.contains(&p))
                .map(|s| format!("c{}", s.consumer.id))
                .collect();
            let got = if owners.is_empty() {
                "none".to_string()
            } else {
                owners.join(", ")
            };
            push(
                format!("{}-{} is owned by {want}", c.topic_name(p), p.partition),
                &got == want,
                got,
            );
        }
        for (k, parts) in &self.position {
            let Ok(id) = consumer_key(c, k) else { continue };
            let Some(slot) = c.consumer(id) else { continue };
            for (pk, want) in parts {
                let Ok(p) = partition_key(c, tp, pk) else {
                    continue;
                };
                let got = slot.consumer.positions.get(&p).copied();
                push(
                    format!(
                        "c{id}'s position in {}-{} is {want}",
                        c.topic_name(p),
                        p.partition
                    ),
                    got.unwrap_or(-1) == *want,
                    got.map_or("no position".into(), |o| o.to_string()),
                );
            }
        }
        let seen = |e: &str| ledger.consumer_errors.iter().any(|x| x.name() == e);
        for (list, want) in [(&self.commit_errors, true), (&self.no_commit_errors, false)] {
            for e in list {
                let e = e.to_ascii_uppercase();
                push(
                    format!(
                        "{} consumer saw {e} on a commit",
                        if want { "a" } else { "no" }
                    ),
                    seen(&e) == want,
                    if seen(&e) { "seen" } else { "not seen" }.into(),
                );
            }
        }
    }
}
