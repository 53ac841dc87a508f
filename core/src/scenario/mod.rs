//! Scenario files: a human-writable TOML format with a configuration, a seed, and steps
//! (commands, "run until …", "deliver the next Fetch from b2", …) each optionally followed by
//! expectations about the observable state. Tutorials add narration to the same steps.
//!
//! The format is documented in `docs/SCENARIOS.md`; every catalog scenario lives in `scenarios/`.
//!
//! Expectation fields added for the catalog scenarios S1–S19 (not yet in `docs/SCENARIOS.md`):
//! * in `replica = { N = { … } }`, views only a partition *leader* has (the check fails with
//!   "not leader" on a follower):
//!   `isr` (the ISR the leader works with, as last committed by the controller),
//!   `maximal_isr` (committed ISR plus a replica being added, KIP-497, R1.5),
//!   `pending_isr` (the ISR proposed by an AlterPartition in flight; `[]` = none),
//!   `remote_leo = { 2 = 5 }` (the leader's view of a follower's LEO, `-1` = unknown, R1.4/R2.2),
//!   `epoch_start_offset` (`leaderEpochStartOffset`, R2.2);
//! * `replica = { N = { latest_offset = 5 } }` or `= "OFFSET_NOT_AVAILABLE"`: what the replica
//!   answers to ListOffsets(LATEST, read_uncommitted) (KIP-207, S11; followers answer
//!   NOT_LEADER_OR_FOLLOWER);
//! * `recovering = true|false`: KIP-704 `leaderRecoveryState` of the partition (set by an unclean
//!   election, cleared when the ISR grows again);
//! * `unclean_elections = N`: how many unclean elections the controller has made so far.

// A counterexample of the search as a scenario file (the CLI writes TOML; the page does not).
#[cfg(feature = "toml")]
pub mod counterexample;
mod expect;
mod expect_consumers;
mod expect_txn;
pub mod export;
mod run;
mod search_step;
mod start;
pub mod step_form;
pub mod toml_text;

pub use expect::{Check, Expect, LeaderSpec, ReplicaExpect};
pub use run::{NotRun, Report, StepOutcome};
pub use search_step::{
    Found, SearchHere, SearchReport, SearchSpec, Searcher, Searching, MAX_STEP_STATES,
};
pub use start::{setup_len, start_after};

use serde::Deserialize;

use crate::config::{Acks, ClusterConfig, CommitMode};
use crate::types::{Millis, NodeId, Offset};

/// Most events one `steps = N` step may ask for.
pub const MAX_STEPS: u64 = crate::budget::Budget::DEFAULT.max_events;

/// A parsed scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The scenario's name.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Where the behaviour comes from (KAFKA-SEMANTICS section, KIP, Kafka test).
    #[serde(default)]
    pub source: String,
    /// The run's random seed.
    #[serde(default)]
    pub seed: u64,
    /// The cluster configuration.
    #[serde(default)]
    pub config: ClusterConfig,
    /// The steps, in order (`[[step]]` tables).
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    /// 1-based line of each step, filled in by [`Scenario::parse`] (empty for JSON scenarios).
    #[serde(skip)]
    pub step_lines: Vec<usize>,
}

/// A record to produce: just a value, or a table.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a record value (a string) or a table like { value = \"a\", key = \"k\", acks = 1 }"
)]
pub enum ProduceSpec {
    /// Just the value (producer 1, default topic and key-less).
    Value(String),
    /// A table with the value and optional settings.
    Record {
        /// The record's value.
        value: String,
        /// The record's key.
        #[serde(default)]
        key: Option<String>,
        /// The producer that sends it (default 1).
        #[serde(default)]
        producer: Option<u32>,
        /// The topic (default: the first).
        #[serde(default)]
        topic: Option<String>,
        /// The partition (default: the partitioner's choice).
        #[serde(default)]
        partition: Option<u32>,
        /// The `acks` (default: the producer's configuration).
        #[serde(default)]
        acks: Option<Acks>,
    },
}

