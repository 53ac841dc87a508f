//! What loses, duplicates or reorders what: one typed table, each cell pointing at the chapter
//! or scenario step that shows it. The page's summary (`#summary`) and `docs/GUARANTEES.md`
//! ([`markdown`]) are both written from [`ROWS`]; `core/tests/guarantees.rs` replays every
//! linked step and checks the ledger agrees with the cell.

use std::fmt::Write;

/// A column: something that can go wrong with a record (the ledger's verdicts, R2.7, R7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// An acknowledged or committed record is gone from the log, or the group skipped it.
    Lost,
    /// A record is written twice to the log, or a pipeline's output is visible twice.
    Duplicated,
    /// The group processed a producer's records of one partition out of send order.
    Reordered,
    /// The application processed a record more than once.
    ProcessedTwice,
}

impl Outcome {
    /// The columns, in order.
    pub const ALL: [Outcome; 4] = [
        Outcome::Lost,
        Outcome::Duplicated,
        Outcome::Reordered,
        Outcome::ProcessedTwice,
    ];

    /// The column heading.
    pub fn title(self) -> &'static str {
        match self {
            Outcome::Lost => "Lost",
            Outcome::Duplicated => "Duplicated",
            Outcome::Reordered => "Reordered",
            Outcome::ProcessedTwice => "Processed twice",
        }
    }

    /// What the column counts, in the ledger's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Outcome::Lost => "an acknowledged record gone from the log, or skipped by the group",
            Outcome::Duplicated => "a record written twice, or a pipeline output seen twice",
            Outcome::Reordered => {
                "a producer's records of one partition processed out of send order"
            }
            Outcome::ProcessedTwice => "the application processed a record more than once",
        }
    }
}

/// A cell's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// It happens in the run shown.
    Yes,
    /// It happens under a condition the cell names (the run shown meets it).
    When,
    /// It does not happen (the run shown tries and it does not).
    No,
}

impl Verdict {
    /// "yes", "when", "no".
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::When => "when",
            Verdict::No => "no",
        }
    }

    /// Whether the run shown must have the outcome (yes, when) or not (no).
    pub fn happens(self) -> bool {
        !matches!(self, Verdict::No)
    }
}

/// Where a cell is shown: a chapter of `tutorials/` or a file of `scenarios/` (file stem),
/// after its `step`-th step (1-based, as in the page's deep links).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shown {
    /// A tutorial chapter.
    Chapter(&'static str, usize),
    /// A scenario file.
    Scenario(&'static str, usize),
}

impl Shown {
    /// The file stem.
    pub fn id(self) -> &'static str {
        match self {
            Shown::Chapter(id, _) | Shown::Scenario(id, _) => id,
        }
    }

    /// The step (state after it).
    pub fn step(self) -> usize {
        match self {
            Shown::Chapter(_, k) | Shown::Scenario(_, k) => k,
        }
    }

    /// The file's path in the repository.
    pub fn path(self) -> String {
        match self {
            Shown::Chapter(id, _) => format!("tutorials/{id}.toml"),
            Shown::Scenario(id, _) => format!("scenarios/{id}.toml"),
        }
    }

    /// The page's deep link, without `#`.
    pub fn fragment(self) -> String {
        match self {
            Shown::Chapter(id, k) => format!("tutorial={id}&step={k}"),
            Shown::Scenario(id, k) => format!("scenario={id}&step={k}"),
        }
    }

    /// "ch. 29, step 7" or "s05-acks0, step 8".
    pub fn label(self) -> String {
        match self {
            Shown::Chapter(id, k) => {
                let n = id.split('-').next().unwrap_or(id).trim_start_matches('0');
                format!("ch. {n}, step {k}")
            }
            Shown::Scenario(id, k) => format!("{id}, step {k}"),
        }
    }
}

/// One cell: the answer, a few words, and the run that shows it (if one does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    /// Yes, when, or no.
    pub verdict: Verdict,
    /// The answer in a few words.
    pub words: &'static str,
    /// The chapter or scenario step that shows it.
    pub shown: Option<Shown>,
}

