//! A consume-transform-produce application (KAFKA-SEMANTICS §6, R6.8; Kafka Streams'
//! StreamThread in miniature): each consumer `cN` of the group is one *instance* of the
//! application, paired with a producer of its own (`p<producers + N>`). For every input record it
//! polls, it writes one output record (the value upper-cased, the key kept) to the output topic,
//! then commits:
//!
//! - `at_least_once` (Kafka Streams' default): flush the producer, then commit the input offsets
//!   with OffsetCommit. A crash between the two replays the batch: duplicates in the output.
//! - `exactly_once_v2` (KIP-447): the outputs and the input offsets go into one transaction
//!   (beginTransaction, sends, sendOffsetsToTransaction, commitTransaction); an abort or a crash
//!   leaves no visible output and no committed offset, and the batch is processed again.
//!
//! With `external_write`, processing a record also writes to an external system (a database,
//! an e-mail): a side effect outside Kafka that a transaction cannot take back, so a replayed
//! batch writes twice even under exactly-once.
//!
//! This module holds the configuration and the instance's state machine; `cluster/pipeline.rs`
//! moves records and calls between the instance's consumer and producer.
//!
//! Simplifications (ARCHITECTURE.md): one input and one output topic; the output keeps the
//! input's partition number (modulo the output's partitions) instead of re-partitioning by key;
//! every instance uses the same `transactional.id` (`<application.id>-0`, the run's one
//! transactional id), so a second running instance fences the first, as two copies of one
//! Streams instance would; a fenced instance stops (Kafka Streams would close the task and
//! rejoin).

use serde::{Deserialize, Serialize};

use crate::config::ClusterConfig;
use crate::types::{Offset, TopicPartition};
use crate::version::KafkaVersion;

/// `processing.guarantee` (StreamsConfig).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingGuarantee {
    /// Flush the outputs, then commit the input offsets (Kafka Streams' default).
    #[default]
    AtLeastOnce,
    /// Outputs and input offsets in one transaction (KIP-447).
    ExactlyOnceV2,
}

impl ProcessingGuarantee {
    /// The setting's value as StreamsConfig spells it.
    pub fn name(self) -> &'static str {
        match self {
            ProcessingGuarantee::AtLeastOnce => "at_least_once",
            ProcessingGuarantee::ExactlyOnceV2 => "exactly_once_v2",
        }
    }
}

/// `[pipeline]`: the application the consumers run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PipelineConfig {
    /// `application.id`: names the application; the transactional id derives from it.
    #[serde(rename = "application.id", alias = "application_id")]
    pub application_id: String,
    /// The topic the application reads.
    pub input: String,
    /// The topic it writes.
    pub output: String,
    /// `processing.guarantee`.
    #[serde(rename = "processing.guarantee", alias = "processing_guarantee")]
    pub processing_guarantee: ProcessingGuarantee,
    /// Processing also writes each record to an external system (not a Kafka setting).
    #[serde(rename = "external.write", alias = "external_write")]
    pub external_write: bool,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            application_id: "app".into(),
            input: String::new(),
            output: String::new(),
            processing_guarantee: ProcessingGuarantee::AtLeastOnce,
            external_write: false,
        }
    }
}

impl PipelineConfig {
    /// Whether the guarantee is `exactly_once_v2`.
    pub fn exactly_once(&self) -> bool {
        self.processing_guarantee == ProcessingGuarantee::ExactlyOnceV2
    }

    /// The instances' `transactional.id`.
    pub fn transactional_id(&self) -> String {
        format!("{}-0", self.application_id)
    }

    /// The input topic's index.
    pub fn input_topic(&self, cfg: &ClusterConfig) -> Option<u16> {
        cfg.topics
            .iter()
            .position(|t| t.name == self.input)
            .map(|i| i as u16)
    }

    /// The output topic's index.
    pub fn output_topic(&self, cfg: &ClusterConfig) -> Option<u16> {
        cfg.topics
            .iter()
            .position(|t| t.name == self.output)
            .map(|i| i as u16)
    }

