//! Where a counterexample search starts when given a scenario file: after its setup
//! (`highwater check FILE`, the checker's benchmark models).

use super::{Scenario, ScenarioError, Step};
use crate::cluster::Cluster;

/// Whether a step injects a fault (what the search itself chooses with its budgets).
fn is_fault(s: &Step) -> bool {
    s.crash.is_some()
        || s.power_fail.is_some()
        || s.shutdown.is_some()
        || s.restart.is_some()
        || s.pause.is_some()
        || s.resume.is_some()
        || s.isolate.is_some()
        || s.cut.is_some()
        || s.heal.is_some()
        || s.slow.is_some()
        || s.drop.is_some()
}

/// The scenario's setup: how many steps come before its first fault. The default start of
/// `highwater check FILE` — the workload the file describes, then the search picks the faults.
pub fn setup_len(s: &Scenario) -> usize {
    s.steps.iter().position(is_fault).unwrap_or(s.steps.len())
}

/// The cluster after the scenario's first `steps` steps (their expectations are not checked).
pub fn start_after(s: &Scenario, steps: usize) -> Result<Cluster, ScenarioError> {
    if steps > s.steps.len() {
        return Err(ScenarioError {
            line: None,
            message: format!(
                "the scenario has {} steps; cannot start after step {steps}",
                s.steps.len()
            ),
        });
    }
    let mut c = s.cluster()?;
    for i in 0..steps {
        s.apply_step(&mut c, i)?;
    }
    Ok(c)
}
