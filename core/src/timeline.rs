//! Time travel over a run: a recorded list of inputs, the cluster at the current position,
//! and checkpoints (clones) to seek quickly. Stepping forward inside the recording replays it;
//! any new input given in the past forks the timeline (the recorded future is discarded).

use serde::{Deserialize, Serialize};

use crate::budget::{Budget, BudgetError};
use crate::cluster::{Cluster, ReplayError};
use crate::command::{Action, Command, CommandError, Input};
use crate::config::{ClusterConfig, ConfigError};
use crate::event::Event;
use crate::types::Millis;

/// At most this many checkpoints are kept; when full, every other one is dropped and the
/// spacing doubles, so memory stays bounded and seeking replays at most `spacing` steps.
const MAX_CHECKPOINTS: usize = 48;
const INITIAL_SPACING: u64 = 256;

/// A run as data: what URLs, scenario exports and the JS API carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The cluster configuration.
    pub config: ClusterConfig,
    /// The random seed.
    pub seed: u64,
    /// The inputs applied, in order.
    pub inputs: Vec<Input>,
}

impl Run {
    /// Compact text for a URL fragment: JSON in base64url (no padding).
    pub fn to_fragment(&self) -> String {
        base64url_encode(
            serde_json::to_string(self)
                .expect("serialisable")
                .as_bytes(),
        )
    }

    /// Parses [`Run::to_fragment`]'s output; a readable error for anything else.
    pub fn from_fragment(s: &str) -> Result<Run, String> {
        let bytes =
            base64url_decode(s.trim()).ok_or("the link is damaged: it is not valid base64url")?;
        let text = String::from_utf8(bytes)
            .map_err(|_| "the link is damaged: not UTF-8 text".to_string())?;
        let run: Run = serde_json::from_str(&text).map_err(|e| {
            let e = crate::plain_words::user_terms(&e.to_string());
            format!("the link does not describe a run: {e}")
        })?;
        run.config
            .validate()
            .map_err(|e| format!("the link's configuration is invalid: {e}"))?;
        // Refused before any work: a well-formed link may still ask for a trillion steps.
        Budget::DEFAULT
            .admit(&run.inputs)
            .map_err(|e| format!("the link asks for too much work: {e}"))?;
        Ok(run)
    }
}

/// Position inside the recorded inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    index: usize,
    /// Events already fired inside a `Steps` / `RunUntil` input.
    done: u64,
}

#[derive(Clone, Debug)]
struct Checkpoint {
    cursor: Cursor,
    cluster: Cluster,
    events_len: usize,
}

/// A run with a current position that can move back and forth.
#[derive(Clone, Debug)]
pub struct Timeline {
    config: ClusterConfig,
    seed: u64,
    recorded: Vec<Input>,
    /// Step count at the end of the recording.
    end_step: u64,
    cursor: Cursor,
    current: Cluster,
    events: Vec<Event>,
    checkpoints: Vec<Checkpoint>,
    spacing: u64,
}

impl Timeline {
    /// A timeline of a new cluster built from `config` and `seed`.
    pub fn new(config: ClusterConfig, seed: u64) -> Result<Timeline, ConfigError> {
        let mut current = Cluster::new(config.clone(), seed)?;
        let events = current.take_events();
        let cursor = Cursor { index: 0, done: 0 };
        Ok(Timeline {
            config,
            seed,
            recorded: Vec::new(),
            end_step: current.step_count(),
            checkpoints: vec![Checkpoint {
                cursor,
                cluster: current.clone(),
                events_len: events.len(),
            }],
            cursor,
            current,
            events,
            spacing: INITIAL_SPACING,
        })
    }

    /// A timeline positioned at the end of `run`, replayed within [`Budget::DEFAULT`].
    pub fn from_run(run: &Run) -> Result<Timeline, ReplayError> {
        Timeline::from_run_within(run, &Budget::DEFAULT)
    }

    /// A timeline positioned at the end of `run`; refused before any work when the inputs ask
    /// for more than `budget`, and stopped with an error when replaying passes it.
    pub fn from_run_within(run: &Run, budget: &Budget) -> Result<Timeline, ReplayError> {
        let refuse = |index: Option<usize>, e: BudgetError| ReplayError {
            index,
            message: e.0,
        };
        budget.admit(&run.inputs).map_err(|e| refuse(None, e))?;
        let mut t = Timeline::new(run.config.clone(), run.seed).map_err(|e| ReplayError {
            index: None,
            message: e.0,
        })?;
        t.recorded = run.inputs.clone();
        t.end_step = u64::MAX; // unknown until replayed
        let start = t.current.step_count();
        while !t.at_end() {
            let index = t.cursor.index;
            if let Err(e) = t.forward_one() {
                return Err(ReplayError {
                    index: Some(index),
                    message: e.0,
                });
            }
            budget
                .check_events(t.current.step_count() - start)
                .map_err(|e| refuse(Some(index), e))?;
        }
        t.end_step = t.current.step_count();
        Ok(t)
    }

