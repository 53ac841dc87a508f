//! Tutorials: scenario files whose every step is narrated, played on a [`Timeline`] one step at
//! a time. The same code serves the page's tutorial panel and the JS API's
//! `applyScenarioStep`, so "step k" means one thing everywhere.
//!
//! * [`Timeline::apply_scenario_step`] runs one scenario step on a probe cluster and feeds the
//!   inputs it recorded to the timeline (forking if in the past), so the step can be undone by
//!   seeking.
//! * [`Player`] keeps where each applied step ended (its position 0 is the introduction, before
//!   any step), moves between steps with the timeline's seek, and remembers the scripted
//!   timeline while the learner is off-script.
//! * [`Highlight`] names the element of the picture a step points at (`b2`, `b2.p0`, `p1`,
//!   `controller`).
//! * [`Panel`] names the panel of the page a step's narration points at (`focus = "invariants"`).
//! * [`RecordClaim`] says what a step's narration says became of a record (`records = [...]`).

use serde::{Deserialize, Serialize};

use crate::budget::Budget;
use crate::cluster::Cluster;
use crate::command::Input;
use crate::ordered;
use crate::scenario::{Scenario, SearchHere, Searcher, Step, StepOutcome};
use crate::timeline::Timeline;
use crate::types::BrokerId;

impl Timeline {
    /// Applies step `i` of `scenario` at the current position and returns what its expectations
    /// found. The step runs on a copy of the current cluster first; the inputs it made there are
    /// then recorded on the timeline (discarding any recorded future), which must reach the same
    /// state.
    pub fn apply_scenario_step(
        &mut self,
        scenario: &Scenario,
        i: usize,
    ) -> Result<StepOutcome, String> {
        self.apply_scenario_step_by(scenario, i, &SearchHere)
    }

    /// [`Timeline::apply_scenario_step`], a `search` step's search run by `searcher`.
    pub fn apply_scenario_step_by(
        &mut self,
        scenario: &Scenario,
        i: usize,
        searcher: &dyn Searcher,
    ) -> Result<StepOutcome, String> {
        let n = scenario.steps.len();
        if i >= n {
            return Err(format!(
                "there is no step {i} (the scenario has {n} steps, 0..{n})"
            ));
        }
        let mut probe: Cluster = self.current().clone();
        // The inputs the step makes are read back from the probe's history. A `search` step
        // also rebuilds its start from the run's inputs, so it gets them, closed by an empty
        // `Steps` entry into which the step's own first events merge.
        let from = if scenario.steps[i].search.is_some() {
            let mut run = self.run().inputs;
            run.push(Input::Steps(0));
            let from = run.len() - 1;
            probe.set_history(run);
            from
        } else {
            probe.clear_history();
            0
        };
        let outcome = scenario
            .apply_step_by(&mut probe, i, &Budget::DEFAULT, searcher)
            .map_err(|e| e.to_string())?;
        self.fork();
        let inputs = probe.history()[from..].to_vec();
        for input in inputs {
            match input {
                Input::Command(c) => self.apply(c).map_err(|e| e.0)?,
                Input::Action(a) => self.act(a).map_err(|e| e.0)?,
                Input::Steps(k) => {
                    for _ in 0..k {
                        if !self.step_forward() {
                            break;
                        }
                    }
                }
                Input::RunUntil(t) => self.run_until(t),
            }
        }
        if self.current().state_hash() != probe.state_hash() {
            return Err(format!(
                "internal error: step {i} did not replay to the same state; please report it"
            ));
        }
        Ok(outcome)
    }
}

/// Where one applied step left the timeline.
#[derive(Clone, Debug)]
struct Mark {
    /// `Timeline::step` right after the step.
    step: u64,
    /// `Cluster::state_hash` right after the step (to prove a seek restored it).
    hash: u64,
    outcome: Option<StepOutcome>,
}

/// Plays a scenario step by step on a timeline. Position `k` (0..=len) is the state after step
/// `k` (1-based), position 0 the introduction before the first step.
#[derive(Clone, Debug)]
pub struct Player {
    scenario: Scenario,
    /// `marks[k]`: the end of position `k`; `marks[0]` is the start.
    marks: Vec<Mark>,
    position: usize,
    /// The scripted timeline, kept while the learner is off-script.
    saved: Option<Timeline>,
}

