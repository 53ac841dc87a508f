//! Replaying a recorded run (a link, the saved session) in slices, so that a long replay never
//! blocks the page: the reducer advances a [`PendingReplay`] by [`SLICE_EVENTS`] simulated events
//! per animation frame, shows its progress and can drop it (Cancel). The whole replay stays under
//! [`Budget::PAGE`]; a request beyond it is refused before any work.

use highwater_core::budget::Budget;
use highwater_core::command::Input;
use highwater_core::timeline::{Run, Timeline};

use super::boot::refused;
use super::derived::sample;
use super::model::{AppState, Level, ReplayProgress, Samples};

/// Simulated events replayed per animation frame (about 5–15 ms of work in a release build, a
/// few times more on a loaded machine).
pub const SLICE_EVENTS: u64 = 2_000;

/// Where a replay came from, for its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplaySource {
    /// A `#run=` link.
    Link,
    /// The session saved in this browser.
    Stored,
}

/// A run being replayed input by input, every step sampled for the plot (the recording keeps
/// exactly the shape a live run would have).
pub struct PendingReplay {
    run: Run,
    tl: Timeline,
    /// The input being replayed, and how many of its steps are done.
    index: usize,
    done: u64,
    samples: Samples,
    /// Where it came from.
    pub source: ReplaySource,
}

impl PendingReplay {
    /// Starts a replay; refused before any work when the inputs ask for more than the page's
    /// budget (a link someone else made may ask for a trillion steps).
    pub fn new(run: Run, source: ReplaySource) -> Result<PendingReplay, String> {
        Budget::PAGE.admit(&run.inputs).map_err(|e| e.0)?;
        let tl = Timeline::new(run.config.clone(), run.seed).map_err(|e| e.0)?;
        let mut samples = Samples::default();
        sample(&mut samples, tl.current());
        Ok(PendingReplay {
            run,
            tl,
            index: 0,
            done: 0,
            samples,
            source,
        })
    }

    /// Replays up to about `slice` more simulated events. `Ok(true)`: the whole run is replayed.
    pub fn advance(&mut self, slice: u64) -> Result<bool, String> {
        let budget = Budget::PAGE;
        let stop_at = self.tl.step().saturating_add(slice.max(1));
        while let Some(input) = self.run.inputs.get(self.index) {
            if self.tl.step() >= stop_at {
                return Ok(false);
            }
            let i = self.index;
            let err = |e: String| format!("step {} of the recording: {e}", i + 1);
            let finished = match input {
                Input::Command(c) => {
                    self.tl.apply(c.clone()).map_err(|e| err(e.0))?;
                    true
                }
                Input::Action(a) => {
                    self.tl.act(a.clone()).map_err(|e| err(e.0))?;
                    true
                }
                Input::Steps(n) => {
                    while self.done < *n && self.tl.step() < stop_at {
                        if !self.tl.step_forward() {
                            self.done = *n;
                            break;
                        }
                        self.done += 1;
                        sample(&mut self.samples, self.tl.current());
                    }
                    self.done >= *n
                }
                Input::RunUntil(t) => {
                    budget.check_time(*t).map_err(|e| err(e.0))?;
                    let used = self.tl.step();
                    if used >= budget.max_events {
                        return Err(err(over_budget(&budget)));
                    }
                    // What is left of the whole replay's budget, at most one slice.
                    let left = Budget {
                        max_events: (budget.max_events - used).min(stop_at - used),
                        ..budget
                    };
                    self.tl.run_until_within(*t, &left).is_ok()
                }
            };
            if finished {
                self.index += 1;
                self.done = 0;
                sample(&mut self.samples, self.tl.current());
            }
        }
        Ok(true)
    }

    /// Replays the whole run at once (tests, and runs known to be short).
    pub fn run_to_end(mut self) -> Result<(Timeline, Samples), String> {
        while !self.advance(u64::MAX)? {}
        Ok(self.finish())
    }

    /// How far the replay is, from 0 to 1 (by inputs, and steps within a `steps` input).
    pub fn fraction(&self) -> f64 {
        let len = self.run.inputs.len().max(1) as f64;
        let within = match self.run.inputs.get(self.index) {
            Some(Input::Steps(n)) if *n > 0 => self.done as f64 / *n as f64,
            _ => 0.0,
        };
        ((self.index as f64 + within) / len).clamp(0.0, 1.0)
    }

