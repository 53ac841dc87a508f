//! Fetches the built-in file a link waits for (`AppState::fetching`): the page's wasm carries
//! only the catalog's index (`catalog.rs`), so a chapter or scenario is loaded when opened.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::state::{Dispatch, Msg};
use super::tutorial::link::Link;
use super::tutorial::TutorialMsg;

/// Starts a fetch whenever the awaited link changes; its answer comes back as
/// [`TutorialMsg::Fetched`] (the reducer ignores it if another link replaced this one).
#[hook]
pub fn use_catalog_fetch(fetching: Option<Link>, dispatch: Dispatch) {
    use_effect_with(fetching, move |fetching| {
        let entry = fetching.as_ref().and_then(|l| l.to_fetch().ok().flatten());
        if let (Some(link), Some(entry)) = (fetching.clone(), entry) {
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch_text(&entry.url()).await.map(|json| {
                    entry.store(json);
                });
                dispatch.dispatch(Msg::Tutorial(TutorialMsg::Fetched(link, result)));
            });
        }
    });
}

/// The text at `url`, or why not ("HTTP 404", "the network request failed").
pub async fn fetch_text(url: &str) -> Result<Rc<str>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = |_| "the network request failed".to_string();
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response")?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?;
    text.as_string()
        .map(Rc::from)
        .ok_or_else(|| "the file is not text".into())
}
