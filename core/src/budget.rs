//! The work a replay may ask for: a budget of simulated events and virtual time, checked before
//! any work where the inputs say it ([`Budget::admit`]) and counted while replaying where only
//! running tells ([`Budget::check_events`]). A link, a stored session, a scenario or a JS API call
//! that asks for more is refused with a message naming the limit, never run until the tab or the
//! process gives out.

use crate::cluster::MAX_DURATION_MS;
use crate::command::Input;
use crate::types::Millis;

/// Limits on one replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Most simulated events (steps) the replay may fire.
    pub max_events: u64,
    /// Latest virtual time the replay may reach, in ms.
    pub max_time_ms: Millis,
}

impl Budget {
    /// The default for scenarios, the CLI and the JS API: one million simulated events and one
    /// day of virtual time. With the event log on, a million events take several seconds natively
    /// (about 110,000 events/s for a producer sending every millisecond).
    pub const DEFAULT: Budget = Budget {
        max_events: 1_000_000,
        max_time_ms: MAX_DURATION_MS,
    };

    /// What the page replays from a link or a stored session before drawing: 200,000 events, about
    /// two virtual hours of the default run with consumers (10 virtual minutes are 17,000–28,000
    /// events), so a hostile link freezes the tab for a bounded time only.
    pub const PAGE: Budget = Budget {
        max_events: 200_000,
        max_time_ms: MAX_DURATION_MS,
    };

    /// Refuses, before any work, inputs that ask for more than the budget by themselves: more
    /// steps in total than `max_events`, or a time beyond `max_time_ms`.
    pub fn admit(&self, inputs: &[Input]) -> Result<(), BudgetError> {
        let mut steps: u64 = 0;
        for input in inputs {
            match input {
                Input::Steps(n) => steps = steps.saturating_add(*n),
                Input::RunUntil(t) if *t > self.max_time_ms => {
                    return Err(self.time_error(*t));
                }
                _ => {}
            }
        }
        // Every command or action is at least one unit of work too.
        let total = steps.saturating_add(inputs.len() as u64);
        if total > self.max_events {
            return Err(BudgetError(format!(
                "the run asks for {total} steps, more than the replay budget of {} simulated events",
                self.max_events
            )));
        }
        Ok(())
    }

    /// Refuses a replay that has fired `events` events so far, once they pass the budget.
    pub fn check_events(&self, events: u64) -> Result<(), BudgetError> {
        if events > self.max_events {
            return Err(BudgetError(format!(
                "the run needs more than the replay budget of {} simulated events",
                self.max_events
            )));
        }
        Ok(())
    }

    /// Refuses a virtual time beyond the budget.
    pub fn check_time(&self, t: Millis) -> Result<(), BudgetError> {
        if t > self.max_time_ms {
            return Err(self.time_error(t));
        }
        Ok(())
    }

    fn time_error(&self, t: Millis) -> BudgetError {
        BudgetError(format!(
            "the run asks to reach {t} ms of virtual time, more than the replay budget of {} ms",
            self.max_time_ms
        ))
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::DEFAULT
    }
}

/// Why a replay was refused, in plain words that name the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetError(pub String);

impl std::fmt::Display for BudgetError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BudgetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_beyond_the_budget_are_refused_before_any_work() {
        let b = Budget::DEFAULT;
        assert!(b.admit(&[Input::Steps(999_000)]).is_ok());
        let e = b.admit(&[Input::Steps(1_000_000_000_000)]).unwrap_err();
        assert!(e.0.contains("replay budget of 1000000"), "{e}");
        // Many small step inputs add up.
        let many = vec![Input::Steps(600_000), Input::Steps(600_000)];
        assert!(b.admit(&many).is_err());
        // u64::MAX steps twice does not wrap around to a small number.
        assert!(b
            .admit(&[Input::Steps(u64::MAX), Input::Steps(u64::MAX)])
            .is_err());
        let e = b.admit(&[Input::RunUntil(1_000_000_000_000)]).unwrap_err();
        assert!(e.0.contains("virtual time"), "{e}");
        assert!(b.admit(&[Input::RunUntil(MAX_DURATION_MS)]).is_ok());
        assert!(b.check_events(1_000_000).is_ok() && b.check_events(1_000_001).is_err());
    }
}
