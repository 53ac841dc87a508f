//! What a tutorial step's narration says the picture shows: `shows = [...]` in a chapter step.
//! A claim names an element of the picture by its facts (a record on a consumer's card, the
//! sink's contents, an idempotent producer's numbering, a Produce request's sequence); it is
//! checked against the read model at the end of the step (`core/tests/tutorials.rs`), and the
//! page's e2e test (`e2e/claims.spec.mjs`) finds the element in the drawn picture.

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::read_model::MessageKind;
use crate::types::NodeId;

/// One thing the picture shows at the end of a step, written as an inline table:
/// `shows = [{ processed = { consumer = "c1", record = "a", times = 2 } }]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Claim {
    /// The consumer's card lists the record as processed `times` times (`a ×2`).
    Processed {
        /// The consumer (`c1`).
        consumer: NodeId,
        /// The record's value.
        record: String,
        /// How many times its application processed it.
        times: u32,
    },
    /// The sink box holds exactly the `kept` records and lists the `dropped` ones as dropped
    /// duplicates (consumers with `dedup = true`).
    Sink {
        /// The values of the records it holds, in record order.
        kept: Vec<String>,
        /// The values of the records whose duplicate writes it dropped, in record order.
        dropped: Vec<String>,
    },
    /// The idempotent producer's card shows its producer epoch and the next sequence of the
    /// first partition (R5.2, KIP-98).
    Idempotence {
        /// The producer (`p1`).
        producer: NodeId,
        /// Its producer epoch.
        epoch: i16,
        /// The sequence number its next record of the first partition gets.
        next_sequence: i32,
    },
    /// A Produce request of this producer with this sequence number is on the wire (its badge
    /// reads `s0`).
    ProduceSequence {
        /// The producer (`p1`).
        producer: NodeId,
        /// The batch's sequence number.
        sequence: i32,
    },
}

impl Claim {
    /// Whether the claim holds in `cluster`: `Err` says what the picture shows instead.
    pub fn check(&self, cluster: &Cluster) -> Result<(), String> {
        match self {
            Claim::Processed {
                consumer,
                record,
                times,
            } => {
                let NodeId::Consumer(id) = *consumer else {
                    return Err(format!("{consumer} is not a consumer"));
                };
                let k = cluster
                    .consumer_snapshot(id)
                    .ok_or_else(|| format!("there is no consumer {consumer}"))?;
                let seen = k
                    .records
                    .iter()
                    .find(|r| r.value == *record)
                    .map(|r| r.times);
                match seen {
                    Some(n) if n == *times => Ok(()),
                    Some(n) => Err(format!("{consumer} processed {record} {n} times")),
                    None => Err(format!("{consumer} has not processed {record}")),
                }
            }
            Claim::Sink { kept, dropped } => {
                let sink = cluster
                    .dedup_sink()
                    .ok_or("this run has no deduplicating sink (dedup = true)")?;
                let values = |v: &[crate::read_model::SinkRecord]| -> Vec<String> {
                    v.iter().map(|r| r.value.clone()).collect()
                };
                let (k, d) = (values(&sink.kept), values(&sink.dropped));
                if k == *kept && d == *dropped {
                    Ok(())
                } else {
                    Err(format!("the sink holds {k:?} and dropped {d:?}"))
                }
            }
            Claim::Idempotence {
                producer,
                epoch,
                next_sequence,
            } => {
                let NodeId::Producer(id) = *producer else {
                    return Err(format!("{producer} is not a producer"));
                };
                let p = cluster
                    .producer_snapshots()
                    .into_iter()
                    .find(|p| p.id == id)
                    .ok_or_else(|| format!("there is no producer {producer}"))?;
                let i = p
                    .idempotence
                    .ok_or_else(|| format!("{producer} is not idempotent"))?;
                let next = i.sequences.first().map_or(0, |s| s.next);
                if i.epoch == *epoch && next == *next_sequence {
                    Ok(())
                } else {
                    Err(format!(
                        "{producer} has epoch {} and next sequence {next}",
                        i.epoch
                    ))
                }
            }
            Claim::ProduceSequence { producer, sequence } => {
                let on_wire: Vec<i32> = cluster
                    .messages()
                    .filter(|m| m.kind() == MessageKind::Produce)
                    .map(|m| m.snapshot())
                    .filter(|m| m.from == *producer)
                    .filter_map(|m| m.sequence)
                    .collect();
                if on_wire.contains(sequence) {
                    Ok(())
                } else {
                    Err(format!(
                        "{producer}'s Produce requests on the wire carry sequences {on_wire:?}"
                    ))
                }
            }
        }
    }

    /// The same claim made false (one more processing, one more sequence, the epoch after,
    /// a sink dropping a record it did not, a sequence no request carries): what the tests use to show a check is not vacuous.
    pub fn falsified(&self) -> Claim {
        let mut c = self.clone();
        match &mut c {
            Claim::Processed { times, .. } => *times += 1,
            Claim::Sink { dropped, .. } => dropped.push("?".to_string()),
            Claim::Idempotence { next_sequence, .. } => *next_sequence += 1,
            Claim::ProduceSequence { sequence, .. } => *sequence = -1,
        }
        c
    }
}
