//! Small form controls shared by the inspector, the consumer actions and the configuration
//! dialog (so that those components do not import each other).

use highwater_core::command::Command;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Dispatch, Msg};

/// A button that applies `cmd` (if the command disables it, [`super::focus_keeper`] keeps the
/// keyboard focus nearby).
pub fn button(d: &Dispatch, label: &str, title: &str, cmd: Command, enabled: bool) -> Html {
    let d = d.clone();
    html! {
        <button type="button" title={title.to_string()} disabled={!enabled}
                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Command(cmd.clone())))}>
            { label.to_string() }
        </button>
    }
}

/// Focuses an HTML or SVG element (both have `focus()`; web-sys binds it on `HtmlElement` only).
pub fn focus(el: &web_sys::Element) {
    if let Ok(f) = js_sys::Reflect::get(el, &"focus".into()) {
        if let Ok(f) = f.dyn_into::<js_sys::Function>() {
            let _ = f.call0(el);
        }
    }
}

/// Runs `f` once the page has rendered what was just dispatched: Yew renders in a microtask, this
/// is a task after it.
pub fn after_render(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
    }
}

/// The value of the input or select an event came from, and whether a checkbox is checked.
pub fn target_value(e: &Event) -> (String, bool) {
    let Some(t) = e.target() else {
        return (String::new(), false);
    };
    if let Ok(i) = t.clone().dyn_into::<web_sys::HtmlInputElement>() {
        return (i.value(), i.checked());
    }
    if let Ok(s) = t.dyn_into::<web_sys::HtmlSelectElement>() {
        return (s.value(), false);
    }
    (String::new(), false)
}

/// A labelled number input with Kafka's setting name and a hint.
pub fn number_field(label: &str, hint: &str, value: &str, cb: Callback<InputEvent>) -> Html {
    html! {
        <label class="field" title={hint.to_string()}>
            <span class="name">{ label.to_string() }</span>
            <input type="number" min="0" value={value.to_string()} oninput={cb} />
            <span class="hint">{ hint.to_string() }</span>
        </label>
    }
}

/// A labelled select with Kafka's setting name and a hint; `options` are (value, text).
pub fn select_field(
    label: &str,
    hint: &str,
    value: &str,
    options: &[(&str, String)],
    cb: Callback<Event>,
) -> Html {
    html! {
        <label class="field" title={hint.to_string()}>
            <span class="name">{ label.to_string() }</span>
            <select onchange={cb}>
                { for options.iter().map(|(v, text)| html! { <option value={v.to_string()} selected={value == *v}>{ text.clone() }</option> }) }
            </select>
            <span class="hint">{ hint.to_string() }</span>
        </label>
    }
}

/// The first choice of a version-dependent select: "" = the version's default, named.
pub fn default_choice(resolved: impl std::fmt::Display) -> (&'static str, String) {
    ("", format!("default: {resolved}"))
}
