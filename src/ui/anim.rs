//! The animation-frame hook: while `active`, dispatches [`Msg::Tick`] with the real milliseconds
//! since the previous tick, from one `requestAnimationFrame` loop. `min_interval` (real ms, from
//! the state: busy runs ask for fewer redraws) skips frames that come sooner than that.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::Dispatch;
use super::state::Msg;

type FrameClosure = Closure<dyn FnMut(f64)>;

const FRAME_SLACK_MS: f64 = 4.0;

#[hook]
pub fn use_animation_frame(active: bool, min_interval: f64, dispatch: Dispatch) {
    let interval: Rc<Cell<f64>> = use_memo((), |_| Cell::new(0.0));
    interval.set(min_interval);
    use_effect_with(active, move |active| {
        let stopped = Rc::new(Cell::new(false));
        let frame_id = Rc::new(Cell::new(0));
        let closure: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
        if *active {
            if let Some(window) = web_sys::window() {
                let last: Rc<Cell<Option<f64>>> = Rc::new(Cell::new(None));
                let (stopped2, frame_id2, closure2, window2, interval) = (
                    stopped.clone(),
                    frame_id.clone(),
                    closure.clone(),
                    window.clone(),
                    interval.clone(),
                );
                *closure.borrow_mut() = Some(Closure::new(move |ts: f64| {
                    if stopped2.get() {
                        return;
                    }
                    let dt = last.get().map_or(0.0, |l| (ts - l).max(0.0));
                    // A few ms of slack: frames arrive every ~16.7 ms, not exactly.
                    let due = last.get().is_none() || dt + FRAME_SLACK_MS >= interval.get();
                    if due {
                        last.set(Some(ts));
                        dispatch.dispatch(Msg::Tick(dt));
                        if stopped2.get() {
                            return; // the dispatch ended playback synchronously
                        }
                    }
                    if let Some(c) = closure2.borrow().as_ref() {
                        if let Ok(id) = window2.request_animation_frame(c.as_ref().unchecked_ref())
                        {
                            frame_id2.set(id);
                        }
                    }
                }));
                if let Some(c) = closure.borrow().as_ref() {
                    if let Ok(id) = window.request_animation_frame(c.as_ref().unchecked_ref()) {
                        frame_id.set(id);
                    }
                }
            }
        }
        move || {
            stopped.set(true);
            if let Some(w) = web_sys::window() {
                let _ = w.cancel_animation_frame(frame_id.get());
            }
            // Breaks the closure's reference to itself. wasm-bindgen defers freeing a closure
            // that is running, so this is safe even from inside a frame.
            if let Ok(mut c) = closure.try_borrow_mut() {
                c.take();
            }
        }
    });
}
