//! The JavaScript API of the playground.
//!
//! This is the only module that knows about JavaScript: pages that embed the playground or drive
//! it from a script use the [`Simulation`] class exported here (`wasm-bindgen`; structured values
//! cross as JSON, see "Plain data"). The guide with examples is `docs/JS-API.md`.
//!
//! Rules this module keeps:
//! * **No trap.** Nothing here panics on user input: every argument is checked and every misuse
//!   is a JS `Error` whose message starts with the method name (`"apply: there is no broker 9
//!   (brokers are 1..=3)"`). Arguments are converted *before* the simulation is borrowed, so a
//!   getter or proxy in an argument can never observe a half-done call.
//! * **No borrow across JavaScript.** Subscribers are called after the simulation's `RefCell` is
//!   released; they may read the simulation, and a mutating call from inside a subscriber is an
//!   exception (not a `RefCell` panic). Every exported method takes `&self`, so wasm-bindgen's own
//!   borrow of the object is shared and never conflicts.
//! * **Plain data.** Values cross the boundary as plain JSON-compatible objects (maps as objects,
//!   `None` as `null`), with the core's own field names (snake_case; Kafka's dotted names in
//!   configs): exactly the JSON `serde_json` writes for the core's types (what the CLI prints),
//!   handed to `JSON.parse`. Not `serde_wasm_bindgen::Serializer::json_compatible()`: it refuses
//!   maps with integer keys (the snapshot's `record_replicas`) where serde_json writes `"0"`,
//!   and one JSON string is faster to cross than thousands of small property sets. Inputs go the
//!   other way (`JSON.stringify`, then serde_json), see [`from_js`].

use std::cell::{Cell, RefCell};

use highwater_core::command::{Action, Command};
use highwater_core::config::ClusterConfig;
use highwater_core::event::Event;
use highwater_core::ledger::LedgerEntry;
use highwater_core::scenario::{Scenario, Step, StepOutcome};
use highwater_core::timeline::{Run, Timeline};