    /// The output partition of a record read from `input`: the same partition number, modulo
    /// the output's partitions (a simplification: Kafka Streams re-partitions by key).
    pub fn output_partition(&self, cfg: &ClusterConfig, input: TopicPartition) -> TopicPartition {
        let topic = self.output_topic(cfg).unwrap_or(0);
        let n = cfg.topics[topic as usize].partitions.max(1);
        TopicPartition {
            topic,
            partition: (u32::from(input.partition) % n) as u16,
        }
    }

    /// Why the configuration cannot run this pipeline, in words.
    pub fn validate(&self, cfg: &ClusterConfig) -> Result<(), String> {
        if cfg.consumers == 0 {
            return Err(
                "[pipeline] runs in the consumers: set consumers = 1 or more (one instance each)"
                    .into(),
            );
        }
        if self.application_id.is_empty() || self.application_id.chars().count() > 32 {
            return Err("pipeline application.id must have 1 to 32 characters".into());
        }
        for (what, name) in [("input", &self.input), ("output", &self.output)] {
            if name.is_empty() {
                return Err(format!("pipeline {what} must name a topic"));
            }
            if !cfg.topics.iter().any(|t| &t.name == name) {
                return Err(format!(
                    "pipeline {what} {name:?} is not a topic of this run (topics: {})",
                    cfg.topics
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if self.input == self.output {
            return Err("pipeline input and output must be different topics".into());
        }
        if cfg.producers + cfg.consumers > 16 {
            return Err(format!(
                "each pipeline instance has its own producer: producers + consumers must be at most 16, not {}",
                cfg.producers + cfg.consumers
            ));
        }
        if self.exactly_once() {
            if cfg.producer.transactional_id.is_some() {
                return Err("a run has one transactional.id: remove the producers' transactional.id or use processing.guarantee = \"at_least_once\"".into());
            }
            if cfg.kafka_version < KafkaVersion::V3_0 {
                return Err(format!(
                    "processing.guarantee = \"exactly_once_v2\" needs Kafka 3.0 or later (KIP-447, KIP-732); kafka.version is {}",
                    cfg.kafka_version
                ));
            }
            if cfg.producer.enable_idempotence == Some(false) {
                return Err(
                    "exactly_once_v2 needs idempotent producers; remove enable.idempotence = false"
                        .into(),
                );
            }
            if cfg.acks() != crate::config::Acks::All {
                return Err("exactly_once_v2 needs acks=all (StreamsConfig sets it)".into());
            }
        }
        Ok(())
    }
}

/// Where an instance is in its loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppPhase {
    /// `exactly_once_v2`: initTransactions() runs before the consumer starts.
    Starting,
    /// Polling and processing.
    Running,
    /// at_least_once: the batch is processed, waiting for the producer to flush before the
    /// offsets are committed.
    Flushing,
    /// exactly_once_v2: sendOffsetsToTransaction and commitTransaction are under way.
    Committing,
    /// exactly_once_v2: the transaction is being aborted; the batch is processed again.
    Aborting,
    /// The producer was fenced: a newer instance owns the transactional id; this one stopped.
    Fenced,
    /// Crashed or stopped.
    Down,
}

impl AppPhase {
    /// The phase in words, for the page.
    pub fn name(self) -> &'static str {
        match self {
            AppPhase::Starting => "initTransactions",
            AppPhase::Running => "processing",
            AppPhase::Flushing => "flushing before the offset commit",
            AppPhase::Committing => "committing the transaction",
            AppPhase::Aborting => "aborting the transaction",
            AppPhase::Fenced => "fenced: stopped",
            AppPhase::Down => "down",
        }
    }
}

/// One running instance of the application.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppInstance {
    /// Its consumer, `cN`.
    pub consumer: u32,
    /// Its producer, `p<producers + N>`.
    pub producer: u32,
    /// Where it is.
    pub phase: AppPhase,
    /// The processed batch's offsets, waiting to be committed, with the group generation and
    /// member id they were read under.
    pub batch: Option<ProcessedBatch>,
    /// Input records processed whose output is not sent yet.
    pub to_send: Vec<crate::log::RecordId>,
    /// An output of the current batch failed for good: the batch is not committed but
    /// processed again (Kafka Streams' default production exception handler fails the task).
    pub send_failed: bool,
    /// Transactions (or offset commits, at least once) completed.
    pub commits: u32,
    /// Transactions aborted.
    pub aborts: u32,
    /// How many times it was (re)started: request ids of a new incarnation never match an old
    /// one's answers.
    pub incarnation: u32,
}

/// A batch the consumer finished processing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProcessedBatch {
    /// The positions to commit.
    pub offsets: Vec<(TopicPartition, Offset)>,
    /// The generation it was read in.
    pub generation: i32,
    /// The consumer's member id.
    pub member_id: String,
}