/// Picks a message in flight by RPC name and endpoints.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSelector {
    /// The RPC name, e.g. "Fetch".
    #[serde(default)]
    pub kind: Option<String>,
    /// The sender.
    #[serde(default)]
    pub from: Option<NodeId>,
    /// The recipient.
    #[serde(default)]
    pub to: Option<NodeId>,
}

/// Picks a pending timer.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimerSelector {
    /// The node that owns the timer.
    pub node: NodeId,
    /// The timer's name, e.g. "fetch-timeout".
    pub timer: String,
}

/// A link between two nodes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// One end.
    pub from: NodeId,
    /// The other end.
    pub to: NodeId,
    /// Both directions, not only `from` → `to`.
    #[serde(default)]
    pub both: bool,
    /// Delay added to each message (for `slow`).
    #[serde(default)]
    pub extra_ms: Millis,
}

/// `heal = true` (everything) or `heal = "b2"`.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "heal = true (every link) or a node like heal = \"b2\""
)]
pub enum HealSpec {
    /// `heal = true`: heal every link.
    All(bool),
    /// Heal every link of one node.
    Node(NodeId),
}

/// `auto_produce = 100` (every 100 ms, producer 1) or a table.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "an interval in ms (auto_produce = 100) or a table like { interval_ms = 100, producer = 1 }"
)]
pub enum AutoProduceSpec {
    /// Every this many milliseconds, producer 1.
    Interval(Millis),
    /// A table with the interval and optional settings.
    Table {
        /// Time between two records.
        interval_ms: Millis,
        /// The producer (default 1).
        #[serde(default)]
        producer: Option<u32>,
        /// The `acks` (default: the producer's configuration).
        #[serde(default)]
        acks: Option<Acks>,
        /// The topic (default: the first).
        #[serde(default)]
        topic: Option<String>,
    },
}

/// `commit_mode = { consumer = "c1", mode = "before-processing" }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitModeSpec {
    /// The consumer.
    pub consumer: NodeId,
    /// Its new commit mode.
    pub mode: CommitMode,
}

/// `isolation_level = { consumer = "c2", level = "read_uncommitted" }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IsolationLevelSpec {
    /// The consumer.
    pub consumer: NodeId,
    /// Its new `isolation.level`.
    pub level: crate::txn::isolation::IsolationLevel,
}

/// `delete_records = { topic = "t", partition = 0, offset = 3 }` (offset -1: the HW).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteRecordsSpec {
    /// The topic (default: the first one).
    #[serde(default)]
    pub topic: Option<String>,
    /// The partition.
    #[serde(default)]
    pub partition: u32,
    /// The new log start (-1: the high watermark).
    pub offset: Offset,
}

