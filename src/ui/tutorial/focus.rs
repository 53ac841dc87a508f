//! The panel a tutorial step's note names (`focus` in the chapter file): brought into view beside
//! the picture and outlined while the step is shown.
//!
//! * the invariants panel moves up under the narration (the side column is a flex column, so
//!   only its `order` changes); another panel comes first among the panels, which sit under the
//!   picture while a chapter is open (`www/tutorial.css`);
//! * the panel is scrolled into view if it is not (the panels below the picture at 1280 px);
//! * an outline in the highlight colour marks it, pulsing a few times unless the reader prefers
//!   reduced motion (`www/tutorial.css`).

use highwater_core::tutorial::Panel;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The CSS selector of a panel of the page (the class each panel's `<section>` carries).
pub fn selector(panel: Panel) -> &'static str {
    match panel {
        Panel::Invariants => ".panel.invariants",
        Panel::Ledger => ".panel.ledger",
        Panel::Group => ".panel.group-panel",
        Panel::EventLog => ".panel.event-log",
        Panel::Transactions => ".panel.txn-panel",
    }
}

/// The rules that outline the panel (and, for the invariants, move it under the narration).
pub fn css(panel: Panel) -> String {
    let sel = selector(panel);
    let mut css = format!(
        "{sel} {{ outline: 3px solid var(--tut-highlight); outline-offset: 2px; \
         animation: tut-panel-pulse 0.8s ease-out 3; scroll-margin: 12px; }}"
    );
    if panel == Panel::Invariants {
        css.push_str(
            "\n.side > .tutorial-panel { order: -2; }\n.side > .panel.invariants { order: -1; }",
        );
    } else {
        css.push_str(&format!("\n.panels > {sel} {{ order: -1; }}"));
    }
    css
}

/// Scrolls the panel into view, the least distance needed (smoothly unless the reader prefers
/// reduced motion). Runs after the page has rendered the step.
fn bring_into_view(panel: Panel) {
    crate::ui::widgets::after_render(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(el) = window
            .document()
            .and_then(|d| d.query_selector(selector(panel)).ok().flatten())
        else {
            return;
        };
        let reduced = window
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        let options = js_sys::Object::new();
        let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into());
        let _ = set("block", "nearest");
        let _ = set("behavior", if reduced { "auto" } else { "smooth" });
        if let Ok(f) = js_sys::Reflect::get(&el, &"scrollIntoView".into()) {
            if let Ok(f) = f.dyn_into::<js_sys::Function>() {
                let _ = f.call1(&el, &options);
            }
        }
    });
}

/// Brings the focused panel into view whenever the step (or the chapter) changes.
#[hook]
pub fn use_panel_focus(focus: Option<Panel>, step: String) {
    use_effect_with((focus, step), |(focus, _)| {
        if let Some(p) = focus {
            bring_into_view(*p);
        }
    });
}
