//! Whether a part of the page is on screen: an `IntersectionObserver` on the element behind a
//! [`NodeRef`] calls back when it comes into view or leaves it. The page uses it for the panels
//! below the picture, which are not re-rendered while playing off screen (see
//! [`crate::ui::state::AppState::panels_view`]).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `on_change` with whether the element behind `node` is within `margin` (a CSS length,
/// e.g. `"200px"`) of the viewport, once when it is first observed and then at each change.
#[hook]
pub fn use_in_view(node: NodeRef, margin: &'static str, on_change: Callback<bool>) {
    use_effect_with(node, move |node| {
        let element = node.cast::<web_sys::Element>();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The newest entry of the one element observed says where it is now.
            let entry = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok());
            if let Some(entry) = entry {
                on_change.emit(entry.is_intersecting());
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(margin);
        let observer = element.and_then(|el| {
            let o = web_sys::IntersectionObserver::new_with_options(
                callback.as_ref().unchecked_ref(),
                &options,
            )
            .ok()?;
            o.observe(&el);
            Some(o)
        });
        move || {
            if let Some(o) = observer {
                o.disconnect();
            }
            drop(callback);
        }
    });
}
