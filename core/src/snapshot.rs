//! The serialisable picture of the whole cluster at one step, composed of the read model's parts
//! ([`crate::read_model`]): what `highwater run --json` prints, what the JS API's `snapshot()`
//! returns. Its JSON shape is versioned ([`SCHEMA_VERSION`], changelog in `docs/JS-API.md`).

use crate::vec_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::coordinator::is_internal;
use crate::ledger::LedgerEntry;
pub use crate::read_model::*;
use crate::types::{BrokerId, Millis};

/// The whole cluster at one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The version of this JSON shape ([`SCHEMA_VERSION`]); absent (0) before version 2.
    #[serde(default)]
    pub schema_version: u32,
    /// Steps taken so far.
    pub step: u64,
    /// Virtual time.
    pub time: Millis,
    /// The run's seed.
    pub seed: u64,
    /// Every broker with its replicas.
    pub brokers: Vec<BrokerSnapshot>,
    /// The controller's registration of every partition.
    pub partitions: Vec<PartitionSnapshot>,
    /// The controller's counters and fenced brokers.
    #[serde(default = "no_controller")]
    pub controller: ControllerSummary,
    /// Every producer.
    pub producers: Vec<ProducerSnapshot>,
    /// Messages on the wire, in delivery order.
    pub messages: Vec<MessageSnapshot>,
    /// Cut or slowed links.
    pub links: Vec<LinkSnapshot>,
    /// Every record the application sent (index = record id).
    pub ledger: Vec<LedgerEntry>,
    /// For each record id of the ledger, the brokers whose log holds a copy now (ledger item
    /// "on which replicas").
    pub record_replicas: VecMap<u32, Vec<BrokerId>>,
    /// Every invariant's status.
    pub invariants: Vec<InvariantStatus>,
    /// Consumers `c1`, `c2`, … (empty in runs without consumers).
    #[serde(default)]
    pub consumers: Vec<ConsumerSnapshot>,
    /// The consumer group as its coordinator sees it (none without consumers, or while no
    /// broker coordinates it).
    #[serde(default)]
    pub group: Option<GroupSnapshot>,
    /// The consumers' deduplicating sink, in runs whose consumers set `dedup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sink: Option<crate::read_model::DedupSinkView>,
    /// The transaction coordinator's view, in runs with a `transactional.id` (R6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<crate::read_model::TransactionsView>,
    /// The consume-transform-produce pipeline, in runs with `[pipeline]` (R6.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<crate::read_model::PipelineView>,
    /// Produce-to-acknowledgement latency per `acks` setting.
    #[serde(default)]
    pub ack_latency: crate::read_model::AckLatency,
}

/// A run and the state it reaches: what `Simulation.toJSON()` and `highwater export --json`
/// give. `run` replays to `snapshot` (`Simulation.fromFragment`, `Timeline::from_run`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunDocument {
    /// The configuration, seed and inputs up to the current step.
    pub run: crate::timeline::Run,
    /// The cluster at the end of `run`.
    pub snapshot: Snapshot,
}

fn no_controller() -> ControllerSummary {
    ControllerSummary {
        paused: false,
        fenced: vec![],
        elections: 0,
        unclean_elections: 0,
        unclean_leader_election_enable: false,
        silent: vec![],
    }
}

impl Cluster {
    /// The whole picture at the current step.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            schema_version: SCHEMA_VERSION,
            step: self.step_count(),
            time: self.now(),
            seed: self.seed(),
            brokers: self.broker_snapshots(),
            partitions: self.partition_registrations(),
            controller: self.controller_summary(),
            producers: self.producer_snapshots(),
            messages: self.messages().map(|m| m.snapshot()).collect(),
            links: self.links(),
            ledger: self.ledger.entries.clone(),
            record_replicas: self.record_replicas(),
            invariants: self.invariants().to_vec(),
            consumers: self.consumer_snapshots(),
            group: self.group_snapshot(),
            sink: self.dedup_sink(),
            transactions: self.transactions(),
            pipeline: self.pipeline(),
            ack_latency: self.ack_latency(),
        }
    }

    /// For each record id of the ledger, the brokers whose log holds a copy now.
    pub fn record_replicas(&self) -> VecMap<u32, Vec<BrokerId>> {
        let mut out: VecMap<u32, Vec<BrokerId>> = VecMap::new();
        for (b, slot) in &self.brokers {
            for p in slot.broker.partitions.values() {
                if is_internal(&self.cfg, p.tp) {
                    continue;
                }
                for r in p.log.records() {
                    if matches!(r.txn, crate::txn::RecordTxn::Control(_)) {
                        continue; // a marker is not a ledger record
                    }
                    let holders = out.entry(r.id).or_default();
                    if holders.last() != Some(b) {
                        holders.push(*b);
                    }
                }
            }
        }
        out
    }
}
