//! [`use_after_first_paint`]: false on a component's first render, true from the first render
//! after the browser painted it. The page builds what lies below the fold only then, so the
//! picture is on screen sooner.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// False until the frame that showed the first render has been painted (an animation frame,
/// then a task after it), then true for good. Outside a browser window it turns true at once.
#[hook]
pub fn use_after_first_paint() -> bool {
    let painted = use_state_eq(|| false);
    {
        let painted = painted.clone();
        use_effect_with((), move |_| {
            let Some(window) = web_sys::window() else {
                painted.set(true);
                return;
            };
            // A timeout set from an animation frame runs after that frame is painted.
            let w = window.clone();
            let after_frame = Closure::once_into_js(move || {
                let done = Closure::once_into_js(move || painted.set(true));
                let _ = w.set_timeout_with_callback(done.unchecked_ref());
            });
            let _ = window.request_animation_frame(after_frame.unchecked_ref());
        });
    }
    *painted
}
