//! The consuming side of the view model: consumers, their group as the coordinator sees it, and
//! the ledger's consumer verdicts (KAFKA-SEMANTICS.md §7, R7.1–R7.4). Built by [`super::view`]
//! on every step; empty (and drawn as nothing) in runs without consumers.

use highwater_core::cluster::{BrokerStatus, Cluster};
use highwater_core::config::CommitMode;
use highwater_core::consumer::MemberState;
use highwater_core::coordinator::GroupState;
use highwater_core::types::{BrokerId, Offset};

use super::topology::Topology;

/// One assigned partition of a consumer: where `poll()` continues and what it saw committed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignedView {
    /// Index into `Topology::partitions`.
    pub part: usize,
    /// The next offset `poll()` returns (R7.2); `None` before the first OffsetFetch answer.
    pub position: Option<Offset>,
    pub committed: Option<Offset>,
}

/// One consumer client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub id: u32,
    pub status: BrokerStatus,
    pub paused: bool,
    pub state: MemberState,
    /// `-1` outside a generation.
    pub generation: i32,
    pub mode: CommitMode,
    pub assigned: Vec<AssignedView>,
    /// Records returned by `poll()` and not yet processed.
    pub processing: usize,
    pub processed: u64,
}

impl ConsumerView {
    pub fn is_up(&self) -> bool {
        self.status == BrokerStatus::Up
    }
    /// "stable", "joining", … or "crashed" / "closed" / "paused".
    pub fn state_text(&self) -> &'static str {
        match (self.status, self.paused) {
            (BrokerStatus::Crashed, _) => "crashed",
            (BrokerStatus::Stopped, _) => "closed",
            (_, true) => "paused",
            _ => member_state_name(self.state),
        }
    }
}

/// Kafka's names of a member's state (`MemberState` in the classic consumer coordinator).
pub fn member_state_name(s: MemberState) -> &'static str {
    match s {
        MemberState::Unjoined => "unjoined",
        MemberState::Joining => "joining",
        MemberState::Syncing => "syncing",
        MemberState::Stable => "stable",
    }
}

/// `enable.auto.commit` or where the application calls `commitSync()` (R7.3).
pub fn mode_label(m: CommitMode) -> &'static str {
    match m {
        CommitMode::Auto => "auto-commit",
        CommitMode::AfterProcessing => "commit after processing",
        CommitMode::BeforeProcessing => "commit before processing",
    }
}

/// The group coordinator's view (R7.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupInfo {
    pub group: String,
    pub coordinator: BrokerId,
    pub state: GroupState,
    pub generation: i32,
    pub members: usize,
}

/// Who owns a partition, in which generation, and the group's committed offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartOwnership {
    pub part: usize,
    /// Running consumers that believe they own it, with their generation (two = a zombie).
    pub owners: Vec<(u32, i32)>,
    /// The group's committed offset (what OffsetFetch answers); `None` = none committed.
    pub committed: Option<Offset>,
}

/// Consumer verdicts of one record (ledger item 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumedRow {
    pub value: String,
    pub part: String,
    /// Consumer ids in processing order (a dedup-skipped processing is marked).
    pub by: Vec<(u32, bool)>,
    pub lost: bool,
    pub twice: bool,
    pub out_of_order: bool,
}

/// One generation of the group's assignment history (R7.4, R7.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerationRow {
    pub generation: i32,
    /// The owner of each partition of [`GroupView::parts`], in the same order.
    pub owners: Vec<Option<u32>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupView {
    pub consumers: Vec<ConsumerView>,
    pub group: Option<GroupInfo>,
    pub parts: Vec<PartOwnership>,
    /// The latest [`GENERATION_ROWS`] generations, oldest first.
    pub generations: Vec<GenerationRow>,
    /// Newest first, at most [`CONSUMED_ROWS`] plus the records with a bad verdict.
    pub rows: Vec<ConsumedRow>,
    pub processed: usize,
    pub lost: usize,
    pub twice: usize,
    pub out_of_order: usize,
    pub dedup_skipped: usize,
}

/// A `__consumer_offsets` record as a cell: short label and full text (`=3`, "commit t-0 = 3";
/// `g2`, "group generation 2"; `m1`, "group member c1"), or `None` for an application record.
pub fn offsets_record(id: u32) -> Option<(String, String)> {
    use highwater_core::coordinator::OffsetsRecord;
    Some(match OffsetsRecord::decode(id)? {
        OffsetsRecord::Commit { tp, offset } => (
            format!("={offset}"),
            format!("offset commit: partition {} = {offset}", tp.partition),
        ),
        OffsetsRecord::Group { generation } => (
            format!("g{generation}"),
            format!("group generation {generation}"),
        ),
        OffsetsRecord::Member { consumer, .. } => {
            (format!("m{consumer}"), format!("group member c{consumer}"))
        }
    })
}

