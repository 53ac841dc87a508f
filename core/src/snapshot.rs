//! A serialisable picture of the whole cluster at one step: what the UI draws, what
//! `highwater run --json` prints, and what scenario expectations are checked against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::{BrokerStatus, Cluster};
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
                                    RecordSnapshot {
                                        offset: r.offset,
                                        epoch: r.epoch,
                                        id: r.id,
                                        key: e.and_then(|e| e.key.clone()),
                                        value: e.map_or_else(
                                            || format!("r{}", r.id),
                                            |e| e.value.clone(),
                                        ),
                                    }
                                })
                                .collect(),
                            epoch_cache: log.epoch_cache().entries().to_vec(),
                            isr,
                            maximal_isr,
                            pending_isr,
                            followers,
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
                for r in p.log.records() {
                    let holders = record_replicas.entry(r.id).or_default();
                    if holders.last() != Some(b) {
                        holders.push(*b);
                    }
                }
            }
        }
        Snapshot {
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
