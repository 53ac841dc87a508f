//! The consuming side of the view model: consumers, their group as the coordinator sees it, and
//! the ledger's consumer verdicts (KAFKA-SEMANTICS.md §7, R7.1–R7.4), derived from the core's
//! read model. Built by [`super::view`] on every step; empty (and drawn as nothing) in runs
//! without consumers.

use highwater_core::cluster::Cluster;
use highwater_core::config::CommitMode;
use highwater_core::coordinator::GroupState;
use highwater_core::ordered;
use highwater_core::read_model::{BrokerStatus, ConsumerState, LedgerRow, MemberState};
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
    /// What its box shows: crashed, closed, paused, or its member state.
    pub display: ConsumerState,
    /// `-1` outside a generation.
    pub generation: i32,
    pub mode: CommitMode,
    pub isolation: highwater_core::txn::isolation::IsolationLevel,
    /// A pipeline instance commits as its `processing.guarantee` says, not by `mode`.
    pub pipeline: Option<&'static str>,
    pub assigned: Vec<AssignedView>,
    /// Records returned by `poll()` and not yet processed.
    pub processing: usize,
    pub processed: u64,
    /// Each record it processed with how often, oldest first (R7.3).
    pub records: Vec<RecordCount>,
    /// Its last assignment change (R7.4, KIP-429).
    pub last_rebalance: Option<RebalanceView>,
}

/// A record one consumer processed: `a ×2` on its card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordCount {
    /// The record's value (`a`).
    pub value: String,
    /// How many times this consumer processed it.
    pub times: u32,
    /// Of those, writes the deduplicating sink dropped.
    pub dropped: u32,
    /// The group's processing took effect more than once (the ledger's verdict; by this
    /// consumer or another one).
    pub twice: bool,
}

/// The consumers' deduplicating sink (`dedup = true`): what it holds and what it dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SinkView {
    /// Values of the records it holds, in record order.
    pub kept: Vec<String>,
    /// Values of the records whose repeated writes it dropped, with how many.
    pub dropped: Vec<(String, u32)>,
}

/// What one consumer revoked and was newly assigned in one generation (R7.4; eager: all of it,
/// cooperative-sticky: only what moved, KIP-429).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebalanceView {
    pub generation: i32,
    /// Indexes into `Topology::partitions`.
    pub revoked: Vec<usize>,
    pub added: Vec<usize>,
}

impl ConsumerView {
    pub fn is_up(&self) -> bool {
        self.status == BrokerStatus::Up
    }
    /// "stable", "joining", … or "crashed" / "closed" / "paused".
    pub fn state_text(&self) -> &'static str {
        self.display.as_str()
    }
}

/// `enable.auto.commit` or where the application calls `commitSync()` (R7.3).
/// How a consumer commits, in words: its commit mode, or a pipeline instance's guarantee.
pub fn commit_label(k: &ConsumerView) -> &'static str {
    match k.pipeline {
        Some("exactly_once_v2") => "offsets in transactions",
        Some(_) => "commit after the flush",
        None => mode_label(k.mode),
    }
}

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
    /// Committed records deleted (retention, DeleteRecords) before the group read them.
    pub deleted_unread: usize,
    /// The deduplicating sink, when the consumers write to one.
    pub sink: Option<SinkView>,
}

/// Ledger rows kept for the consumer verdicts.
pub const CONSUMED_ROWS: usize = 20;

/// Generations kept in the assignment history.
pub const GENERATION_ROWS: usize = 6;

