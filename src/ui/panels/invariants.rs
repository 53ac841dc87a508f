//! Invariants: green while they hold; red when a promised one broke, amber when an unpromised one
//! did (an expected anomaly of the configuration), with the step and a button to jump there.

use std::rc::Rc;

use highwater_core::read_model::InvariantStatus;
use yew::prelude::*;

use crate::ui::state::Dispatch;
use crate::ui::state::Msg;

#[derive(Properties, PartialEq)]
pub struct InvariantsProps {
    pub invariants: Rc<Vec<InvariantStatus>>,
    pub dispatch: Dispatch,
}

#[function_component(Invariants)]
pub fn invariants(props: &InvariantsProps) -> Html {
    let broken = props.invariants.iter().filter(|i| !i.holds()).count();
    let items = props.invariants.iter().map(|inv| {
        let (class, mark, state) = match (&inv.first_violation, inv.promised) {
            (None, _) => ("holds", "✓", "holds"),
            (Some(_), true) => ("broken", "✖", "broken"),
            (Some(_), false) => ("anomaly", "▲", "broken — an expected anomaly of this configuration"),
        };
        html! {
            <li key={inv.id.name()} class={classes!("inv", class)} data-invariant={inv.id.name()} data-state={class}>
                <span class="mark" aria-hidden="true">{ mark }</span>
                <div class="inv-body">
                    <span class="inv-name" title={AttrValue::from(inv.description.clone())}>{ inv.id.name() }</span>
                    <span class="sr-only">{ format!(": {state}") }</span>
                    if !inv.promised {
                        <span class="tag" title="Kafka does not promise this under the current configuration">{ "not promised" }</span>
                    }
                    if let Some(v) = &inv.first_violation {
                        <div class="violation">
                            { format!("event {} (t={} ms): {}", v.step, v.time, v.detail) }
                            if inv.violations > 1 { { format!(" — {} times", inv.violations) } }
                            <button type="button" class="link-btn"
                                    aria-label={format!("Jump to event {} where “{}” broke", v.step, inv.name)}
                                    onclick={{
                                        let (d, step) = (props.dispatch.clone(), v.step);
                                        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Seek(step)))
                                    }}>{ "jump there" }</button>
                        </div>
                    }
                </div>
            </li>
        }
    });
    html! {
        <section class="panel invariants" aria-labelledby="inv-title">
            <div class="panel-head">
                <h2 id="inv-title">{ "Invariants" }</h2>
                <span class={classes!("panel-note", (broken > 0).then_some("bad"))}>
                    { if broken == 0 { "all hold".to_string() } else { format!("{broken} broken") } }
                </span>
            </div>
            <div class="panel-body"><ul class="inv-list">{ for items }</ul></div>
        </section>
    }
}
