//! The animation-frame hook: while `active`, dispatches [`Msg::Tick`] with the real milliseconds
//! since the previous tick, from one `requestAnimationFrame` loop. `min_interval` (real ms, from
//! the state: busy runs ask for fewer redraws) skips frames that come sooner than that.
//!
//! After each tick it tells [`Frames`]' subscribers: the animation layer (the messages in flight
//! and the clock, [`use_frames`]) redraws on every tick from the shared
//! [`crate::ui::state::Playhead`], while the rest of the page re-renders only when the reducer
//! returns a new state (a step fired, or something else changed).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{Dispatch, Msg};

type FrameClosure = Closure<dyn FnMut(f64)>;

const FRAME_SLACK_MS: f64 = 4.0;

/// The animation frames' subscribers (the parts of the page that move with the playhead).
#[derive(Default)]
pub struct Frames {
    next: Cell<u64>,
    listeners: RefCell<Vec<(u64, Callback<()>)>>,
}

impl Frames {
    /// Tells every subscriber that the playhead moved.
    pub fn notify(&self) {
        // Copied first: a subscriber may (un)subscribe while it is told.
        let listeners: Vec<Callback<()>> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, c)| c.clone())
            .collect();
        for c in listeners {
            c.emit(());
        }
    }

    fn subscribe(&self, cb: Callback<()>) -> u64 {
        let id = self.next.get();
        self.next.set(id + 1);
        self.listeners.borrow_mut().push((id, cb));
        id
    }

    fn unsubscribe(&self, id: u64) {
        self.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }
}

/// One set of subscribers is equal only to itself: props holding it compare by identity.
impl PartialEq for Frames {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Re-renders the calling component on every animation frame of `frames`.
#[hook]
pub fn use_frames(frames: &Rc<Frames>) {
    let update = use_force_update();
    use_effect_with(frames.clone(), move |frames| {
        let id = frames.subscribe(Callback::from(move |()| update.force_update()));
        let frames = frames.clone();
        move || frames.unsubscribe(id)
    });
}

/// Dispatches [`Msg::Tick`] on animation frames while `active`, then notifies `frames`.
#[hook]
pub fn use_animation_frame(
    active: bool,
    min_interval: f64,
    dispatch: Dispatch,
    frames: Rc<Frames>,
) {
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
                        frames.notify();
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