use crate::catalog;
use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The version of the web app crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Runs the benchmark workload (`highwater bench`: 5 brokers, 10 partitions, 3 producers, random
/// faults) for about `events` events and returns how many fired — for measuring the core's speed
/// in wasm against native (`scripts/measure-browser.mjs`).
#[wasm_bindgen(js_name = benchmarkBusyCluster)]
pub fn benchmark_busy_cluster(seed: u32, events: u32) -> f64 {
    highwater_core::bench::busy_cluster_run(seed as u64, events as u64) as f64
}

/// JavaScript's `Number.MAX_SAFE_INTEGER`: larger integers are not exact in a JS number.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A node: "controller", a broker "b1"… or a producer "p1"…; inputs also accept a broker number. */
export type NodeId = string;
/** Producer `acks`: 0, 1 or "all" (inputs also accept -1 and "0"/"1"). */
export type Acks = "0" | "1" | "all";

export interface TopicConfig {
  name: string;
  partitions: number;
  "replication.factor": number;
  /** Explicit replica assignment, one list per partition (first = preferred leader); [] = Kafka's placement. */
  replicas: number[][];
}
export interface BrokerConfig {
  "min.insync.replicas": number;
  /** Absent: the Kafka version's default (true before 0.11). */
  "unclean.leader.election.enable"?: boolean;
  "replica.lag.time.max.ms": number;
  "replica.fetch.wait.max.ms": number;
  "replica.fetch.backoff.ms": number;
  "replica.socket.timeout.ms": number;
  "broker.heartbeat.interval.ms": number;
  "broker.session.timeout.ms": number;
  "log.flush.interval.ms": number;
}
export interface ProducerConfig {
  /** Absent: the Kafka version's default ("1" before 3.0, "all" from 3.0). */
  acks?: Acks;
  retries: number;
  "request.timeout.ms": number;
  "delivery.timeout.ms": number;
  "retry.backoff.ms": number;
  "max.in.flight.requests.per.connection": number;
  /** Absent: the Kafka version's default (true from 3.0, off when acks is not "all"). */
  "enable.idempotence"?: boolean;
}
export interface NetworkConfig { latency_ms: number; jitter_ms: number; }
/** Version switches set explicitly; an absent one follows "kafka.version" (docs/VERSIONS.md). */
export interface Profile {
  truncation?: "high-watermark" | "leader-epoch-v0" | "leader-epoch";
  min_isr_hw_gate?: boolean;
  isr_expansion_epoch_guard?: boolean;
  maximal_isr?: boolean;
  hw_waits_for_caught_up_replicas?: boolean;
  consumer_truncation_detection?: boolean;
}
/** A Kafka release line (docs/VERSIONS.md); inputs also accept a release such as "3.9". */
export type KafkaVersion = "0.10" | "0.11" | "2.1" | "2.3" | "3.0" | "3.6" | "3.7" | "4.0" | "4.1";
/** A complete configuration, as `Simulation.defaultConfig()` and `sim.config()` return it. */
export interface ClusterConfig {
  "kafka.version": KafkaVersion;
  brokers: number;
  topics: TopicConfig[];
  producers: number;
  broker: BrokerConfig;
  producer: ProducerConfig;
  network: NetworkConfig;
  profile: Profile;
  trace: boolean;
}
type SnakeCase<S extends string> = S extends `${infer A}.${infer B}` ? `${A}_${SnakeCase<B>}` : S;
/** An object's keys with Kafka's dotted names or their snake_case aliases, all optional. */
type Aliased<T> = { [K in keyof T]?: T[K] } & { [K in keyof T as K extends string ? SnakeCase<K> : never]?: T[K] };
/**
 * What `new Simulation(config)` accepts: any part of a ClusterConfig (the rest keeps its defaults),
 * with Kafka's dotted names ("min.insync.replicas") or snake_case aliases (min_insync_replicas).
 * Unknown keys are an error.
 */
export interface ClusterConfigInput {
  "kafka.version"?: KafkaVersion | string;
  kafka_version?: KafkaVersion | string;
  brokers?: number;
  topics?: Aliased<TopicConfig>[];
  producers?: number;
  broker?: Aliased<BrokerConfig>;
  producer?: Aliased<Omit<ProducerConfig, "acks">> & { acks?: Acks | 0 | 1 | -1 };
  network?: Partial<NetworkConfig>;
  profile?: Partial<Profile>;
  trace?: boolean;
}

/** A user command (`sim.apply`). Optional fields default as in scenario files (producer 1, first topic). */
export type Command =
  | { cmd: "produce"; value: string; key?: string | null; producer?: number; topic?: string | null; partition?: number | null; acks?: Acks | 0 | 1 | -1 | null }
  | { cmd: "auto-produce"; interval_ms: number; producer?: number; topic?: string | null; acks?: Acks | 0 | 1 | -1 | null }
  | { cmd: "crash"; broker: number; lose_unflushed?: boolean }
  | { cmd: "shutdown"; broker: number }
  | { cmd: "restart"; broker: number }
  | { cmd: "pause"; node: NodeId | number }
  | { cmd: "resume"; node: NodeId | number }
  | { cmd: "isolate"; node: NodeId | number }
  | { cmd: "cut"; from: NodeId | number; to: NodeId | number; both?: boolean }
  | { cmd: "heal"; node?: NodeId | number | null }
  | { cmd: "slow"; from: NodeId | number; to: NodeId | number; extra_ms: number; both?: boolean }
  | { cmd: "drop"; message: number }
  | { cmd: "flush"; broker: number };

/** A timer: "Heartbeat", "IsrExpiration", … or `{ DelayedFetch: 562954248388610 }`-style tagged ids. */
export type TimerKind = string | { [kind: string]: number | { topic: number; partition: number } };
/** A manual-mode choice (`sim.act`); copy it from `sim.enabled()[i].action`. */
export type Action =
  | { action: "deliver"; message: number }
  | { action: "fire"; node: NodeId; timer: TimerKind };
export interface EnabledAction {
  action: Action;
  /** Virtual time the event is due. */
  at: number;
  node: NodeId;
  peer: NodeId | null;
  /** e.g. "deliver Fetch b2 → b1: p0@0" or "fire b1 isr-expiration". */
  label: string;
}

export type EventKind =
  | "command" | "send" | "deliver" | "drop" | "timer" | "append" | "high-watermark" | "truncate"
  | "leader" | "follower" | "isr" | "election" | "fenced" | "unfenced" | "ack" | "produce-error"
  | "failed" | "crash" | "restart" | "lost" | "duplicate" | "invariant";
/** One entry of the event log. */
export interface SimEvent {
  step: number;
  time: number;
  kind: EventKind;
  node: NodeId | null;
  peer: NodeId | null;
  /** The network message this event is about, if any. */
  message: number | null;
  text: string;
}

export interface Stamp { step: number; time: number; }
export interface LedgerEntry {
  id: number;
  producer: number;
  /** Topic index (into config.topics) and partition. */
  tp: { topic: number; partition: number };
  key: string | null;
  value: string;
  acks: Acks;
  produced: Stamp;
  attempts: number;
  /** [when, offset] once the producer reported success (offset null for acks=0). */
  acked: [Stamp, number | null] | null;
  failed: [Stamp, string] | null;
  errors: string[];
  committed: Stamp | null;
  lost: Stamp | null;
  duplicated: Stamp | null;
  /** Every leader append: [offset, leader epoch]. */
  appends: [number, number][];
}
/** A ledger row as `sim.ledger()` returns it: the entry plus its topic name and a status word. */
export interface LedgerRow extends LedgerEntry {
  topic: string;
  partition: number;
  /** "queued", "in flight", "acked", "committed", "acked + committed", "failed", "failed but committed" or "lost". */
  status: string;
}

export interface InvariantStatus {
  name: string;
  description: string;
  /** Whether Kafka promises it under this configuration. */
  promised: boolean;
  first_violation: { step: number; time: number; detail: string } | null;
  violations: number;
}

export interface RecordSnapshot { offset: number; epoch: number; id: number; key: string | null; value: string; }
export interface FollowerView { broker: number; leo: number | null; caught_up: boolean; last_caught_up_ms: number | null; }
export interface ReplicaSnapshot {
  topic: string;
  partition: number;
  role: "leader" | "follower" | "none";
  leader_epoch: number;
  leo: number;
  hw: number;
  log_start_offset: number;
  flushed_offset: number;
  records: RecordSnapshot[];
  epoch_cache: { epoch: number; start_offset: number }[];
  isr: number[];
  maximal_isr: number[];
  pending_isr: number[] | null;
  followers: FollowerView[];
}
export interface BrokerSnapshot {
  id: number;
  status: "up" | "crashed" | "stopped";
  paused: boolean;
  fenced: boolean;
  broker_epoch: number;
  replicas: ReplicaSnapshot[];
}
/** The controller's registration of a partition. */
export interface PartitionSnapshot {
  topic: string;
  partition: number;
  replicas: number[];
  leader: number | null;
  leader_epoch: number;
  partition_epoch: number;
  isr: number[];
  recovering: boolean;
}
export interface ProducerSnapshot { id: number; queued: number[]; in_flight: number[]; paused: boolean; }
export interface MessageSnapshot {
  id: number; from: NodeId; to: NodeId; kind: string; summary: string;
  sent_at: number; deliver_at: number; heartbeat: boolean;
}
export interface LinkSnapshot { from: NodeId; to: NodeId; cut: boolean; extra_latency_ms: number; }
/** The whole cluster at the current step. */
export interface Snapshot {
  step: number;
  time: number;
  /** A bigint only for seeds above Number.MAX_SAFE_INTEGER. */
  seed: number | bigint;
  brokers: BrokerSnapshot[];
  partitions: PartitionSnapshot[];
  producers: ProducerSnapshot[];
  messages: MessageSnapshot[];
  links: LinkSnapshot[];
  ledger: LedgerEntry[];
  /** For each record id of the ledger, the brokers whose log holds a copy now. */
  record_replicas?: { [recordId: string]: number[] };
  invariants: InvariantStatus[];
}

/** A built-in scenario or tutorial (`Simulation.scenarioCatalog()`). */
export interface CatalogEntry {
  /** The file's name without `.toml`: what `Simulation.fromScenario(id)` takes. */
  id: string;
  name: string;
  kind: "scenario" | "tutorial";
}
/** A step of the scenario loaded with `Simulation.fromScenario`. */
export interface ScenarioStep {
  index: number;
  /** 1-based line of the step's [[step]] header in the file (null: not read from a file). */
  line: number | null;
  title: string | null;
  note: string | null;
  highlight: string | null;
  /** The step's action key ("produce", "deliver", "run_until", …), null for a check-only step. */
  action: string | null;
  /** Whether the step has an `expect` table. */
  expects: boolean;
}
export interface ScenarioInfo {
  name: string;
  description: string;
  source: string;
  seed: number | bigint;
  steps: ScenarioStep[];
}
export interface Check { what: string; passed: boolean; actual: string; }
export interface StepOutcome {
  index: number;
  line: number | null;
  title: string | null;
  /** Every check passed (true for a step without expectations). */
  passed: boolean;
  checks: Check[];
}
export interface ScenarioReport {
  name: string;
  passed: boolean;
  passed_checks: number;
  failed_checks: number;
  /** When a run_until never came true: how many later steps and expectations were not run. */
  not_run: string | null;
  steps: StepOutcome[];
}
/** A subscriber: called once per new event, with its index in `sim.events()`. */
export type SimEventListener = (event: SimEvent, index: number) => void;
"#;

// ---- errors and argument checking -------------------------------------------------------------

/// A JS `Error` whose message starts with the method name.
fn error(method: &str, message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&format!("{method}: {message}")).into()
}

