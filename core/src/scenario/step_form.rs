//! An input of a run as a scenario step's action (`produce = "a"`, `deliver = { … }`, …): the
//! inverse of `run.rs`, used by every writer of scenario files (run export, the checker's
//! counterexamples, fuzz findings). An action is a key and a value, written as TOML by
//! [`step_line`] or as JSON by the run export.

use serde_json::{json, Map, Value};

use super::toml_text::inline;
use crate::cluster::Cluster;
use crate::command::{Action, Command, Input, TxnCallName};
use crate::config::Acks;
use crate::types::NodeId;

/// A step's action: its key and value, e.g. `("crash", "b1")`.
pub type StepAction = (&'static str, Value);

/// `input` as a step action, given the cluster just before it. A message to deliver or drop is
/// named by its kind and link (it must be the one a scenario selector picks there), a timer by
/// its node and name. Errors, naming the input, when it has no scenario form.
pub fn input_step(c: &Cluster, input: &Input) -> Result<StepAction, String> {
    let no_form = |why: &str| {
        Err(format!(
            "{} has no scenario-file form: {why}",
            describe(input)
        ))
    };
    Ok(match input {
        Input::Steps(n) => ("steps", json!(n)),
        Input::RunUntil(t) => ("run_ms", json!(t.saturating_sub(c.now()))),
        Input::Action(Action::Deliver { message }) => {
            let Some(e) = c.in_flight().find(|e| e.id == *message) else {
                return no_form("the message is not in flight");
            };
            // A scenario delivers the head of the link `from → to`: one message per link.
            (
                "deliver",
                json!({ "kind": e.msg.kind().name(), "from": e.from.to_string(), "to": e.to.to_string() }),
            )
        }
        Input::Action(Action::Fire { node, timer }) => {
            // The scenario names a timer by node and name: it must be the first such one.
            let first = c.enabled_actions().find_map(|(a, _)| match a {
                Action::Fire { node: n, timer: t } if n == *node && t.name() == timer.name() => {
                    Some(t)
                }
                _ => None,
            });
            if first.as_ref() != Some(timer) {
                return no_form("another timer of that name comes first");
            }
            (
                "fire",
                json!({ "node": node.to_string(), "timer": timer.name() }),
            )
        }
        Input::Command(Command::Drop { message }) => {
            let Some(e) = c.in_flight().find(|e| e.id == *message) else {
                return no_form("the message is not in flight");
            };
            // A scenario drops the first message in flight of that kind on that link.
            let kind = e.msg.kind().name();
            let first = c
                .in_flight()
                .find(|m| m.from == e.from && m.to == e.to && m.msg.kind().name() == kind);
            if first.map(|m| m.id) != Some(*message) {
                return no_form("an earlier message of the same kind is on that link");
            }
            (
                "drop",
                json!({ "kind": kind, "from": e.from.to_string(), "to": e.to.to_string() }),
            )
        }
        Input::Command(cmd) => match command_step(cmd) {
            Some(action) => action,
            None => return no_form("no step names it"),
        },
    })
}

/// A step action as a TOML line, `key = value`.
pub fn step_line((key, value): &StepAction) -> String {
    format!("{key} = {}", inline(value))
}

/// A user command as a step action; `None` for `Drop`, which needs the cluster
/// ([`input_step`]).
pub fn command_step(cmd: &Command) -> Option<StepAction> {
    /// A table of the fields that are set.
    fn table(fields: Vec<(&str, Option<Value>)>) -> Value {
        // Inserted one by one: `collect()` into a `Map` would sort first (crate::ordered).
        let mut m = Map::new();
        m.extend(
            fields
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v))),
        );
        Value::Object(m)
    }
    let acks = |a: &Option<Acks>| a.map(|a| json!(a.as_str()));
    let producer = |p: u32| (p != 1).then(|| json!(p));
    let node = |n: NodeId| json!(n.to_string());
    Some(match cmd {
        Command::Produce {
            producer: 1,
            topic: None,
            partition: None,
            key: None,
            value,
            acks: None,
        } => ("produce", json!(value)),
        Command::Produce {
            producer: p,
            topic,
            partition,
            key,
            value,
            acks: a,
        } => (
            "produce",
            table(vec![
                ("value", Some(json!(value))),
                ("key", key.as_ref().map(|k| json!(k))),
                ("producer", producer(*p)),
                ("topic", topic.as_ref().map(|t| json!(t))),
                ("partition", partition.map(|p| json!(p))),
                ("acks", acks(a)),
            ]),
        ),
        Command::AutoProduce {
            producer: 1,
            interval_ms,
            topic: None,
            acks: None,
        } => ("auto_produce", json!(interval_ms)),
        Command::AutoProduce {
            producer: p,
            interval_ms,
            topic,
            acks: a,
        } => (
            "auto_produce",
            table(vec![
                ("interval_ms", Some(json!(interval_ms))),
                ("producer", producer(*p)),
                ("topic", topic.as_ref().map(|t| json!(t))),
                ("acks", acks(a)),
            ]),
        ),
        Command::Crash {
            broker,
            lose_unflushed,
        } => {
            let key = if *lose_unflushed {
                "power_fail"
            } else {
                "crash"
            };
            (key, node(NodeId::Broker(*broker)))
        }
        Command::Shutdown { broker } => ("shutdown", node(NodeId::Broker(*broker))),
        Command::Restart { broker } => ("restart", node(NodeId::Broker(*broker))),
        Command::Pause { node: n } => ("pause", node(*n)),
        Command::Resume { node: n } => ("resume", node(*n)),
        Command::Isolate { node: n } => ("isolate", node(*n)),
        Command::Cut { from, to, both } => (
            "cut",
            json!({ "from": from.to_string(), "to": to.to_string(), "both": both }),
        ),
        Command::Heal { node: None } => ("heal", json!(true)),
        Command::Heal { node: Some(n) } => ("heal", node(*n)),
        Command::Slow {
            from,
            to,
            extra_ms,
            both,
        } => (
            "slow",
            json!({ "from": from.to_string(), "to": to.to_string(), "extra_ms": extra_ms, "both": both }),
        ),
        Command::Drop { .. } => return None,
        Command::Flush { broker } => ("flush", node(NodeId::Broker(*broker))),
        Command::AddConsumer => ("add_consumer", json!(true)),
        Command::RemoveConsumer { consumer } => {
            ("remove_consumer", node(NodeId::Consumer(*consumer)))
        }
        Command::CrashConsumer { consumer } => ("crash", node(NodeId::Consumer(*consumer))),
        Command::RestartConsumer { consumer } => ("restart", node(NodeId::Consumer(*consumer))),
        Command::DeleteRecords {
            topic,
            partition,
            offset,
        } => (
            "delete_records",
            table(vec![
                ("topic", topic.as_ref().map(|t| json!(t))),
                ("partition", Some(json!(partition))),
                ("offset", Some(json!(offset))),
            ]),
        ),
        Command::CommitMode { consumer, mode } => (
            "commit_mode",
            json!({ "consumer": NodeId::Consumer(*consumer).to_string(), "mode": mode.as_str() }),
        ),
        Command::Transaction { producer, call } => {
            let key = match call {
                TxnCallName::Init => "init_transactions",
                TxnCallName::Begin => "begin_transaction",
                TxnCallName::Commit => "commit_transaction",
                TxnCallName::Abort => "abort_transaction",
            };
            (key, node(NodeId::Producer(*producer)))
        }
        Command::UncleanLeaderElection { enable } => ("unclean_leader_election", json!(enable)),
        Command::IsolationLevel { consumer, level } => (
            "isolation_level",
            json!({ "consumer": NodeId::Consumer(*consumer).to_string(), "level": level }),
        ),
    })
}

/// An input in words, for errors.
fn describe(input: &Input) -> String {
    match input {
        Input::Command(Command::Drop { message }) => format!("dropping message {message}"),
        Input::Action(Action::Deliver { message }) => format!("delivering message {message}"),
        Input::Action(Action::Fire { node, timer }) => {
            format!("firing {node}'s {} timer", timer.name())
        }
        // The input as JSON, as links write it (no Debug formatting in the page's bundle).
        other => serde_json::to_string(other).unwrap_or_else(|_| "an input".into()),
    }
}