/// Ledger rows kept for the consumer verdicts.
pub const CONSUMED_ROWS: usize = 20;

/// Generations kept in the assignment history.
pub const GENERATION_ROWS: usize = 6;

impl GroupView {
    /// Projects the consumers of `c` (an empty view without consumers).
    pub fn build(c: &Cluster, topo: &Topology) -> GroupView {
        if c.consumers().is_empty() {
            return GroupView::default();
        }
        let consumers: Vec<ConsumerView> = c
            .consumers()
            .iter()
            .map(|slot| {
                let k = &slot.consumer;
                ConsumerView {
                    id: k.id,
                    status: slot.status,
                    paused: c.is_paused(highwater_core::types::NodeId::Consumer(k.id)),
                    state: k.state,
                    generation: k.generation,
                    mode: k.mode,
                    assigned: k
                        .assigned
                        .iter()
                        .filter_map(|tp| {
                            Some(AssignedView {
                                part: topo.part_index(*tp)?,
                                position: k.positions.get(tp).copied(),
                                committed: k.committed.get(tp).copied(),
                            })
                        })
                        .collect(),
                    processing: k.processing.len(),
                    processed: k.processed,
                }
            })
            .collect();
        let group = c.group_coordinator().map(|(b, g)| GroupInfo {
            group: c.config().consumer.group_id.clone(),
            coordinator: b,
            state: g.state,
            generation: g.generation,
            members: g.members.len(),
        });
        let committed = c.group_committed();
        let parts: Vec<PartOwnership> = topo
            .partitions
            .iter()
            .enumerate()
            .filter(|(_, p)| !highwater_core::coordinator::is_internal(c.config(), p.tp))
            .map(|(i, p)| PartOwnership {
                part: i,
                owners: consumers
                    .iter()
                    .filter(|k| k.is_up() && k.assigned.iter().any(|a| a.part == i))
                    .map(|k| (k.id, k.generation))
                    .collect(),
                committed: committed.get(&p.tp).copied(),
            })
            .collect();
        let generations = generation_rows(c, topo, &parts);

        let ledger = c.ledger();
        let lost = ledger.consumer_lost();
        let twice = ledger.consumer_duplicates();
        let ooo = ledger.consumed_out_of_order();
        let row = |e: &highwater_core::ledger::LedgerEntry| ConsumedRow {
            value: e.value.clone(),
            part: topo
                .part_index(e.tp)
                .map_or_else(|| "?".to_string(), |i| topo.partitions[i].label.clone()),
            by: e.consumed.iter().map(|x| (x.consumer, x.skipped)).collect(),
            lost: lost.contains(&e.id),
            twice: twice.contains(&e.id),
            out_of_order: ooo.contains(&e.id),
        };
        let entries = &ledger.entries;
        let start = entries.len().saturating_sub(CONSUMED_ROWS);
        let mut rows: Vec<ConsumedRow> = entries[start..].iter().rev().map(row).collect();
        rows.extend(
            entries[..start]
                .iter()
                .rev()
                .filter(|e| lost.contains(&e.id) || twice.contains(&e.id) || ooo.contains(&e.id))
                .take(CONSUMED_ROWS / 2)
                .map(row),
        );
        GroupView {
            consumers,
            group,
            parts,
            generations,
            rows,
            processed: entries.iter().filter(|e| !e.consumed.is_empty()).count(),
            lost: lost.len(),
            twice: twice.len(),
            out_of_order: ooo.len(),
            dedup_skipped: ledger.dedup_skipped().len(),
        }
    }

    pub fn consumer(&self, id: u32) -> Option<&ConsumerView> {
        self.consumers.iter().find(|k| k.id == id)
    }

    /// The group's committed offset of a partition (by topology index).
    pub fn committed(&self, part: usize) -> Option<Offset> {
        self.parts.iter().find(|p| p.part == part)?.committed
    }
}

/// The last [`GENERATION_ROWS`] generations of the group's assignment history, one owner per
/// partition of `parts`.
fn generation_rows(c: &Cluster, topo: &Topology, parts: &[PartOwnership]) -> Vec<GenerationRow> {
    let owners = c.generation_owners();
    let mut gens: Vec<i32> = owners.keys().map(|(_, g)| *g).collect();
    gens.sort_unstable();
    gens.dedup();
    let start = gens.len().saturating_sub(GENERATION_ROWS);
    gens[start..]
        .iter()
        .map(|&generation| GenerationRow {
            generation,
            owners: parts
                .iter()
                .map(|p| {
                    owners
                        .get(&(topo.partitions[p.part].tp, generation))
                        .copied()
                })
                .collect(),
        })
        .collect()
}