/// A short description of a JS value for error messages: `-1`, `"abc"`, `undefined`, `an object`.
fn describe(v: &JsValue) -> String {
    if let Some(n) = v.as_f64() {
        format!("{n}")
    } else if let Some(s) = v.as_string() {
        format!("{s:?}")
    } else if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(b) = v.as_bool() {
        b.to_string()
    } else if v.is_bigint() {
        "a bigint".into()
    } else if v.is_function() {
        "a function".into()
    } else if js_sys::Array::is_array(v) {
        "an array".into()
    } else {
        format!(
            "a value of type {}",
            v.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// A whole number in `0..=Number.MAX_SAFE_INTEGER` (or a `bigint` in `0..2^64` when `bigint`).
fn whole_number(method: &str, what: &str, v: &JsValue, bigint: bool) -> Result<u64, JsValue> {
    if let Some(n) = v.as_f64() {
        if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE_INTEGER as f64 {
            return Ok(n as u64);
        }
    } else if bigint && v.is_bigint() {
        if let Ok(n) = u64::try_from(v.clone()) {
            return Ok(n);
        }
    }
    let range = if bigint {
        "a whole number ≥ 0 (or a bigint below 2^64)"
    } else {
        "a whole number ≥ 0"
    };
    Err(error(
        method,
        format!("{what} must be {range}, not {}", describe(v)),
    ))
}

fn optional(v: &JsValue) -> Option<&JsValue> {
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

/// A `u64` as a JS number when exact, as a `bigint` otherwise.
fn u64_to_js(n: u64) -> JsValue {
    if n <= MAX_SAFE_INTEGER {
        JsValue::from_f64(n as f64)
    } else {
        JsValue::from(n)
    }
}

/// Reads a plain JS object into a core type through `JSON.stringify` and `serde_json`.
///
/// Not `serde_wasm_bindgen::from_value`: it reads only the fields a struct declares, so a
/// misspelt key (`{brokerz: 3}`) would be ignored silently instead of being refused by the
/// core's `deny_unknown_fields`. serde_json is in the bundle anyway (run fragments are JSON).
fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, String> {
    let text = js_sys::JSON::stringify(v).map_err(|e| {
        format!(
            "the argument cannot be converted to JSON ({})",
            error_text(&e)
        )
    })?;
    let text = String::from(text);
    serde_json::from_str(&text).map_err(|e| {
        // Positions inside the JSON text mean nothing to the caller.
        let e = e.to_string();
        match e.rfind(" at line ") {
            Some(i) => e[..i].to_string(),
            None => e,
        }
    })
}

/// The message of a JS exception.
fn error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| describe(e))
}

/// A core value as a plain JS object: serde_json's text, parsed by `JSON.parse`. (A `u64` above
/// `Number.MAX_SAFE_INTEGER` would be rounded; only seeds get that large, and the methods that
/// return one put it back as a `bigint`.)
fn to_js<T: Serialize + ?Sized>(method: &str, value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error(method, e))?;
    js_sys::JSON::parse(&text).map_err(|e| error(method, error_text(&e)))
}

/// Serde's "unknown variant `x`, expected one of `a`, `b`" in the words of this API.
fn unknown_variant(message: &str, noun: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown variant `")?;
    let (name, rest) = rest.split_once('`')?;
    // serde writes "expected one of `a`, `b`, `c`" or "expected `a` or `b`".
    let expected = rest
        .strip_prefix(", expected one of ")
        .map(|list| format!("one of {list}"))
        .or_else(|| rest.strip_prefix(", expected ").map(str::to_string))
        .unwrap_or_default()
        .replace('`', "");
    Some(format!("unknown {noun} {name:?}; expected {expected}"))
}

/// Deserialises an internally tagged object (`{cmd: "produce", …}`, `{action: "deliver", …}`),
/// turning serde's messages into this API's words.
fn parse_tagged<T: serde::de::DeserializeOwned>(
    method: &str,
    v: &JsValue,
    tag: &str,
    noun: &str,
    example: &str,
) -> Result<T, JsValue> {
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(error(
            method,
            format!(
                "a {noun} must be an object such as {example}, not {}",
                describe(v)
            ),
        ));
    }
    from_js::<T>(v).map_err(|e| {
        let name = js_sys::Reflect::get(v, &JsValue::from_str(tag))
            .ok()
            .and_then(|c| c.as_string());
        let message = match name {
            // The tag names no known variant.
            Some(name) if e.starts_with(&format!("unknown variant `{name}`")) => {
                unknown_variant(&e, noun).unwrap_or(e)
            }
            // A problem inside a known variant.
            Some(name) => format!("{name}: {e}"),
            None if e.contains(&format!("`{tag}`")) => {
                format!("a {noun} needs a \"{tag}\" field, e.g. {example}; {e}")
            }
            None => e,
        };
        error(method, message)
    })
}