    /// The cluster at the current step.
    pub fn current(&self) -> &Cluster {
        &self.current
    }
    /// The configuration the cluster was built with.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }
    /// Every event from the start up to the current step.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// The step count at the end of the recording (the furthest point one can step forward to).
    pub fn end_step(&self) -> u64 {
        self.end_step
    }
    /// The current step count.
    pub fn step(&self) -> u64 {
        self.current.step_count()
    }
    /// True when the cursor is at the end of the recording.
    pub fn at_end(&self) -> bool {
        self.cursor.index >= self.recorded.len()
    }
    /// The run up to the current position (what a shared link restores).
    pub fn run(&self) -> Run {
        let mut inputs = self.recorded[..self.cursor.index.min(self.recorded.len())].to_vec();
        if self.cursor.done > 0 {
            inputs.push(Input::Steps(self.cursor.done));
        }
        Run {
            config: self.config.clone(),
            seed: self.seed,
            inputs,
        }
    }
    /// The whole recording, including the future beyond the current position.
    pub fn recorded_run(&self) -> Run {
        Run {
            config: self.config.clone(),
            seed: self.seed,
            inputs: self.recorded.clone(),
        }
    }

    // ---- moving forward -------------------------------------------------------------------

    /// One step forward: replays the recording, or fires the next event live at its end.
    /// Returns false when nothing can happen.
    pub fn step_forward(&mut self) -> bool {
        let before = self.current.step_count();
        while !self.at_end() && self.current.step_count() == before {
            if self.forward_one().is_err() {
                break;
            }
        }
        if self.current.step_count() == before && self.at_end() {
            if !self.current.step_unrecorded(Millis::MAX) {
                return false;
            }
            self.record_live_step();
            self.after_change(true);
            return true;
        }
        self.settle();
        self.after_change(false);
        self.current.step_count() > before
    }

    /// Replays the recorded commands at the cursor (they take no simulated time), so that a
    /// replay shows what they start (a produce request on the wire) before the next event
    /// fires. Does nothing at the end of the recording or before an event.
    pub fn replay_commands(&mut self) {
        while let Some(Input::Command(_)) = self.recorded.get(self.cursor.index) {
            if self.forward_one().is_err() {
                break;
            }
            self.after_change(false);
        }
    }

    /// Plays forward (replaying, then live) until virtual time `t`.
    pub fn run_until(&mut self, t: Millis) {
        while !self.at_end() {
            if self.next_time().is_none_or(|n| n > t) && !self.next_is_instant() {
                break;
            }
            if self.forward_one().is_err() {
                break;
            }
            self.after_change(false);
        }
        if self.at_end() {
            while self.current.step_unrecorded(t) {
                self.record_live_step();
                self.after_change(true);
            }
            self.current.run_until(t); // sets the clock (nothing left to fire)
            self.recorded.push(Input::RunUntil(t));
            self.cursor = Cursor {
                index: self.recorded.len(),
                done: 0,
            };
            self.after_change(true);
        } else {
            // Inside the recording the clock moves with the replayed events only.
        }
    }

    /// [`Timeline::run_until`] under a budget: refuses a time beyond it before any work, and
    /// stops after `budget.max_events` events with an error, where the caller may continue by
    /// calling again (the timeline stays valid at the step reached).
    pub fn run_until_within(&mut self, t: Millis, budget: &Budget) -> Result<(), BudgetError> {
        budget.check_time(t)?;
        let start = self.current.step_count();
        while self.next_time().is_some_and(|n| n <= t) || (!self.at_end() && self.next_is_instant())
        {
            budget.check_events(self.current.step_count() - start + 1)?;
            if !self.step_forward() {
                break;
            }
        }
        self.run_until(t);
        Ok(())
    }

    fn next_time(&self) -> Option<Millis> {
        self.current.next_event_time()
    }

    fn next_is_instant(&self) -> bool {
        matches!(
            self.recorded.get(self.cursor.index),
            Some(Input::Command(_) | Input::Action(_))
        )
    }

    /// Applies a command at the current position (forking if in the past).
    pub fn apply(&mut self, cmd: Command) -> Result<(), CommandError> {
        // Validated without cloning the cluster, and without forking on error: `Cluster::apply`
        // checks a command completely before it changes anything.
        self.current.check_command(&cmd)?;
        self.fork();
        self.current.apply(cmd.clone())?;
        self.recorded.push(Input::Command(cmd));
        self.cursor = Cursor {
            index: self.recorded.len(),
            done: 0,
        };
        self.after_change(true);
        Ok(())
    }

