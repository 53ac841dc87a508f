//! The `Simulation` class: a timeline (and optionally a scenario) behind a `RefCell`, its
//! methods, and the subscribers it calls after every change.

use std::cell::{Cell, RefCell};

use highwater_core::budget::Budget;
use highwater_core::config::ClusterConfig;
use highwater_core::event::Event;
use highwater_core::read_model::LedgerRow;
use highwater_core::scenario::export::export_run;
use highwater_core::scenario::{Scenario, StepOutcome};
use highwater_core::snapshot::RunDocument;
use highwater_core::timeline::{Run, Timeline};
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::*;
use super::types::*;
use crate::catalog;

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

    /// The determinism probe (`highwater_core::bench::determinism_probe`: every fault profile,
    /// consumers in a group, the event log's text, a long run) computed here and natively when
    /// this build was made, as hex strings: equal lists mean this wasm build runs exactly as the
    /// native simulator. The e2e suite checks it on the shipped release build.
    #[wasm_bindgen(js_name = determinismCheck, unchecked_return_type = "DeterminismCheck")]
    pub fn determinism_check() -> Result<JsValue, JsValue> {
        let hex = |hs: &[u64]| hs.iter().map(|h| format!("{h:016x}")).collect::<Vec<_>>();
        let here = highwater_core::bench::determinism_probe();
        to_js(
            "determinismCheck",
            &DeterminismCheckJs {
                native: hex(&native::NATIVE_PROBE),
                wasm: hex(&here),
            },
        )
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
        #[wasm_bindgen(unchecked_optional_param_type = "Budget")] budget: JsValue,
    ) -> Result<Simulation, JsValue> {
        const M: &str = "fromFragment";
        let Some(text) = fragment.as_string() else {
            return Err(error(
                M,
                format!("expected a string, not {}", describe(&fragment)),
            ));
        };
        let run = Run::from_fragment(fragment_text(&text)).map_err(|e| error(M, e))?;
        let budget = read_budget(M, &budget)?;
        let mut timeline = Timeline::from_run_within(&run, &budget)
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
        #[wasm_bindgen(unchecked_optional_param_type = "Budget")] budget: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "runUntil";
        let t = whole_number(M, "timeMs", &time_ms, false)?;
        let budget = read_budget(M, &budget)?;
        self.mutate(M, |inner| {
            run_until_budgeted(&mut inner.timeline, t, &budget)
        })
    }

    /// `runUntil(now + ms)`.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Budget")] budget: JsValue,
    ) -> Result<(), JsValue> {
        const M: &str = "runFor";
        let ms = whole_number(M, "ms", &ms, false)?;
        let budget = read_budget(M, &budget)?;
        self.mutate(M, |inner| {
            let now = inner.timeline.current().now();
            let t = now.saturating_add(ms);
            if t > MAX_SAFE_INTEGER {
                return Err(format!(
                    "the clock would pass Number.MAX_SAFE_INTEGER ms (now {now}, ms {ms})"
                ));
            }
            run_until_budgeted(&mut inner.timeline, t, &budget)
        })
    }

    /// Up to `n` steps forward; returns how many were taken (fewer when nothing is left).
    #[wasm_bindgen(js_name = runSteps)]
    pub fn run_steps(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Budget")] budget: JsValue,
    ) -> Result<f64, JsValue> {
        const M: &str = "runSteps";
        let n = whole_number(M, "n", &n, false)?;
        let budget = read_budget(M, &budget)?;
        if n > budget.max_events {
            return Err(error(
                M,
                format!(
                    "n = {n} is more than the budget of {} simulated events per call; call runSteps in parts",
                    budget.max_events
                ),
            ));
        }
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
            let steps = ScenarioStepJs::list(s);
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
            to_js(
                M,
                &ReportJs::new(s, &outcomes, not_run.map(|n| n.to_string())),
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
            let rows: Vec<LedgerRow> = c.ledger_rows().collect();
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

    /// The run up to the current position as a scenario file (TOML) that `highwater run`
    /// replays, its last step expecting the state observed now; `{ format: "json" }` gives the
    /// same scenario as JSON, which `Simulation.fromScenario` takes.
    #[wasm_bindgen(js_name = toScenario)]
    pub fn to_scenario(
        &self,
        #[wasm_bindgen(
            unchecked_optional_param_type = "{ format?: \"toml\" | \"json\"; name?: string }"
        )]
        options: JsValue,
    ) -> Result<String, JsValue> {
        const M: &str = "toScenario";
        let (json, name) = export_options(M, &options)?;
        let exported = self.read(M, |inner| export_run(&inner.timeline.run(), &name))?;
        let exported = exported.map_err(|e| error(M, e))?;
        Ok(if json {
            exported.to_json()
        } else {
            exported.to_toml()
        })
    }

    /// The run up to the current position (config, seed, inputs) and the snapshot there:
    /// `JSON.stringify(sim)` writes it.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "RunDocument")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        const M: &str = "toJSON";
        let doc = self.read(M, |inner| RunDocument {
            run: inner.timeline.run(),
            snapshot: inner.timeline.current().snapshot(),
        })?;
        let seed = doc.run.seed;
        let obj = to_js(M, &doc)?;
        for part in ["run", "snapshot"] {
            let o = js_sys::Reflect::get(&obj, &JsValue::from_str(part))?;
            js_sys::Reflect::set(&o, &JsValue::from_str("seed"), &u64_to_js(seed))?;
        }
        Ok(obj)
    }

    /// The space-time diagram at the current step as a standalone SVG document (the page's
    /// drawing, with its own styles).
    #[wasm_bindgen(js_name = toSVG)]
    pub fn to_svg(&self) -> Result<String, JsValue> {
        self.read("toSVG", |inner| {
            let tl = &inner.timeline;
            highwater_core::spacetime::standalone_svg(tl.events(), tl.current())
        })
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

/// `Timeline::run_until` under the default replay budget; past it, says where it stopped.
fn run_until_budgeted(timeline: &mut Timeline, t: u64, budget: &Budget) -> Result<(), String> {
    timeline.run_until_within(t, budget).map_err(|e| {
        format!(
            "{e}; the simulation stopped at {} ms — call again to go on",
            timeline.current().now()
        )
    })
}

/// What `determinismCheck` returns.
#[derive(serde::Serialize)]
struct DeterminismCheckJs {
    /// The probe's hashes computed natively at build time.
    native: Vec<String>,
    /// The same probe computed by this wasm build.
    wasm: Vec<String>,
}

/// The probe's hashes computed natively by build.rs.
mod native {
    include!(concat!(env!("OUT_DIR"), "/native_probe.rs"));
}
