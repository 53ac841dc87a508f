//! The event log: the latest events as text, newest first, or only the notable ones (a filter).
//! Each row's time is a button that
//! goes back (or forward) to the moment of that event. Screen readers hear only notable events
//! (crashes, elections, truncations, lost records, broken invariants) through a polite live
//! region, at most every few seconds while playing.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::state::Dispatch;
use crate::ui::state::Msg;
use crate::ui::view::EventRow;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    pub events: Rc<Vec<EventRow>>,
    /// The latest notable events (crashes, elections, truncations, …), oldest first.
    pub notable: Rc<Vec<EventRow>>,
    pub show_heartbeats: bool,
    pub announcement: Rc<str>,
    pub dispatch: Dispatch,
}

// Rows are not keyed: while playing, a refresh replaces most of them, and unkeyed rows reuse
// their elements (only the texts and attributes change) instead of removing and creating them.
// One click handler on the list serves every row's time button (no closure per row per refresh).
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let only_notable = use_state(|| false);
    let source = if *only_notable {
        &props.notable
    } else {
        &props.events
    };
    let rows = source
        .iter()
        .rev()
        .filter(|e| props.show_heartbeats || !e.is_heartbeat())
        .take(40)
        .map(|e| {
            let kind = e.kind.name();
            html! {
                <li class={classes!("ev", kind, e.is_notable().then_some("notable"))}
                    data-step={e.step.to_string()} data-kind={kind}
                    data-message={e.message.map(|m| m.to_string()).unwrap_or_default()}>
                    <button type="button" class="ev-time" title={format!("Go to event {}", e.step)}
                            aria-label={format!("Go to {} ms, event {}", e.time, e.step)}>{ e.time }</button>
                    <span class="ev-who">{ e.who() }</span>
                    <span class="ev-text">
                        if let Some(w) = e.wire() { <span class={classes!("ev-wire", w.word())}>{ w.word() }</span>{ " " } }
                        { e.text.clone() }
                    </span>
                </li>
            }
        });
    let on_click = {
        let d = props.dispatch.clone();
        Callback::from(move |ev: MouseEvent| {
            let step = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(".ev-time").ok().flatten())
                .and_then(|el| el.closest("li[data-step]").ok().flatten())
                .and_then(|li| li.get_attribute("data-step"))
                .and_then(|s| s.parse::<u64>().ok());
            if let Some(step) = step {
                d.dispatch(Msg::Seek(step));
            }
        })
    };
    html! {
        <section class="panel event-log" aria-labelledby="events-title">
            <div class="panel-head">
                <h2 id="events-title">{ "Event log" }</h2>
                <label class="check panel-note" title="Show only crashes, elections, truncations, lost or duplicated records, broken invariants and fencing">
                    <input type="checkbox" checked={*only_notable} onchange={{
                        let only = only_notable.clone();
                        Callback::from(move |_: Event| only.set(!*only))
                    }} />
                    { "notable only" }
                </label>
                <span class="panel-note">{ "time (ms) · node (→ sent to, ← delivered from) · event" }</span>
            </div>
            <p class="sr-only" role="status" aria-live="polite" aria-atomic="true">{ props.announcement.to_string() }</p>
            <div class="panel-body scroll">
                if *only_notable && props.notable.is_empty() {
                    <p class="panel-note">{ "No notable event yet: no crash, election, truncation, lost or duplicated record." }</p>
                }
                <ol class="events" role="log" aria-live="off" aria-label="Events, newest first" onclick={on_click}>{ for rows }</ol>
            </div>
        </section>
    }
}
