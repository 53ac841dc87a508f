//! A search worker (`www/search-worker.js` with `highwater-check_bg.wasm`, `crate::search`)
//! running one request: the search dialog's searches and a tutorial's search steps. Dropping the
//! [`Live`] handle terminates the worker; a [`Spare`] is one loaded ahead of a search.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker};

use crate::search::protocol::FromWorker;

/// The worker's script (`www/search-worker.js`, copied into dist/ as is).
pub const WORKER_URL: &str = "./search-worker.js";

/// A running worker and its handlers, kept alive together; dropping terminates it.
pub struct Live {
    worker: Worker,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl Drop for Live {
    fn drop(&mut self) {
        unhook(&self.worker);
        self.worker.terminate();
    }
}

/// Takes the worker's handlers off before their closures are dropped: an event already queued
/// (the error of a script load that terminating aborted) then finds no handler, instead of a
/// dropped closure (wasm-bindgen's "closure invoked … after being dropped").
fn unhook(worker: &Worker) {
    worker.set_onmessage(None);
    worker.set_onerror(None);
}

impl Live {
    /// Sends `request` (a `ToWorker` as encoded) to `worker` once it says it is ready, or at once
    /// when it already has (`ready`: a worker loaded beforehand). `on_message` gets every later
    /// message (a message that cannot be read as its error), `on_error` the worker's failure to
    /// load or its death (out of memory); both may end it with `Worker::terminate`.
    pub fn run(
        worker: Worker,
        ready: bool,
        request: String,
        on_message: impl Fn(&Worker, Result<FromWorker, String>) + 'static,
        on_error: impl Fn() + 'static,
    ) -> Live {
        if ready {
            let _ = worker.post_message(&JsValue::from_str(&request));
        }
        let w = worker.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            match FromWorker::decode(&e.data().as_string().unwrap_or_default()) {
                Ok(FromWorker::Ready) => {
                    let _ = w.post_message(&JsValue::from_str(&request));
                }
                other => on_message(&w, other),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let w = worker.clone();
        let on_error = Closure::<dyn Fn(Event)>::new(move |_: Event| {
            w.terminate();
            on_error();
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Live {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        }
    }
}

/// A worker started ahead of a search (when the search dialog opens, or a chapter has a search
/// step ahead), so its wasm loads and compiles meanwhile; the next search takes it. Until then it
/// only notes how its loading went.
pub struct Spare {
    worker: Worker,
    /// It said `Ready`.
    ready: Rc<Cell<bool>>,
    /// It said anything else (its wasm did not load) or failed: a search starts a fresh one,
    /// which reports why in the usual way.
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl Spare {
    /// A fresh spare, or `None` when the browser cannot start a worker.
    pub fn start() -> Option<Spare> {
        let worker = Worker::new(WORKER_URL).ok()?;
        let (ready, failed) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let (r, f) = (ready.clone(), failed.clone());
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            match FromWorker::decode(&e.data().as_string().unwrap_or_default()) {
                Ok(FromWorker::Ready) => r.set(true),
                _ => f.set(true),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let f = failed.clone();
        let on_error = Closure::<dyn Fn(Event)>::new(move |_: Event| f.set(true));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Spare {
            worker,
            ready,
            failed,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The worker and whether it is ready, unless it failed (then it is terminated). The spare's
    /// handlers come off it (on drop): the taker sets its own.
    fn take(self) -> Option<(Worker, bool)> {
        if self.failed.get() {
            self.worker.terminate();
            return None;
        }
        Some((self.worker.clone(), self.ready.get()))
    }

    /// The spare's worker and whether it is ready, or a fresh one when there is no spare or it
    /// failed; `None` when the browser cannot start a worker.
    pub fn take_or_start(spare: Option<Spare>) -> Option<(Worker, bool)> {
        match spare.and_then(Spare::take) {
            Some(taken) => Some(taken),
            None => Worker::new(WORKER_URL).ok().map(|w| (w, false)),
        }
    }

    /// Ends a spare no search took.
    pub fn end(self) {
        self.worker.terminate();
    }
}

impl Drop for Spare {
    fn drop(&mut self) {
        unhook(&self.worker);
    }
}