fn parse_command(method: &str, v: &JsValue) -> Result<Command, JsValue> {
    parse_tagged(
        method,
        v,
        "cmd",
        "command",
        "{cmd: \"produce\", value: \"a\"}",
    )
}

fn parse_action(method: &str, v: &JsValue) -> Result<Action, JsValue> {
    parse_tagged(
        method,
        v,
        "action",
        "action",
        "{action: \"deliver\", message: 12} (see enabled())",
    )
}

fn parse_config(method: &str, v: &JsValue) -> Result<ClusterConfig, JsValue> {
    let Some(v) = optional(v) else {
        return Ok(ClusterConfig::default());
    };
    if !v.is_object() || js_sys::Array::is_array(v) {
        return Err(error(
            method,
            format!(
                "the configuration must be an object such as {{brokers: 3}}, not {}",
                describe(v)
            ),
        ));
    }
    let config: ClusterConfig = from_js(v).map_err(|e| error(method, e))?;
    config.validate().map_err(|e| error(method, e))?;
    Ok(config)
}

/// The fragment itself from `"#run=…"`, `"run=…"`, a whole address or the bare text.
fn fragment_text(s: &str) -> &str {
    let s = s.trim();
    let s = s.rsplit_once('#').map_or(s, |(_, f)| f);
    s.strip_prefix("run=").unwrap_or(s)
}

// ---- plain-data shapes of this API ---------------------------------------------------------

#[derive(Serialize)]
struct LedgerRow<'a> {
    #[serde(flatten)]
    entry: &'a LedgerEntry,
    topic: &'a str,
    partition: u16,
    status: &'static str,
}

#[derive(Serialize)]
struct CheckJs<'a> {
    what: &'a str,
    passed: bool,
    actual: &'a str,
}

#[derive(Serialize)]
struct OutcomeJs<'a> {
    index: usize,
    line: Option<usize>,
    title: Option<&'a str>,
    passed: bool,
    checks: Vec<CheckJs<'a>>,
}

impl<'a> OutcomeJs<'a> {
    fn new(o: &'a StepOutcome, step: &'a Step) -> Self {
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
        }
    }
}

#[derive(Serialize)]
struct CatalogEntryJs {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
}

/// A scenario given to `fromScenario`: a built-in id, JSON text, or an object.
fn read_scenario(v: &JsValue) -> Result<Scenario, String> {
    let text = if let Some(text) = v.as_string() {
        let trimmed = text.trim_start();
        if !trimmed.starts_with('{') {
            if let Some(entry) = catalog::find(trimmed.trim_end()) {
                return entry.scenario();
            }
            let looks_like_toml = trimmed.contains('=') || trimmed.contains("[[step]]");
            return Err(if looks_like_toml {
                "TOML text is not read in the browser (the page leaves the TOML parser out to \
                 stay small): pass the scenario as an object or JSON text, or convert the file \
                 with `highwater convert FILE`"
                    .into()
            } else {
                format!(
                    "no built-in scenario is called {:?} (see Simulation.scenarioCatalog())",
                    trimmed.trim_end()
                )
            });
        }
        text
    } else if v.is_object() && !v.is_function() {
        js_sys::JSON::stringify(v)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("the scenario object cannot be written as JSON")?
    } else {
        return Err(format!(
            "expected a built-in scenario id, a scenario object or its JSON text, not {}",
            describe(v)
        ));
    };
    Scenario::from_json(&text).map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct ScenarioStepJs<'a> {
    index: usize,
    line: Option<usize>,
    title: Option<&'a str>,
    note: Option<&'a str>,
    highlight: Option<&'a str>,
    action: Option<&'static str>,
    expects: bool,
}

#[derive(Serialize)]
struct ReportJs<'a> {
    name: &'a str,
    passed: bool,
    passed_checks: usize,
    failed_checks: usize,
    /// Set when a `run_until` never came true: what was left out, in words.
    not_run: Option<String>,
    steps: Vec<OutcomeJs<'a>>,
}

/// The action key of a scenario step, as written in the file.
fn step_action(s: &Step) -> Option<&'static str> {
    [
        (s.produce.is_some(), "produce"),
        (s.auto_produce.is_some(), "auto_produce"),
        (s.crash.is_some(), "crash"),
        (s.power_fail.is_some(), "power_fail"),
        (s.shutdown.is_some(), "shutdown"),
        (s.restart.is_some(), "restart"),
        (s.pause.is_some(), "pause"),
        (s.resume.is_some(), "resume"),
        (s.isolate.is_some(), "isolate"),
        (s.cut.is_some(), "cut"),
        (s.heal.is_some(), "heal"),
        (s.slow.is_some(), "slow"),
        (s.flush.is_some(), "flush"),
        (s.drop.is_some(), "drop"),
        (s.deliver.is_some(), "deliver"),
        (s.fire.is_some(), "fire"),
        (s.run_ms.is_some(), "run_ms"),
        (s.steps.is_some(), "steps"),
        (s.run_until.is_some(), "run_until"),
    ]
    .into_iter()
    .find_map(|(set, name)| set.then_some(name))
}