impl GroupView {
    /// Projects the consumers of `c` (an empty view without consumers).
    pub fn build(c: &Cluster, topo: &Topology) -> GroupView {
        let snapshots = c.consumer_snapshots();
        if snapshots.is_empty() {
            return GroupView::default();
        }
        let verdicts = c.consumer_verdicts();
        let consumers: Vec<ConsumerView> = snapshots
            .into_iter()
            .map(|k| ConsumerView {
                id: k.id,
                status: k.status,
                paused: k.paused,
                state: k.state,
                display: k.display_state(),
                generation: k.generation,
                mode: k.commit_mode,
                isolation: k.isolation_level,
                pipeline: c
                    .config()
                    .pipeline
                    .as_ref()
                    .map(|p| p.processing_guarantee.name()),
                assigned: k
                    .partitions
                    .iter()
                    .filter_map(|a| {
                        Some(AssignedView {
                            part: topo.part_index_named(&a.topic, a.partition)?,
                            position: a.position,
                            committed: a.committed,
                        })
                    })
                    .collect(),
                processing: k.processing.len(),
                processed: k.processed,
                records: k
                    .records
                    .iter()
                    .map(|r| RecordCount {
                        value: r.value.clone(),
                        times: r.times,
                        dropped: r.dropped,
                        twice: verdicts.twice.contains(&r.record),
                    })
                    .collect(),
                last_rebalance: k.rebalances.last().map(|r| {
                    let parts = |names: &[String]| {
                        names
                            .iter()
                            .filter_map(|n| {
                                let (t, p) = n.rsplit_once('-')?;
                                topo.part_index_named(t, p.parse().ok()?)
                            })
                            .collect()
                    };
                    RebalanceView {
                        generation: r.generation,
                        revoked: parts(&r.revoked),
                        added: parts(&r.added),
                    }
                }),
            })
            .collect();
        let snapshot = c.group_snapshot();
        let group = snapshot.as_ref().map(|g| GroupInfo {
            group: g.group.clone(),
            coordinator: g.coordinator,
            state: g.state,
            generation: g.generation,
            members: g.members.len(),
        });
        let committed = snapshot.map(|g| g.committed).unwrap_or_default();
        let parts: Vec<PartOwnership> = topo
            .partitions
            .iter()
            .enumerate()
            .filter(|(_, p)| !highwater_core::coordinator::is_internal(&topo.config, p.tp))
            .map(|(i, p)| PartOwnership {
                part: i,
                owners: consumers
                    .iter()
                    .filter(|k| k.is_up() && k.assigned.iter().any(|a| a.part == i))
                    .map(|k| (k.id, k.generation))
                    .collect(),
                committed: committed
                    .iter()
                    .find(|o| p.is(&o.topic, o.partition))
                    .map(|o| o.offset),
            })
            .collect();
        let generations = generation_rows(c, topo, &parts);

        let row = |r: &LedgerRow| ConsumedRow {
            value: r.entry.value.clone(),
            part: format!("{}-{}", r.topic, r.partition),
            by: r
                .entry
                .consumed
                .iter()
                .map(|x| (x.consumer, x.skipped))
                .collect(),
            lost: verdicts.lost.contains(&r.entry.id),
            twice: verdicts.twice.contains(&r.entry.id),
            out_of_order: verdicts.out_of_order.contains(&r.entry.id),
        };
        let bad = |id: &u32| {
            verdicts.lost.contains(id)
                || verdicts.twice.contains(id)
                || verdicts.out_of_order.contains(id)
        };
        let rows = c.ledger_rows();
        let start = rows.len().saturating_sub(CONSUMED_ROWS);
        let (mut newest, mut older) = (Vec::new(), Vec::new());
        for (i, r) in rows.enumerate().rev() {
            if i >= start {
                newest.push(row(&r));
            } else if older.len() < CONSUMED_ROWS / 2 && bad(&r.entry.id) {
                older.push(row(&r));
            }
        }
        newest.extend(older);
        GroupView {
            consumers,
            group,
            parts,
            generations,
            rows: newest,
            processed: verdicts.processed,
            lost: verdicts.lost.len(),
            twice: verdicts.twice.len(),
            out_of_order: verdicts.out_of_order.len(),
            dedup_skipped: verdicts.dedup_skipped,
            deleted_unread: verdicts.deleted_unread.len(),
            sink: c.dedup_sink().map(|s| SinkView {
                kept: s.kept.into_iter().map(|r| r.value).collect(),
                dropped: s.dropped.into_iter().map(|r| (r.value, r.times)).collect(),
            }),
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
    ordered::sort(&mut gens);
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