impl Player {
    /// A player at the introduction, with a fresh timeline for the scenario.
    pub fn new(scenario: Scenario) -> Result<(Player, Timeline), String> {
        let tl = Timeline::new(scenario.config.clone(), scenario.seed).map_err(|e| e.0)?;
        let start = Mark {
            step: tl.step(),
            hash: tl.current().state_hash(),
            outcome: None,
        };
        Ok((
            Player {
                scenario,
                marks: vec![start],
                position: 0,
                saved: None,
            },
            tl,
        ))
    }

    /// The tutorial's scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// Number of steps (the last position).
    pub fn len(&self) -> usize {
        self.scenario.steps.len()
    }
    /// True if the tutorial has no steps.
    pub fn is_empty(&self) -> bool {
        self.scenario.steps.is_empty()
    }
    /// The current position: 0 = introduction, k = after step k.
    pub fn position(&self) -> usize {
        self.position
    }
    /// Step `k` (1-based), if any.
    pub fn step(&self, k: usize) -> Option<&Step> {
        k.checked_sub(1).and_then(|i| self.scenario.steps.get(i))
    }
    /// What step `k`'s expectations found, once it has been applied.
    pub fn outcome(&self, k: usize) -> Option<&StepOutcome> {
        self.marks.get(k).and_then(|m| m.outcome.as_ref())
    }
    /// Steps applied so far (positions up to this one can be sought back to).
    pub fn applied(&self) -> usize {
        self.marks.len() - 1
    }
    /// The first `search` step that moving to position `k` would apply (its index, 0-based):
    /// the page runs its search in its worker before it moves past it.
    pub fn next_search(&self, k: usize) -> Option<usize> {
        let k = k.min(self.len());
        (self.applied()..k).find(|&i| self.scenario.steps[i].search.is_some())
    }
    /// True while the learner has left the script (the scripted timeline is set aside).
    pub fn off_script(&self) -> bool {
        self.saved.is_some()
    }

    /// Moves `tl` to position `k` (clamped to the last step): back by seeking, forward by
    /// applying the steps not applied yet. Off-script, this returns to the script first. A step
    /// that cannot be applied stops the player at the step before it, with the error.
    pub fn goto(&mut self, tl: &mut Timeline, k: usize) -> Result<(), String> {
        self.goto_by(tl, k, &SearchHere)
    }

    /// [`Player::goto`], the `search` steps' searches run by `searcher`.
    pub fn goto_by(
        &mut self,
        tl: &mut Timeline,
        k: usize,
        searcher: &dyn Searcher,
    ) -> Result<(), String> {
        if let Some(saved) = self.saved.take() {
            *tl = saved;
        }
        let k = k.min(self.len());
        let reached = k.min(self.applied());
        let mark = &self.marks[reached];
        tl.seek(mark.step);
        if tl.current().state_hash() != mark.hash {
            return Err(format!(
                "internal error: seeking back to step {reached} did not restore its state; please report it"
            ));
        }
        self.position = reached;
        while self.position < k {
            let i = self.position;
            let outcome = tl.apply_scenario_step_by(&self.scenario, i, searcher)?;
            self.marks.push(Mark {
                step: tl.step(),
                hash: tl.current().state_hash(),
                outcome: Some(outcome),
            });
            self.position += 1;
        }
        Ok(())
    }

    /// The learner is about to act on their own: keeps the scripted timeline to come back to.
    /// Does nothing when already off-script.
    pub fn leave(&mut self, tl: &Timeline) {
        if self.saved.is_none() {
            self.saved = Some(tl.clone());
        }
    }

    /// Back to the script, at the step the learner left.
    pub fn back_to_script(&mut self, tl: &mut Timeline) -> Result<(), String> {
        self.goto(tl, self.position)
    }
}

/// An element of the picture a tutorial step points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// Broker `bN`.
    Broker(BrokerId),
    /// Broker and partition index (in `Cluster::partitions` order), written `b2.p0`.
    Replica(BrokerId, usize),
    /// Producer `pN`.
    Producer(u32),
    /// Consumer `cN` of the run's group, written `c1`.
    Consumer(u32),
    /// The controller.
    Controller,
}

