//! The JS API's TypeScript declarations (`src/api/types.d.ts`) checked against real output,
//! natively: every value the API returns is serialised exactly as the API does it (serde_json's
//! text of the core's read model and of `highwater::api::types`), then checked against the
//! declared type — every declared field exists with the declared JSON type, and no field is
//! left undeclared.
//!
//! The declarations are read with a small parser of the TypeScript subset they use
//! (interfaces with `extends`, optional fields, unions, literals, arrays, tuples, inline objects,
//! index signatures and named types).

#![cfg(not(target_arch = "wasm32"))]
// Configs are built by adjusting Kafka's defaults field by field, as in the core.
#![allow(clippy::field_reassign_with_default)]

use std::collections::BTreeMap;

use highwater::api::types::{CatalogEntryJs, ReportJs, ScenarioStepJs};
use highwater::api::TYPESCRIPT;
use highwater::catalog;
use highwater_core::command::Command;
use highwater_core::config::{Acks, ClusterConfig, CommitMode};
use highwater_core::read_model::LedgerRow;
use highwater_core::timeline::Timeline;
use highwater_core::types::NodeId;
use highwater_core::Cluster;
use serde_json::Value;

// ---- a TypeScript subset ------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Number,
    String,
    Boolean,
    Null,
    /// `bigint`, `undefined`, `void`: no JSON value has them.
    Never,
    Lit(String),
    Named(String),
    Array(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(Vec<Member>, Option<Box<Ty>>),
    Union(Vec<Ty>),
}

