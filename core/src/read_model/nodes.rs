//! Brokers, the controller, producers and links as every face shows them.

use serde::{Deserialize, Serialize};

use super::replica::ReplicaSnapshot;
use crate::cluster::{BrokerStatus, Cluster};
use crate::coordinator::is_internal;
use crate::node::TimerKind;
use crate::protocol::ErrorCode;
use crate::types::{BrokerId, Epoch, Millis, NodeId};

/// A broker process, without its replicas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerSummary {
    /// Broker id.
    pub id: BrokerId,
    /// Up, crashed or stopped.
    pub status: BrokerStatus,
    /// The user paused it (its events wait).
    pub paused: bool,
    /// The controller has fenced it (missed heartbeats, R1.5).
    pub fenced: bool,
    /// Up and in a controlled shutdown.
    #[serde(default)]
    pub shutting_down: bool,
    /// The epoch the controller gave its current registration.
    pub broker_epoch: u64,
    /// How many times its process started (1 until its first restart).
    #[serde(default)]
    pub incarnation: u64,
}

/// How a broker box reads: its status with the paused / shutting-down / fenced states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BrokerState {
    /// Running normally.
    Up,
    /// Killed.
    Crashed,
    /// After a controlled shutdown.
    Stopped,
    /// Up but paused by the user.
    Paused,
    /// Up and in a controlled shutdown.
    ShuttingDown,
    /// Up but fenced by the controller.
    Fenced,
}

impl BrokerState {
    /// `"up"`, `"crashed"`, `"stopped"`, `"paused"`, `"shutting down"` or `"fenced"`.
    pub fn as_str(self) -> &'static str {
        match self {
            BrokerState::Up => "up",
            BrokerState::Crashed => "crashed",
            BrokerState::Stopped => "stopped",
            BrokerState::Paused => "paused",
            BrokerState::ShuttingDown => "shutting down",
            BrokerState::Fenced => "fenced",
        }
    }
}

impl BrokerSummary {
    /// The state a broker box shows (crashed and stopped first, then paused, shutting down,
    /// fenced).
    pub fn state(&self) -> BrokerState {
        match self.status {
            BrokerStatus::Crashed => BrokerState::Crashed,
            BrokerStatus::Stopped => BrokerState::Stopped,
            BrokerStatus::Up if self.paused => BrokerState::Paused,
            BrokerStatus::Up if self.shutting_down => BrokerState::ShuttingDown,
            BrokerStatus::Up if self.fenced => BrokerState::Fenced,
            BrokerStatus::Up => BrokerState::Up,
        }
    }
}

/// A broker with its replicas (the JSON snapshot's broker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerSnapshot {
    /// Id, status and registration.
    #[serde(flatten)]
    pub summary: BrokerSummary,
    /// Its replicas, by partition.
    pub replicas: Vec<ReplicaSnapshot>,
}

/// A snapshot broker reads as its summary (`b.id`, `b.status`), like its flattened JSON.
impl std::ops::Deref for BrokerSnapshot {
    type Target = BrokerSummary;
    fn deref(&self) -> &BrokerSummary {
        &self.summary
    }
}

/// The controller's registration of a partition (PartitionRegistration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionSnapshot {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// The assigned replicas, preferred leader first.
    pub replicas: Vec<BrokerId>,
    /// The leader (`None`: offline).
    pub leader: Option<BrokerId>,
    /// The leader epoch.
    pub leader_epoch: Epoch,
    /// Bumped by every change of the registration.
    pub partition_epoch: i32,
    /// The committed ISR.
    pub isr: Vec<BrokerId>,
    /// KIP-704: after an unclean election, until the new leader has recovered.
    pub recovering: bool,
    /// KIP-966 eligible leader replicas (empty when ELR is off).
    #[serde(default)]
    pub elr: Vec<BrokerId>,
    /// `__consumer_offsets`.
    #[serde(default)]
    pub internal: bool,
}

/// The controller, without its partitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControllerSummary {
    /// The user paused it.
    pub paused: bool,
    /// Fenced brokers.
    pub fenced: Vec<BrokerId>,
    /// Leader elections so far.
    pub elections: u64,
    /// Of those, unclean ones.
    pub unclean_elections: u64,
    /// The `unclean.leader.election.enable` its elections use now: the configuration's, or the
    /// value the `unclean-leader-election` command set since.
    #[serde(default)]
    pub unclean_leader_election_enable: bool,
    /// Registered brokers the controller has not heard from for more than one and a half
    /// heartbeat intervals and has not fenced yet: it is waiting out `broker.session.timeout.ms`
    /// (R3.2), the countdown a learner waits through after a crash, a pause or a cut.
    #[serde(default)]
    pub silent: Vec<SilentBroker>,
}

