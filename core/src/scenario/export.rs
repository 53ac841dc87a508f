//! A run (`config`, `seed`, inputs) as a scenario file that `highwater run` and
//! `Simulation.fromScenario` replay: one step per input, and the state observed at the end
//! written as expectations the author can keep or delete.

use serde_json::{json, Map, Value};

use super::step_form::input_step;
use super::toml_text::{inline, key, write_table};
use crate::cluster::{BrokerStatus, Cluster};
use crate::ledger::LedgerEntry;
use crate::ordered;
use crate::partition::Role;
use crate::timeline::Run;
use crate::types::TopicPartition;

/// At most this many record values are listed per ledger expectation (`acked`, …).
const MAX_VALUES: usize = 100;

/// A run written as a scenario: the file's tables as plain data, rendered as TOML
/// ([`Exported::to_toml`], what `highwater run` reads) or JSON ([`Exported::to_json`], what
/// `Simulation.fromScenario` reads).
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    /// `name`, `description`, `seed` and `config`.
    pub head: Map<String, Value>,
    /// The `[[step]]` tables: one per input, the last ones carrying the observed expectations.
    pub steps: Vec<Map<String, Value>>,
    /// The step count and virtual time the expectations were observed at.
    pub observed: (u64, crate::types::Millis),
}

/// Writes `run` as a scenario named `name`. Errors, naming the input, when an input has no
/// scenario form or the run does not replay.
pub fn export_run(run: &Run, name: &str) -> Result<Exported, String> {
    let mut c = Cluster::new(run.config.clone(), run.seed).map_err(|e| e.0)?;
    let mut steps = Vec::new();
    for (i, input) in run.inputs.iter().enumerate() {
        let (key, value) = input_step(&c, input).map_err(|e| format!("input {}: {e}", i + 1))?;
        let mut step = Map::new();
        step.insert(key.into(), value);
        steps.push(step);
        c.apply_input(input)
            .map_err(|e| format!("input {}: {e}", i + 1))?;
    }
    let nothing = || {
        let mut m = Map::new();
        m.insert("steps".into(), json!(0));
        m
    };
    if steps.is_empty() {
        steps.push(nothing());
    }
    for (i, tp) in partitions(&c).into_iter().enumerate() {
        let mut expect = partition_expect(&c, tp, i > 0);
        if i == 0 {
            expect.extend(run_expect(&c));
        } else {
            steps.push(nothing());
        }
        if let Some(last) = steps.last_mut() {
            last.insert("expect".into(), Value::Object(expect));
        }
    }
    let mut head = Map::new();
    head.insert("name".into(), json!(name));
    head.insert(
        "description".into(),
        json!(format!(
            "Exported from Highwater at step {} (t = {} ms): {} input(s) replayed from the same \
             configuration and seed.",
            c.step_count(),
            c.now(),
            run.inputs.len()
        )),
    );
    head.insert("seed".into(), json!(run.seed));
    // Through the JSON text run links are written with: one serialiser in the page's bundle.
    let config = serde_json::to_string(&run.config)
        .and_then(|t| serde_json::from_str::<Value>(&t))
        .map_err(|e| e.to_string())?;
    head.insert("config".into(), config);
    Ok(Exported {
        head,
        steps,
        observed: (c.step_count(), c.now()),
    })
}

/// [`export_run`] as TOML text.
pub fn run_to_scenario(run: &Run, name: &str) -> Result<String, String> {
    export_run(run, name).map(|e| e.to_toml())
}

impl Exported {
    /// The scenario file (TOML), with a comment before the observed expectations.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for key in ["name", "description", "seed"] {
            if let Some(v) = self.head.get(key) {
                out.push_str(&format!("{key} = {}\n", inline(v)));
            }
        }
        let mut config = self.head.clone();
        config.retain(|k, _| k == "config");
        out.push('\n');
        write_table(&mut out, "", &config);
        let mut commented = false;
        for step in &self.steps {
            out.push_str("\n[[step]]\n");
            for (k, v) in step.iter().filter(|(k, _)| *k != "expect") {
                out.push_str(&format!("{} = {}\n", key(k), inline(v)));
            }
            if let Some(Value::Object(expect)) = step.get("expect") {
                if !commented {
                    out.push_str(&format!(
                        "\n# Observed when exported (step {}, t = {} ms). Keep the expectations \
                         you want `highwater run` to check; delete the rest.\n",
                        self.observed.0, self.observed.1
                    ));
                    commented = true;
                }
                write_table(&mut out, "step.expect", expect);
            }
        }
        out
    }

    /// The same scenario as JSON (`highwater convert`'s form).
    pub fn to_json(&self) -> String {
        let mut doc = self.head.clone();
        doc.insert(
            "step".into(),
            Value::Array(self.steps.iter().cloned().map(Value::Object).collect()),
        );
        serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default()
    }
}

