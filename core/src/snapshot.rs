//! A serialisable picture of the whole cluster at one step: what the UI draws, what
//! `highwater run --json` prints, and what scenario expectations are checked against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::{BrokerStatus, Cluster};
use crate::config::CommitMode;
use crate::consumer::MemberState;
use crate::coordinator::{is_internal, GroupState, OffsetsRecord};
use crate::epoch_cache::EpochEntry;
use crate::invariants::InvariantStatus;
use crate::ledger::LedgerEntry;
use crate::partition::{is_caught_up, Role};
use crate::types::{BrokerId, Epoch, Millis, NodeId, Offset};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub step: u64,
    pub time: Millis,
    pub seed: u64,
    pub brokers: Vec<BrokerSnapshot>,
    pub partitions: Vec<PartitionSnapshot>,
    pub producers: Vec<ProducerSnapshot>,
    pub messages: Vec<MessageSnapshot>,
    pub links: Vec<LinkSnapshot>,
    pub ledger: Vec<LedgerEntry>,
    /// For each record id of the ledger, the brokers whose log holds a copy now (ledger item
    /// "on which replicas").
    pub record_replicas: BTreeMap<u32, Vec<BrokerId>>,
    pub invariants: Vec<InvariantStatus>,
    /// Consumers `c1`, `c2`, … (empty in runs without consumers).
    #[serde(default)]
    pub consumers: Vec<ConsumerSnapshot>,
    /// The consumer group as its coordinator sees it (none without consumers, or while no
    /// broker coordinates it).
    #[serde(default)]
    pub group: Option<GroupSnapshot>,
}

/// One consumer client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsumerSnapshot {
    pub id: u32,
    pub node: NodeId,
    /// up, crashed, or stopped (closed).
    pub status: BrokerStatus,
    pub paused: bool,
    pub group: String,
    pub generation: i32,
    pub member_id: String,
    pub state: MemberState,
    pub commit_mode: CommitMode,
    /// The broker it believes coordinates its group.
    pub coordinator: Option<BrokerId>,
    pub partitions: Vec<ConsumerPartitionSnapshot>,
    /// Record ids returned by `poll()` and still being processed, in order.
    pub processing: Vec<u32>,
    pub processed: u64,
}

/// Position and committed offset of one assigned partition (R7.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsumerPartitionSnapshot {
    pub topic: String,
    pub partition: u32,
    /// Next offset `poll()` returns (`-1` while asking for the HW).
    pub position: Option<Offset>,
    /// The last commit this consumer saw acknowledged.
    pub committed: Option<Offset>,
}

