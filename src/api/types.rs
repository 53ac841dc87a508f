//! The plain-data shapes only this API returns (scenario steps, outcomes, reports, the catalog).
//! Everything else it returns is the core's read model ([`highwater_core::read_model`]), as
//! serde_json writes it. Plain serde types: they compile and serialise natively too, so that
//! `tests/api_types.rs` can check them against `types.d.ts`.

use highwater_core::scenario::{Scenario, SearchReport, Step, StepOutcome};
use serde::Serialize;

/// One check of a step's expectations.
#[derive(Serialize)]
pub struct CheckJs<'a> {
    /// What was checked, in words.
    pub what: &'a str,
    /// It held.
    pub passed: bool,
    /// What was found.
    pub actual: &'a str,
}

/// What applying one scenario step found (`applyScenarioStep`).
#[derive(Serialize)]
pub struct OutcomeJs<'a> {
    /// The step's index.
    pub index: usize,
    /// Its line in the file, if read from one.
    pub line: Option<usize>,
    /// Its title.
    pub title: Option<&'a str>,
    /// Every check passed.
    pub passed: bool,
    /// The checks.
    pub checks: Vec<CheckJs<'a>>,
    /// What a `search` step found.
    pub search: Option<&'a SearchReport>,
}

impl<'a> OutcomeJs<'a> {
    /// The outcome of `step`.
    pub fn new(o: &'a StepOutcome, step: &'a Step) -> Self {
        OutcomeJs {
            index: o.index,
            line: o.line,
            title: step.title.as_deref(),
            passed: o.checks.iter().all(|c| c.passed),
            checks: o
                .checks
                .iter()
                .map(|c| CheckJs {
                    what: &c.what,
                    passed: c.passed,
                    actual: &c.actual,
                })
                .collect(),
            search: o.search.as_ref(),
        }
    }
}

/// A built-in scenario or tutorial (`scenarioCatalog`).
#[derive(Serialize)]
pub struct CatalogEntryJs {
    /// The file's name without `.toml`.
    pub id: &'static str,
    /// Its title.
    pub name: &'static str,
    /// `"scenario"` or `"tutorial"`.
    pub kind: &'static str,
}

/// A step of a loaded scenario (`scenarioSteps`).
#[derive(Serialize)]
pub struct ScenarioStepJs<'a> {
    /// The step's index.
    pub index: usize,
    /// Its line in the file, if read from one.
    pub line: Option<usize>,
    /// Its title.
    pub title: Option<&'a str>,
    /// Its narration.
    pub note: Option<&'a str>,
    /// What it highlights.
    pub highlight: Option<&'a str>,
    /// The panel its note names (tutorials).
    pub focus: Option<highwater_core::tutorial::Panel>,
    /// Its action key, as written in the file.
    pub action: Option<&'static str>,
    /// It has expectations.
    pub expects: bool,
}

impl ScenarioStepJs<'_> {
    /// Every step of `s`.
    pub fn list(s: &Scenario) -> Vec<ScenarioStepJs<'_>> {
        s.steps
            .iter()
            .enumerate()
            .map(|(index, st)| ScenarioStepJs {
                index,
                line: s.line(index),
                title: st.title.as_deref(),
                note: st.note.as_deref(),
                highlight: st.highlight.as_deref(),
                focus: st.focus,
                action: st.action(),
                expects: st.expect.is_some(),
            })
            .collect()
    }
}

/// What `runScenario` found.
#[derive(Serialize)]
pub struct ReportJs<'a> {
    /// The scenario's name.
    pub name: &'a str,
    /// Every check passed.
    pub passed: bool,
    /// Checks that passed.
    pub passed_checks: usize,
    /// Checks that failed.
    pub failed_checks: usize,
    /// Set when a `run_until` never came true: what was left out, in words.
    pub not_run: Option<String>,
    /// One outcome per step applied.
    pub steps: Vec<OutcomeJs<'a>>,
}

impl<'a> ReportJs<'a> {
    /// The report of `outcomes` of scenario `s`.
    pub fn new(s: &'a Scenario, outcomes: &'a [StepOutcome], not_run: Option<String>) -> Self {
        let steps: Vec<OutcomeJs> = outcomes
            .iter()
            .map(|o| OutcomeJs::new(o, &s.steps[o.index]))
            .collect();
        let checks = outcomes.iter().flat_map(|o| &o.checks);
        let passed_checks = checks.clone().filter(|c| c.passed).count();
        let failed_checks = checks.count() - passed_checks;
        ReportJs {
            name: &s.name,
            passed: failed_checks == 0,
            passed_checks,
            failed_checks,
            not_run,
            steps,
        }
    }
}