    /// Simulated events replayed so far.
    pub fn events(&self) -> u64 {
        self.tl.step()
    }

    /// The replayed timeline and its samples.
    pub fn finish(self) -> (Timeline, Samples) {
        (self.tl, self.samples)
    }
}

fn over_budget(budget: &Budget) -> String {
    format!(
        "the run needs more than the page's replay budget of {} simulated events",
        budget.max_events
    )
}

impl AppState {
    /// Replays one more slice of the pending link or session, if any; on its last slice the
    /// replayed run replaces the current one. Returns whether anything changed.
    pub(crate) fn advance_pending(&mut self) -> bool {
        let outcome = {
            let mut cell = self.pending.borrow_mut();
            let Some(p) = cell.as_mut() else {
                return false;
            };
            match p.advance(SLICE_EVENTS) {
                Ok(false) => {
                    self.replay = Some(ReplayProgress {
                        source: p.source,
                        fraction: p.fraction(),
                        events: p.events(),
                    });
                    return true;
                }
                Ok(true) => Ok(cell.take().expect("present")),
                Err(e) => Err((p.source, e)),
            }
        };
        self.replay = None;
        match outcome {
            Ok(p) => {
                let (tl, samples) = p.finish();
                self.replace_run(tl, samples);
            }
            Err((source, e)) => {
                *self.pending.borrow_mut() = None;
                let (level, topic, text) = refused(source, &e);
                self.notify(level, topic, text);
            }
        }
        true
    }

    /// Drops the pending replay (the Cancel button); the current run stays.
    pub(crate) fn cancel_replay(&mut self) {
        let Some(p) = self.pending.borrow_mut().take() else {
            return;
        };
        self.replay = None;
        let what = match p.source {
            ReplaySource::Link => "Opening the link",
            ReplaySource::Stored => "Restoring the saved session",
        };
        self.notify(
            Level::Info,
            "link",
            format!("{what} was cancelled; the current run is kept."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use highwater_core::command::Command;
    use highwater_core::config::ClusterConfig;

    fn long_run() -> Run {
        let mut tl = Timeline::new(ClusterConfig::default(), 7).unwrap();
        tl.apply(Command::AutoProduce {
            producer: 1,
            interval_ms: 5,
            topic: None,
            acks: None,
        })
        .unwrap();
        tl.run_until(60_000);
        tl.run()
    }

    /// A replay in slices ends in exactly the run that one replay at once gives, with the same
    /// plot samples, and it took many slices.
    #[test]
    fn a_sliced_replay_gives_the_same_run_as_one_at_once() {
        let run = long_run();
        let (whole, whole_samples) = PendingReplay::new(run.clone(), ReplaySource::Link)
            .unwrap()
            .run_to_end()
            .unwrap();
        let mut p = PendingReplay::new(run, ReplaySource::Link).unwrap();
        let mut slices = 1;
        let mut last = 0.0;
        while !p.advance(SLICE_EVENTS).unwrap() {
            assert!(p.fraction() >= last, "progress never goes back");
            last = p.fraction();
            slices += 1;
        }
        assert!(slices > 3, "{slices} slices");
        let (sliced, sliced_samples) = p.finish();
        assert_eq!(sliced.step(), whole.step());
        assert_eq!(sliced.current().state_hash(), whole.current().state_hash());
        assert_eq!(sliced.run(), whole.run());
        assert_eq!(sliced_samples.points, whole_samples.points);
    }

    /// Past the page's budget a replay fails with a message naming it, slice after slice.
    #[test]
    fn a_replay_past_the_page_budget_stops_with_its_limit() {
        let mut run = long_run();
        run.inputs = vec![
            Input::Command(Command::AutoProduce {
                producer: 1,
                interval_ms: 1,
                topic: None,
                acks: None,
            }),
            Input::RunUntil(86_400_000),
        ];
        let mut p = PendingReplay::new(run, ReplaySource::Link).unwrap();
        let e = loop {
            match p.advance(SLICE_EVENTS) {
                Ok(false) => {}
                Ok(true) => panic!("a day of 1 ms auto-produce fits no page budget"),
                Err(e) => break e,
            }
        };
        assert!(e.contains("page's replay budget of 200000"), "{e}");
        assert!(p.events() <= Budget::PAGE.max_events + 1);
    }
}
