//! The consume-transform-produce pipeline as every face shows it (R6.8): its settings, each
//! instance's phase and commits, and the per-input verdicts summed up — how many inputs a
//! read_committed reader of the output sees once, twice or not yet, and the external writes.

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::pipeline::AppPhase;

/// One instance of the application: a consumer and its producer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineInstanceView {
    /// Its consumer `cN`.
    pub consumer: u32,
    /// Its producer `p<producers + N>`.
    pub producer: u32,
    /// Where it is in its loop.
    pub phase: AppPhase,
    /// The phase in words.
    pub phase_text: String,
    /// Batches committed (transactions, or flush + offset commit).
    pub commits: u32,
    /// Batches aborted and processed again.
    pub aborts: u32,
}

/// The pipeline's settings, instances and verdicts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineView {
    /// The input topic.
    pub input: String,
    /// The output topic.
    pub output: String,
    /// `processing.guarantee` as StreamsConfig spells it.
    pub guarantee: String,
    /// Whether processing also writes to an external system.
    pub external_write: bool,
    /// The instances.
    pub instances: Vec<PipelineInstanceView>,
    /// Input records processed at least once.
    pub processed: usize,
    /// Of those, how many have exactly one visible output.
    pub once: usize,
    /// How many have more than one.
    pub duplicated: usize,
    /// How many have none visible yet.
    pub pending: usize,
    /// Inputs written to the external system more than once.
    pub external_duplicates: usize,
}

impl Cluster {
    /// The pipeline, in a run with `[pipeline]`.
    pub fn pipeline(&self) -> Option<PipelineView> {
        let pl = self.config().pipeline.as_ref()?;
        let transactional = self.config().transactional();
        let ledger = self.ledger();
        let mut v = PipelineView {
            input: pl.input.clone(),
            output: pl.output.clone(),
            guarantee: pl.processing_guarantee.name().to_string(),
            external_write: pl.external_write,
            instances: self
                .pipeline_instances()
                .iter()
                .map(|a| PipelineInstanceView {
                    consumer: a.consumer,
                    producer: a.producer,
                    phase: a.phase,
                    phase_text: a.phase.name().to_string(),
                    commits: a.commits,
                    aborts: a.aborts,
                })
                .collect(),
            processed: 0,
            once: 0,
            duplicated: 0,
            pending: 0,
            external_duplicates: 0,
        };
        let input = pl.input_topic(self.config());
        for e in &ledger.entries {
            if Some(e.tp.topic) != input || e.source.is_some() || e.consumed.is_empty() {
                continue;
            }
            v.processed += 1;
            match ledger.visible_outputs(e.id, transactional) {
                0 => v.pending += 1,
                1 => v.once += 1,
                _ => v.duplicated += 1,
            }
            if e.external_writes > 1 {
                v.external_duplicates += 1;
            }
        }
        Some(v)
    }
}