    /// Fires a chosen enabled event (manual mode), forking if in the past.
    pub fn act(&mut self, action: Action) -> Result<(), CommandError> {
        if !self.current.enabled().iter().any(|e| e.action == action) {
            let mut probe = self.current.clone();
            return probe.act(action); // produces the explanatory error
        }
        self.fork();
        self.current.act(action.clone())?;
        self.recorded.push(Input::Action(action));
        self.cursor = Cursor {
            index: self.recorded.len(),
            done: 0,
        };
        self.after_change(true);
        Ok(())
    }

    /// Discards the recorded future beyond the current position.
    pub(crate) fn fork(&mut self) {
        if self.at_end() {
            return;
        }
        self.recorded.truncate(self.cursor.index);
        if self.cursor.done > 0 {
            self.recorded.push(Input::Steps(self.cursor.done));
        }
        self.cursor = Cursor {
            index: self.recorded.len(),
            done: 0,
        };
        let step = self.current.step_count();
        self.checkpoints.retain(|c| c.cluster.step_count() <= step);
        self.end_step = step;
    }

    /// Applies the recorded inputs that fire no event (a `RunUntil` whose remaining events are
    /// all later than its time only moves the clock), so "the state after step k" is one state.
    fn settle(&mut self) {
        while let Some(Input::RunUntil(t)) = self.recorded.get(self.cursor.index) {
            let t = *t;
            if self.current.next_event_time().is_some_and(|n| n <= t) {
                break;
            }
            let _ = self.forward_one();
        }
    }

    /// Replays one unit of the recording at the cursor.
    fn forward_one(&mut self) -> Result<(), CommandError> {
        let Some(input) = self.recorded.get(self.cursor.index).cloned() else {
            return Ok(());
        };
        match input {
            Input::Command(c) => {
                self.current.apply(c)?;
                self.cursor = Cursor {
                    index: self.cursor.index + 1,
                    done: 0,
                };
            }
            Input::Action(a) => {
                self.current.act(a)?;
                self.cursor = Cursor {
                    index: self.cursor.index + 1,
                    done: 0,
                };
            }
            Input::Steps(n) => {
                if self.cursor.done < n && self.current.step_unrecorded(Millis::MAX) {
                    self.cursor.done += 1;
                } else {
                    self.cursor.done = n;
                }
                if self.cursor.done >= n {
                    self.cursor = Cursor {
                        index: self.cursor.index + 1,
                        done: 0,
                    };
                }
            }
            Input::RunUntil(t) => {
                if self.current.step_unrecorded(t) {
                    self.cursor.done += 1;
                } else {
                    self.current.run_until(t);
                    self.cursor = Cursor {
                        index: self.cursor.index + 1,
                        done: 0,
                    };
                }
            }
        }
        Ok(())
    }

    /// Records one live event at the end of the recording.
    fn record_live_step(&mut self) {
        match self.recorded.last_mut() {
            Some(Input::Steps(n)) => *n += 1,
            _ => self.recorded.push(Input::Steps(1)),
        }
        self.cursor = Cursor {
            index: self.recorded.len(),
            done: 0,
        };
    }

    fn after_change(&mut self, live: bool) {
        self.events.extend(self.current.take_events());
        if live || self.current.step_count() > self.end_step {
            self.end_step = self.current.step_count();
        }
        self.maybe_checkpoint();
    }

    fn maybe_checkpoint(&mut self) {
        let step = self.current.step_count();
        let last = self
            .checkpoints
            .last()
            .map_or(0, |c| c.cluster.step_count());
        if step >= last + self.spacing {
            // A live run keeps growing the trailing `Steps(n)`: store the position inside it.
            let mut cursor = self.cursor;
            if cursor.index == self.recorded.len() {
                if let Some(Input::Steps(n)) = self.recorded.last() {
                    cursor = Cursor {
                        index: cursor.index - 1,
                        done: *n,
                    };
                }
            }
            self.checkpoints.push(Checkpoint {
                cursor,
                cluster: self.current.clone(),
                events_len: self.events.len(),
            });
            if self.checkpoints.len() > MAX_CHECKPOINTS {
                // Keep the first, then every other one.
                let mut i = 0;
                self.checkpoints.retain(|_| {
                    i += 1;
                    i == 1 || i % 2 == 1
                });
                self.spacing *= 2;
            }
        }
    }

    // ---- moving backward ------------------------------------------------------------------

    /// One step back. Returns false at the start.
    pub fn step_back(&mut self) -> bool {
        let step = self.current.step_count();
        let first = self
            .checkpoints
            .first()
            .map_or(0, |c| c.cluster.step_count());
        if step <= first {
            return false;
        }
        self.seek(step - 1);
        true
    }

