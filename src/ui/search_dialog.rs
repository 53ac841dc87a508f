//! "Search for a counterexample": the dialog that runs the core's checker in a Web Worker from
//! the current step (`crate::search`), shows its progress, cancels it, and opens a found
//! counterexample as an ordinary run (a `#run=` link, so it plays, steps and shares like any run).

use std::cell::RefCell;
use std::rc::Rc;

use highwater_core::checker::{Budgets, Options, Property, TimeMode, Verdict};
use highwater_core::invariants::InvariantStatus;
use web_sys::Worker;
use yew::prelude::*;

use super::dialogs::Modal;
use super::search_worker::{Live, Spare};
use super::state::{Dialog, Dispatch, Level, Msg};
use crate::search::protocol::{FromWorker, ToWorker, BROWSER_MAX_MEMORY_MB};

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// The run up to the current step, as a `#run=` fragment: the search's start.
    pub fragment: Rc<str>,
    /// The monitor's invariants for this configuration (names and whether they are promised).
    pub invariants: Rc<Vec<InvariantStatus>>,
    pub dispatch: Dispatch,
}

/// Where the dialog is.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Idle,
    Loading,
    /// The worker's progress line.
    Running(String),
    Refused(String),
    /// The worker died (its files failed to load, or it ran out of memory).
    Failed,
    /// The run fragment of a counterexample, if one was found, and the result in words.
    Done(Option<String>, String),
    Cancelled(Option<String>),
}

thread_local! {
    /// The last search's form (options and property choice): a reopened dialog starts from it.
    static LAST: RefCell<Option<(Options, String)>> = const { RefCell::new(None) };
}

/// The time semantics offered (`TimeMode`, docs/CHECKER.md "Time"): a window in ms, or manual.
const TIME_CHOICES: [(&str, &str); 4] = [
    ("0", "due at the same time"),
    ("10", "due within 10 ms of the first"),
    ("100", "due within 100 ms of the first"),
    ("manual", "any (manual mode)"),
];

/// The property choice: a set, or one invariant or verdict.
fn properties(choice: &str, invariants: &[InvariantStatus]) -> Vec<Property> {
    if choice == "promised" {
        return invariants
            .iter()
            .filter(|s| s.promised)
            .map(|s| Property::Invariant(s.name.to_string()))
            .collect();
    }
    if let Some(n) = choice.strip_prefix("inv:") {
        return vec![Property::Invariant(n.to_string())];
    }
    if let Some(v) = choice.strip_prefix("verdict:").and_then(Verdict::parse) {
        return vec![Property::Verdict(v)];
    }
    Vec::new() // every invariant and verdict
}

/// One number field; unparsable text leaves the value as it was.
fn number(label: &'static str, id: &'static str, value: u64, max: u64, set: Callback<u64>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Ok(v) = i.value().trim().parse::<u64>() {
                set.emit(v);
            }
        }
    });
    html! {
        <label class="field" for={id}>
            <span class="name">{ label }</span>
            <input id={id} type="number" min="0" max={max.to_string()} value={value.to_string()} {oninput} />
        </label>
    }
}

