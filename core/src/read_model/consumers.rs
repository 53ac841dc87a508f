//! Consumers and their group as every face shows them (KAFKA-SEMANTICS.md §7, R7.1–R7.4).

use serde::{Deserialize, Serialize};

use crate::cluster::{BrokerStatus, Cluster};
use crate::config::CommitMode;
use crate::consumer::MemberState;
use crate::coordinator::GroupState;
use crate::types::{BrokerId, NodeId, Offset, TopicPartition};

/// One consumer client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerSnapshot {
    /// `c<id>`.
    pub id: u32,
    /// Its node id.
    pub node: NodeId,
    /// up, crashed, or stopped (closed).
    pub status: BrokerStatus,
    /// The user paused it.
    pub paused: bool,
    /// `group.id`.
    pub group: String,
    /// The generation it believes it is in (`-1` outside one).
    pub generation: i32,
    /// Its member id (empty before its first JoinGroup answer).
    pub member_id: String,
    /// Where it is in the group protocol.
    pub state: MemberState,
    /// How it commits offsets (R7.3).
    pub commit_mode: CommitMode,
    /// Its `isolation.level` (R6.7).
    pub isolation_level: crate::txn::isolation::IsolationLevel,
    /// The broker it believes coordinates its group.
    pub coordinator: Option<BrokerId>,
    /// Its assigned partitions.
    pub partitions: Vec<ConsumerPartitionSnapshot>,
    /// Record ids returned by `poll()` and still being processed, in order.
    pub processing: Vec<u32>,
    /// Records its application processed so far.
    pub processed: u64,
    /// Each record its application processed, oldest record first, with how often (R7.3: a
    /// crash before the commit replays records, so an at-least-once consumer processes some
    /// twice).
    #[serde(default)]
    pub records: Vec<ProcessedRecord>,
    /// Its last assignment changes, oldest first: per generation what it revoked and what it was
    /// newly assigned (R7.4; eager: all revoked, all new; cooperative, KIP-429: only what moved).
    pub rebalances: Vec<RebalanceSnapshot>,
}

/// A record one consumer's application processed, and how many times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessedRecord {
    /// The record's id (the ledger's index).
    pub record: u32,
    /// Its value, as produced (`a`).
    pub value: String,
    /// How many times this consumer's application processed it.
    pub times: u32,
    /// Of those, how many writes the group's deduplicating sink dropped (`dedup = true`).
    pub dropped: u32,
}

/// The consumer application's deduplicating sink (`dedup = true`, a table keyed by record id;
/// an application's choice, not a Kafka setting): what it holds and what it refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DedupSinkView {
    /// Records written to it, once each, oldest record first.
    pub kept: Vec<SinkRecord>,
    /// Records whose later writes it dropped as duplicates, with how many it dropped.
    pub dropped: Vec<SinkRecord>,
}

/// One record in (or refused by) the sink.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinkRecord {
    /// The record's id.
    pub record: u32,
    /// Its value, as produced.
    pub value: String,
    /// Writes: 1 for a kept record, the number of dropped writes for a dropped one.
    pub times: u32,
}

/// One consumer's assignment change in one generation (R7.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebalanceSnapshot {
    /// The generation whose assignment it received.
    pub generation: i32,
    /// Partitions it revoked for this generation, as `topic-partition`.
    pub revoked: Vec<String>,
    /// Partitions of this generation's assignment it did not own before, as `topic-partition`.
    pub added: Vec<String>,
}

/// How a consumer reads: its member state, or crashed / closed / paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsumerState {
    /// Killed.
    Crashed,
    /// Closed by the user (LeaveGroup sent).
    Closed,
    /// Paused by the user.
    Paused,
    /// Running, in this member state.
    Member(MemberState),
}

impl ConsumerState {
    /// `"crashed"`, `"closed"`, `"paused"` or Kafka's member state (`"stable"`, `"joining"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsumerState::Crashed => "crashed",
            ConsumerState::Closed => "closed",
            ConsumerState::Paused => "paused",
            ConsumerState::Member(s) => member_state_name(s),
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

impl ConsumerSnapshot {
    /// Running (not crashed, not closed).
    pub fn is_up(&self) -> bool {
        self.status == BrokerStatus::Up
    }

    /// What its box shows.
    pub fn display_state(&self) -> ConsumerState {
        match (self.status, self.paused) {
            (BrokerStatus::Crashed, _) => ConsumerState::Crashed,
            (BrokerStatus::Stopped, _) => ConsumerState::Closed,
            (_, true) => ConsumerState::Paused,
            _ => ConsumerState::Member(self.state),
        }
    }
}

/// Position and committed offset of one assigned partition (R7.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerPartitionSnapshot {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// Next offset `poll()` returns (`-1` while asking for the HW).
    pub position: Option<Offset>,
    /// The last commit this consumer saw acknowledged.
    pub committed: Option<Offset>,
}

/// The group coordinator's view (R7.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSnapshot {
    /// `group.id`.
    pub group: String,
    /// The broker coordinating it (the leader of `__consumer_offsets`).
    pub coordinator: BrokerId,
    /// Classic group state.
    pub state: GroupState,
    /// Current generation.
    pub generation: i32,
    /// The group leader's member id.
    pub leader: Option<String>,
    /// Members of the current generation.
    pub members: Vec<GroupMemberSnapshot>,
    /// Committed offsets as OffsetFetch answers them.
    pub committed: Vec<CommittedOffsetSnapshot>,
}

