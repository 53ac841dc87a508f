//! A counterexample as a scenario file that `highwater run` accepts and that expects the
//! violation at its last step.

use super::counterexample::Counterexample;
use super::property::Property;
use crate::cluster::Cluster;
use crate::command::{Action, Command, Input};
use crate::fuzz::{command_step, ConfigFile};

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
        let line = step_line(&c, input)
            .ok_or_else(|| format!("input {} ({input:?}) has no scenario-file form", i + 1))?;
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
                super::Verdict::AckedLost | super::Verdict::CommittedLost => "lost",
                super::Verdict::Duplicate => "duplicated",
                super::Verdict::OutOfOrder => "out_of_order",
                super::Verdict::ConsumedTwice => "processed_twice",
            };
            let record = v.record(c).unwrap_or_default();
            format!("{{ {key} = [{record:?}] }}")
        }
    }
}

/// One input as a step line, given the cluster just before it.
fn step_line(c: &Cluster, input: &Input) -> Option<String> {
    let link = |id: u64| c.in_flight().find(|e| e.id == id);
    Some(match input {
        Input::Steps(n) => format!("steps = {n}"),
        Input::RunUntil(t) => format!("run_ms = {}", t.saturating_sub(c.now())),
        Input::Action(Action::Deliver { message }) => {
            let e = link(*message)?;
            format!("deliver = {{ from = \"{}\", to = \"{}\" }}", e.from, e.to)
        }
        Input::Action(Action::Fire { node, timer }) => {
            // The scenario names a timer by node and name: it must be the first such one.
            let first = c.enabled_actions().into_iter().find_map(|(a, _)| match a {
                Action::Fire { node: n, timer: t } if n == *node && t.name() == timer.name() => {
                    Some(t)
                }
                _ => None,
            })?;
            if first != *timer {
                return None;
            }
            format!("fire = {{ node = \"{node}\", timer = {:?} }}", timer.name())
        }
        Input::Command(Command::Drop { message }) => {
            // Scenario drops pick the first message in flight on the link: the head.
            let e = link(*message)?;
            let head = c.in_flight().find(|m| m.from == e.from && m.to == e.to)?;
            if head.id != *message {
                return None;
            }
            format!("drop = {{ from = \"{}\", to = \"{}\" }}", e.from, e.to)
        }
        Input::Command(cmd) => command_step(cmd)?,
    })
}