/// One step: at most one action, then optional expectations and narration.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    // --- narration (tutorials) ---
    /// The step's title (tutorials).
    #[serde(default)]
    pub title: Option<String>,
    /// The step's explanation (tutorials).
    #[serde(default)]
    pub note: Option<String>,
    /// Element of the picture to highlight, e.g. "b1", "b2.p0", "p1", "controller".
    #[serde(default)]
    pub highlight: Option<String>,
    /// The panel the narration names, brought into view (tutorials).
    #[serde(default)]
    pub focus: Option<crate::tutorial::Panel>,
    /// What the narration says the picture shows at the end of the step (tutorials):
    /// `shows = [{ processed = { consumer = "c1", record = "a", times = 2 } }]`.
    #[serde(default)]
    pub shows: Vec<crate::claim::Claim>,
    /// What the note says became of named records, checked against the ledger (tutorials).
    #[serde(default)]
    pub records: Vec<crate::tutorial::RecordClaim>,

    // --- actions ---
    /// Produce one record.
    #[serde(default)]
    pub produce: Option<ProduceSpec>,
    /// Start producing a record periodically.
    #[serde(default)]
    pub auto_produce: Option<AutoProduceSpec>,
    /// Crash a node (its disk, with unflushed records, survives).
    #[serde(default)]
    pub crash: Option<NodeId>,
    /// Crash that loses the page cache (unflushed records).
    #[serde(default)]
    pub power_fail: Option<NodeId>,
    /// Controlled shutdown of a broker.
    #[serde(default)]
    pub shutdown: Option<NodeId>,
    /// Restart a stopped or crashed node.
    #[serde(default)]
    pub restart: Option<NodeId>,
    /// Pause a node (it neither sends nor handles anything).
    #[serde(default)]
    pub pause: Option<NodeId>,
    /// Resume a paused node.
    #[serde(default)]
    pub resume: Option<NodeId>,
    /// Cut every link of a node.
    #[serde(default)]
    pub isolate: Option<NodeId>,
    /// Cut one link.
    #[serde(default)]
    pub cut: Option<LinkSpec>,
    /// Heal cut links.
    #[serde(default)]
    pub heal: Option<HealSpec>,
    /// Delay messages on a link.
    #[serde(default)]
    pub slow: Option<LinkSpec>,
    /// Flush a broker's logs to disk.
    #[serde(default)]
    pub flush: Option<NodeId>,
    /// Lose the first in-flight message matching the selector.
    #[serde(default)]
    pub drop: Option<MessageSelector>,
    /// Deliver the first deliverable message matching the selector (manual step).
    #[serde(default)]
    pub deliver: Option<MessageSelector>,
    /// Fire a pending timer now (manual step).
    #[serde(default)]
    pub fire: Option<TimerSelector>,
    /// Start one more consumer in the group: `add_consumer = true`.
    #[serde(default)]
    pub add_consumer: Option<bool>,
    /// `close()` a consumer: it leaves the group and stops: `remove_consumer = "c1"`.
    #[serde(default)]
    pub remove_consumer: Option<NodeId>,
    /// Change when a consumer commits: `commit_mode = { consumer = "c1", mode = "after-processing" }`.
    #[serde(default)]
    pub commit_mode: Option<CommitModeSpec>,
    /// Change one consumer's isolation level (R6.7):
    /// `isolation_level = { consumer = "c2", level = "read_uncommitted" }`.
    #[serde(default)]
    pub isolation_level: Option<IsolationLevelSpec>,
    /// The admin client's DeleteRecords: `delete_records = { partition = 0, offset = 3 }`.
    #[serde(default)]
    pub delete_records: Option<DeleteRecordsSpec>,
    /// A transactional producer calls initTransactions(): `init_transactions = "p1"` (R6.2).
    #[serde(default)]
    pub init_transactions: Option<NodeId>,
    /// beginTransaction(): `begin_transaction = "p1"`.
    #[serde(default)]
    pub begin_transaction: Option<NodeId>,
    /// commitTransaction(): `commit_transaction = "p1"` (R6.4).
    #[serde(default)]
    pub commit_transaction: Option<NodeId>,
    /// abortTransaction(): `abort_transaction = "p1"` (R6.4).
    #[serde(default)]
    pub abort_transaction: Option<NodeId>,
    /// The admin client sets the dynamic `unclean.leader.election.enable` (KIP-226):
    /// `unclean_leader_election = true`.
    #[serde(default)]
    pub unclean_leader_election: Option<bool>,
    /// Ask the counterexample search from here and play the shortest schedule it finds
    /// (docs/CHECKER.md): `search = { property = "acked-lost", max_depth = 18, finds = true }`.
    #[serde(default)]
    pub search: Option<SearchSpec>,
    /// Run the timed driver for this many virtual milliseconds.
    #[serde(default)]
    pub run_ms: Option<Millis>,
    /// Fire this many events in time order.
    #[serde(default)]
    pub steps: Option<u64>,
    /// Run the timed driver until these expectations hold (at most `within_ms`, default 60000).
    #[serde(default)]
    pub run_until: Option<Expect>,
    /// The bound on `run_until`, in virtual milliseconds (default 60000).
    #[serde(default)]
    pub within_ms: Option<Millis>,

    // --- expectations after the action ---
    /// Expectations checked after the action.
    #[serde(default)]
    pub expect: Option<Expect>,
}