impl AppInstance {
    /// Instance `n` (1-based) of a run with `producers` configured producers.
    pub fn new(n: u32, producers: u32, exactly_once: bool) -> Self {
        AppInstance {
            consumer: n,
            producer: producers + n,
            phase: if exactly_once {
                AppPhase::Starting
            } else {
                AppPhase::Running
            },
            batch: None,
            to_send: Vec::new(),
            send_failed: false,
            commits: 0,
            aborts: 0,
            incarnation: 0,
        }
    }
}

/// The output value of an input value: its letters a–z upper-cased, as
/// `mapValues(String::toUpperCase)` does to them. A simplification: other characters pass
/// unchanged (`é` stays `é`), so that no wasm module carries Unicode's case tables (8 KB of gzip
/// each, BENCHMARKS.md, session 20). The transform is the application's, not Kafka's: it only
/// makes an output tell apart from its input.
pub fn transform(value: &str) -> String {
    value.to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TopicConfig;

    #[test]
    fn the_transform_upper_cases_ascii_letters_only() {
        assert_eq!(transform("order a-1"), "ORDER A-1");
        assert_eq!(transform("café ß"), "CAFé ß");
    }

    fn cfg(guarantee: &str) -> ClusterConfig {
        let mut c = ClusterConfig {
            consumers: 1,
            ..ClusterConfig::default()
        };
        c.topics = vec![
            TopicConfig {
                name: "in".into(),
                ..TopicConfig::default()
            },
            TopicConfig {
                name: "out".into(),
                partitions: 2,
                ..TopicConfig::default()
            },
        ];
        c.pipeline = Some(PipelineConfig {
            input: "in".into(),
            output: "out".into(),
            processing_guarantee: if guarantee == "eos" {
                ProcessingGuarantee::ExactlyOnceV2
            } else {
                ProcessingGuarantee::AtLeastOnce
            },
            ..PipelineConfig::default()
        });
        c
    }

    #[test]
    fn exactly_once_makes_the_run_transactional_and_read_committed() {
        let c = cfg("eos");
        assert!(c.validate().is_ok());
        assert_eq!(c.transactional_id().as_deref(), Some("app-0"));
        assert_eq!(
            c.isolation_level(),
            crate::txn::isolation::IsolationLevel::ReadCommitted
        );
        let c = cfg("alo");
        assert!(c.validate().is_ok());
        assert!(!c.transactional());
    }

    #[test]
    fn bad_pipelines_are_refused_in_words() {
        let mut c = cfg("eos");
        c.pipeline.as_mut().unwrap().output = "in".into();
        assert!(c.validate().unwrap_err().0.contains("different topics"));
        let mut c = cfg("eos");
        c.pipeline.as_mut().unwrap().input = "nope".into();
        assert!(c.validate().unwrap_err().0.contains("not a topic"));
        let mut c = cfg("eos");
        c.consumers = 0;
        assert!(c.validate().unwrap_err().0.contains("consumers = 1"));
        let mut c = cfg("eos");
        c.producer.transactional_id = Some("x".into());
        assert!(c.validate().unwrap_err().0.contains("one transactional.id"));
        let mut c = cfg("eos");
        c.kafka_version = KafkaVersion::V2_3;
        assert!(c.validate().unwrap_err().0.contains("3.0 or later"));
    }

    #[test]
    fn the_output_keeps_the_partition_number_modulo_the_output_partitions() {
        let c = cfg("eos");
        let p = c.pipeline.clone().unwrap();
        let tp = |partition| TopicPartition {
            topic: 0,
            partition,
        };
        assert_eq!(p.output_partition(&c, tp(0)).partition, 0);
        assert_eq!(p.output_partition(&c, tp(3)).partition, 1);
        assert_eq!(p.output_partition(&c, tp(3)).topic, 1);
    }
}