/// The group coordinator's view (R7.4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSnapshot {
    pub group: String,
    pub coordinator: BrokerId,
    pub state: GroupState,
    pub generation: i32,
    pub leader: Option<String>,
    pub members: Vec<GroupMemberSnapshot>,
    /// Committed offsets as OffsetFetch answers them.
    pub committed: Vec<CommittedOffsetSnapshot>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMemberSnapshot {
    pub member_id: String,
    pub client: NodeId,
    /// Partitions of the current generation's assignment, as `topic-partition`.
    pub assignment: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommittedOffsetSnapshot {
    pub topic: String,
    pub partition: u32,
    pub offset: Offset,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrokerSnapshot {
    pub id: BrokerId,
    pub status: BrokerStatus,
    pub paused: bool,
    pub fenced: bool,
    pub broker_epoch: u64,
    pub replicas: Vec<ReplicaSnapshot>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordSnapshot {
    pub offset: Offset,
    pub epoch: Epoch,
    pub id: u32,
    pub key: Option<String>,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSnapshot {
    pub topic: String,
    pub partition: u32,
    /// "leader", "follower" or "none".
    pub role: String,
    pub leader_epoch: Epoch,
    pub leo: Offset,
    pub hw: Offset,
    pub log_start_offset: Offset,
    pub flushed_offset: Offset,
    pub records: Vec<RecordSnapshot>,
    pub epoch_cache: Vec<EpochEntry>,
    /// Leader only: the ISR it works with, the maximal ISR, the pending proposal and its view of
    /// each follower.
    pub isr: Vec<BrokerId>,
    pub maximal_isr: Vec<BrokerId>,
    pub pending_isr: Option<Vec<BrokerId>>,
    pub followers: Vec<FollowerView>,
    /// An internal topic (`__consumer_offsets`); its records are offset commits and group
    /// generations, not application records.
    #[serde(default)]
    pub internal: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowerView {
    pub broker: BrokerId,
    pub leo: Option<Offset>,
    pub caught_up: bool,
    pub last_caught_up_ms: Option<Millis>,
}

/// The controller's registration of a partition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionSnapshot {
    pub topic: String,
    pub partition: u32,
    pub replicas: Vec<BrokerId>,
    pub leader: Option<BrokerId>,
    pub leader_epoch: Epoch,
    pub partition_epoch: i32,
    pub isr: Vec<BrokerId>,
    pub recovering: bool,
    #[serde(default)]
    pub internal: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProducerSnapshot {
    pub id: u32,
    pub queued: Vec<u32>,
    pub in_flight: Vec<u32>,
    pub paused: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageSnapshot {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: String,
    pub summary: String,
    pub sent_at: Millis,
    pub deliver_at: Millis,
    pub heartbeat: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkSnapshot {
    pub from: NodeId,
    pub to: NodeId,
    pub cut: bool,
    pub extra_latency_ms: Millis,
}

impl Cluster {
    /// The whole picture at the current step.
    pub fn snapshot(&self) -> Snapshot {
        let cfg = self.config();
        let brokers = self
            .brokers()
            .map(|(id, slot)| BrokerSnapshot {
                id: *id,
                status: slot.status,
                paused: self.is_paused(NodeId::Broker(*id)),
                fenced: self.controller.brokers.get(id).is_some_and(|r| r.fenced),
                broker_epoch: slot.broker.broker_epoch,
                replicas: slot
                    .broker
                    .partitions
                    .values()
                    .map(|p| {
                        let log = &p.log;
                        let (role, isr, maximal_isr, pending_isr, followers) = match &p.role {
                            Role::Leader(l) => (
                                "leader",
                                p.isr.clone(),
                                l.maximal_isr.clone(),
                                l.pending_isr.clone(),
                                l.remotes
                                    .iter()
                                    .map(|(b, st)| FollowerView {
                                        broker: *b,
                                        leo: st.leo,
                                        caught_up: is_caught_up(
                                            st,
                                            log.leo(),
                                            self.now(),
                                            cfg.broker.replica_lag_time_max_ms,
                                        ),
                                        last_caught_up_ms: st.last_caught_up_time,
                                    })
                                    .collect(),
                            ),
                            Role::Follower { .. } => {
                                ("follower", p.isr.clone(), vec![], None, vec![])
                            }
                            Role::Unknown => ("none", p.isr.clone(), vec![], None, vec![]),
                        };
                        ReplicaSnapshot {
                            topic: self.topic_name(p.tp).to_string(),
                            partition: p.tp.partition as u32,
                            role: if slot.status == BrokerStatus::Up {
                                role.to_string()
                            } else {
                                "none".to_string()
                            },
                            leader_epoch: p.leader_epoch,
                            leo: log.leo(),
                            hw: log.high_watermark(),
                            log_start_offset: log.log_start_offset(),
                            flushed_offset: log.flushed_offset(),
                            records: log
                                .records()
                                .iter()
                                .map(|r| {
                                    let e = self.ledger.get(r.id);
                                    let value =
                                        OffsetsRecord::describe(r.id).unwrap_or_else(|| {
                                            e.map_or_else(
                                                || format!("r{}", r.id),
                                                |e| e.value.clone(),
                                            )
                                        });
                                    RecordSnapshot {
                                        offset: r.offset,
                                        epoch: r.epoch,
                                        id: r.id,
                                        key: e.and_then(|e| e.key.clone()),
                                        value,
                                    }
                                })
                                .collect(),
                            epoch_cache: log.epoch_cache().entries().to_vec(),
                            isr,
                            maximal_isr,
                            pending_isr,
                            followers,
                            internal: is_internal(cfg, p.tp),
                        }
                    })
                    .collect(),
            })
            .collect();
        let partitions = self
            .controller
            .partitions
            .values()
            .map(|r| PartitionSnapshot {
                topic: self.topic_name(r.tp).to_string(),
                partition: r.tp.partition as u32,
                replicas: r.replicas.clone(),
                leader: r.leader,
                leader_epoch: r.leader_epoch,
                partition_epoch: r.partition_epoch,
                isr: r.isr.clone(),
                recovering: r.recovering,
                internal: is_internal(cfg, r.tp),
            })
            .collect();
        let producers = self
            .producers()
            .iter()
            .map(|p| ProducerSnapshot {
                id: p.id,
                queued: p.queued().map(|r| r.id).collect(),
                in_flight: p.in_flight.values().map(|f| f.record.id).collect(),
                paused: self.is_paused(NodeId::Producer(p.id)),
            })
            .collect();
        let messages = self
            .in_flight()
            .map(|e| MessageSnapshot {
                id: e.id,
                from: e.from,
                to: e.to,
                kind: e.msg.kind().to_string(),
                summary: e.msg.summary(),
                sent_at: e.sent_at,
                deliver_at: e.deliver_at,
                heartbeat: e.msg.is_heartbeat(),
            })
            .collect();
        let mut links: Vec<LinkSnapshot> = self
            .cuts
            .iter()
            .map(|(a, b)| LinkSnapshot {
                from: *a,
                to: *b,
                cut: true,
                extra_latency_ms: 0,
            })
            .collect();
        for ((a, b), ms) in &self.slow {
            match links.iter_mut().find(|l| l.from == *a && l.to == *b) {
                Some(l) => l.extra_latency_ms = *ms,
                None => links.push(LinkSnapshot {
                    from: *a,
                    to: *b,
                    cut: false,
                    extra_latency_ms: *ms,
                }),
            }
        }
        let mut record_replicas: BTreeMap<u32, Vec<BrokerId>> = BTreeMap::new();
        for (b, slot) in self.brokers() {
            for p in slot.broker.partitions.values() {
                if is_internal(cfg, p.tp) {
                    continue;
                }
                for r in p.log.records() {
                    let holders = record_replicas.entry(r.id).or_default();
                    if holders.last() != Some(b) {
                        holders.push(*b);
                    }
                }
            }
        }
        let consumers = self
            .consumers()
            .iter()
            .map(|slot| {
                let c = &slot.consumer;
                ConsumerSnapshot {
                    id: c.id,
                    node: NodeId::consumer(c.id),
                    status: slot.status,
                    paused: self.is_paused(NodeId::consumer(c.id)),
                    group: cfg.consumer.group_id.clone(),
                    generation: c.generation,
                    member_id: c.member_id.clone(),
                    state: c.state,
                    commit_mode: c.mode,
                    coordinator: c.coordinator,
                    partitions: c
                        .assigned
                        .iter()
                        .map(|tp| ConsumerPartitionSnapshot {
                            topic: self.topic_name(*tp).to_string(),
                            partition: tp.partition as u32,
                            position: c.positions.get(tp).copied(),
                            committed: c.committed.get(tp).copied(),
                        })
                        .collect(),
                    processing: c.processing.iter().map(|(_, r)| r.id).collect(),
                    processed: c.processed,
                }
            })
            .collect();
        let group = self.group_coordinator().map(|(b, g)| GroupSnapshot {
            group: cfg.consumer.group_id.clone(),
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
                        .map(|tp| format!("{}-{}", self.topic_name(*tp), tp.partition))
                        .collect(),
                })
                .collect(),
            committed: self
                .group_committed()
                .into_iter()
                .map(|(tp, offset)| CommittedOffsetSnapshot {
                    topic: self.topic_name(tp).to_string(),
                    partition: tp.partition as u32,
                    offset,
                })
                .collect(),
        });
        Snapshot {
            consumers,
            group,
            record_replicas,
            step: self.step_count(),
            time: self.now(),
            seed: self.seed(),
            brokers,
            partitions,
            producers,
            messages,
            links,
            ledger: self.ledger.entries.clone(),
            invariants: self.invariants().to_vec(),
        }
    }
}
