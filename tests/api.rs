//! Tests of the JavaScript API (`src/api.rs`) in a real browser (headless Chromium):
//!
//!     cargo test -p highwater --target wasm32-unknown-unknown --test api
//!
//! Most tests are JavaScript: a `Simulation` object is handed to a function built with
//! `new Function(...)`, so the calls go through the same generated glue a page uses, and an
//! exception is a real JS exception (a wasm trap would surface as `RuntimeError: unreachable`
//! and fail the message checks). The tests' JS doubles as examples for `docs/JS-API.md`.

#![cfg(target_arch = "wasm32")]

use highwater::api::Simulation;
use highwater_core::command::Command;
use highwater_core::config::ClusterConfig;
use highwater_core::scenario::Scenario;
use highwater_core::timeline::Timeline;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Assertion helpers available to every JS test body.
const PRELUDE: &str = r#"
"use strict";
function assert(cond, what) { if (!cond) throw new Error("assertion failed: " + what); }
function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
// Runs f, which must throw an Error whose message contains `fragment`; returns the Error.
function throws(f, fragment) {
  let caught;
  try { f(); } catch (e) { caught = e; }
  if (caught === undefined) throw new Error(`no exception; expected one with ${JSON.stringify(fragment)}`);
  if (!(caught instanceof Error)) throw new Error(`expected an Error, got ${String(caught)}`);
  if (caught instanceof WebAssembly.RuntimeError) throw new Error(`a wasm trap: ${caught.message}`);
  if (!caught.message.includes(fragment))
    throw new Error(`expected a message with ${JSON.stringify(fragment)}, got ${JSON.stringify(caught.message)}`);
  return caught;
}
function base64url(text) {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
"#;

/// A small scenario: produce, deliver by hand, commit, crash the leader, fail over — as the JS
/// API takes it (the TOML file's tables as JSON).
const SCENARIO: &str = r#"{
 "name": "acked, committed, survives a failover",
 "seed": 1,
 "config": {
  "brokers": 2,
  "topics": [
   {
    "name": "t",
    "partitions": 1,
    "replication_factor": 2
   }
  ],
  "network": {
   "latency_ms": 10,
   "jitter_ms": 0
  }
 },
 "step": [
  {
   "title": "Produce a",
   "produce": "a"
  },
  {
   "title": "The leader appends a",
   "deliver": {
    "kind": "Produce",
    "to": "b1"
   },
   "expect": {
    "replica": {
     "1": {
      "log": [
       "a"
      ],
      "leo": 1,
      "hw": 0
     }
    },
    "not_acked": [
     "a"
    ]
   }
  },
  {
   "title": "Commit",
   "run_until": {
    "committed": [
     "a"
    ],
    "acked": [
     "a"
    ]
   },
   "within_ms": 5000,
   "expect": {
    "leader": 1,
    "isr": [
     1,
     2
    ],
    "all_invariants_hold": true
   }
  },
  {
   "title": "Crash the leader",
   "crash": "b1"
  },
  {
   "run_ms": 15000,
   "expect": {
    "leader": 2,
    "leader_epoch": 1,
    "not_lost": [
     "a"
    ]
   }
  }
 ]
}"#;

/// The `Simulation` class as JavaScript sees it.
fn class() -> JsValue {
    let sim = Simulation::new(JsValue::UNDEFINED, JsValue::UNDEFINED).expect("defaults");
    Reflect::get(&JsValue::from(sim), &"constructor".into()).expect("a class")
}

fn message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => format!("{e:?}"),
    }
}

/// Runs a JS function body with `Simulation` and `SCENARIO` in scope; panics with the JS
/// exception's message if it throws. Returns what the body returns.
fn js(body: &str) -> JsValue {
    let f = Function::new_with_args("Simulation, SCENARIO", &format!("{PRELUDE}\n{body}"));
    match f.call2(&JsValue::UNDEFINED, &class(), &JsValue::from_str(SCENARIO)) {
        Ok(v) => v,
        Err(e) => panic!("{}", message(&e)),
    }
}