// ---- the simulation ------------------------------------------------------------------------

struct Inner {
    timeline: Timeline,
    scenario: Option<Scenario>,
    /// The scenario step `runScenario()` starts from: one past the last one applied.
    next_step: usize,
}

/// Resets the "delivering events" flag even when dispatch returns early.
struct Dispatching<'a>(&'a Cell<bool>);

impl Drop for Dispatching<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// A simulated Kafka cluster with time travel: the current state, the whole event log, and the
/// recorded run (config, seed, inputs) that can be replayed, stepped back and shared as a link.
///
/// Every method that changes the simulation then calls the subscribers with the new events.
/// Every misuse throws an `Error` whose message starts with the method name.
#[wasm_bindgen]
pub struct Simulation {
    inner: RefCell<Inner>,
    subscribers: RefCell<Vec<(u32, Function)>>,
    next_subscriber: Cell<u32>,
    /// Length of the event log the subscribers have been given.
    delivered: Cell<usize>,
    /// True while subscribers are being called (mutating calls are refused meanwhile).
    dispatching: Cell<bool>,
}

impl Simulation {
    fn from_timeline(timeline: Timeline, scenario: Option<Scenario>) -> Simulation {
        let delivered = timeline.events().len();
        Simulation {
            inner: RefCell::new(Inner {
                timeline,
                scenario,
                next_step: 0,
            }),
            subscribers: RefCell::new(Vec::new()),
            next_subscriber: Cell::new(1),
            delivered: Cell::new(delivered),
            dispatching: Cell::new(false),
        }
    }

    /// Reads the simulation. Never fails in practice: no JavaScript runs while it is borrowed.
    fn read<R>(&self, method: &str, f: impl FnOnce(&Inner) -> R) -> Result<R, JsValue> {
        let inner = self.inner.try_borrow().map_err(|_| busy(method))?;
        Ok(f(&inner))
    }

    /// Changes the simulation, then gives the subscribers the new events. `f` runs with the
    /// simulation borrowed and must not call JavaScript; the subscribers run after the borrow
    /// is released.
    fn mutate<R>(
        &self,
        method: &str,
        f: impl FnOnce(&mut Inner) -> Result<R, String>,
    ) -> Result<R, JsValue> {
        if self.dispatching.get() {
            return Err(error(
                method,
                "cannot change the simulation from inside a subscriber callback; \
                 schedule the call instead (queueMicrotask or setTimeout)",
            ));
        }
        let result = {
            let mut inner = self.inner.try_borrow_mut().map_err(|_| busy(method))?;
            f(&mut inner)
        };
        let dispatched = self.dispatch(method);
        let value = result.map_err(|e| error(method, e))?;
        dispatched?;
        Ok(value)
    }

    /// Calls every subscriber with each event appended to the log since the last dispatch.
    /// Every subscriber sees every event; the first exception a subscriber throws is rethrown
    /// afterwards, wrapped in an `Error` naming the method (the change itself stands).
    fn dispatch(&self, method: &str) -> Result<(), JsValue> {
        let from = self.delivered.get();
        let events: Vec<Event> = {
            let inner = self.inner.try_borrow().map_err(|_| busy(method))?;
            let all = inner.timeline.events();
            if all.len() <= from || self.subscribers.borrow().is_empty() {
                // Moved back (the log was truncated), nothing new, or nobody listening.
                self.delivered.set(all.len());
                return Ok(());
            }
            all[from..].to_vec()
        };
        self.delivered.set(from + events.len());
        self.dispatching.set(true);
        let _reset = Dispatching(&self.dispatching);
        let mut first_error: Option<(u32, JsValue)> = None;
        for (i, event) in events.iter().enumerate() {
            let js_event = to_js(method, event)?;
            let index = JsValue::from_f64((from + i) as f64);
            // A copy, so subscribers may subscribe and unsubscribe from their callbacks.
            let subscribers = self.subscribers.borrow().clone();
            for (id, callback) in subscribers {
                if !self.subscribers.borrow().iter().any(|(s, _)| *s == id) {
                    continue; // unsubscribed by an earlier callback
                }
                if let Err(e) = callback.call2(&JsValue::UNDEFINED, &js_event, &index) {
                    first_error.get_or_insert((id, e));
                }
            }
        }
        match first_error {
            None => Ok(()),
            Some((id, cause)) => {
                let what = error_text(&cause);
                let err = js_sys::Error::new(&format!(
                    "{method}: subscriber {id} threw: {what} (the {method} itself was done)"
                ));
                err.set_cause(&cause);
                Err(err.into())
            }
        }
    }
}

fn busy(method: &str) -> JsValue {
    error(
        method,
        "the simulation is busy with another call (a re-entrant call from JavaScript)",
    )
}

fn apply_scenario_step(inner: &mut Inner, i: usize) -> Result<(StepOutcome, usize), String> {
    let Some(scenario) = &inner.scenario else {
        return Err("this simulation was not created with Simulation.fromScenario".into());
    };
    let outcome = inner.timeline.apply_scenario_step(scenario, i)?;
    inner.next_step = i + 1;
    Ok((outcome, i))
}

