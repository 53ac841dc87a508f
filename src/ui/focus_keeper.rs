//! Keyboard focus stays where the user was: a control that its own action disables (Crash
//! disables Crash, Restart disables Restart) would drop the focus to the page body. When a
//! disabled control loses the focus to nothing, the focus goes to the first enabled button of its
//! group (`.actions`, else its panel) — after Crash that is Restart, after Restart it is Crash; after
//! a chapter's last Next, the end-of-chapter button. Only for keyboard users: after a click the
//! focus is left alone (a mouse user's Space then plays, rather than pressing an unseen button).

use std::cell::Cell;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::widgets::{after_render, focus};

/// Where the focus goes when `lost` (a disabled control) dropped it: the first enabled button
/// of the nearest group that has one — except a chapter's Next on its last step, which hands over
/// to the end-of-chapter button (the next chapter, or the list after the last).
fn successor(lost: &web_sys::Element) -> Option<web_sys::Element> {
    let first = |group: &web_sys::Element, sel: &str| group.query_selector(sel).ok().flatten();
    let chapter_end = lost
        .closest(".tut-nav")
        .ok()
        .flatten()
        .and_then(|_| lost.closest(".tutorial-panel").ok().flatten())
        .and_then(|p| first(&p, ".tut-next-chapter:not([disabled])"));
    chapter_end.or_else(|| {
        [".actions", ".panel, section, [role=dialog]"]
            .iter()
            .filter_map(|g| lost.closest(g).ok().flatten())
            .find_map(|g| first(&g, "button:not([disabled])"))
    })
}

thread_local! {
    /// The last interaction was a key press (not a pointer).
    static KEYBOARD: Cell<bool> = const { Cell::new(false) };
}

fn on_focus_out(e: &web_sys::Event) {
    if !KEYBOARD.with(Cell::get) {
        return;
    }
    // `FocusEvent.relatedTarget` (read by name: web-sys's FocusEvent is not enabled here).
    let related = js_sys::Reflect::get(e, &"relatedTarget".into()).unwrap_or_default();
    if !related.is_null() && !related.is_undefined() {
        return; // the focus moved somewhere: the user's choice
    }
    let Some(lost) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if !lost.has_attribute("disabled") {
        return; // a click on the page's background, not a control that switched itself off
    }
    after_render(move || {
        let document = web_sys::window().and_then(|w| w.document());
        let on_body = document
            .and_then(|d| d.active_element())
            .is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
        if on_body {
            if let Some(next) = successor(&lost) {
                focus(&next);
            }
        }
    });
}

/// Installs the page-wide listeners (once, for the page's lifetime).
#[hook]
pub fn use_focus_keeper() {
    use_effect_with((), |_| {
        let listeners = web_sys::window().and_then(|w| w.document()).map(|d| {
            let mode = |kind: &'static str, keyboard: bool| {
                gloo_events::EventListener::new(&d, kind, move |_| {
                    KEYBOARD.with(|k| k.set(keyboard))
                })
            };
            [
                mode("keydown", true),
                mode("pointerdown", false),
                gloo_events::EventListener::new(&d, "focusout", on_focus_out),
            ]
        });
        move || drop(listeners)
    });
}