impl Highlight {
    /// Reads `b1`, `b2.p0`, `p1`, `c1` or `controller` (exactly these spellings).
    pub fn parse(text: &str) -> Result<Highlight, String> {
        let bad = || {
            format!("highlight {text:?} is not an element: write b1, b2.p0, p1, c1 or controller")
        };
        let number = |s: &str, prefix: char| -> Option<u32> {
            let digits = s.strip_prefix(prefix)?;
            let ok = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| digits.parse().ok()).flatten()
        };
        if text == "controller" {
            return Ok(Highlight::Controller);
        }
        if let Some((b, p)) = text.split_once('.') {
            let b = number(b, 'b').ok_or_else(bad)?;
            let p = number(p, 'p').ok_or_else(bad)?;
            return Ok(Highlight::Replica(b, p as usize));
        }
        if let Some(b) = number(text, 'b') {
            return Ok(Highlight::Broker(b));
        }
        if let Some(c) = number(text, 'c') {
            return Ok(Highlight::Consumer(c));
        }
        number(text, 'p').map(Highlight::Producer).ok_or_else(bad)
    }

    /// Whether the element exists in `cluster` (a replica: the broker hosts that partition).
    pub fn exists_in(&self, cluster: &Cluster) -> bool {
        match *self {
            Highlight::Broker(b) => cluster.broker(b).is_some(),
            Highlight::Replica(b, part) => cluster.partitions().nth(part).is_some_and(|tp| {
                cluster
                    .broker(b)
                    .is_some_and(|s| s.broker.partitions.contains_key(&tp))
            }),
            Highlight::Producer(p) => cluster.producers().iter().any(|x| x.id == p),
            Highlight::Consumer(c) => cluster.consumer(c).is_some(),
            Highlight::Controller => true,
        }
    }
}

/// What a tutorial step's note says became of a record, written
/// `records = [{ record = "b", status = "processed_twice" }]` in the step: the ledger and the
/// consumer table the page shows must agree at that step (`core/tests/tutorials.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordClaim {
    /// The record, by the value the chapter produced (`a`, `m2`, `r1`).
    pub record: String,
    /// What the note says became of it.
    pub status: RecordFate,
}

/// A record's fate as the ledger (and, for consumers, the group's verdicts) shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordFate {
    /// Processed more than once by the group (the ledger's "processed ×2", R7.3).
    ProcessedTwice,
    /// Acknowledged or committed, then gone from the leader's log (the ledger's "lost").
    Lost,
    /// Written to the log twice (the ledger's "dup").
    Duplicated,
    /// Below a leader's high watermark (the ledger's "committed").
    Committed,
    /// Written in an aborted transaction (the ledger's "aborted", R6.7).
    Aborted,
}

impl RecordFate {
    /// The fate in the note's words ("processed twice", "lost", …).
    pub fn words(self) -> &'static str {
        match self {
            RecordFate::ProcessedTwice => "processed twice",
            RecordFate::Lost => "lost",
            RecordFate::Duplicated => "duplicated",
            RecordFate::Committed => "committed",
            RecordFate::Aborted => "aborted",
        }
    }

    /// Whether only some records have this fate, so that a note naming records with it should
    /// name every one the table marks (not true of "committed", which most records become).
    pub fn is_exceptional(self) -> bool {
        self != RecordFate::Committed
    }

    /// The values of the records the read model shows with this fate in `cluster`, sorted.
    pub fn records_in(self, cluster: &Cluster) -> Vec<String> {
        use crate::read_model::ledger::RecordStatus;
        let twice = cluster.consumer_verdicts().twice;
        let mut values: Vec<String> = cluster
            .ledger_rows()
            .filter(|row| match self {
                RecordFate::ProcessedTwice => twice.contains(&row.entry.id),
                RecordFate::Lost => row.status == RecordStatus::Lost,
                RecordFate::Duplicated => row.entry.duplicated.is_some(),
                RecordFate::Committed => row.entry.committed.is_some(),
                RecordFate::Aborted => row.status == RecordStatus::Aborted,
            })
            .map(|row| row.entry.value.clone())
            .collect();
        ordered::sort(&mut values);
        values.dedup();
        values
    }
}

/// A panel of the page beside the picture that a tutorial step's narration names, written
/// `focus = "invariants"` in a step: the page brings it into view and outlines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Panel {
    /// The invariants and whether each holds.
    Invariants,
    /// The ledger: every record the application sent and what became of it.
    Ledger,
    /// The consumer group: members, generations, committed offsets.
    Group,
    /// The event log.
    EventLog,
    /// The transaction coordinator's view.
    Transactions,
}

