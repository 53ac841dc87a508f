//! The address bar: the run lives in the fragment as `#run=` + `Run::to_fragment()`.
//! Written with `history.replaceState` (no history entry per step, no `hashchange` loop).

use yew::prelude::*;

use super::state::Dispatch;
use super::state::Msg;
use super::tutorial::embed_options::EmbedOptions;

pub const PREFIX: &str = "run=";

/// The fragment without `#`, if any.
pub fn read_hash() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let h = hash.strip_prefix('#').unwrap_or(&hash);
    (!h.is_empty()).then(|| h.to_string())
}

/// Puts the run in the address bar, keeping the path and query.
pub fn write_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let want = format!("#{PREFIX}{fragment}");
    if window.location().hash().ok().as_deref() == Some(want.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&want));
    }
}

/// Puts a whole fragment (without `#`) in the address bar, e.g. a tutorial's
/// `tutorial=<id>&step=<n>`.
pub fn write_hash(hash: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let want = format!("#{hash}");
    if window.location().hash().ok().as_deref() == Some(want.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&want));
    }
}

/// Whether the page was opened embedded: `?embed` (or `?embed=1`, `&embed`) in the query.
pub fn is_embed() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| has_embed_flag(&q))
}

/// An embed's options from the query (`host`, `theme`, `controls`).
pub fn embed_options() -> EmbedOptions {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|q| EmbedOptions::parse(&q))
        .unwrap_or_default()
}

/// `?embed`, `?embed=1`, `?x=1&embed` → true; `?embedded=no` → false.
pub fn has_embed_flag(query: &str) -> bool {
    query
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

/// The full address of the current run, for the share dialog.
pub fn share_url(fragment: &str) -> String {
    let Some(window) = web_sys::window() else {
        return format!("#{PREFIX}{fragment}");
    };
    let loc = window.location();
    format!(
        "{}{}{}#{PREFIX}{fragment}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// Loads a run pasted into the address bar (`hashchange`).
#[hook]
pub fn use_hash_change(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            gloo_events::EventListener::new(&w, "hashchange", move |_| {
                if let Some(h) = read_hash() {
                    dispatch.dispatch(Msg::LoadLink(h));
                }
            })
        });
        move || drop(listener)
    });
}