/// A row: a configuration (or a situation) of producer, brokers or consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    /// `acks=0` (R2.6, S5).
    Acks0,
    /// `acks=1` (R2.6, S4).
    Acks1,
    /// `acks=all` with `min.insync.replicas=1` (R2.7, S17).
    AcksAllMinIsr1,
    /// `acks=all` with `min.insync.replicas=2`, before eligible leader replicas (S15).
    AcksAllMinIsr2,
    /// The same with eligible leader replicas (KIP-966, 4.1; R3.3).
    EligibleLeaderReplicas,
    /// `unclean.leader.election.enable=true` (R3.2, S14).
    UncleanElection,
    /// Follower truncation to the HW, Kafka ≤ 0.10 (R4.1, S16).
    HwTruncation,
    /// Truncation by leader epoch, Kafka ≥ 0.11 (R4.2–R4.4, KIP-101, KIP-279).
    LeaderEpochs,
    /// Retries without idempotence (R5.3, S26).
    RetriesNoIdempotence,
    /// `max.in.flight.requests.per.connection` > 1 without idempotence (R5.3).
    InFlightNoIdempotence,
    /// `enable.idempotence=true`, the default since 3.0 (R5.1–R5.4, KIP-98).
    Idempotent,
    /// The consumer commits after processing: at-least-once (R7.3).
    CommitAfter,
    /// The consumer commits before processing: at-most-once (R7.3).
    CommitBefore,
    /// A rebalance moves a partition to another consumer (R7.2, R7.4).
    Rebalance,
    /// A stalled consumer removed from the group keeps processing (S37).
    ZombieConsumer,
    /// A consumer that falls behind the log start (R7.1, retention).
    Retention,
    /// The application's sink drops a record id it already holds.
    Dedup,
    /// A consume-transform-produce pipeline at `at_least_once` (R6.8).
    PipelineAtLeastOnce,
    /// The same pipeline with transactions, `exactly_once_v2`, read_committed (R6.8, KIP-447).
    PipelineExactlyOnce,
}

impl Setting {
    /// The row heading.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Acks0 => "acks=0",
            Setting::Acks1 => "acks=1",
            Setting::AcksAllMinIsr1 => "acks=all, min.insync.replicas=1",
            Setting::AcksAllMinIsr2 => "acks=all, min.insync.replicas=2 (before 4.1)",
            Setting::EligibleLeaderReplicas => "… with eligible leader replicas (4.1, KIP-966)",
            Setting::UncleanElection => "unclean.leader.election.enable=true",
            Setting::HwTruncation => "truncation to the HW (Kafka 0.10)",
            Setting::LeaderEpochs => "truncation by leader epoch (0.11+)",
            Setting::RetriesNoIdempotence => "retries without idempotence",
            Setting::InFlightNoIdempotence => "max.in.flight > 1 without idempotence",
            Setting::Idempotent => "enable.idempotence=true (default since 3.0)",
            Setting::CommitAfter => "consumer commits after processing",
            Setting::CommitBefore => "consumer commits before processing",
            Setting::Rebalance => "a rebalance moves a partition",
            Setting::ZombieConsumer => "a stalled (zombie) consumer",
            Setting::Retention => "a consumer behind retention",
            Setting::Dedup => "a sink that drops ids it holds",
            Setting::PipelineAtLeastOnce => "pipeline, at_least_once",
            Setting::PipelineExactlyOnce => "pipeline, exactly_once_v2 + read_committed",
        }
    }
}

/// A row of the table: a setting and its four cells, in [`Outcome::ALL`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Row {
    /// The configuration or situation.
    pub setting: Setting,
    /// Lost, duplicated, reordered, processed twice.
    pub cells: [Cell; 4],
}

impl Row {
    /// The cell of one column.
    pub fn cell(&self, o: Outcome) -> &Cell {
        let i = Outcome::ALL.iter().position(|x| *x == o).unwrap_or(0);
        &self.cells[i]
    }
}

const fn cell(verdict: Verdict, words: &'static str, shown: Option<Shown>) -> Cell {
    Cell {
        verdict,
        words,
        shown,
    }
}

use Shown::{Chapter as Ch, Scenario as Sc};
use Verdict::{No, When, Yes};

/// A cell no run shows: said in words only.
const fn said(verdict: Verdict, words: &'static str) -> Cell {
    cell(verdict, words, None)
}