#[derive(Clone, Debug, PartialEq)]
struct Member {
    name: String,
    optional: bool,
    ty: Ty,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

fn tokens(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let cs: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && cs.get(i + 1) == Some(&'*') {
            while i + 1 < cs.len() && !(cs[i] == '*' && cs[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '/' && cs.get(i + 1) == Some(&'/') {
            while i < cs.len() && cs[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '`' {
            let mut s = String::new();
            i += 1;
            while i < cs.len() && cs[i] != c {
                s.push(cs[i]);
                i += 1;
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_alphanumeric() || c == '_' || c == '$' || c == '-' {
            let mut s = String::new();
            while i < cs.len() && (cs[i].is_alphanumeric() || "_$-".contains(cs[i])) {
                s.push(cs[i]);
                i += 1;
            }
            out.push(Tok::Ident(s));
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

/// Top-level declarations: name → (the tokens of its body, the interfaces it extends).
struct Decls {
    types: BTreeMap<String, Ty>,
}

struct Parser<'a> {
    t: &'a [Tok],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn punct(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: char) {
        assert!(self.punct(c), "expected {c:?} at {:?}", &self.t[self.i..]);
    }
    fn ident(&mut self) -> String {
        match self.t.get(self.i) {
            Some(Tok::Ident(s)) | Some(Tok::Str(s)) => {
                self.i += 1;
                s.clone()
            }
            t => panic!("expected a name, got {t:?}"),
        }
    }
    fn ty(&mut self) -> Ty {
        self.punct('|');
        let mut alts = vec![self.intersection()];
        while self.punct('|') {
            alts.push(self.intersection());
        }
        if alts.len() == 1 {
            alts.remove(0)
        } else {
            Ty::Union(alts)
        }
    }
    /// `A & B` (input types only): skipped, and unknown if an output ever uses it.
    fn intersection(&mut self) -> Ty {
        let t = self.postfix();
        if !self.punct('&') {
            return t;
        }
        self.intersection();
        Ty::Named("…&…".into())
    }
    fn postfix(&mut self) -> Ty {
        let mut t = self.primary();
        while self.peek() == Some(&Tok::Punct('['))
            && self.t.get(self.i + 1) == Some(&Tok::Punct(']'))
        {
            self.i += 2;
            t = Ty::Array(Box::new(t));
        }
        t
    }
    fn primary(&mut self) -> Ty {
        match self.t[self.i].clone() {
            Tok::Str(s) => {
                self.i += 1;
                Ty::Lit(s)
            }
            Tok::Punct('{') => self.object(),
            Tok::Punct('[') => {
                self.i += 1;
                let mut items = vec![self.ty()];
                while self.punct(',') {
                    items.push(self.ty());
                }
                self.expect(']');
                Ty::Tuple(items)
            }
            Tok::Punct('(') => {
                self.i += 1;
                let t = self.ty();
                self.expect(')');
                t
            }
            Tok::Ident(s) => {
                self.i += 1;
                if self.peek() == Some(&Tok::Punct('<')) {
                    // A generic type (`Aliased<T>`, input types only): skipped, and unknown if
                    // an output ever uses it.
                    let mut depth = 0;
                    loop {
                        match self.t[self.i] {
                            Tok::Punct('<') => depth += 1,
                            Tok::Punct('>') => depth -= 1,
                            _ => {}
                        }
                        self.i += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    return Ty::Named(format!("{s}<…>"));
                }
                match s.as_str() {
                    "number" => Ty::Number,
                    "string" => Ty::String,
                    "boolean" => Ty::Boolean,
                    "null" => Ty::Null,
                    "bigint" | "undefined" | "void" => Ty::Never,
                    n if n.parse::<f64>().is_ok() => Ty::Lit(n.to_string()),
                    _ => Ty::Named(s),
                }
            }
            t => panic!("unexpected {t:?}"),
        }
    }
    fn object(&mut self) -> Ty {
        self.expect('{');
        let (mut members, mut index) = (Vec::new(), None);
        while !self.punct('}') {
            if self.punct('[') {
                self.ident();
                self.expect(':');
                self.ty();
                self.expect(']');
                self.expect(':');
                index = Some(Box::new(self.ty()));
            } else {
                let name = self.ident();
                let optional = self.punct('?');
                self.expect(':');
                members.push(Member {
                    name,
                    optional,
                    ty: self.ty(),
                });
            }
            if !self.punct(';') {
                self.punct(',');
            }
        }
        Ty::Object(members, index)
    }
}

impl Decls {
    fn parse(src: &str) -> Decls {
        let t = tokens(src);
        let mut types = BTreeMap::new();
        let mut raw_extends: Vec<(String, Vec<String>)> = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let word = |k: usize| match t.get(k) {
                Some(Tok::Ident(s)) => s.as_str(),
                _ => "",
            };
            let (kind, at) = match (word(i), word(i + 1)) {
                ("export", k @ ("interface" | "type")) => (k, i + 2),
                (k @ ("interface" | "type"), _) => (k, i + 1),
                _ => {
                    i += 1;
                    continue;
                }
            };
            let name = word(at).to_string();
            // Skip to the body; generic declarations (`type Aliased<T> = …`) are input helpers,
            // skipped whole.
            let mut j = at + 1;
            let generic = t.get(j) == Some(&Tok::Punct('<'));
            let mut extends = Vec::new();
            if kind == "interface" {
                while t.get(j) != Some(&Tok::Punct('{')) {
                    if let Some(Tok::Ident(s)) = t.get(j) {
                        if s != "extends" {
                            extends.push(s.clone());
                        }
                    }
                    j += 1;
                }
                let mut p = Parser { t: &t, i: j };
                let body = p.object();
                i = p.i;
                if !generic {
                    types.insert(name.clone(), body);
                    raw_extends.push((name, extends));
                }
            } else {
                while t.get(j) != Some(&Tok::Punct('=')) {
                    j += 1;
                }
                // The body runs to the `;` at depth 0.
                let mut depth = 0i32;
                let mut end = j + 1;
                while end < t.len() {
                    match t[end] {
                        Tok::Punct('{' | '[' | '(' | '<') => depth += 1,
                        Tok::Punct('}' | ']' | ')' | '>') => depth -= 1,
                        Tok::Punct(';') if depth == 0 => break,
                        _ => {}
                    }
                    end += 1;
                }
                let body = &t[j + 1..end];
                let function = body
                    .windows(2)
                    .any(|w| w == [Tok::Punct('='), Tok::Punct('>')]);
                if !generic && !function && !body.contains(&Tok::Punct('<')) {
                    let mut p = Parser { t: body, i: 0 };
                    let ty = p.ty();
                    assert_eq!(p.i, body.len(), "all of type {name} is read");
                    types.insert(name, ty);
                }
                i = end + 1;
            }
        }
        // `interface A extends B`: A's members after B's.
        for (name, extends) in raw_extends {
            for base in extends {
                let Some(Ty::Object(base_members, _)) = types.get(&base).cloned() else {
                    panic!("{name} extends unknown {base}");
                };
                if let Some(Ty::Object(members, _)) = types.get_mut(&name) {
                    let own = std::mem::take(members);
                    *members = base_members.into_iter().chain(own).collect();
                }
            }
        }
        Decls { types }
    }

    /// Every way `v` differs from `ty`, with JSON paths.
    fn check(&self, v: &Value, ty: &Ty, path: &str, errors: &mut Vec<String>) {
        let mut fail = |what: &str| errors.push(format!("{path}: {what}, got {v}"));
        match ty {
            Ty::Number => {
                if !v.is_number() {
                    fail("expected a number")
                }
            }
            Ty::String => {
                if !v.is_string() {
                    fail("expected a string")
                }
            }
            Ty::Boolean => {
                if !v.is_boolean() {
                    fail("expected a boolean")
                }
            }
            Ty::Null => {
                if !v.is_null() {
                    fail("expected null")
                }
            }
            Ty::Never => fail("no JSON value has this type"),
            Ty::Lit(s) => {
                let ok = match v {
                    Value::String(x) => x == s,
                    Value::Number(n) => n.to_string() == *s,
                    _ => false,
                };
                if !ok {
                    fail(&format!("expected {s:?}"))
                }
            }
            Ty::Named(n) => {
                let t = self
                    .types
                    .get(n)
                    .unwrap_or_else(|| panic!("{path}: unknown type {n}"));
                self.check(v, t, path, errors)
            }
            Ty::Array(t) => match v.as_array() {
                Some(a) => {
                    for (i, x) in a.iter().enumerate() {
                        self.check(x, t, &format!("{path}[{i}]"), errors)
                    }
                }
                None => fail("expected an array"),
            },
            Ty::Tuple(ts) => match v.as_array() {
                Some(a) if a.len() == ts.len() => {
                    for (i, (x, t)) in a.iter().zip(ts).enumerate() {
                        self.check(x, t, &format!("{path}[{i}]"), errors)
                    }
                }
                _ => fail(&format!("expected a tuple of {}", ts.len())),
            },
            Ty::Object(members, index) => {
                let Some(o) = v.as_object() else {
                    return fail("expected an object");
                };
                for m in members {
                    match o.get(&m.name) {
                        Some(x) => self.check(x, &m.ty, &format!("{path}.{}", m.name), errors),
                        None if m.optional => {}
                        None => {
                            errors.push(format!("{path}: declared field {:?} is missing", m.name))
                        }
                    }
                }
                for (k, x) in o {
                    if members.iter().any(|m| m.name == *k) {
                        continue;
                    }
                    match index {
                        Some(t) => self.check(x, t, &format!("{path}[{k:?}]"), errors),
                        None => errors.push(format!("{path}: field {k:?} is not declared")),
                    }
                }
            }
            Ty::Union(alts) => {
                let mut best: Option<Vec<String>> = None;
                for t in alts {
                    let mut e = Vec::new();
                    self.check(v, t, path, &mut e);
                    if e.is_empty() {
                        return;
                    }
                    if best.as_ref().is_none_or(|b| e.len() < b.len()) {
                        best = Some(e);
                    }
                }
                errors.extend(best.unwrap_or_default());
            }
        }
    }

    /// Panics with every difference between `v` and the declared type `name`.
    fn assert_is(&self, v: &Value, name: &str) {
        let mut errors = Vec::new();
        self.check(v, &Ty::Named(name.into()), name, &mut errors);
        errors.dedup();
        assert!(
            errors.is_empty(),
            "{} differences with types.d.ts:\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
}

fn decls() -> Decls {
    Decls::parse(TYPESCRIPT)
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).expect("serialisable")
}

// ---- real output ---------------------------------------------------------------------------

fn produce(c: &mut Cluster, value: &str, acks: Option<Acks>) {
    c.apply(Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: Some("k".into()),
        value: value.into(),
        acks,
    })
    .unwrap();
}

/// A run that shows most of what a snapshot can hold: two consumers in a group, an acks=1
/// record lost in a failover, a crashed broker, a cut and a slowed link, messages on the wire.
fn busy_run() -> Cluster {
    let mut cfg = ClusterConfig::default();
    cfg.consumers = 2;
    cfg.consumer.commit = CommitMode::AfterProcessing;
    cfg.topics[0].partitions = 2;
    cfg.broker.min_insync_replicas = 2;
    let mut c = Cluster::new(cfg, 5).unwrap();
    c.run_until(2_000);
    produce(&mut c, "a", None);
    c.run_until(4_000);
    let (b, p) = (NodeId::Broker(2), NodeId::Producer(1));
    c.apply(Command::Slow {
        from: p,
        to: b,
        extra_ms: 40,
        both: false,
    })
    .unwrap();
    c.apply(Command::Cut {
        from: NodeId::Broker(1),
        to: NodeId::Broker(3),
        both: true,
    })
    .unwrap();
    produce(&mut c, "b", Some(Acks::Leader));
    c.run_until(4_030);
    c.apply(Command::Crash {
        broker: 1,
        lose_unflushed: true,
    })
    .unwrap();
    c.run_until(9_000);
    c.apply(Command::Restart { broker: 1 }).unwrap();
    c.apply(Command::Heal { node: None }).unwrap();
    c.apply(Command::Slow {
        from: p,
        to: b,
        extra_ms: 40,
        both: true,
    })
    .unwrap();
    c.run_until(30_000);
    produce(&mut c, "c", Some(Acks::None));
    c.run_until(30_015);
    c
}

#[test]
fn the_declarations_parse_and_name_every_output_type() {
    let d = decls();
    for name in [
        "Snapshot",
        "SimEvent",
        "LedgerRow",
        "InvariantStatus",
        "EnabledAction",
        "ClusterConfig",
        "CatalogEntry",
        "ScenarioStep",
        "StepOutcome",
        "ScenarioReport",
        "MessageKind",
        "RecordStatus",
        "InvariantId",
        "RunDocument",
    ] {
        assert!(d.types.contains_key(name), "{name} is declared");
    }
    // The checker itself finds a missing field, an undeclared one and a wrong type.
    let mut errors = Vec::new();
    let stamp = Ty::Named("Stamp".into());
    d.check(&serde_json::json!({"step": 1}), &stamp, "s", &mut errors);
    d.check(
        &serde_json::json!({"step": 1, "time": "x", "z": 0}),
        &stamp,
        "s",
        &mut errors,
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn a_run_document_matches_its_declaration() {
    use highwater_core::snapshot::RunDocument;
    use highwater_core::timeline::Run;
    let d = decls();
    let mut c = busy_run();
    c.run_steps(3);
    let action = c
        .enabled()
        .into_iter()
        .next()
        .expect("something to do")
        .action;
    c.act(action).unwrap();
    let inputs = c.history().to_vec();
    for kind in ["command", "steps", "run-until", "action"] {
        assert!(
            inputs.iter().any(|i| json(i).get(kind).is_some()),
            "the run has a {kind} input"
        );
    }
    let doc = RunDocument {
        run: Run {
            config: c.config().clone(),
            seed: c.seed(),
            inputs,
        },
        snapshot: c.snapshot(),
    };
    d.assert_is(&json(&doc), "RunDocument");
}

#[test]
fn a_snapshot_matches_its_declaration() {
    let d = decls();
    let c = busy_run();
    let s = c.snapshot();
    assert!(!s.messages.is_empty() && !s.links.is_empty() && !s.consumers.is_empty());
    assert!(s.group.is_some(), "a coordinator");
    assert!(s.ledger.iter().any(|e| e.acked.is_some()));
    d.assert_is(&json(&s), "Snapshot");
    // A fresh run too (no group, nothing in flight but heartbeats).
    d.assert_is(
        &json(
            &Cluster::new(ClusterConfig::default(), 1)
                .unwrap()
                .snapshot(),
        ),
        "Snapshot",
    );
}

#[test]
fn events_ledger_rows_invariants_and_enabled_actions_match_their_declarations() {
    let d = decls();
    let c = busy_run();
    assert!(c.events().len() > 100);
    for e in c.events() {
        d.assert_is(&json(e), "SimEvent");
    }
    let rows: Vec<LedgerRow> = c.ledger_rows().collect();
    assert_eq!(rows.len(), 3);
    for r in &rows {
        d.assert_is(&json(r), "LedgerRow");
    }
    for i in c.invariants() {
        d.assert_is(&json(i), "InvariantStatus");
    }
    let enabled = c.enabled();
    assert!(!enabled.is_empty());
    for e in &enabled {
        d.assert_is(&json(e), "EnabledAction");
    }
}

#[test]
fn configs_match_their_declaration() {
    let d = decls();
    d.assert_is(&json(&ClusterConfig::default()), "ClusterConfig");
    d.assert_is(&json(busy_run().config()), "ClusterConfig");
}

#[test]
fn scenario_steps_outcomes_reports_and_the_catalog_match_their_declarations() {
    let d = decls();
    let list: Vec<CatalogEntryJs> = catalog::scenarios()
        .map(|e| CatalogEntryJs {
            id: e.id,
            name: e.name,
            kind: "scenario",
        })
        .collect();
    for e in &list {
        d.assert_is(&json(e), "CatalogEntry");
    }
    for id in [
        "s04-acks1-loss",
        "s36-group-generations",
        "s31-zombie-producer-fenced",
        "pipeline-external-write",
    ] {
        let s = catalog::find(id).unwrap().scenario().unwrap();
        for step in ScenarioStepJs::list(&s) {
            d.assert_is(&json(&step), "ScenarioStep");
        }
        if id == "s04-acks1-loss" {
            // A tutorial's steps carry the panel their note names.
            let t = catalog::tutorials()
                .find(|e| e.id == "05-acks1-loses-a-record")
                .unwrap()
                .scenario()
                .unwrap();
            let steps: Vec<_> = ScenarioStepJs::list(&t).iter().map(json).collect();
            for step in &steps {
                d.assert_is(step, "ScenarioStep");
            }
            assert!(steps.iter().any(|j| j["focus"] == "invariants"));
            // A chapter whose step asks the counterexample search reports what it found.
            let t = catalog::tutorials()
                .find(|e| e.id == "26-search-acks1-loss")
                .unwrap()
                .scenario()
                .unwrap();
            let mut tl = Timeline::new(t.config.clone(), t.seed).unwrap();
            let outcomes: Vec<_> = (0..t.steps.len())
                .map(|i| tl.apply_scenario_step(&t, i).unwrap())
                .collect();
            let report = ReportJs::new(&t, &outcomes, None);
            let jsons: Vec<_> = report.steps.iter().map(json).collect();
            for o in &jsons {
                d.assert_is(o, "StepOutcome");
            }
            assert!(jsons.iter().any(|o| o["search"]["found"] == true));
        }
        let mut tl = Timeline::new(s.config.clone(), s.seed).unwrap();
        let outcomes: Vec<_> = (0..s.steps.len())
            .map(|i| tl.apply_scenario_step(&s, i).unwrap())
            .collect();
        let report = ReportJs::new(&s, &outcomes, None);
        for o in &report.steps {
            d.assert_is(&json(o), "StepOutcome");
        }
        d.assert_is(&json(&report), "ScenarioReport");
        if id.starts_with("s31") {
            // A transactional run: producers' transaction state, the coordinator's view,
            // markers and aborted records in the logs.
            let snap = tl.current().snapshot();
            assert!(snap.transactions.is_some());
            assert!(snap.producers.iter().all(|p| p.transaction.is_some()));
            let records: Vec<_> = snap
                .brokers
                .iter()
                .flat_map(|b| &b.replicas)
                .flat_map(|r| &r.records)
                .collect();
            assert!(records.iter().any(|r| r.control.is_some()));
            assert!(records.iter().any(|r| r.aborted));
            d.assert_is(&json(&snap), "Snapshot");
        }
        if id.starts_with("pipeline") {
            // A pipeline run: the pipeline's view, output links and external writes in the
            // ledger, the TxnOffsetCommit kinds and the exactly-once invariant.
            let snap = tl.current().snapshot();
            let p = snap.pipeline.as_ref().expect("a pipeline run");
            assert_eq!((p.processed, p.once, p.external_duplicates), (3, 3, 1));
            d.assert_is(&json(&snap), "Snapshot");
            d.assert_is(&json(tl.current().config()), "ClusterConfig");
            for row in tl.current().ledger_rows() {
                d.assert_is(&json(&row), "LedgerRow");
            }
        }
    }
}

#[test]
fn every_command_and_action_is_declared() {
    let d = decls();
    let (b, p) = (NodeId::Broker(1), NodeId::Producer(1));
    let commands = [
        Command::Produce {
            producer: 1,
            topic: Some("t".into()),
            partition: Some(0),
            key: Some("k".into()),
            value: "a".into(),
            acks: Some(Acks::All),
        },
        Command::AutoProduce {
            producer: 1,
            interval_ms: 100,
            topic: None,
            acks: None,
        },
        Command::Transaction {
            producer: 1,
            call: highwater_core::command::TxnCallName::Commit,
        },
        Command::Crash {
            broker: 1,
            lose_unflushed: true,
        },
        Command::Shutdown { broker: 1 },
        Command::Restart { broker: 1 },
        Command::Pause { node: b },
        Command::Resume { node: b },
        Command::Isolate { node: p },
        Command::Cut {
            from: b,
            to: p,
            both: true,
        },
        Command::Heal { node: Some(b) },
        Command::Slow {
            from: b,
            to: p,
            extra_ms: 5,
            both: false,
        },
        Command::Drop { message: 3 },
        Command::Flush { broker: 1 },
        Command::DeleteRecords {
            topic: Some("t".into()),
            partition: 0,
            offset: -1,
        },
        Command::AddConsumer,
        Command::RemoveConsumer { consumer: 1 },
        Command::CrashConsumer { consumer: 1 },
        Command::RestartConsumer { consumer: 1 },
        Command::CommitMode {
            consumer: 1,
            mode: CommitMode::BeforeProcessing,
        },
        Command::UncleanLeaderElection { enable: true },
        Command::IsolationLevel {
            consumer: 1,
            level: highwater_core::txn::isolation::IsolationLevel::ReadCommitted,
        },
    ];
    for c in &commands {
        d.assert_is(&json(c), "Command");
    }
    // Every variant is in the list: serde's list of the enum's variants has as many.
    let e = serde_json::from_value::<Command>(serde_json::json!({"cmd": "?"}))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e.split('`').skip(3).step_by(2).count(),
        commands.len(),
        "{e}"
    );
    for e in busy_run().enabled() {
        d.assert_is(&json(&e.action), "Action");
    }
}