/// One member of the group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberSnapshot {
    /// Member id.
    pub member_id: String,
    /// The consumer it is.
    pub client: NodeId,
    /// Partitions of the current generation's assignment, as `topic-partition`.
    pub assignment: Vec<String>,
}

/// The group's committed offset of one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedOffsetSnapshot {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// The next offset to consume.
    pub offset: Offset,
}

impl Cluster {
    /// A partition as Kafka prints it: `topic-partition`.
    fn partition_name(&self, tp: TopicPartition) -> String {
        format!("{}-{}", self.topic_name(tp), tp.partition)
    }

    /// Consumers `c1`, `c2`, … (empty in runs without consumers).
    pub fn consumer_snapshots(&self) -> Vec<ConsumerSnapshot> {
        self.consumers
            .iter()
            .map(|slot| {
                let c = &slot.consumer;
                ConsumerSnapshot {
                    id: c.id,
                    node: NodeId::consumer(c.id),
                    status: slot.status,
                    paused: self.is_paused(NodeId::consumer(c.id)),
                    group: self.cfg.consumer.group_id.clone(),
                    generation: c.generation,
                    member_id: c.member_id.clone(),
                    state: c.state,
                    commit_mode: c.mode,
                    isolation_level: c.isolation,
                    coordinator: c.coordinator,
                    partitions: c
                        .assigned
                        .iter()
                        .map(|tp| ConsumerPartitionSnapshot {
                            topic: self.topic_name(*tp).to_string(),
                            partition: u32::from(tp.partition),
                            position: c.positions.get(tp).copied(),
                            committed: c.committed.get(tp).copied(),
                        })
                        .collect(),
                    processing: c.processing.iter().map(|(_, r)| r.id).collect(),
                    processed: c.processed,
                    records: self.processed_records(c.id),
                    rebalances: c
                        .rebalances
                        .iter()
                        .map(|r| {
                            let names = |tps: &[TopicPartition]| {
                                tps.iter().map(|tp| self.partition_name(*tp)).collect()
                            };
                            RebalanceSnapshot {
                                generation: r.generation,
                                revoked: names(&r.revoked),
                                added: names(&r.added),
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// [`ConsumerSnapshot::records`], from the ledger's consumptions.
    fn processed_records(&self, consumer: u32) -> Vec<ProcessedRecord> {
        self.ledger
            .entries
            .iter()
            .filter_map(|e| {
                let mine = e.consumed.iter().filter(|c| c.consumer == consumer);
                let (times, dropped) =
                    mine.fold((0, 0), |(n, d), c| (n + 1, d + u32::from(c.skipped)));
                (times > 0).then(|| ProcessedRecord {
                    record: e.id,
                    value: e.value.clone(),
                    times,
                    dropped,
                })
            })
            .collect()
    }

    /// The deduplicating sink the consumers write to (none unless the consumer configuration
    /// sets `dedup`; the ledger records each write it dropped).
    pub fn dedup_sink(&self) -> Option<DedupSinkView> {
        if !self.cfg.consumer.dedup || self.consumers.is_empty() {
            return None;
        }
        let mut sink = DedupSinkView::default();
        for e in &self.ledger.entries {
            let record = |times| SinkRecord {
                record: e.id,
                value: e.value.clone(),
                times,
            };
            if e.consumed.iter().any(|c| !c.skipped) {
                sink.kept.push(record(1));
            }
            let dropped = e.consumed.iter().filter(|c| c.skipped).count() as u32;
            if dropped > 0 {
                sink.dropped.push(record(dropped));
            }
        }
        Some(sink)
    }

    /// One consumer (`c<id>`).
    pub fn consumer_snapshot(&self, id: u32) -> Option<ConsumerSnapshot> {
        self.consumer_snapshots().into_iter().find(|k| k.id == id)
    }

    /// The consumer ids, in order.
    pub fn consumer_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.consumers.iter().map(|s| s.consumer.id)
    }

    /// The group as its coordinator sees it (none without consumers, or while no broker
    /// coordinates it).
    pub fn group_snapshot(&self) -> Option<GroupSnapshot> {
        let (b, g) = self.group_coordinator()?;
        Some(GroupSnapshot {
            group: self.cfg.consumer.group_id.clone(),
            coordinator: b,
            state: g.state,
            generation: g.generation,
            leader: g.leader.clone(),
            members: g
                .members
                .iter()
                .map(|(id, m)| GroupMemberSnapshot {
                    member_id: id.clone(),
                    client: m.client,
                    assignment: g
                        .assignment
                        .get(id)
                        .into_iter()
                        .flatten()
                        .map(|tp| self.partition_name(*tp))
                        .collect(),
                })
                .collect(),
            committed: self
                .group_committed()
                .into_iter()
                .map(|(tp, offset)| CommittedOffsetSnapshot {
                    topic: self.topic_name(tp).to_string(),
                    partition: u32::from(tp.partition),
                    offset,
                })
                .collect(),
        })
    }
}