/// A broker whose heartbeats stopped reaching the controller, before the session times out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilentBroker {
    /// The broker.
    pub broker: BrokerId,
    /// When the controller last heard from it.
    pub last_heartbeat: Millis,
    /// When its session times out and the controller fences it (and moves its leaderships):
    /// `last_heartbeat + broker.session.timeout.ms + 1` (the controller's session check).
    pub fenced_at: Millis,
}

/// A producer client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSnapshot {
    /// `p<id>`.
    pub id: u32,
    /// Record ids waiting in its accumulator.
    pub queued: Vec<u32>,
    /// Record ids sent and not answered yet.
    pub in_flight: Vec<u32>,
    /// The user paused it.
    pub paused: bool,
    /// Auto-produce is on.
    #[serde(default)]
    pub auto_produce: bool,
    /// Its records acknowledged so far.
    #[serde(default)]
    pub acked: usize,
    /// Its records lost so far.
    #[serde(default)]
    pub lost: usize,
    /// Its transactional state, when `transactional.id` is set (R6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction: Option<super::ProducerTxnView>,
    /// The error its last failed produce request got, if any (Kafka's name in the JSON, such as
    /// `NOT_ENOUGH_REPLICAS`): a broker's error code, `NETWORK_EXCEPTION` or
    /// `REQUEST_TIMED_OUT`, also when the record then expired (`delivery.timeout.ms`). It stays
    /// after later successes: it is the last one, not a current state.
    #[serde(default)]
    pub last_error: Option<ErrorCode>,
    /// When [`last_error`](Self::last_error) came, in virtual ms.
    #[serde(default)]
    pub last_error_at_ms: Option<Millis>,
    /// Its producer id, epoch and next sequence per partition when it is idempotent (or
    /// transactional, once InitProducerId answered); `None` otherwise (R5.2, KIP-98).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotence: Option<IdempotenceView>,
}

/// What an idempotent producer stamps on each batch (KIP-98, R5.2): its producer id and epoch,
/// and per partition the sequence number its next record gets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotenceView {
    /// The producer id (`producerId`).
    pub producer_id: i64,
    /// The producer epoch (`producerEpoch`): the highest of its partitions' epochs (Highwater
    /// bumps it per partition after a sequence gap, KIP-360; see `producer.rs`).
    pub epoch: i16,
    /// Per partition it has sent to, oldest partition first: the next sequence number.
    pub sequences: Vec<NextSequence>,
}

/// The next sequence number an idempotent producer gives a record of one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextSequence {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: u32,
    /// The sequence the next `send()` to this partition gets (0 for the first record).
    pub next: i32,
    /// The producer epoch of this partition's batches.
    pub epoch: i16,
}

/// A link with a fault: cut, or slowed down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkSnapshot {
    /// Sender side.
    pub from: NodeId,
    /// Receiver side.
    pub to: NodeId,
    /// Messages on it are lost.
    pub cut: bool,
    /// Latency added to it.
    pub extra_latency_ms: Millis,
}

impl Cluster {
    /// Every broker, without replicas.
    pub fn broker_summaries(&self) -> Vec<BrokerSummary> {
        self.brokers
            .iter()
            .map(|(id, slot)| BrokerSummary {
                id: *id,
                status: slot.status,
                paused: self.is_paused(NodeId::Broker(*id)),
                fenced: self.controller.brokers.get(id).is_some_and(|r| r.fenced),
                shutting_down: slot.status == BrokerStatus::Up && slot.broker.shutting_down,
                broker_epoch: slot.broker.broker_epoch,
                incarnation: slot.broker.incarnation,
            })
            .collect()
    }

    /// One broker, without replicas.
    pub fn broker_summary(&self, id: BrokerId) -> Option<BrokerSummary> {
        self.broker_summaries().into_iter().find(|b| b.id == id)
    }

    /// Every broker with its replicas and their records.
    pub fn broker_snapshots(&self) -> Vec<BrokerSnapshot> {
        self.broker_summaries()
            .into_iter()
            .map(|summary| {
                let slot = &self.brokers[&summary.id];
                BrokerSnapshot {
                    replicas: slot
                        .broker
                        .partitions
                        .values()
                        .map(|p| self.replica_snapshot(slot, p))
                        .collect(),
                    summary,
                }
            })
            .collect()
    }

