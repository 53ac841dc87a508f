//! The fixed shape of a run (brokers, producers, partitions, consumers): below the view model,
//! so that every part of the view (and the group's) can name it without importing each other.

use highwater_core::cluster::Cluster;
use highwater_core::config::ClusterConfig;
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
    pub replicas: Vec<BrokerId>,
}

impl Topology {
    pub fn build(c: &Cluster) -> Topology {
        // Every partition, `__consumer_offsets` included (last: its topic index follows the
        // configured topics), so that its log strips are drawn like the others.
        let partitions = c
            .all_partitions()
            .map(|tp| PartitionInfo {
                tp,
                label: format!("{}-{}", c.topic_name(tp), tp.partition),
                replicas: c
                    .controller()
                    .partitions
                    .get(&tp)
                    .map(|r| r.replicas.clone())
                    .unwrap_or_default(),
            })
            .collect();
        Topology {
            config: c.config().clone(),
            seed: c.seed(),
            brokers: c.brokers().map(|(id, _)| *id).collect(),
            producers: (1..=c.config().producers).collect(),
            partitions,
            consumers: c.consumers().iter().map(|k| k.consumer.id).collect(),
        }
    }

    pub fn part_index(&self, tp: TopicPartition) -> Option<usize> {
        self.partitions.iter().position(|p| p.tp == tp)
    }
}