#[function_component(SearchDialog)]
pub fn search_dialog(props: &SearchProps) -> Html {
    let (last_options, last_choice) = LAST.with(|l| l.borrow().clone()).unwrap_or_else(|| {
        let o = Options {
            max_memory_mb: 512,
            ..Options::default()
        };
        (o, "all".to_string())
    });
    let options = use_state(|| last_options);
    // An invariant of another configuration falls back to every property.
    let known = |c: &str| match c.strip_prefix("inv:") {
        Some(n) => props.invariants.iter().any(|s| s.name == n),
        None => true,
    };
    let choice = use_state(|| {
        if known(&last_choice) {
            last_choice
        } else {
            "all".to_string()
        }
    });
    let phase = use_state(|| Phase::Idle);
    let live: Rc<RefCell<Option<Live>>> = use_mut_ref(|| None);
    let spare: Rc<RefCell<Option<Spare>>> = use_mut_ref(|| None);
    {
        // Opening the dialog starts loading the worker; closing it cancels a running search and
        // ends a worker no search took.
        let (live, spare) = (live.clone(), spare.clone());
        use_effect_with((), move |_| {
            *spare.borrow_mut() = Spare::start();
            move || {
                drop(live.borrow_mut().take());
                if let Some(s) = spare.borrow_mut().take() {
                    s.end();
                }
            }
        });
    }

    let budget = |get: fn(&mut Budgets) -> &mut u8| {
        let options = options.clone();
        Callback::from(move |v: u64| {
            let mut o = (*options).clone();
            *get(&mut o.budgets) = v.min(u8::MAX as u64) as u8;
            options.set(o);
        })
    };
    let bound = |f: fn(&mut Options, u64)| {
        let options = options.clone();
        Callback::from(move |v: u64| {
            let mut o = (*options).clone();
            f(&mut o, v);
            options.set(o);
        })
    };

    let start = {
        let (options, choice, phase, live, spare) = (
            options.clone(),
            choice.clone(),
            phase.clone(),
            live.clone(),
            spare.clone(),
        );
        let (fragment, invariants) = (props.fragment.clone(), props.invariants.clone());
        Callback::from(move |_: MouseEvent| {
            drop(live.borrow_mut().take());
            LAST.with(|l| *l.borrow_mut() = Some(((*options).clone(), (*choice).clone())));
            let mut opts = (*options).clone();
            opts.properties = properties(&choice, &invariants);
            if choice.as_str() == "promised" && opts.properties.is_empty() {
                return phase.set(Phase::Refused(
                    "this configuration promises no invariant; pick one to search for".into(),
                ));
            }
            let Some((worker, ready)) = Spare::take_or_start(spare.borrow_mut().take()) else {
                return phase.set(Phase::Refused(
                    "this browser could not start a Web Worker".into(),
                ));
            };
            let request = ToWorker::Start {
                fragment: fragment.to_string(),
                options: opts,
            }
            .encode();
            let phase2 = phase.clone();
            // Runs until the worker is terminated; never drops itself (it is running).
            let on_message = move |w: &Worker, m: Result<FromWorker, String>| match m {
                Ok(FromWorker::Progress(r)) => phase2.set(Phase::Running(r)),
                Ok(FromWorker::Found { fragment, text }) => {
                    w.terminate();
                    phase2.set(Phase::Done(Some(fragment), text));
                }
                Ok(FromWorker::Bounded(text)) => {
                    w.terminate();
                    phase2.set(Phase::Done(None, text));
                }
                Ok(FromWorker::Refused(m)) | Err(m) => {
                    w.terminate();
                    phase2.set(Phase::Refused(m));
                }
                Ok(other) => {
                    w.terminate();
                    phase2.set(Phase::Refused(format!("unexpected answer: {other:?}")));
                }
            };
            let phase3 = phase.clone();
            let on_error = move || phase3.set(Phase::Failed);
            *live.borrow_mut() = Some(Live::run(worker, ready, request, on_message, on_error));
            phase.set(Phase::Loading);
        })
    };
    let cancel = {
        let (phase, live) = (phase.clone(), live.clone());
        Callback::from(move |_: MouseEvent| {
            drop(live.borrow_mut().take());
            let last = match &*phase {
                Phase::Running(r) => Some(r.clone()),
                _ => None,
            };
            phase.set(Phase::Cancelled(last));
        })
    };
    let open_run = {
        let (phase, dispatch) = (phase.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Phase::Done(Some(fragment), text) = &*phase {
                dispatch.dispatch(Msg::LoadLink(format!("run={fragment}")));
                dispatch.dispatch(Msg::Notify(
                    Level::Info,
                    "search",
                    format!("{text} Its last step is where the property breaks."),
                ));
                dispatch.dispatch(Msg::Open(Dialog::None));
            }
        })
    };
    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                choice.set(s.value());
            }
        })
    };
    let on_time = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let mut o = (*options).clone();
                o.time = match s.value().parse::<u64>() {
                    Ok(ms) => TimeMode::Window(ms),
                    Err(_) => TimeMode::Manual,
                };
                options.set(o);
            }
        })
    };
    let time_value = match options.time {
        TimeMode::Window(ms) => ms.to_string(),
        TimeMode::Manual => "manual".into(),
    };
    let b = options.budgets;
    let busy = matches!(*phase, Phase::Loading | Phase::Running(_));
    let selected = |v: &str| *choice == v;
    let status = match &*phase {
        Phase::Idle => String::new(),
        Phase::Loading => "Starting the search…".into(),
        Phase::Running(r) => format!("Searching: {r}"),
        Phase::Refused(m) => format!("Refused: {m}"),
        Phase::Failed => "The search stopped: its worker failed to load or ran out of memory. \
                          Lower the bounds or the budgets and try again."
            .into(),
        Phase::Done(_, text) => text.clone(),
        Phase::Cancelled(Some(r)) => format!("Cancelled after {r}"),
        Phase::Cancelled(None) => "Cancelled.".into(),
    };
    let phase_name = match &*phase {
        Phase::Idle => "idle",
        Phase::Loading | Phase::Running(_) => "running",
        Phase::Refused(_) => "refused",
        Phase::Failed => "failed",
        Phase::Done(Some(_), _) => "found",
        Phase::Done(None, _) => "bounded",
        Phase::Cancelled(_) => "cancelled",
    };
    html! {
        <Modal id="search" title="Search for a counterexample" dispatch={props.dispatch.clone()} wide=true>
            <p>{ "From the current step, explore every order of the pending events (those chosen below) \
                  plus the faults and records you allow, breadth-first: the first violation found is a \
                  shortest one, and it opens as an ordinary run." }</p>
            <div class="config-form search-form">
                <fieldset disabled={busy}>
                    <legend>{ "Property" }</legend>
                    <label class="field stacked" for="search-property">
                        <span class="name">{ "Look for" }</span>
                        <select id="search-property" onchange={on_choice}>
                            <option value="all" selected={selected("all")}>{ "any invariant or ledger verdict" }</option>
                            <option value="promised" selected={selected("promised")}>{ "any promised invariant" }</option>
                            <optgroup label="Invariant">
                                { for props.invariants.iter().map(|s| {
                                    let v = format!("inv:{}", s.name);
                                    let note = if s.promised { "" } else { " (not promised)" };
                                    html! { <option value={v.clone()} selected={selected(&v)}>{ format!("{}{note}", s.name) }</option> }
                                }) }
                            </optgroup>
                            <optgroup label="Ledger verdict">
                                { for Verdict::ALL.iter().map(|d| {
                                    let v = format!("verdict:{}", d.name());
                                    html! { <option value={v.clone()} selected={selected(&v)}>{ d.name() }</option> }
                                }) }
                            </optgroup>
                        </select>
                    </label>
                    <label class="field stacked" for="search-time">
                        <span class="name">{ "Events interleaved" }</span>
                        <select id="search-time" onchange={on_time}>
                            { for TIME_CHOICES.iter().map(|(v, label)| html! {
                                <option value={*v} selected={time_value == *v}>{ *label }</option>
                            }) }
                        </select>
                    </label>
                    { number("Max depth (moves)", "search-depth", options.max_depth as u64, 10_000,
                             bound(|o, v| o.max_depth = v.min(u32::MAX as u64) as u32)) }
                    { number("Max states", "search-states", options.max_states, 100_000_000, bound(|o, v| o.max_states = v)) }
                    { number("Max memory (MiB)", "search-memory", options.max_memory_mb, BROWSER_MAX_MEMORY_MB,
                             bound(|o, v| o.max_memory_mb = v)) }
                </fieldset>
                <fieldset disabled={busy}>
                    <legend>{ "Budgets per schedule" }</legend>
                    { number("Produced records", "search-produces", b.produces as u64, 16, budget(|b| &mut b.produces)) }
                    { number("Crashes", "search-crashes", b.crashes as u64, 16, budget(|b| &mut b.crashes)) }
                    { number("Power failures", "search-power", b.power_failures as u64, 16, budget(|b| &mut b.power_failures)) }
                    { number("Restarts", "search-restarts", b.restarts as u64, 16, budget(|b| &mut b.restarts)) }
                    { number("Pauses", "search-pauses", b.pauses as u64, 16, budget(|b| &mut b.pauses)) }
                    { number("Cuts", "search-cuts", b.cuts as u64, 16, budget(|b| &mut b.cuts)) }
                    { number("Heals", "search-heals", b.heals as u64, 16, budget(|b| &mut b.heals)) }
                    { number("Dropped messages", "search-drops", b.drops as u64, 16, budget(|b| &mut b.drops)) }
                </fieldset>
            </div>
            <div class="search-actions">
                if busy {
                    <button type="button" class="danger" onclick={cancel}>{ "Cancel" }</button>
                } else {
                    <button type="button" class="primary" onclick={start}>{ "Start search" }</button>
                }
                if matches!(&*phase, Phase::Done(Some(_), _)) {
                    <button type="button" class="primary" onclick={open_run}>{ "Open the counterexample as a run" }</button>
                }
            </div>
            <p class="search-status" role="status" aria-live="polite" data-phase={phase_name}>{ status }</p>
        </Modal>
    }
}
