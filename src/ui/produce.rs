//! The producer form: send one record (key, value, acks) or set an auto-produce rate.

use std::rc::Rc;

use highwater_core::command::Command;
use highwater_core::config::Acks;
use highwater_core::types::Millis;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::Dispatch;
use super::state::Msg;
use super::view::ProducerView;

#[derive(Properties, PartialEq)]
pub struct ProduceProps {
    pub producers: Rc<Vec<ProducerView>>,
    /// The last auto-produce interval used.
    pub auto_ms: Millis,
    pub dispatch: Dispatch,
}

fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| {
            t.clone()
                .dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .ok()
                .or_else(|| {
                    t.dyn_into::<web_sys::HtmlSelectElement>()
                        .ok()
                        .map(|s| s.value())
                })
        })
        .unwrap_or_default()
}

#[function_component(ProducePanel)]
pub fn produce_panel(props: &ProduceProps) -> Html {
    let key = use_state(String::new);
    let value = use_state(String::new);
    let acks = use_state(|| "default".to_string());
    let producer = use_state(|| 1u32);
    let counter = use_state(|| 1u32);
    let interval = use_state(|| props.auto_ms.to_string());

    let p = *producer;
    let auto_on = props.producers.iter().any(|x| x.id == p && x.auto);
    let default_acks = props.producers.first().map_or("all", |x| x.acks.as_str());

    let on_send = {
        let (key, value, acks, counter, d) = (
            key.clone(),
            value.clone(),
            acks.clone(),
            counter.clone(),
            props.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = if value.trim().is_empty() {
                let n = *counter;
                counter.set(n + 1);
                format!("m{n}")
            } else {
                value.trim().to_string()
            };
            let a = acks.parse::<Acks>().ok();
            d.dispatch(Msg::Command(Command::Produce {
                producer: p,
                topic: None,
                partition: None,
                key: (!key.trim().is_empty()).then(|| key.trim().to_string()),
                value: v,
                acks: a,
            }));
            value.set(String::new());
        })
    };
    let set_auto = |ms: Option<Millis>| {
        let (d, interval) = (props.dispatch.clone(), interval.clone());
        Callback::from(move |_: MouseEvent| {
            let ms = ms.unwrap_or_else(|| interval.trim().parse::<Millis>().unwrap_or(0));
            d.dispatch(Msg::Command(Command::AutoProduce {
                producer: p,
                interval_ms: ms,
                topic: None,
                acks: None,
            }));
        })
    };
    let bind = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: Event| s.set(input_value(&e)))
    };
    let bind_input = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| s.set(input_value(&e)))
    };
    let interval_ok = interval.trim().parse::<Millis>().is_ok_and(|v| v > 0);

    html! {
        <section class="panel produce" aria-labelledby="produce-title">
            <div class="panel-head"><h2 id="produce-title">{ "Produce" }</h2></div>
            <div class="panel-body">
                <form class="produce-form" onsubmit={on_send}>
                    if props.producers.iter().filter(|x| !x.pipeline).count() > 1 {
                        <label>{ "producer" }
                            <select onchange={{
                                let producer = producer.clone();
                                Callback::from(move |e: Event| producer.set(input_value(&e).parse().unwrap_or(1)))
                            }}>
                                { for props.producers.iter().filter(|x| !x.pipeline).map(|x| html! {
                                    <option value={x.id.to_string()} selected={x.id == p}>{ format!("p{}", x.id) }</option>
                                }) }
                            </select>
                        </label>
                    }
                    <label>{ "key" }
                        <input type="text" size="6" placeholder="none" value={(*key).clone()} oninput={bind_input(&key)}
                               title="Records with the same key go to the same partition (murmur2)" />
                    </label>
                    <label>{ "value" }
                        <input type="text" size="8" placeholder={format!("m{}", *counter)} value={(*value).clone()}
                               oninput={bind_input(&value)} />
                    </label>
                    <label>{ "acks" }
                        <select onchange={bind(&acks)} title="acks for this record">
                            <option value="default" selected={*acks == "default"}>{ format!("default ({default_acks})") }</option>
                            <option value="0" selected={*acks == "0"}>{ "0" }</option>
                            <option value="1" selected={*acks == "1"}>{ "1" }</option>
                            <option value="all" selected={*acks == "all"}>{ "all" }</option>
                        </select>
                    </label>
                    <button type="submit" class="primary">{ "Send" }</button>
                </form>
                <div class="auto-row">
                    <label>{ "auto-produce every" }
                        <input type="number" min="1" step="50" value={(*interval).clone()} oninput={bind_input(&interval)}
                               aria-label="auto-produce interval in milliseconds" />
                        { "ms" }
                    </label>
                    <button type="button" disabled={!interval_ok} onclick={set_auto(None)}>
                        { if auto_on { "Update" } else { "Start" } }
                    </button>
                    <button type="button" disabled={!auto_on} onclick={set_auto(Some(0))}>{ "Stop" }</button>
                </div>
            </div>
        </section>
    }
}