/// A malformed file or an impossible step: exit code 2, with the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The 1-based line of the error, if known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Rewrites serde's wording where it would leak Rust types: a negative number for a duration or
/// a count names the setting on that line.
#[cfg(feature = "toml")]
fn plain_message(text: &str, line: Option<usize>, message: &str) -> String {
    let negative = message.starts_with("invalid value: integer `-")
        && (message.contains("expected u64")
            || message.contains("expected u32")
            || message.contains("expected u16"));
    if negative {
        let value = message.split('`').nth(1).unwrap_or("?");
        let key = line
            .and_then(|l| text.lines().nth(l - 1))
            .and_then(|l| l.split('=').next())
            .map(|k| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty() && !k.contains('{'))
            .unwrap_or_else(|| "this setting".into());
        return format!("{key} cannot be negative (got {value})");
    }
    crate::plain_words::user_terms(message)
}

#[cfg(feature = "toml")]
fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

impl Scenario {
    /// The description's first sentence, on one line: a chapter's line in the list of chapters.
    pub fn summary(&self) -> String {
        let text = self.description.split("\n\n").next().unwrap_or("").trim();
        let text = text.replace(['\n', '\\'], " ");
        let end = text.find(". ").map_or(text.len(), |i| i + 1);
        text[..end].split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Parses and validates a scenario file's text (TOML).
    #[cfg(feature = "toml")]
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let syntax = |e: toml::de::Error| {
            let line = e.span().map(|sp| line_of(text, sp.start));
            ScenarioError {
                line,
                message: plain_message(text, line, e.message().trim()),
            }
        };
        let mut s: Scenario = toml::from_str(text).map_err(syntax)?;
        /// The same file read a second time, only for where each `[[step]]` starts.
        #[derive(Deserialize)]
        struct StepSpans {
            #[serde(default)]
            step: Vec<toml::Spanned<serde::de::IgnoredAny>>,
        }
        let spans: StepSpans = toml::from_str(text).map_err(syntax)?;
        s.step_lines = spans
            .step
            .iter()
            .map(|st| line_of(text, st.span().start))
            .collect();
        let config_line = text
            .lines()
            .position(|l| l.trim_start().starts_with("[config"))
            .map(|i| i + 1);
        s.validate(config_line)?;
        Ok(s)
    }

    /// Checks a scenario file's text and writes it as JSON, table for table: what
    /// [`Scenario::from_json`] reads back (used by `build.rs` and `highwater convert`).
    #[cfg(feature = "toml")]
    pub fn toml_to_json(text: &str) -> Result<String, ScenarioError> {
        Scenario::parse(text)?;
        let value: toml::Value = toml::from_str(text).map_err(|e| ScenarioError {
            line: e.span().map(|sp| line_of(text, sp.start)),
            message: e.message().trim().to_string(),
        })?;
        serde_json::to_string_pretty(&value).map_err(|e| ScenarioError {
            line: None,
            message: e.to_string(),
        })
    }

