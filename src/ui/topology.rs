//! The fixed shape of a run (brokers, producers, partitions, consumers): below the view model,
//! so that every part of the view (and the group's) can name it without importing each other.

use highwater_core::cluster::Cluster;
use highwater_core::config::ClusterConfig;
use highwater_core::coordinator;
use highwater_core::types::{BrokerId, TopicPartition};

/// The fixed shape of a run: brokers, producers, partitions and their replicas.
#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    pub config: ClusterConfig,
    pub seed: u64,
    pub brokers: Vec<BrokerId>,
    pub producers: Vec<u32>,
    pub partitions: Vec<PartitionInfo>,
    /// Consumers `c1`, … (empty without consumers; grows with "add a consumer").
    pub consumers: Vec<u32>,
}
// ClusterConfig holds no floating-point numbers: equality is reflexive.
impl Eq for Topology {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionInfo {
    pub tp: TopicPartition,
    /// `t-0`: topic name and partition number, as Kafka tools print them.
    pub label: String,
    /// The topic's name (the read model names partitions by topic name and number).
    pub topic: String,
    pub replicas: Vec<BrokerId>,
    /// An internal topic's partition (`__consumer_offsets`, `__transaction_state`): the picture
    /// labels those rows on its own, and the coordinator's badge stands for them on the
    /// controller's line.
    pub internal: bool,
}

impl PartitionInfo {
    /// Whether this is partition `partition` of topic `topic`.
    pub fn is(&self, topic: &str, partition: u32) -> bool {
        u32::from(self.tp.partition) == partition && self.topic == topic
    }
}

impl Topology {
    pub fn build(c: &Cluster) -> Topology {
        // Every partition, `__consumer_offsets` included (last: its topic index follows the
        // configured topics), so that its log strips are drawn like the others.
        let registrations = c.partition_registrations();
        let partitions = c
            .all_partitions()
            .map(|tp| {
                let topic = c.topic_name(tp).to_string();
                let partition = u32::from(tp.partition);
                PartitionInfo {
                    tp,
                    internal: coordinator::is_internal(c.config(), tp),
                    label: format!("{topic}-{partition}"),
                    replicas: registrations
                        .iter()
                        .find(|r| r.partition == partition && r.topic == topic)
                        .map(|r| r.replicas.clone())
                        .unwrap_or_default(),
                    topic,
                }
            })
            .collect();
        Topology {
            config: c.config().clone(),
            seed: c.seed(),
            brokers: c.broker_ids().collect(),
            // Configured producers, then each pipeline instance's own.
            producers: (1..=c.producers().len() as u32).collect(),
            partitions,
            consumers: c.consumer_ids().collect(),
        }
    }

    /// Whether `c` is still this run (same seed and config, same consumers): then the
    /// topology is reused.
    pub fn same_run(&self, c: &Cluster) -> bool {
        self.seed == c.seed()
            && self.config == *c.config()
            && self.consumers.len() == c.consumer_ids().count()
    }

    pub fn part_index(&self, tp: TopicPartition) -> Option<usize> {
        self.partitions.iter().position(|p| p.tp == tp)
    }

    /// The index of partition `partition` of topic `topic`.
    pub fn part_index_named(&self, topic: &str, partition: u32) -> Option<usize> {
        self.partitions.iter().position(|p| p.is(topic, partition))
    }
}