/// The table. Producer and broker rows say what reaches the log; consumer rows what the
/// application sees. Order across partitions is never promised and is not a column.
pub const ROWS: &[Row] = &[
    Row {
        setting: Setting::Acks0,
        cells: [
            cell(Yes, "silently, on a failover", Some(Sc("s05-acks0", 8))),
            said(No, "never resent"),
            said(No, "never resent"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::Acks1,
        cells: [
            cell(
                Yes,
                "acknowledged, then lost on a clean failover",
                Some(Ch("05-acks1-loses-a-record", 6)),
            ),
            said(When, "retried (idempotence needs acks=all)"),
            said(When, "retried with several requests in flight"),
            said(When, "the log holds a duplicate"),
        ],
    },
    Row {
        setting: Setting::AcksAllMinIsr1,
        cells: [
            cell(
                When,
                "every in-sync replica loses unflushed data",
                Some(Sc("s17-kip101-scenario2-epoch", 11)),
            ),
            said(No, "with the idempotent default"),
            said(No, "with the idempotent default"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::AcksAllMinIsr2,
        cells: [
            cell(
                When,
                "the last in-sync replica shuts down uncleanly",
                Some(Sc("s15-last-replica-standing", 20)),
            ),
            said(No, "with the idempotent default"),
            said(No, "with the idempotent default"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::EligibleLeaderReplicas,
        cells: [
            cell(
                No,
                "a replica that left the ISR at min ISR is elected",
                Some(Sc("s15-last-replica-standing-elr", 20)),
            ),
            said(No, "with the idempotent default"),
            said(No, "with the idempotent default"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::UncleanElection,
        cells: [
            cell(
                When,
                "an out-of-sync replica is elected",
                Some(Ch("07-unclean-leader-election", 10)),
            ),
            said(No, "not by the election"),
            said(No, "not by the election"),
            cell(
                No,
                "KIP-320 re-reads from the divergence",
                Some(Ch("19-consumer-log-truncation", 11)),
            ),
        ],
    },
    Row {
        setting: Setting::HwTruncation,
        cells: [
            cell(
                When,
                "a follower truncates, then is elected",
                Some(Ch("12-hw-truncation-kip101-scenario1", 8)),
            ),
            said(No, "not by truncation"),
            said(No, "not by truncation"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::LeaderEpochs,
        cells: [
            cell(
                No,
                "the same schedule keeps every record",
                Some(Sc("s16-kip101-scenario1-epoch", 11)),
            ),
            said(No, "not by truncation"),
            said(No, "not by truncation"),
            said(No, "the log holds one copy"),
        ],
    },
    Row {
        setting: Setting::RetriesNoIdempotence,
        cells: [
            said(No, "as acks says"),
            cell(
                When,
                "an answer is lost and the batch resent",
                Some(Ch("09-retries-and-duplicates", 4)),
            ),
            cell(
                When,
                "more than one request in flight",
                Some(Sc("consumer-reordered-retry", 6)),
            ),
            cell(
                When,
                "the log holds a duplicate",
                Some(Sc("s28-retry-duplicate-consumed-twice", 11)),
            ),
        ],
    },
    Row {
        setting: Setting::InFlightNoIdempotence,
        cells: [
            said(No, "as acks says"),
            cell(
                When,
                "an answer is lost and the batch resent",
                Some(Ch("09-retries-and-duplicates", 4)),
            ),
            cell(
                When,
                "a request fails and the next overtakes it",
                Some(Sc("consumer-reordered-retry", 6)),
            ),
            cell(
                When,
                "the log holds a duplicate",
                Some(Sc("s28-retry-duplicate-consumed-twice", 11)),
            ),
        ],
    },
    Row {
        setting: Setting::Idempotent,
        cells: [
            said(No, "as acks=all"),
            cell(
                No,
                "the broker recognises the retry",
                Some(Ch("10-idempotent-producer", 4)),
            ),
            cell(
                No,
                "an early batch refused, retried in order",
                Some(Ch("29-ordering-through-rebalances", 11)),
            ),
            cell(
                No,
                "one copy in the log",
                Some(Sc("s28-idempotent-retry-consumed-once", 11)),
            ),
        ],
    },
    Row {
        setting: Setting::CommitAfter,
        cells: [
            cell(No, "a crash replays", Some(Ch("15-consumer-offsets", 7))),
            cell(
                No,
                "the log is unchanged",
                Some(Ch("15-consumer-offsets", 7)),
            ),
            cell(No, "offset order", Some(Ch("15-consumer-offsets", 7))),
            cell(
                When,
                "a crash before the commit",
                Some(Ch("15-consumer-offsets", 7)),
            ),
        ],
    },
    Row {
        setting: Setting::CommitBefore,
        cells: [
            cell(
                When,
                "a crash after the commit",
                Some(Ch("16-consumer-offsets-at-most-once", 5)),
            ),
            cell(
                No,
                "the log is unchanged",
                Some(Ch("16-consumer-offsets-at-most-once", 8)),
            ),
            cell(
                No,
                "offset order",
                Some(Ch("16-consumer-offsets-at-most-once", 8)),
            ),
            cell(
                No,
                "committed work is never redone",
                Some(Ch("16-consumer-offsets-at-most-once", 8)),
            ),
        ],
    },
    Row {
        setting: Setting::Rebalance,
        cells: [
            cell(
                No,
                "the new owner starts at the commit",
                Some(Ch("29-ordering-through-rebalances", 7)),
            ),
            cell(
                No,
                "the log is unchanged",
                Some(Ch("29-ordering-through-rebalances", 7)),
            ),
            cell(
                No,
                "offset order; none across partitions",
                Some(Ch("29-ordering-through-rebalances", 7)),
            ),
            cell(
                Yes,
                "what followed the last commit",
                Some(Ch("29-ordering-through-rebalances", 7)),
            ),
        ],
    },
    Row {
        setting: Setting::ZombieConsumer,
        cells: [
            cell(
                No,
                "its commit is refused",
                Some(Ch("18-the-zombie-consumer", 8)),
            ),
            cell(
                No,
                "the log is unchanged",
                Some(Ch("18-the-zombie-consumer", 8)),
            ),
            cell(
                No,
                "first processings in offset order",
                Some(Ch("18-the-zombie-consumer", 8)),
            ),
            cell(
                Yes,
                "by the zombie and the new owner",
                Some(Ch("18-the-zombie-consumer", 8)),
            ),
        ],
    },
    Row {
        setting: Setting::Retention,
        cells: [
            cell(
                Yes,
                "deleted unread; Kafka reports nothing",
                Some(Ch("21-retention-skips-records", 10)),
            ),
            cell(
                No,
                "the log is unchanged",
                Some(Ch("21-retention-skips-records", 10)),
            ),
            cell(
                No,
                "offset order",
                Some(Ch("21-retention-skips-records", 10)),
            ),
            cell(
                No,
                "skipped records are not read",
                Some(Ch("21-retention-skips-records", 10)),
            ),
        ],
    },
    Row {
        setting: Setting::Dedup,
        cells: [
            cell(
                No,
                "commits after processing",
                Some(Ch("20-exactly-once-effects", 10)),
            ),
            cell(
                No,
                "the log holds one copy",
                Some(Ch("20-exactly-once-effects", 10)),
            ),
            cell(No, "offset order", Some(Ch("20-exactly-once-effects", 10))),
            cell(
                No,
                "the second processing is dropped",
                Some(Ch("20-exactly-once-effects", 10)),
            ),
        ],
    },
    Row {
        setting: Setting::PipelineAtLeastOnce,
        cells: [
            cell(
                No,
                "a crash replays",
                Some(Ch("25-at-least-once-pipeline", 8)),
            ),
            cell(
                When,
                "a crash after the output, before the commit",
                Some(Ch("25-at-least-once-pipeline", 8)),
            ),
            cell(No, "offset order", Some(Ch("25-at-least-once-pipeline", 8))),
            cell(
                Yes,
                "the input after a crash",
                Some(Ch("25-at-least-once-pipeline", 8)),
            ),
        ],
    },
    Row {
        setting: Setting::PipelineExactlyOnce,
        cells: [
            cell(
                No,
                "a crash replays",
                Some(Ch("24-exactly-once-pipeline", 8)),
            ),
            cell(
                No,
                "the first output is aborted",
                Some(Ch("24-exactly-once-pipeline", 8)),
            ),
            cell(No, "offset order", Some(Ch("24-exactly-once-pipeline", 8))),
            cell(
                Yes,
                "the input, but its output counts once",
                Some(Ch("24-exactly-once-pipeline", 8)),
            ),
        ],
    },
];

/// `docs/GUARANTEES.md`: the table in Markdown, each cell linking to the file that shows it.
pub fn markdown() -> String {
    let mut out = String::from(
        "# What loses, duplicates or reorders what\n\n\
         Generated from `core/src/guarantees.rs` (the page shows the same table at `#summary`); \
         `core/tests/guarantees.rs` checks that this file is up to date and replays every linked \
         step to check that its ledger agrees with the cell. Producer and broker rows say what \
         reaches the log; consumer rows what the application sees. Order across partitions is \
         never promised (chapter 29).\n\n",
    );
    for o in Outcome::ALL {
        let _ = writeln!(out, "- **{}**: {}.", o.title(), o.meaning());
    }
    out.push_str("\n| configuration |");
    for o in Outcome::ALL {
        let _ = write!(out, " {} |", o.title());
    }
    out.push_str("\n|---|---|---|---|---|\n");
    for r in ROWS {
        let _ = write!(out, "| {} |", r.setting.name());
        for c in &r.cells {
            let _ = write!(out, " {} — {}", c.verdict.as_str(), c.words);
            if let Some(s) = c.shown {
                let _ = write!(out, " ([{}](../{}))", s.label(), s.path());
            }
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_a_distinct_setting_and_a_shown_cell() {
        let mut seen = crate::vec_map::VecSet::new();
        for r in ROWS {
            assert!(seen.insert(r.setting), "{:?} twice", r.setting);
            assert!(r.cells.iter().any(|c| c.shown.is_some()), "{:?}", r.setting);
        }
    }

    #[test]
    fn labels_and_links() {
        let s = Shown::Chapter("05-acks1-loses-a-record", 6);
        assert_eq!(s.label(), "ch. 5, step 6");
        assert_eq!(s.fragment(), "tutorial=05-acks1-loses-a-record&step=6");
        assert_eq!(
            Shown::Scenario("s05-acks0", 8).path(),
            "scenarios/s05-acks0.toml"
        );
    }
}