#[wasm_bindgen]
impl Simulation {
    /// A new simulation at virtual time 0: every broker up, every partition led by its
    /// preferred replica. `config` is any part of a configuration (the rest keeps Kafka's
    /// defaults; unknown keys are an error); `seed` (default 0) drives network jitter.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ClusterConfigInput | null")]
        config: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | bigint")] seed: JsValue,
    ) -> Result<Simulation, JsValue> {
        const M: &str = "new Simulation";
        let config = parse_config(M, &config)?;
        let seed = match optional(&seed) {
            Some(s) => whole_number(M, "seed", s, true)?,
            None => 0,
        };
        let timeline = Timeline::new(config, seed).map_err(|e| error(M, e))?;
        Ok(Simulation::from_timeline(timeline, None))
    }

    /// Kafka's defaults as a complete configuration object (`brokers: 3`, one topic `t`, …).
    #[wasm_bindgen(js_name = defaultConfig, unchecked_return_type = "ClusterConfig")]
    pub fn default_config() -> Result<JsValue, JsValue> {
        to_js("defaultConfig", &ClusterConfig::default())
    }

    /// A simulation loaded with a scenario (docs/SCENARIOS.md): the id of a built-in one (see
    /// `Simulation.scenarioCatalog()`), the scenario as an object with the TOML file's tables, or
    /// that object as JSON text. Its config and seed are used; its steps are ready for
    /// `applyScenarioStep(i)` / `runScenario()`.
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(
        #[wasm_bindgen(unchecked_param_type = "string | object")] scenario: JsValue,
    ) -> Result<Simulation, JsValue> {
        const M: &str = "fromScenario";
        let scenario = read_scenario(&scenario).map_err(|e| error(M, e))?;
        let timeline =
            Timeline::new(scenario.config.clone(), scenario.seed).map_err(|e| error(M, e))?;
        Ok(Simulation::from_timeline(timeline, Some(scenario)))
    }

    /// The built-in scenarios and tutorials: `{ id, name, kind }` with kind "scenario" or
    /// "tutorial", in file order.
    #[wasm_bindgen(js_name = scenarioCatalog, unchecked_return_type = "CatalogEntry[]")]
    pub fn scenario_catalog() -> Result<JsValue, JsValue> {
        let list: Vec<CatalogEntryJs> = catalog::scenarios()
            .map(|e| (e, "scenario"))
            .chain(catalog::tutorials().map(|e| (e, "tutorial")))
            .map(|(e, kind)| CatalogEntryJs {
                id: e.id,
                name: e.name,
                kind,
            })
            .collect();
        to_js("scenarioCatalog", &list)
    }

    /// Restores a run shared as a link: accepts `toFragment()`'s text, `"#run=…"` or a whole
    /// address. The simulation is positioned at the end of the run.
    #[wasm_bindgen(js_name = fromFragment)]
    pub fn from_fragment(
        #[wasm_bindgen(unchecked_param_type = "string")] fragment: JsValue,
    ) -> Result<Simulation, JsValue> {
        const M: &str = "fromFragment";
        let Some(text) = fragment.as_string() else {
            return Err(error(
                M,
                format!("expected a string, not {}", describe(&fragment)),
            ));
        };
        let run = Run::from_fragment(fragment_text(&text)).map_err(|e| error(M, e))?;
        let mut timeline = Timeline::from_run(&run)
            .map_err(|e| error(M, format!("the run cannot be replayed: {e}")))?;
        timeline.seek(timeline.step()); // moves the replayed events into the log
        Ok(Simulation::from_timeline(timeline, None))
    }

    // ---- inputs ----------------------------------------------------------------------------

    /// Applies a user command at the current virtual time, e.g. `{cmd: "produce", value: "a"}`
    /// or `{cmd: "crash", broker: 1}`. In the past (after `stepBack`/`seek`) it forks the run:
    /// the recorded future is discarded.
    pub fn apply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "apply";
        let cmd = parse_command(M, &command)?;
        self.mutate(M, |inner| inner.timeline.apply(cmd).map_err(|e| e.0))
    }

    /// Manual mode: fires one of `enabled()` now (`{action: "deliver", message: 12}` or
    /// `{action: "fire", node: "b1", timer: "IsrExpiration"}`). Forks the run in the past.
    pub fn act(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Action")] action: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "act";
        let action = parse_action(M, &action)?;
        self.mutate(M, |inner| inner.timeline.act(action).map_err(|e| e.0))
    }

    // ---- stepping --------------------------------------------------------------------------

    /// One step forward: replays the recording, or fires the earliest event at its end.
    /// Returns false when nothing can happen.
    pub fn step(&self) -> Result<bool, JsValue> {
        self.mutate("step", |inner| Ok(inner.timeline.step_forward()))
    }

    /// One step back in time. Returns false at the start.
    #[wasm_bindgen(js_name = stepBack)]
    pub fn step_back(&self) -> Result<bool, JsValue> {
        self.mutate("stepBack", |inner| Ok(inner.timeline.step_back()))
    }

    /// Moves to the state right after step `step` (clamped to the end of the recording) and
    /// returns the step reached.
    pub fn seek(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] step: JsValue,
    ) -> Result<f64, JsValue> {
        const M: &str = "seek";
        let target = whole_number(M, "step", &step, false)?;
        self.mutate(M, |inner| {
            inner.timeline.seek(target);
            Ok(inner.timeline.step() as f64)
        })
    }

    /// Fires every event due up to virtual time `timeMs`, then sets the clock to it (at the end
    /// of the recording; inside it, replays up to that time). Does nothing for a past time.
    #[wasm_bindgen(js_name = runUntil)]
    pub fn run_until(
        &self,
        #[wasm_bindgen(js_name = timeMs, unchecked_param_type = "number")] time_ms: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "runUntil";
        let t = whole_number(M, "timeMs", &time_ms, false)?;
        self.mutate(M, |inner| {
            inner.timeline.run_until(t);
            Ok(())
        })
    }

    /// `runUntil(now + ms)`.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "runFor";
        let ms = whole_number(M, "ms", &ms, false)?;
        self.mutate(M, |inner| {
            let now = inner.timeline.current().now();
            let t = now.saturating_add(ms);
            if t > MAX_SAFE_INTEGER {
                return Err(format!(
                    "the clock would pass Number.MAX_SAFE_INTEGER ms (now {now}, ms {ms})"
                ));
            }
            inner.timeline.run_until(t);
            Ok(())
        })
    }

    /// Up to `n` steps forward; returns how many were taken (fewer when nothing is left).
    #[wasm_bindgen(js_name = runSteps)]
    pub fn run_steps(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    ) -> Result<f64, JsValue> {
        const M: &str = "runSteps";
        let n = whole_number(M, "n", &n, false)?;
        self.mutate(M, |inner| {
            let mut done = 0u64;
            while done < n && inner.timeline.step_forward() {
                done += 1;
            }
            Ok(done as f64)
        })
    }

    // ---- scenario --------------------------------------------------------------------------

    /// The loaded scenario's name, description, source and steps; null unless created with
    /// `Simulation.fromScenario`.
    #[wasm_bindgen(unchecked_return_type = "ScenarioInfo | null")]
    pub fn scenario(&self) -> Result<JsValue, JsValue> {
        const M: &str = "scenario";
        let info = self.read(M, |inner| {
            inner.scenario.as_ref().map(|s| {
                (
                    s.name.clone(),
                    s.description.clone(),
                    s.source.clone(),
                    s.seed,
                )
            })
        })?;
        let Some((name, description, source, seed)) = info else {
            return Ok(JsValue::NULL);
        };
        let obj = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&obj, &JsValue::from_str(k), v);
        set("name", &JsValue::from_str(&name))?;
        set("description", &JsValue::from_str(&description))?;
        set("source", &JsValue::from_str(&source))?;
        set("seed", &u64_to_js(seed))?;
        set("steps", &self.scenario_steps()?)?;
        Ok(obj.into())
    }

    /// The loaded scenario's steps (index, line, title, note, highlight, action, expects).
    #[wasm_bindgen(js_name = scenarioSteps, unchecked_return_type = "ScenarioStep[]")]
    pub fn scenario_steps(&self) -> Result<JsValue, JsValue> {
        const M: &str = "scenarioSteps";
        self.read(M, |inner| {
            let Some(s) = &inner.scenario else {
                return Err(error(
                    M,
                    "this simulation was not created with Simulation.fromScenario",
                ));
            };
            let steps: Vec<ScenarioStepJs> = s
                .steps
                .iter()
                .enumerate()
                .map(|(index, st)| ScenarioStepJs {
                    index,
                    line: s.line(index),
                    title: st.title.as_deref(),
                    note: st.note.as_deref(),
                    highlight: st.highlight.as_deref(),
                    action: step_action(st),
                    expects: st.expect.is_some(),
                })
                .collect();
            to_js(M, &steps)
        })?
    }

    /// The scenario step `runScenario()` would apply next: one past the last step applied.
    #[wasm_bindgen(getter = nextScenarioStep)]
    pub fn next_scenario_step(&self) -> Result<f64, JsValue> {
        self.read("nextScenarioStep", |inner| inner.next_step as f64)
    }

    /// Applies step `i` of the loaded scenario at the current position and returns what its
    /// expectations found (`passed`, `checks`). A step that cannot be applied (no matching
    /// message, unknown broker in an expectation) throws, with the step's line.
    #[wasm_bindgen(js_name = applyScenarioStep, unchecked_return_type = "StepOutcome")]
    pub fn apply_scenario_step(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "applyScenarioStep";
        let i = whole_number(M, "the step index", &i, false)?;
        let i = usize::try_from(i).unwrap_or(usize::MAX);
        let (outcome, i) = self.mutate(M, |inner| apply_scenario_step(inner, i))?;
        self.read(M, |inner| match &inner.scenario {
            Some(s) => to_js(M, &OutcomeJs::new(&outcome, &s.steps[i])),
            None => Ok(JsValue::NULL),
        })?
    }

    /// Applies the remaining scenario steps (from `nextScenarioStep`), stopping after a
    /// `run_until` that never came true, and returns the report.
    #[wasm_bindgen(js_name = runScenario, unchecked_return_type = "ScenarioReport")]
    pub fn run_scenario(&self) -> Result<JsValue, JsValue> {
        const M: &str = "runScenario";
        let outcomes = self.mutate(M, |inner| {
            let Some(s) = &inner.scenario else {
                return Err("this simulation was not created with Simulation.fromScenario".into());
            };
            let n = s.steps.len();
            let mut outcomes = Vec::new();
            for i in inner.next_step..n {
                let (outcome, _) = apply_scenario_step(inner, i)?;
                let stop = outcome.run_until_failed();
                outcomes.push(outcome);
                if stop {
                    let not_run = inner
                        .scenario
                        .as_ref()
                        .map(|s| s.not_run_after(i, inner.timeline.current()));
                    return Ok((outcomes, not_run));
                }
            }
            Ok((outcomes, None))
        })?;
        let (outcomes, not_run) = outcomes;
        self.read(M, |inner| {
            let Some(s) = &inner.scenario else {
                return Ok(JsValue::NULL);
            };
            let steps: Vec<OutcomeJs> = outcomes
                .iter()
                .map(|o| OutcomeJs::new(o, &s.steps[o.index]))
                .collect();
            let checks = outcomes.iter().flat_map(|o| &o.checks);
            let passed_checks = checks.clone().filter(|c| c.passed).count();
            let failed_checks = checks.count() - passed_checks;
            to_js(
                M,
                &ReportJs {
                    name: &s.name,
                    passed: failed_checks == 0,
                    passed_checks,
                    failed_checks,
                    not_run: not_run.map(|n| n.to_string()),
                    steps,
                },
            )
        })?
    }

    // ---- getters ---------------------------------------------------------------------------

    /// The whole cluster at the current step: brokers and their replicas (logs, HW, LEO, ISR),
    /// the controller's partitions, producers, messages in flight, links, ledger, invariants.
    #[wasm_bindgen(unchecked_return_type = "Snapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        const M: &str = "snapshot";
        let mut snap = self.read(M, |inner| inner.timeline.current().snapshot())?;
        let seed = std::mem::take(&mut snap.seed);
        let obj = to_js(M, &snap)?;
        js_sys::Reflect::set(&obj, &JsValue::from_str("seed"), &u64_to_js(seed))?;
        Ok(obj)
    }

    /// The event log from the start up to the current step, or from index `fromIndex` on
    /// (an index past the end gives `[]`).
    #[wasm_bindgen(unchecked_return_type = "SimEvent[]")]
    pub fn events(
        &self,
        #[wasm_bindgen(js_name = fromIndex, unchecked_optional_param_type = "number")]
        from_index: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "events";
        let from = match optional(&from_index) {
            Some(v) => whole_number(M, "fromIndex", v, false)?,
            None => 0,
        };
        let from = usize::try_from(from).unwrap_or(usize::MAX);
        let events: Vec<Event> = self.read(M, |inner| {
            let all = inner.timeline.events();
            all.get(from.min(all.len())..).unwrap_or_default().to_vec()
        })?;
        to_js(M, &events)
    }

    /// Every record the application sent: acked / committed / lost / duplicated / failed, with
    /// its topic name and a one-word `status`.
    #[wasm_bindgen(unchecked_return_type = "LedgerRow[]")]
    pub fn ledger(&self) -> Result<JsValue, JsValue> {
        const M: &str = "ledger";
        self.read(M, |inner| {
            let c = inner.timeline.current();
            let rows: Vec<LedgerRow> = c
                .ledger()
                .entries
                .iter()
                .map(|e| LedgerRow {
                    entry: e,
                    topic: c
                        .config()
                        .topics
                        .get(e.tp.topic as usize)
                        .map_or("", |t| t.name.as_str()),
                    partition: e.tp.partition,
                    status: e.status(),
                })
                .collect();
            to_js(M, &rows)
        })?
    }

    /// Every invariant with whether Kafka promises it here and its first violation, if any.
    #[wasm_bindgen(unchecked_return_type = "InvariantStatus[]")]
    pub fn invariants(&self) -> Result<JsValue, JsValue> {
        const M: &str = "invariants";
        self.read(M, |inner| to_js(M, inner.timeline.current().invariants()))?
    }

    /// Manual mode: the events that may fire next (the head message of each link, every
    /// timer). Pass an entry's `action` to `act()`.
    #[wasm_bindgen(unchecked_return_type = "EnabledAction[]")]
    pub fn enabled(&self) -> Result<JsValue, JsValue> {
        const M: &str = "enabled";
        self.read(M, |inner| to_js(M, &inner.timeline.current().enabled()))?
    }

    /// The complete configuration of this run (Kafka's dotted names).
    #[wasm_bindgen(unchecked_return_type = "ClusterConfig")]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        const M: &str = "config";
        self.read(M, |inner| to_js(M, inner.timeline.config()))?
    }

    /// A hash of the whole simulation state as 16 hex digits (a u64 does not fit a JS number):
    /// equal hashes mean equal states, natively and in the browser.
    #[wasm_bindgen(js_name = stateHash)]
    pub fn state_hash(&self) -> Result<String, JsValue> {
        self.read("stateHash", |inner| {
            format!("{:016x}", inner.timeline.current().state_hash())
        })
    }

    /// The run up to the current position as URL-safe text (what `#run=` links carry);
    /// `Simulation.fromFragment` restores it.
    #[wasm_bindgen(js_name = toFragment)]
    pub fn to_fragment(&self) -> Result<String, JsValue> {
        self.read("toFragment", |inner| inner.timeline.run().to_fragment())
    }

    /// Virtual time in milliseconds.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> Result<f64, JsValue> {
        self.read("now", |inner| inner.timeline.current().now() as f64)
    }

    /// Steps taken so far (events fired plus commands applied).
    #[wasm_bindgen(getter = stepCount)]
    pub fn step_count(&self) -> Result<f64, JsValue> {
        self.read("stepCount", |inner| inner.timeline.step() as f64)
    }

    /// The step count at the end of the recording (how far `step()` / `seek()` can replay).
    #[wasm_bindgen(getter = endStep)]
    pub fn end_step(&self) -> Result<f64, JsValue> {
        self.read("endStep", |inner| inner.timeline.end_step() as f64)
    }

    /// Whether the current position is the end of the recording (new steps are live).
    #[wasm_bindgen(getter = atEnd)]
    pub fn at_end(&self) -> Result<bool, JsValue> {
        self.read("atEnd", |inner| inner.timeline.at_end())
    }

    /// Length of the event log up to the current step.
    #[wasm_bindgen(getter = eventCount)]
    pub fn event_count(&self) -> Result<f64, JsValue> {
        self.read("eventCount", |inner| inner.timeline.events().len() as f64)
    }

    /// The run's seed (a bigint only above `Number.MAX_SAFE_INTEGER`).
    #[wasm_bindgen(getter, unchecked_return_type = "number | bigint")]
    pub fn seed(&self) -> Result<JsValue, JsValue> {
        self.read("seed", |inner| u64_to_js(inner.timeline.current().seed()))
    }

    // ---- subscribers -----------------------------------------------------------------------

    /// Calls `callback(event, index)` for each new event after every call that changes the
    /// simulation; returns an id for `unsubscribe`. Moving back truncates the log and calls
    /// nobody; moving forward again delivers the replayed events again. Callbacks may read the
    /// simulation but not change it (that throws). If a callback throws, the others still get
    /// every event, then the changing call throws an `Error` whose `cause` is the exception.
    pub fn subscribe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SimEventListener")] callback: JsValue,
    ) -> Result<f64, JsValue> {
        let Some(f) = callback.dyn_ref::<Function>() else {
            return Err(error(
                "subscribe",
                format!("expected a function, not {}", describe(&callback)),
            ));
        };
        let id = self.next_subscriber.get();
        self.next_subscriber.set(id.wrapping_add(1).max(1));
        self.subscribers.borrow_mut().push((id, f.clone()));
        Ok(id as f64)
    }

    /// Removes a subscriber; returns whether `id` was subscribed.
    pub fn unsubscribe(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    ) -> Result<bool, JsValue> {
        let id = whole_number("unsubscribe", "id", &id, false)?;
        let mut subs = self.subscribers.borrow_mut();
        let before = subs.len();
        subs.retain(|(s, _)| u64::from(*s) != id);
        Ok(subs.len() != before)
    }
}
