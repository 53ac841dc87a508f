//! Replaying a recorded run (a link, the saved session) in slices, so that a long replay never
//! blocks the page: the reducer (`boot.rs`) advances a [`PendingReplay`] by [`SLICE_EVENTS`]
//! simulated events per animation frame, shows its progress and can drop it (Cancel). This module
//! knows only the core. The whole replay stays under
//! [`Budget::PAGE`]; a request beyond it is refused before any work.

use highwater_core::budget::Budget;
use highwater_core::command::Input;
use highwater_core::timeline::{Run, Timeline};

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
    /// Where it came from.
    pub source: ReplaySource,
}

impl PendingReplay {
    /// Starts a replay; refused before any work when the inputs ask for more than the page's
    /// budget (a link someone else made may ask for a trillion steps).
    pub fn new(run: Run, source: ReplaySource) -> Result<PendingReplay, String> {
        Budget::PAGE.admit(&run.inputs).map_err(|e| e.0)?;
        let tl = Timeline::new(run.config.clone(), run.seed).map_err(|e| e.0)?;
        Ok(PendingReplay {
            run,
            tl,
            index: 0,
            done: 0,
            source,
        })
    }

    /// The timeline as replayed so far (at the start: the run's first state).
    pub fn timeline(&self) -> &Timeline {
        &self.tl
    }

    /// Replays up to about `slice` more simulated events, calling `on_step` after every step and
    /// every input (for the plot). `Ok(true)`: the whole run is replayed.
    pub fn advance(
        &mut self,
        slice: u64,
        on_step: &mut dyn FnMut(&Timeline),
    ) -> Result<bool, String> {
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
                        on_step(&self.tl);
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
                on_step(&self.tl);
            }
        }
        Ok(true)
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

    /// The replayed timeline.
    pub fn finish(self) -> Timeline {
        self.tl
    }
}

fn over_budget(budget: &Budget) -> String {
    format!(
        "the run needs more than the page's replay budget of {} simulated events",
        budget.max_events
    )
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
        let mut whole_steps = Vec::new();
        let mut p = PendingReplay::new(run.clone(), ReplaySource::Link).unwrap();
        assert!(p
            .advance(u64::MAX, &mut |t| whole_steps.push(t.step()))
            .unwrap());
        let whole = p.finish();
        let mut sliced_steps = Vec::new();
        let mut p = PendingReplay::new(run, ReplaySource::Link).unwrap();
        let mut slices = 1;
        let mut last = 0.0;
        while !p
            .advance(SLICE_EVENTS, &mut |t| sliced_steps.push(t.step()))
            .unwrap()
        {
            assert!(p.fraction() >= last, "progress never goes back");
            last = p.fraction();
            slices += 1;
        }
        assert!(slices > 3, "{slices} slices");
        let sliced = p.finish();
        assert_eq!(sliced.step(), whole.step());
        assert_eq!(sliced.current().state_hash(), whole.current().state_hash());
        assert_eq!(sliced.run(), whole.run());
        assert_eq!(
            sliced_steps, whole_steps,
            "the plot is sampled at the same steps"
        );
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
            match p.advance(SLICE_EVENTS, &mut |_| {}) {
                Ok(false) => {}
                Ok(true) => panic!("a day of 1 ms auto-produce fits no page budget"),
                Err(e) => break e,
            }
        };
        assert!(e.contains("page's replay budget of 200000"), "{e}");
        assert!(p.events() <= Budget::PAGE.max_events + 1);
    }
}