/// Every partition of the configured topics, in order.
fn partitions(c: &Cluster) -> Vec<TopicPartition> {
    c.config()
        .topics
        .iter()
        .flat_map(|t| (0..t.partitions).filter_map(|p| c.topic_partition(&t.name, p)))
        .collect()
}

/// The controller's registration and each replica's role and offsets for `tp`; `named` writes
/// the topic and partition (the first partition is the default).
fn partition_expect(c: &Cluster, tp: TopicPartition, named: bool) -> Map<String, Value> {
    let mut e = Map::new();
    if named {
        e.insert("topic".into(), json!(c.topic_name(tp)));
        e.insert("partition".into(), json!(tp.partition));
    }
    if let Some(reg) = c.controller().partitions.get(&tp) {
        e.insert(
            "leader".into(),
            reg.leader.map_or(json!("none"), |b| json!(b)),
        );
        e.insert("leader_epoch".into(), json!(reg.leader_epoch));
        let mut isr = reg.isr.clone();
        ordered::sort(&mut isr);
        e.insert("isr".into(), json!(isr));
    }
    let mut replicas = Map::new();
    for (b, slot) in c.brokers() {
        let Some(p) = slot.broker.partitions.get(&tp) else {
            continue;
        };
        let role = match (&slot.status, &p.role) {
            (BrokerStatus::Up, Role::Leader(_)) => "leader",
            (BrokerStatus::Up, Role::Follower { .. }) => "follower",
            _ => "none",
        };
        let log = &p.log;
        let mut r = Map::new();
        r.insert("role".into(), json!(role));
        r.insert("leo".into(), json!(log.leo()));
        r.insert("hw".into(), json!(log.high_watermark()));
        if log.log_start_offset() > 0 {
            r.insert("log_start".into(), json!(log.log_start_offset()));
        }
        replicas.insert(b.to_string(), Value::Object(r));
    }
    if !replicas.is_empty() {
        e.insert("replica".into(), Value::Object(replicas));
    }
    e
}

/// Whether a ledger entry has a verdict.
type Verdict = fn(&LedgerEntry) -> bool;

/// Broker states, the ledger's verdicts and the invariants: what the whole run shows.
fn run_expect(c: &Cluster) -> Map<String, Value> {
    let mut e = Map::new();
    // Inserted one by one: `collect()` into a `Map` would sort first (crate::ordered).
    let mut status = Map::new();
    status.extend(c.brokers().filter_map(|(b, slot)| {
        let s = match slot.status {
            BrokerStatus::Up => return None,
            BrokerStatus::Crashed => "crashed",
            BrokerStatus::Stopped => "stopped",
        };
        Some((b.to_string(), json!(s)))
    }));
    let entries = &c.ledger().entries;
    let lists: [(&str, Verdict); 4] = [
        ("acked", |r| r.acked.is_some()),
        ("lost", |r| r.lost.is_some()),
        ("duplicated", |r| r.duplicated.is_some()),
        ("failed", |r| r.failed.is_some()),
    ];
    for (key, pred) in lists {
        let mut values: Vec<&str> = Vec::new();
        for r in entries.iter().filter(|r| pred(r)) {
            if !values.contains(&r.value.as_str()) && values.len() < MAX_VALUES {
                values.push(&r.value);
            }
        }
        if !values.is_empty() {
            e.insert(key.into(), json!(values));
        }
    }
    let broken = c.broken_invariants();
    if broken.is_empty() {
        e.insert("all_invariants_hold".into(), json!(true));
    } else {
        e.insert("broken".into(), json!(broken));
    }
    if !status.is_empty() {
        e.insert("status".into(), Value::Object(status));
    }
    // The group, as its coordinator answers (a run configured without consumers has none).
    if let Some((b, g)) = c.group_coordinator().filter(|_| c.config().consumers > 0) {
        e.insert("coordinator".into(), json!(b));
        e.insert("generation".into(), json!(g.generation));
        e.insert("group_state".into(), json!(g.state.name()));
    }
    // The transactional id, as its coordinator holds it.
    if let Some((b, h)) = c.txn_coordinator() {
        if let Some(m) = h.coordinator.all().next() {
            e.insert("txn_coordinator".into(), json!(b));
            e.insert("txn_state".into(), json!(m.state.name()));
            e.insert("txn_epoch".into(), json!(m.producer_epoch));
        }
    }
    e
}