    /// Reads and validates a scenario written as JSON: the TOML file's tables as objects (what
    /// `highwater convert FILE` prints, and how the page carries its built-in scenarios).
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario = serde_json::from_str(text).map_err(|e| {
            let full = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            ScenarioError {
                // One-line JSON (an object from JavaScript) has no line worth naming.
                line: text.trim().contains('\n').then_some(e.line()),
                message: crate::plain_words::user_terms(full.strip_suffix(&at).unwrap_or(&full)),
            }
        })?;
        s.validate(None)?;
        Ok(s)
    }

    /// Checks what serde cannot: the configuration, bounds on durations and step counts, and
    /// at most one action per step.
    fn validate(&self, config_line: Option<usize>) -> Result<(), ScenarioError> {
        self.config.validate().map_err(|e| ScenarioError {
            line: config_line,
            message: format!("invalid [config]: {e}"),
        })?;
        for (i, step) in self.steps.iter().enumerate() {
            let at = |message: String| self.step_error(i, message);
            let too_long = step
                .run_ms
                .is_some_and(|ms| ms > crate::cluster::MAX_DURATION_MS)
                || step
                    .within_ms
                    .is_some_and(|ms| ms > crate::cluster::MAX_DURATION_MS);
            if too_long {
                return Err(at(
                    "run_ms and within_ms must be at most one day (86400000 ms)".into(),
                ));
            }
            if step.steps.is_some_and(|n| n > MAX_STEPS) {
                return Err(at(format!(
                    "steps must be at most {MAX_STEPS} (the replay budget)"
                )));
            }
            let n = step.action_count();
            if n > 1 {
                return Err(at(format!(
                    "a step may have at most one action, this one has {n}"
                )));
            }
        }
        // The whole file's steps under one budget, refused before any work.
        let total = self
            .steps
            .iter()
            .filter_map(|s| s.steps)
            .fold(0u64, u64::saturating_add);
        if total > MAX_STEPS {
            return Err(ScenarioError {
                line: None,
                message: format!(
                    "the steps add up to {total} events, more than the replay budget of {MAX_STEPS}"
                ),
            });
        }
        Ok(())
    }

    /// An error about step `i`, located by its line, or as "step i" (0-based) when the scenario
    /// was not read from a file.
    pub(crate) fn step_error(&self, i: usize, message: String) -> ScenarioError {
        match self.line(i) {
            Some(line) => ScenarioError {
                line: Some(line),
                message,
            },
            None => ScenarioError {
                line: None,
                message: format!("step {i}: {message}"),
            },
        }
    }

    /// The line of step `i` (1-based line numbers).
    pub fn line(&self, i: usize) -> Option<usize> {
        self.step_lines.get(i).copied()
    }
}

impl Step {
    /// The transaction call this step makes, if any: the producer node and the call.
    pub fn transaction_call(&self) -> Option<(&NodeId, crate::command::TxnCallName)> {
        use crate::command::TxnCallName as C;
        [
            (&self.init_transactions, C::Init),
            (&self.begin_transaction, C::Begin),
            (&self.commit_transaction, C::Commit),
            (&self.abort_transaction, C::Abort),
        ]
        .into_iter()
        .find_map(|(n, c)| n.as_ref().map(|n| (n, c)))
    }

    /// The key of the step's action as the file writes it (`"produce"`, `"run_until"`, …);
    /// `None` for a step that only checks.
    pub fn action(&self) -> Option<&'static str> {
        self.actions().next()
    }

    /// The keys of every action set on the step (a valid step has at most one).
    fn actions(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.produce.is_some(), "produce"),
            (self.auto_produce.is_some(), "auto_produce"),
            (self.crash.is_some(), "crash"),
            (self.power_fail.is_some(), "power_fail"),
            (self.shutdown.is_some(), "shutdown"),
            (self.restart.is_some(), "restart"),
            (self.pause.is_some(), "pause"),
            (self.resume.is_some(), "resume"),
            (self.isolate.is_some(), "isolate"),
            (self.cut.is_some(), "cut"),
            (self.heal.is_some(), "heal"),
            (self.slow.is_some(), "slow"),
            (self.flush.is_some(), "flush"),
            (self.drop.is_some(), "drop"),
            (self.deliver.is_some(), "deliver"),
            (self.fire.is_some(), "fire"),
            (self.add_consumer.is_some(), "add_consumer"),
            (self.remove_consumer.is_some(), "remove_consumer"),
            (self.commit_mode.is_some(), "commit_mode"),
            (self.isolation_level.is_some(), "isolation_level"),
            (self.delete_records.is_some(), "delete_records"),
            (self.init_transactions.is_some(), "init_transactions"),
            (self.begin_transaction.is_some(), "begin_transaction"),
            (self.commit_transaction.is_some(), "commit_transaction"),
            (self.abort_transaction.is_some(), "abort_transaction"),
            (
                self.unclean_leader_election.is_some(),
                "unclean_leader_election",
            ),
            (self.search.is_some(), "search"),
            (self.run_ms.is_some(), "run_ms"),
            (self.steps.is_some(), "steps"),
            (self.run_until.is_some(), "run_until"),
        ]
        .into_iter()
        .filter_map(|(set, key)| set.then_some(key))
    }

    fn action_count(&self) -> usize {
        self.actions().count()
    }
}
