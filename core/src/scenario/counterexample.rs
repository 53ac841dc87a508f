//! A counterexample as a scenario file that `highwater run` accepts and that expects the
//! violation at its last step.

use super::step_form::{input_step, step_line};
use crate::checker::{Counterexample, Property, Verdict};
use crate::cluster::Cluster;
use crate::fuzz::ConfigFile;

/// Writes `cx` as a scenario file. Each input becomes one step (a message to deliver or drop is
/// named by its link, where it is the head; a timer by its node and name). Errors when an input
/// has no scenario form.
pub fn to_scenario(cx: &Counterexample, name: &str) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(&format!("name = {name:?}\n"));
    out.push_str(&format!(
        "description = {:?}\n",
        format!(
            "Found by highwater check: a shortest schedule ({} moves) that breaks {:?}: {}.",
            cx.depth(),
            cx.property.name(),
            cx.detail
        )
    ));
    out.push_str(&format!("seed = {}\n\n", cx.run.seed));
    let mut shown = cx.run.config.clone();
    shown.trace = true;
    out.push_str(&toml::to_string(&ConfigFile { config: shown }).map_err(|e| e.to_string())?);
    let mut c = Cluster::new(cx.run.config.clone(), cx.run.seed).map_err(|e| e.0)?;
    for (i, input) in cx.run.inputs.iter().enumerate() {
        let line = input_step(&c, input)
            .map(|a| step_line(&a))
            .map_err(|e| format!("input {}: {e}", i + 1))?;
        if i == cx.prefix_len && i > 0 {
            out.push_str("\n# The search's schedule starts here.\n");
        }
        out.push_str(&format!("\n[[step]]\n{line}\n"));
        c.apply_input(input)
            .map_err(|e| format!("input {}: {e}", i + 1))?;
        if Some(i) == cx.breaking_input {
            out.push_str(&format!("expect = {}\n", expectation(cx, &c)));
        }
    }
    if cx.breaking_input.is_none() {
        out.push_str(&format!(
            "\n[[step]]\nsteps = 0\nexpect = {}\n",
            expectation(cx, &c)
        ));
    }
    Ok(out)
}

/// The expectation that the property is broken.
fn expectation(cx: &Counterexample, c: &Cluster) -> String {
    match &cx.property {
        Property::Invariant(n) => format!("{{ broken = [{n:?}] }}"),
        Property::Verdict(v) => {
            let key = match v {
                Verdict::AckedLost | Verdict::CommittedLost => "lost",
                Verdict::Duplicate => "duplicated",
                Verdict::OutOfOrder => "out_of_order",
                Verdict::ConsumedTwice => "processed_twice",
            };
            let record = v.record(c).unwrap_or_default();
            format!("{{ {key} = [{record:?}] }}")
        }
    }
}