    /// The broker ids, in order.
    pub fn broker_ids(&self) -> impl Iterator<Item = BrokerId> + '_ {
        self.brokers.keys().copied()
    }

    /// The controller's registration of every partition, `__consumer_offsets` included.
    pub fn partition_registrations(&self) -> Vec<PartitionSnapshot> {
        self.controller
            .partitions
            .values()
            .map(|r| PartitionSnapshot {
                topic: self.topic_name(r.tp).to_string(),
                partition: u32::from(r.tp.partition),
                replicas: r.replicas.clone(),
                leader: r.leader,
                leader_epoch: r.leader_epoch,
                partition_epoch: r.partition_epoch,
                isr: r.isr.clone(),
                recovering: r.recovering,
                elr: r.elr.clone(),
                internal: is_internal(&self.cfg, r.tp),
            })
            .collect()
    }

    /// The controller's counters and fenced brokers.
    pub fn controller_summary(&self) -> ControllerSummary {
        let ctrl = &self.controller;
        ControllerSummary {
            paused: self.is_paused(NodeId::Controller),
            fenced: ctrl
                .brokers
                .iter()
                .filter(|(_, r)| r.fenced)
                .map(|(b, _)| *b)
                .collect(),
            elections: ctrl.elections,
            unclean_elections: ctrl.unclean_elections,
            unclean_leader_election_enable: ctrl.unclean_leader_election_enable(&self.cfg),
            silent: self.silent_brokers(),
        }
    }

    /// [`ControllerSummary::silent`]: brokers more than 1.5 heartbeat intervals late, not fenced.
    fn silent_brokers(&self) -> Vec<SilentBroker> {
        let b = &self.cfg.broker;
        let late = b.broker_heartbeat_interval_ms + b.broker_heartbeat_interval_ms / 2;
        let now = self.now();
        self.controller
            .brokers
            .iter()
            .filter(|(_, r)| !r.fenced && now > r.last_heartbeat + late)
            .map(|(broker, r)| SilentBroker {
                broker: *broker,
                last_heartbeat: r.last_heartbeat,
                fenced_at: r.last_heartbeat + b.broker_session_timeout_ms + 1,
            })
            .collect()
    }

    /// Every producer.
    pub fn producer_snapshots(&self) -> Vec<ProducerSnapshot> {
        let n = self.producers.len();
        let (mut acked, mut lost) = (vec![0; n], vec![0; n]);
        for e in &self.ledger.entries {
            if let Some(i) = (e.producer as usize).checked_sub(1).filter(|i| *i < n) {
                acked[i] += usize::from(e.acked.is_some());
                lost[i] += usize::from(e.lost.is_some());
            }
        }
        let auto: Vec<NodeId> = self
            .pending_timers()
            .filter(|(_, k, _)| *k == TimerKind::AutoProduce)
            .map(|(n, _, _)| n)
            .collect();
        self.producers
            .iter()
            .enumerate()
            .map(|(i, p)| ProducerSnapshot {
                id: p.id,
                queued: p.queued().map(|r| r.id).collect(),
                in_flight: p.in_flight.values().map(|f| f.record.id).collect(),
                paused: self.is_paused(NodeId::Producer(p.id)),
                auto_produce: auto.contains(&NodeId::Producer(p.id)),
                acked: acked[i],
                lost: lost[i],
                transaction: self.producer_txn(p.id),
                last_error: p.last_error.0.map(|(e, _)| e),
                last_error_at_ms: p.last_error.0.map(|(_, at)| at),
                idempotence: self.idempotence_view(p),
            })
            .collect()
    }

    /// [`ProducerSnapshot::idempotence`]: a transactional producer's id and epoch come from
    /// InitProducerId (none before its answer), an idempotent one's from the producer itself.
    fn idempotence_view(&self, p: &crate::producer::Producer) -> Option<IdempotenceView> {
        let txn_epoch = match &p.txn {
            Some(t) if t.producer_id < 0 => return None,
            Some(t) => Some((t.producer_id, t.producer_epoch)),
            None if self.cfg.enable_idempotence() => None,
            None => return None,
        };
        let sequences: Vec<NextSequence> = p
            .sequence_numbers()
            .map(|(tp, next, epoch)| NextSequence {
                topic: self.topic_name(tp).to_string(),
                partition: u32::from(tp.partition),
                next,
                epoch: txn_epoch.map_or(epoch, |(_, e)| e),
            })
            .collect();
        let (producer_id, epoch) = txn_epoch.unwrap_or_else(|| {
            let epoch = sequences.iter().map(|s| s.epoch).max().unwrap_or(0);
            (p.producer_id, epoch)
        });
        Some(IdempotenceView {
            producer_id,
            epoch,
            sequences,
        })
    }

    /// Cut and slowed links.
    pub fn links(&self) -> Vec<LinkSnapshot> {
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
        links
    }
}
