//! Manual mode: the enabled events (deliver the head message of a link, fire a timer); the user
//! picks which one happens next.

use std::rc::Rc;

use highwater_core::command::Action;
use highwater_core::node::TimerKind;
use highwater_core::read_model::Enabled;
use yew::prelude::*;

use crate::ui::state::Dispatch;
use crate::ui::state::Msg;

#[derive(Properties, PartialEq)]
pub struct ManualProps {
    pub enabled: Rc<Vec<Enabled>>,
    pub show_heartbeats: bool,
    pub dispatch: Dispatch,
}

fn is_heartbeat(e: &Enabled) -> bool {
    e.heartbeat
}

/// A timer with its parameter, e.g. "fetch-timeout (leader b2)".
fn timer_label(t: &TimerKind) -> String {
    match t {
        TimerKind::FetchBackoff(b) | TimerKind::FetchTimeout(b) => {
            format!("{} (leader b{b})", t.name())
        }
        TimerKind::DelayedFetch(id)
        | TimerKind::DelayedProduce(id)
        | TimerKind::RequestTimeout(id) => {
            format!("{} #{id}", t.name())
        }
        TimerKind::AlterPartitionRetry(tp) => format!("{} (partition {})", t.name(), tp.partition),
        _ => t.name().to_string(),
    }
}

#[function_component(Manual)]
pub fn manual(props: &ManualProps) -> Html {
    let hidden = if props.show_heartbeats {
        0
    } else {
        props.enabled.iter().filter(|e| is_heartbeat(e)).count()
    };
    let items = props
        .enabled
        .iter()
        .filter(|e| props.show_heartbeats || !is_heartbeat(e))
        .map(|e| {
            let (kind, id, key, label) = match &e.action {
                Action::Deliver { message } => (
                    "deliver",
                    message.to_string(),
                    format!("m{message}"),
                    e.label.clone(),
                ),
                Action::Fire { node, timer } => (
                    "fire",
                    String::new(),
                    format!("{node}-{timer:?}"),
                    format!("fire {node} {}", timer_label(timer)),
                ),
            };
            let action = e.action.clone();
            let d = props.dispatch.clone();
            let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Msg::Act(action.clone())));
            html! {
                <li key={key}>
                    <button type="button" class={classes!("enabled-event", kind)} {onclick}
                            data-action={kind} data-message={id}>
                        <span class="at">{ format!("t={}", e.at) }</span>
                        <span class="label">{ label }</span>
                    </button>
                </li>
            }
        });
    html! {
        <section class="panel manual" aria-labelledby="manual-title">
            <div class="panel-head">
                <h2 id="manual-title">{ "Manual mode" }</h2>
                <span class="panel-note">{ "pick what happens next" }</span>
            </div>
            <div class="panel-body scroll">
                <ol class="enabled-list">{ for items }</ol>
                if hidden > 0 {
                    <p class="muted">{ format!("{hidden} heartbeat event(s) hidden — turn on Heartbeats to see them.") }</p>
                }
            </div>
        </section>
    }
}
