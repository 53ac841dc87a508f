//! Keyboard shortcuts: Space play/pause, ← back, → step (a tutorial's steps while on its
//! script), + and − speed, ? help, Esc close.
//! Keys typed into form fields, and Space/Enter on buttons, keep their usual meaning.

use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use super::state::Shortcut;
use super::state::{Dispatch, Msg};

/// The shortcut bound to a `KeyboardEvent.key`, if any.
pub fn shortcut_for(key: &str) -> Option<Shortcut> {
    Some(match key {
        " " | "Spacebar" => Shortcut::PlayPause,
        "ArrowRight" => Shortcut::Step,
        "ArrowLeft" => Shortcut::Back,
        "+" | "=" => Shortcut::Faster,
        "-" | "_" => Shortcut::Slower,
        "?" => Shortcut::Help,
        "Escape" | "Esc" => Shortcut::Escape,
        _ => return None,
    })
}

fn ignored_target(e: &web_sys::KeyboardEvent, sc: Shortcut) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = el.tag_name().to_ascii_lowercase();
    if sc == Shortcut::Escape {
        return false;
    }
    if matches!(tag.as_str(), "textarea" | "select") || el.has_attribute("contenteditable") {
        return true;
    }
    if tag == "input" {
        let kind = el.get_attribute("type").unwrap_or_default();
        return match kind.as_str() {
            // A slider uses the arrows (and + / −) itself, but not Space.
            "range" => sc != Shortcut::PlayPause,
            // A checkbox toggles with Space.
            "checkbox" => sc == Shortcut::PlayPause,
            // Text fields take every key.
            _ => true,
        };
    }
    if sc == Shortcut::PlayPause
        && (matches!(tag.as_str(), "button" | "a" | "summary")
            || el.get_attribute("role").as_deref() == Some("button"))
    {
        return true; // Space activates the focused control
    }
    false
}

#[hook]
pub fn use_keyboard(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
            let opts = gloo_events::EventListenerOptions::enable_prevent_default();
            gloo_events::EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
                    return;
                }
                let Some(sc) = shortcut_for(&e.key()) else {
                    return;
                };
                if ignored_target(e, sc) {
                    return;
                }
                e.prevent_default();
                dispatch.dispatch(Msg::Shortcut(sc));
            })
        });
        move || drop(listener)
    });
}
