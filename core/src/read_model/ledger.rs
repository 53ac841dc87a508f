//! The ledger as every face shows it: one row per record with its status, the totals, and the
//! consumer verdicts.

use std::fmt;

use crate::vec_map::VecSet;

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::ledger::LedgerEntry;

/// The furthest state a record reached, for tables (lost first, then failed, committed, acked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordStatus {
    /// In the producer's accumulator.
    #[serde(rename = "queued")]
    Queued,
    /// Sent, not answered yet.
    #[serde(rename = "in flight")]
    InFlight,
    /// The producer reported success.
    #[serde(rename = "acked")]
    Acked,
    /// Below a leader's HW, not (yet) acknowledged.
    #[serde(rename = "committed")]
    Committed,
    /// Acknowledged and committed.
    #[serde(rename = "acked + committed")]
    AckedCommitted,
    /// The producer gave up.
    #[serde(rename = "failed")]
    Failed,
    /// The producer gave up, yet a leader committed it (a retry's "unknown" outcome).
    #[serde(rename = "failed but committed")]
    FailedButCommitted,
    /// Acknowledged or committed, then gone from the partition leader's log.
    #[serde(rename = "lost")]
    Lost,
    /// Written in a transaction that was aborted: in the log, never read at read_committed (R6.7).
    #[serde(rename = "aborted")]
    Aborted,
}

impl RecordStatus {
    /// The status of a ledger entry.
    pub fn of(e: &LedgerEntry) -> RecordStatus {
        if e.lost.is_some() {
            RecordStatus::Lost
        } else if e.aborted.is_some() {
            RecordStatus::Aborted
        } else if e.failed.is_some() && e.committed.is_some() {
            RecordStatus::FailedButCommitted
        } else if e.failed.is_some() {
            RecordStatus::Failed
        } else if e.committed.is_some() && e.acked.is_some() {
            RecordStatus::AckedCommitted
        } else if e.committed.is_some() {
            RecordStatus::Committed
        } else if e.acked.is_some() {
            RecordStatus::Acked
        } else if e.attempts > 0 {
            RecordStatus::InFlight
        } else {
            RecordStatus::Queued
        }
    }

    /// The JSON value: `"queued"`, `"in flight"`, `"acked"`, `"committed"`,
    /// `"acked + committed"`, `"failed"`, `"failed but committed"`, `"lost"` or `"aborted"`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Queued => "queued",
            RecordStatus::InFlight => "in flight",
            RecordStatus::Acked => "acked",
            RecordStatus::Committed => "committed",
            RecordStatus::AckedCommitted => "acked + committed",
            RecordStatus::Failed => "failed",
            RecordStatus::FailedButCommitted => "failed but committed",
            RecordStatus::Lost => "lost",
            RecordStatus::Aborted => "aborted",
        }
    }
}

impl fmt::Display for RecordStatus {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ledger row: the entry, its topic's name and partition, and its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerRow<'a> {
    /// Everything the ledger knows of the record.
    #[serde(flatten)]
    pub entry: &'a LedgerEntry,
    /// Topic name.
    pub topic: &'a str,
    /// Partition number.
    pub partition: u16,
    /// The furthest state reached.
    pub status: RecordStatus,
    /// For a pipeline's input record that has outputs: how many a read_committed reader of the
    /// output topic sees (1 is exactly once, R6.8).
    pub visible_outputs: Option<usize>,
}

/// Ledger totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LedgerCounts {
    /// Records the application sent.
    pub produced: usize,
    /// Of those, acknowledged.
    pub acked: usize,
    /// Committed (below a leader's HW once).
    pub committed: usize,
    /// Lost.
    pub lost: usize,
    /// Appended twice.
    pub duplicated: usize,
    /// Given up by the producer.
    pub failed: usize,
}

/// What the consumers did with the records (ledger item 4, R7.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerVerdicts {
    /// Records processed at least once.
    pub processed: usize,
    /// Committed records the group skipped (its committed offset passed them unprocessed).
    pub lost: VecSet<u32>,
    /// Records processed more than once.
    pub twice: VecSet<u32>,
    /// Records processed after a later record of the same producer and partition.
    pub out_of_order: VecSet<u32>,
    /// Records the dedup sink dropped at least once.
    pub dedup_skipped: usize,
    /// Committed records deleted by retention or DeleteRecords before the group processed them.
    pub deleted_unread: VecSet<u32>,
}

impl Cluster {
    /// The ledger row of every record, oldest first (index = record id).
    pub fn ledger_rows(
        &self,
    ) -> impl DoubleEndedIterator<Item = LedgerRow<'_>> + ExactSizeIterator {
        self.ledger.entries.iter().map(|e| self.ledger_row(e))
    }

    /// One record's ledger row.
    pub fn ledger_record(&self, id: u32) -> Option<LedgerRow<'_>> {
        self.ledger.get(id).map(|e| self.ledger_row(e))
    }

    fn ledger_row<'a>(&'a self, e: &'a LedgerEntry) -> LedgerRow<'a> {
        LedgerRow {
            entry: e,
            topic: self.topic_name(e.tp),
            partition: e.tp.partition,
            status: RecordStatus::of(e),
            visible_outputs: (!e.outputs.is_empty())
                .then(|| self.ledger.visible_outputs(e.id, self.cfg.transactional())),
        }
    }

    /// The ledger's totals.
    pub fn ledger_counts(&self) -> LedgerCounts {
        let mut v = LedgerCounts::default();
        for e in &self.ledger.entries {
            v.produced += 1;
            v.acked += usize::from(e.acked.is_some());
            v.committed += usize::from(e.committed.is_some());
            v.lost += usize::from(e.lost.is_some());
            v.duplicated += usize::from(e.duplicated.is_some());
            v.failed += usize::from(e.failed.is_some());
        }
        v
    }

    /// The consumer verdicts (all empty in runs without consumers).
    pub fn consumer_verdicts(&self) -> ConsumerVerdicts {
        let l = &self.ledger;
        if self.consumers.is_empty() {
            return ConsumerVerdicts::default();
        }
        ConsumerVerdicts {
            processed: l.entries.iter().filter(|e| !e.consumed.is_empty()).count(),
            lost: l.consumer_lost().into_iter().collect(),
            twice: l.consumer_duplicates().into_iter().collect(),
            out_of_order: l.consumed_out_of_order().into_iter().collect(),
            dedup_skipped: l.dedup_skipped().len(),
            deleted_unread: l.deleted_unread().into_iter().collect(),
        }
    }
}