    /// Moves to the state right after step `target` (clamped to the recording).
    pub fn seek(&mut self, target: u64) {
        let target = target.min(self.end_step);
        let cp = self
            .checkpoints
            .iter()
            .rev()
            .find(|c| c.cluster.step_count() <= target)
            .or(self.checkpoints.first())
            .expect("the start is always a checkpoint")
            .clone();
        if !(self.current.step_count() <= target
            && self.current.step_count() >= cp.cluster.step_count())
        {
            self.current = cp.cluster;
            self.cursor = cp.cursor;
            self.events.truncate(cp.events_len);
        }
        while self.current.step_count() < target && !self.at_end() {
            if self.forward_one().is_err() {
                break;
            }
            self.events.extend(self.current.take_events());
        }
        self.settle();
        self.events.extend(self.current.take_events());
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        for i in 0..chunk.len() + 1 {
            out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let vals: Option<Vec<u32>> = s
        .bytes()
        .map(|c| B64.iter().position(|&b| b == c).map(|v| v as u32))
        .collect();
    let vals = vals?;
    if vals.len() % 4 == 1 {
        return None;
    }
    for chunk in vals.chunks(4) {
        let mut n = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produce(v: &str) -> Command {
        Command::Produce {
            producer: 1,
            topic: None,
            partition: None,
            key: None,
            value: v.into(),
            acks: None,
        }
    }

    #[test]
    fn base64url_round_trips() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"abcd", &[0, 255, 254, 1, 2]] {
            assert_eq!(base64url_decode(&base64url_encode(data)).unwrap(), data);
        }
        assert!(base64url_decode("a*b").is_none());
    }

    #[test]
    fn back_then_forward_restores_exactly() {
        let mut t = Timeline::new(ClusterConfig::default(), 3).unwrap();
        t.run_until(50);
        t.apply(produce("a")).unwrap();
        t.run_until(700);
        let end_hash = t.current().state_hash();
        let end_step = t.step();
        let end_events = t.events().len();
        // Walk back step by step to 10, remembering hashes.
        let mut hashes = vec![];
        while t.step() > 10 {
            hashes.push((t.step(), t.current().state_hash()));
            assert!(t.step_back());
        }
        // And forward again: every state matches.
        for (step, hash) in hashes.into_iter().rev() {
            while t.step() < step {
                assert!(t.step_forward());
            }
            assert_eq!(t.current().state_hash(), hash, "state after step {step}");
        }
        assert_eq!(t.step(), end_step);
        assert_eq!(t.current().state_hash(), end_hash);
        assert_eq!(t.events().len(), end_events);
    }

    #[test]
    fn seek_matches_a_fresh_replay_and_far_seeks_use_checkpoints() {
        let mut t = Timeline::new(ClusterConfig::default(), 9).unwrap();
        t.apply(Command::AutoProduce {
            producer: 1,
            interval_ms: 20,
            topic: None,
            acks: None,
        })
        .unwrap();
        t.run_until(5_000);
        assert!(t.checkpoints.len() > 1);
        let end = t.step();
        for target in [0, 1, end / 3, end / 2, end - 1, end] {
            t.seek(target);
            assert_eq!(t.step(), target);
            let fresh = Timeline::from_run(&t.run()).unwrap();
            assert_eq!(
                fresh.current().state_hash(),
                t.current().state_hash(),
                "seek({target})"
            );
        }
    }

    #[test]
    fn a_command_in_the_past_forks() {
        let mut t = Timeline::new(ClusterConfig::default(), 5).unwrap();
        t.apply(produce("a")).unwrap();
        t.run_until(1_000);
        let old_end = t.end_step();
        t.seek(old_end / 2);
        t.apply(produce("b")).unwrap();
        assert_eq!(t.end_step(), t.step(), "the recorded future is gone");
        assert!(t.at_end());
        t.run_until(2_000);
        assert!(t
            .current()
            .ledger()
            .find_by_value("b")
            .is_some_and(|e| e.acked.is_some()));
        // The run replays to the same state.
        let replayed = Timeline::from_run(&t.run()).unwrap();
        assert_eq!(replayed.current().state_hash(), t.current().state_hash());
    }

    #[test]
    fn fragments_round_trip_and_reject_garbage() {
        let mut t = Timeline::new(ClusterConfig::default(), 11).unwrap();
        t.apply(produce("x")).unwrap();
        t.run_until(300);
        let frag = t.run().to_fragment();
        let run = Run::from_fragment(&frag).unwrap();
        assert_eq!(run, t.run());
        assert!(Run::from_fragment("!!!").unwrap_err().contains("damaged"));
        assert!(Run::from_fragment(&base64url_encode(b"{\"nope\":1}"))
            .unwrap_err()
            .contains("does not describe"));
    }
}