#[wasm_bindgen_test]
fn creates_with_defaults_and_with_a_partial_config() {
    js(r#"
    const a = new Simulation();
    eq(a.config(), Simulation.defaultConfig(), "defaults");
    eq(a.config().brokers, 3, "brokers");
    eq(a.now, 0, "time");
    eq(a.seed, 0, "seed");
    eq(a.snapshot().brokers.map(b => b.status), ["up", "up", "up"], "brokers up");
    assert(a.atEnd, "a new run is at its end");

    const b = new Simulation({
      brokers: 2,
      topics: [{ name: "orders", partitions: 2, replication_factor: 2 }],
      broker: { "min.insync.replicas": 2, replica_lag_time_max_ms: 10000 },
      producer: { acks: 1 },
    }, 7);
    const c = b.config();
    eq(c.brokers, 2, "brokers");
    eq(c.topics[0]["replication.factor"], 2, "snake_case alias read");
    eq(c.broker["min.insync.replicas"], 2, "dotted name read");
    eq(c.broker["replica.lag.time.max.ms"], 10000, "alias in a nested table");
    eq(c.producer.acks, "1", "acks");
    eq(c.network.latency_ms, 10, "unset fields keep their defaults");
    eq(b.seed, 7, "seed");
    const parts = b.snapshot().partitions;
    eq(parts.map(p => [p.topic, p.partition, p.leader]), [["orders", 0, 1], ["orders", 1, 2]], "partitions");
    // The config object round-trips.
    eq(new Simulation(c, 7).stateHash(), b.stateHash(), "same config and seed, same state");
    "#);
}

#[wasm_bindgen_test]
fn produce_and_run_until_acks_and_commits_the_record() {
    js(r#"
    const sim = new Simulation();
    sim.apply({ cmd: "produce", value: "a", key: "k" });
    eq(sim.ledger()[0].status, "in flight", "sent at once");
    sim.runUntil(1000);
    eq(sim.now, 1000, "the clock is at the target time");
    const [rec] = sim.ledger();
    eq([rec.value, rec.key, rec.topic, rec.partition, rec.status], ["a", "k", "t", 0, "acked + committed"], "ledger row");
    assert(rec.acked !== null && rec.acked[1] === 0, "acked at offset 0");
    assert(rec.committed.time <= rec.acked[0].time, "committed before the ack arrives");
    const leader = sim.snapshot().brokers[0].replicas[0];
    eq([leader.role, leader.leo, leader.hw, leader.records.map(r => r.value)], ["leader", 1, 1, ["a"]], "leader replica");
    assert(sim.invariants().every(i => i.first_violation === null), "every invariant holds");
    // Plain data: JSON round-trips exactly, objects are plain objects, absent values are null.
    const snap = sim.snapshot();
    eq(JSON.parse(JSON.stringify(snap)), snap, "JSON-compatible");
    assert(Object.getPrototypeOf(snap) === Object.prototype, "a plain object");
    assert(snap.brokers[0].replicas[0].pending_isr === null, "None is null");
    // The read model's shape, schema 2: versioned, the ISR view on the leader only, typed kinds.
    eq(snap.schema_version, 2, "schema version");
    eq([snap.brokers[0].replicas[0].isr, snap.brokers[1].replicas[0].isr], [[1, 2, 3], []], "leader-only ISR");
    eq(sim.invariants()[0].id, "one-leader-per-epoch", "invariant id");
    sim.apply({ cmd: "produce", value: "b" });
    const m = sim.snapshot().messages.find(m => m.kind === "Produce");
    eq([m.label, m.error, m.heartbeat], ["Pr", false, false], "a produce request");
    assert(sim.events().some(e => e.heartbeat && e.text.includes("Heartbeat")), "heartbeats are flagged");
    "#);
}

#[wasm_bindgen_test]
fn crashing_the_leader_elects_a_new_leader_with_a_higher_epoch() {
    js(r#"
    const sim = new Simulation({}, 3);
    sim.apply({ cmd: "produce", value: "a" });
    sim.runUntil(500);
    const before = sim.snapshot().partitions[0];
    eq(before.leader, 1, "preferred leader");
    sim.apply({ cmd: "crash", broker: before.leader });
    sim.runFor(15000); // broker.session.timeout.ms is 9000
    const snap = sim.snapshot();
    const after = snap.partitions[0];
    assert(after.leader !== null && after.leader !== before.leader, "a new leader: " + after.leader);
    assert(after.leader_epoch > before.leader_epoch, "a higher epoch: " + after.leader_epoch);
    eq(snap.brokers[0].status, "crashed", "b1 is down");
    assert(!after.isr.includes(1), "b1 left the ISR");
    assert(sim.events().some(e => e.kind === "crash"), "the crash is in the event log");
    eq(sim.ledger()[0].lost, null, "the committed record survives");
    "#);
}

#[wasm_bindgen_test]
fn step_back_and_seek_restore_earlier_states() {
    js(r#"
    eq(new Simulation().stepBack(), false, "nothing before the start");
    const sim = new Simulation();
    sim.apply({ cmd: "produce", value: "a" });
    const seen = [[sim.stepCount, sim.stateHash(), sim.eventCount]];
    for (let i = 0; i < 25; i++) {
      assert(sim.step(), "an event fires");
      seen.push([sim.stepCount, sim.stateHash(), sim.eventCount]);
    }
    assert(/^[0-9a-f]{16}$/.test(sim.stateHash()), "16 hex digits");
    for (let i = seen.length - 2; i >= 0; i--) {
      assert(sim.stepBack(), "steps back");
      eq([sim.stepCount, sim.stateHash(), sim.eventCount], seen[i], "state after step back");
      assert(!sim.atEnd, "in the past");
    }
    eq(sim.seek(seen[10][0]), seen[10][0], "seek returns the step reached");
    eq(sim.stateHash(), seen[10][1], "seek forward");
    eq(sim.seek(1e9), seen.at(-1)[0], "seek clamps to the end of the recording");
    eq(sim.stateHash(), seen.at(-1)[1], "the end again");
    eq(sim.endStep, seen.at(-1)[0], "endStep");
    "#);
}

#[wasm_bindgen_test]
fn a_command_in_the_past_forks_the_run() {
    js(r#"
    const sim = new Simulation();
    sim.apply({ cmd: "produce", value: "a" });
    sim.runUntil(1000);
    sim.seek(5);
    sim.apply({ cmd: "produce", value: "b" });
    assert(sim.atEnd, "the recorded future is gone");
    eq(sim.endStep, sim.stepCount, "the end is here");
    sim.runUntil(2000);
    eq(sim.ledger().map(r => r.value), ["a", "b"], "both records");
    "#);
}

#[wasm_bindgen_test]
fn fragment_round_trip_gives_the_same_state_hash() {
    js(r#"
    const sim = new Simulation({ network: { jitter_ms: 20 } }, 11);
    sim.apply({ cmd: "produce", value: "x" });
    sim.runUntil(300);
    sim.apply({ cmd: "crash", broker: 2 });
    sim.runSteps(5);
    const frag = sim.toFragment();
    assert(/^[A-Za-z0-9_-]+$/.test(frag), "URL-safe text");
    for (const text of [frag, '#run=' + frag, 'https://example.org/play/?x=1#run=' + frag]) {
      const copy = Simulation.fromFragment(text);
      eq([copy.stateHash(), copy.stepCount, copy.now, copy.seed], [sim.stateHash(), sim.stepCount, sim.now, sim.seed], text.slice(0, 20));
      eq(copy.events(), sim.events(), "the same event log");
      eq(copy.toFragment(), frag, "the same fragment");
      assert(copy.stepBack(), "a restored run can step back");
    }
    // A fragment taken in the past holds the run up to there.
    sim.seek(3);
    eq(Simulation.fromFragment(sim.toFragment()).stateHash(), sim.stateHash(), "a past position");
    "#);
}

#[wasm_bindgen_test]
fn same_seed_and_commands_give_the_same_state_hash() {
    let hashes = js(r#"
    function run(seed) {
      const s = new Simulation({ network: { jitter_ms: 20 } }, seed);
      s.apply({ cmd: "auto-produce", interval_ms: 50 });
      s.runUntil(2000);
      s.apply({ cmd: "crash", broker: 1 });
      s.runUntil(15000);
      return s.stateHash();
    }
    eq(run(42), run(42), "same seed, same state");
    assert(run(42) !== run(43), "another seed, another run");
    return run(42);
    "#);
    // And the JS API is the core: the same run through `Timeline` directly.
    let mut cfg = ClusterConfig::default();
    cfg.network.jitter_ms = 20;
    let mut t = Timeline::new(cfg, 42).unwrap();
    t.apply(Command::AutoProduce {
        producer: 1,
        interval_ms: 50,
        topic: None,
        acks: None,
    })
    .unwrap();
    t.run_until(2000);
    t.apply(Command::Crash {
        broker: 1,
        lose_unflushed: false,
    })
    .unwrap();
    t.run_until(15000);
    assert_eq!(
        hashes.as_string().unwrap(),
        format!("{:016x}", t.current().state_hash())
    );
}

#[wasm_bindgen_test]
fn subscribers_receive_new_events_until_unsubscribed() {
    js(r#"
    const sim = new Simulation();
    const got = [];
    const id = sim.subscribe((event, index) => got.push([index, event]));
    assert(typeof id === "number", "an id");
    const start = sim.eventCount;
    sim.apply({ cmd: "produce", value: "a" });
    eq(got.length > 0 && got[0][1].kind, "command", "the command is the first new event");
    sim.runUntil(500);
    eq(got.map(g => g[0]), got.map((_, i) => start + i), "consecutive indices");
    eq(got.map(g => g[1]), sim.events(start), "exactly the new events of the log");
    // Moving back calls nobody; moving forward again delivers the replayed events again.
    const n = got.length;
    sim.seek(1);
    eq(got.length, n, "nothing on the way back");
    const cut = sim.eventCount;
    sim.step();
    const replayed = got.slice(n);
    assert(replayed.length > 0, "the replayed step's events are delivered");
    eq(replayed.map(g => g[0]), replayed.map((_, i) => cut + i), "indices continue where the log was cut");
    eq(replayed.map(g => g[1]), sim.events(cut), "the replayed events");
    // Unsubscribed: nothing more.
    eq(sim.unsubscribe(id), true, "was subscribed");
    eq(sim.unsubscribe(id), false, "no longer");
    const m = got.length;
    sim.runUntil(1000);
    eq(got.length, m, "no calls after unsubscribe");
    "#);
}

#[wasm_bindgen_test]
fn subscribers_may_read_but_not_change_the_simulation() {
    js(r#"
    const sim = new Simulation();
    let read = null, refused = null, calls = 0, late = 0;
    const id = sim.subscribe(() => {
      calls++;
      read = [sim.stepCount, sim.snapshot().step, sim.ledger().length];
      try { sim.step(); } catch (e) { refused = e; }
      if (calls === 1) sim.subscribe(() => late++); // subscribing from a callback is fine
    });
    sim.apply({ cmd: "produce", value: "a" });
    eq(read, [1, 1, 1], "reads see the finished call");
    assert(refused instanceof Error, "a mutating call is refused");
    assert(refused.message.startsWith("step: cannot change the simulation from inside a subscriber callback"), refused.message);
    sim.unsubscribe(id);
    assert(sim.step(), "usable afterwards");
    assert(late > 0, "a subscriber added in a callback gets the following events");
    "#);
}

#[wasm_bindgen_test]
fn a_throwing_subscriber_is_reported_after_every_subscriber_ran() {
    js(r#"
    const sim = new Simulation();
    let other = 0;
    const bad = sim.subscribe(() => { throw new Error("boom"); });
    sim.subscribe(() => { other++; });
    const e = throws(() => sim.apply({ cmd: "produce", value: "a" }), "apply: subscriber 1 threw: boom");
    eq(e.cause.message, "boom", "the original exception is the cause");
    assert(other > 0, "the other subscriber still got the events");
    eq(sim.ledger().length, 1, "the command was applied");
    throws(() => sim.step(), "step: subscriber 1 threw");
    sim.unsubscribe(bad);
    assert(sim.step(), "usable afterwards");
    "#);
}

#[wasm_bindgen_test]
fn manual_mode_act_fires_an_enabled_event() {
    js(r#"
    const sim = new Simulation();
    sim.apply({ cmd: "produce", value: "a" });
    const en = sim.enabled();
    assert(en.length > 0, "something is enabled");
    const d = en.find(e => e.action.action === "deliver" && e.label.includes("Produce"));
    assert(d, "the Produce request can be delivered");
    sim.act(d.action);
    assert(!sim.snapshot().messages.some(m => m.id === d.action.message), "delivered");
    eq(sim.snapshot().brokers[0].replicas[0].leo, 1, "the leader appended it");
    const t = sim.enabled().find(e => e.action.action === "fire");
    assert(t, "a timer is pending");
    sim.act(t.action);
    assert(sim.events().some(e => e.kind === "timer"), "it fired");
    "#);
}

#[wasm_bindgen_test]
fn a_scenario_runs_its_steps_with_all_checks_passing() {
    let hash = js(r#"
    const sim = Simulation.fromScenario(SCENARIO);
    const info = sim.scenario();
    eq([info.name, info.seed, info.steps.length], ["acked, committed, survives a failover", 1, 5], "info");
    const steps = sim.scenarioSteps();
    eq(steps.map(s => s.action), ["produce", "deliver", "run_until", "crash", "run_ms"], "actions");
    eq(steps.map(s => s.line), [null, null, null, null, null], "no lines: not read from a file");
    eq([steps[0].title, steps[1].expects, steps[3].expects], ["Produce a", true, false], "narration");
    eq(sim.config().brokers, 2, "the scenario's config");

    const first = sim.applyScenarioStep(0);
    eq([first.index, first.passed, first.checks], [0, true, []], "a step without expectations");
    const second = sim.applyScenarioStep(1);
    assert(second.passed && second.checks.length === 4, JSON.stringify(second));
    eq(sim.nextScenarioStep, 2, "next step");
    const report = sim.runScenario();
    eq([report.passed, report.failed_checks, report.steps.map(s => s.index)], [true, 0, [2, 3, 4]], "report");
    assert(report.passed_checks === 6, "checks: " + report.passed_checks);
    eq(sim.nextScenarioStep, 5, "all applied");
    eq(sim.runScenario().steps, [], "nothing left");
    return sim.stateHash();
    "#);
    // The same state as the core's own scenario runner.
    let report = Scenario::from_json(SCENARIO).unwrap().run().unwrap();
    assert!(report.passed());
    assert_eq!(
        hash.as_string().unwrap(),
        format!("{:016x}", report.cluster.state_hash())
    );
}

#[wasm_bindgen_test]
fn scenario_steps_report_failures_and_replay_after_moving_back() {
    js(r#"
    const sim = Simulation.fromScenario(SCENARIO);
    sim.applyScenarioStep(0);
    sim.applyScenarioStep(1);
    const mark = sim.stepCount;
    const committed = sim.applyScenarioStep(2);
    assert(committed.passed, "commits");
    const hash = sim.stateHash();
    // Back in time, then the same step again: the future is re-run live to the same state.
    sim.seek(mark);
    assert(!sim.atEnd, "in the past");
    assert(sim.applyScenarioStep(2).passed, "passes again");
    eq(sim.stateHash(), hash, "the same state");
    // Skipping the crash: the failover expectations fail (a result, not an exception).
    const out = sim.applyScenarioStep(4);
    eq(out.passed, false, "fails");
    const failing = out.checks.filter(c => !c.passed).map(c => c.what);
    eq(failing, ["leader of t-0 is b2", "leader epoch of t-0 is 1"], "what failed");
    "#);
}

#[wasm_bindgen_test]
fn requests_beyond_the_replay_budget_are_refused_up_front_never_trapping() {
    js(r#"
    const sim = new Simulation();
    throws(() => sim.runSteps(2 ** 53 - 1), "runSteps: n = 9007199254740991 is more than the budget of 1000000 simulated events per call");
    throws(() => sim.runUntil(1e12), "runUntil: the run asks to reach 1000000000000 ms of virtual time, more than the replay budget");
    const huge = base64url(JSON.stringify({ config: Simulation.defaultConfig(), seed: 1, inputs: [{ steps: 1e12 }] }));
    throws(() => Simulation.fromFragment(huge), "fromFragment: the link asks for too much work");
    // Still usable after each refusal.
    eq(sim.runSteps(10), 10, "ten steps");
    // A caller's own budget.
    throws(() => sim.runSteps(5000, { maxEvents: 1000 }), "runSteps: n = 5000 is more than the budget of 1000 simulated events");
    throws(() => sim.runSteps(10, { maxEvents: 0 }), "runSteps: budget.maxEvents must be between 1 and 10000000, not 0");
    throws(() => sim.runSteps(10, { maxEvent: 5 }), "runSteps: unknown budget field `maxEvent`");
    throws(() => sim.runSteps(10, 5), "runSteps: budget must be an object");
    sim.apply({ cmd: "auto-produce", interval_ms: 1 });
    const before = sim.now;
    throws(() => sim.runUntil(86400000, { maxEvents: 2000 }), "replay budget of 2000 simulated events");
    assert(sim.now > before && sim.now < 86400000, "stopped part way, still usable");
    sim.runFor(50, { maxTimeMs: 86400000 });
    const link = sim.toFragment();
    throws(() => Simulation.fromFragment(link, { maxEvents: 100 }), "fromFragment: the run cannot be replayed");
    eq(Simulation.fromFragment(link).stateHash(), sim.stateHash(), "the default budget replays it");
    "#);
}

#[wasm_bindgen_test]
fn bad_inputs_throw_clear_errors_and_leave_the_simulation_usable() {
    js(r#"
    // Constructors.
    throws(() => new Simulation({ brokerz: 3 }), "new Simulation: unknown field `brokerz`, expected one of `kafka.version`, `kafka_version`, `brokers`");
    throws(() => new Simulation({ brokers: 9 }), "new Simulation: brokers must be between 1 and 7, not 9");
    throws(() => new Simulation({ brokers: 2, topics: [{ name: "t", replication_factor: 3 }] }),
      "new Simulation: topic t: replication.factor 3 is larger than the number of brokers (2)");
    throws(() => new Simulation({ broker: { "min.insync.replica": 2 } }), "unknown field `min.insync.replica`");
    throws(() => new Simulation({ brokers: "three" }), "new Simulation: invalid type");
    throws(() => new Simulation("brokers = 3"), "new Simulation: the configuration must be an object");
    throws(() => new Simulation({}, -1), "new Simulation: seed must be a whole number ≥ 0 (or a bigint below 2^64), not -1");
    throws(() => Simulation.fromFragment("!!!"), "fromFragment: the link is damaged");
    throws(() => Simulation.fromFragment(base64url('{"nope":1}')), "fromFragment: the link does not describe a run");
    throws(() => Simulation.fromFragment(42), "fromFragment: expected a string, not 42");
    throws(() => Simulation.fromScenario('name = "x"\n\n[[step]]\nproduce = "a"\n'), "fromScenario: TOML text is not read in the browser");
    throws(() => Simulation.fromScenario({ name: "x", step: [{ explode: 1 }] }), "fromScenario: unknown field `explode`");
    throws(() => Simulation.fromScenario({ name: "x", step: [{ produce: "a", crash: "b1" }] }), "fromScenario: step 0: a step may have at most one action, this one has 2");
    throws(() => Simulation.fromScenario('{"name": "x",\n "step": [}'), "fromScenario: line 2: expected value");
    throws(() => Simulation.fromScenario("s99-nothing"), 'fromScenario: no built-in scenario is called "s99-nothing"');
    throws(() => Simulation.fromScenario(null), "fromScenario: expected a built-in scenario id, a scenario object or its JSON text, not null");

    // Methods: each error leaves the simulation usable.
    const sim = new Simulation();
    const usable = () => {
      const n = sim.stepCount;
      assert(sim.step(), "still steps");
      eq(sim.stepCount, n + 1, "the step count moves");
    };
    const cases = [
      [() => sim.apply({ cmd: "explode" }), 'apply: unknown command "explode"; expected one of produce, auto-produce, crash,'],
      [() => sim.apply({ value: "a" }), 'apply: a command needs a "cmd" field'],
      [() => sim.apply({ cmd: "produce" }), "apply: produce: missing field `value`"],
      [() => sim.apply({ cmd: "produce", value: "a", colour: "red" }), "apply: produce: unknown field `colour`"],
      [() => sim.apply({ cmd: "crash", broker: 9 }), "apply: there is no broker 9 (brokers are 1..=3)"],
      [() => sim.apply({ cmd: "crash", broker: -1 }), "apply: crash: "],
      [() => sim.apply({ cmd: "produce", value: "a", producer: 4 }), "apply: there is no producer 4 (producers are 1..=1)"],
      [() => sim.apply({ cmd: "produce", value: "a", acks: 2 }), "acks must be 0, 1, all or -1"],
      [() => sim.apply({ cmd: "pause", node: "z9" }), 'apply: pause: "z9" is not a node'],
      [() => sim.apply("produce a"), "apply: a command must be an object such as {cmd: \"produce\", value: \"a\"}, not \"produce a\""],
      [() => sim.apply(), "apply: a command must be an object"],
      [() => { const o = { cmd: "produce", value: "a" }; o.self = o; sim.apply(o); }, "apply: produce: the argument cannot be converted to JSON"],
      [() => sim.apply({ cmd: "produce", value: 10n }), "apply: produce: the argument cannot be converted to JSON"],
      [() => sim.act({ action: "deliver", message: 99999 }), "act: message 99999 is not deliverable now"],
      [() => sim.act({ action: "teleport" }), 'act: unknown action "teleport"; expected deliver or fire'],
      [() => sim.act({ action: "fire", node: "b1", timer: "Nope" }), "act: fire: unknown variant `Nope`, expected one of `Heartbeat`"],
      [() => sim.seek(-1), "seek: step must be a whole number ≥ 0, not -1"],
      [() => sim.seek(1.5), "seek: step must be a whole number ≥ 0, not 1.5"],
      [() => sim.seek("3"), 'seek: step must be a whole number ≥ 0, not "3"'],
      [() => sim.seek(), "seek: step must be a whole number ≥ 0, not undefined"],
      [() => sim.runUntil(NaN), "runUntil: timeMs must be a whole number ≥ 0, not NaN"],
      [() => sim.runUntil(2 ** 60), "runUntil: timeMs must be a whole number ≥ 0"],
      [() => sim.runFor(-10), "runFor: ms must be a whole number ≥ 0, not -10"],
      [() => { sim.runUntil(sim.now + 1); sim.runFor(Number.MAX_SAFE_INTEGER); }, "runFor: the clock would pass Number.MAX_SAFE_INTEGER ms"],
      [() => sim.runSteps(-5), "runSteps: n must be a whole number ≥ 0, not -5"],
      [() => sim.events(-1), "events: fromIndex must be a whole number ≥ 0, not -1"],
      [() => sim.subscribe(42), "subscribe: expected a function, not 42"],
      [() => sim.unsubscribe("x"), 'unsubscribe: id must be a whole number ≥ 0, not "x"'],
      [() => sim.applyScenarioStep(0), "applyScenarioStep: this simulation was not created with Simulation.fromScenario"],
      [() => sim.scenarioSteps(), "scenarioSteps: this simulation was not created with Simulation.fromScenario"],
      [() => sim.runScenario(), "runScenario: this simulation was not created with Simulation.fromScenario"],
    ];
    for (const [f, fragment] of cases) {
      throws(f, fragment);
      usable();
    }
    eq(sim.scenario(), null, "no scenario");
    eq(sim.events(1e9), [], "an index past the end gives []");

    // Scenario steps: out of range, and a step that cannot be applied yet (with its line).
    const sc = Simulation.fromScenario(SCENARIO);
    throws(() => sc.applyScenarioStep(99), "applyScenarioStep: there is no step 99 (the scenario has 5 steps, 0..5)");
    throws(() => sc.applyScenarioStep(1), "applyScenarioStep: step 1: no deliverable message matches {kind=Produce, to=b1}");
    assert(sc.applyScenarioStep(0).passed, "usable afterwards");
    assert(sc.applyScenarioStep(1).passed, "and in order it works");
    "#);
}

#[wasm_bindgen_test]
fn arguments_are_read_before_the_simulation_is_touched() {
    js(r#"
    // A getter that calls back into the simulation runs while the argument is read, before
    // the simulation is borrowed: it works, and so does the call that carried it.
    const sim = new Simulation();
    const cmd = { cmd: "produce", get value() { sim.step(); return "a"; } };
    sim.apply(cmd);
    eq(sim.ledger().map(r => r.value), ["a"], "applied");
    // A getter that throws: an exception, and the simulation stays usable.
    throws(() => sim.apply({ cmd: "produce", get value() { throw new Error("no value"); } }),
      "apply: produce: the argument cannot be converted to JSON (no value)");
    assert(sim.step(), "usable afterwards");
    // Freeing from inside a subscriber is refused by wasm-bindgen's glue (the object is in
    // use): an exception reported like any other subscriber exception, no trap. The glue has
    // detached the JS object by then, so later calls throw too.
    const other = new Simulation();
    other.subscribe(() => other.free());
    const e = throws(() => other.apply({ cmd: "produce", value: "a" }), "apply: subscriber 1 threw: ");
    assert(e.cause.message.includes("borrowed"), e.cause.message);
    throws(() => other.step(), "Attempt to use a moved value");
    // After free, every call is a clear exception.
    const third = new Simulation();
    third.free();
    throws(() => third.snapshot(), "Attempt to use a moved value");
    "#);
}

#[wasm_bindgen_test]
fn large_seeds_are_bigints_and_version_is_exported() {
    js(r#"
    const big = 2n ** 63n + 5n;
    const sim = new Simulation({}, big);
    eq(typeof sim.seed, "bigint", "seed type");
    assert(sim.seed === big, "the seed");
    assert(sim.snapshot().seed === big, "in the snapshot too");
    sim.apply({ cmd: "produce", value: "a" });
    sim.runUntil(100);
    assert(Simulation.fromFragment(sim.toFragment()).seed === big, "through a fragment");
    throws(() => new Simulation({}, 2n ** 64n), "seed must be a whole number ≥ 0 (or a bigint below 2^64)");
    "#);
    assert_eq!(highwater::api::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn built_in_scenarios_load_by_id_and_pass() {
    js(r#"
    const list = Simulation.scenarioCatalog();
    assert(list.length >= 30, "every file of scenarios/: " + list.length);
    const s4 = list.find(e => e.id === "s04-acks1-loss");
    eq([s4.kind, typeof s4.name], ["scenario", "string"], "catalog entry");
    const sim = Simulation.fromScenario("s04-acks1-loss");
    eq(sim.scenario().name, s4.name, "loaded by id");
    const report = sim.runScenario();
    assert(report.passed && report.passed_checks > 0, JSON.stringify(report));
    "#);
}