impl Panel {
    /// Whether the page shows this panel for `cluster` (the group panel needs consumers, the
    /// transactions panel a `transactional.id`).
    pub fn exists_in(self, cluster: &Cluster) -> bool {
        match self {
            Panel::Invariants | Panel::Ledger | Panel::EventLog => true,
            Panel::Group => cluster.config().consumers > 0,
            Panel::Transactions => cluster.config().transactional(),
        }
    }

    /// The panel's name as a reader sees it.
    pub fn name(self) -> &'static str {
        match self {
            Panel::Invariants => "invariants",
            Panel::Ledger => "ledger",
            Panel::Group => "consumer group",
            Panel::EventLog => "event log",
            Panel::Transactions => "transactions",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = r#"{
        "name": "t", "seed": 3,
        "config": { "brokers": 2, "topics": [{ "name": "t", "partitions": 1, "replication_factor": 2 }] },
        "step": [
            { "produce": "a" },
            { "run_until": { "committed": ["a"] } },
            { "crash": "b1" },
            { "run_ms": 15000, "expect": { "leader": 2 } }
        ]
    }"#;

    #[test]
    fn back_and_forth_restores_every_step_exactly() {
        let s = Scenario::from_json(SCRIPT).unwrap();
        let (mut p, mut tl) = Player::new(s).unwrap();
        let mut hashes = vec![tl.current().state_hash()];
        for k in 1..=p.len() {
            p.goto(&mut tl, k).unwrap();
            hashes.push(tl.current().state_hash());
        }
        assert!(p.outcome(4).unwrap().checks.iter().all(|c| c.passed));
        for k in (0..=p.len()).rev().chain(0..=p.len()) {
            p.goto(&mut tl, k).unwrap();
            assert_eq!(p.position(), k);
            assert_eq!(tl.current().state_hash(), hashes[k], "position {k}");
        }
        p.goto(&mut tl, 99).unwrap();
        assert_eq!(p.position(), p.len(), "clamped");
    }

    #[test]
    fn leaving_the_script_and_coming_back() {
        let s = Scenario::from_json(SCRIPT).unwrap();
        let (mut p, mut tl) = Player::new(s).unwrap();
        p.goto(&mut tl, 4).unwrap();
        let end = tl.current().state_hash();
        p.goto(&mut tl, 2).unwrap();
        let at2 = tl.current().state_hash();
        p.leave(&tl);
        tl.apply(crate::Command::Crash {
            broker: 2,
            lose_unflushed: false,
        })
        .unwrap();
        assert!(p.off_script());
        assert_ne!(tl.current().state_hash(), at2);
        p.back_to_script(&mut tl).unwrap();
        assert!(!p.off_script());
        assert_eq!(tl.current().state_hash(), at2);
        p.goto(&mut tl, 4).unwrap();
        assert_eq!(
            tl.current().state_hash(),
            end,
            "the scripted future survived"
        );
    }

    #[test]
    fn highlights_parse_and_name_real_elements() {
        let c = Cluster::new(Default::default(), 0).unwrap();
        for (text, want) in [
            ("b1", Highlight::Broker(1)),
            ("b3.p0", Highlight::Replica(3, 0)),
            ("p1", Highlight::Producer(1)),
            ("controller", Highlight::Controller),
        ] {
            let h = Highlight::parse(text).unwrap();
            assert_eq!(h, want);
            assert!(h.exists_in(&c), "{text}");
        }
        for bad in ["", "b", "x1", "b1.", "b1.q0", "b1.p", "2", "b-1", "broker1"] {
            assert!(Highlight::parse(bad).is_err(), "{bad}");
        }
        let with_consumers = Cluster::new(
            crate::config::ClusterConfig {
                consumers: 2,
                ..Default::default()
            },
            0,
        )
        .unwrap();
        let c2 = Highlight::parse("c2").unwrap();
        assert_eq!(c2, Highlight::Consumer(2));
        assert!(c2.exists_in(&with_consumers));
        assert!(!Highlight::parse("c3").unwrap().exists_in(&with_consumers));
        for missing in ["b9", "b1.p5", "p7", "c1"] {
            assert!(
                !Highlight::parse(missing).unwrap().exists_in(&c),
                "{missing}"
            );
        }
    }
}
