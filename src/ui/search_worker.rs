//! A search worker (`www/search-worker.js` with `highwater-check_bg.wasm`, `crate::search`)
//! running one request: the search dialog's searches and a tutorial's search steps. Dropping the
//! [`Live`] handle terminates the worker.

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
        self.worker.terminate();
    }
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

    /// A fresh worker on `request`, or `None` when the browser cannot start one.
    pub fn start(
        request: String,
        on_message: impl Fn(&Worker, Result<FromWorker, String>) + 'static,
        on_error: impl Fn() + 'static,
    ) -> Option<Live> {
        let worker = Worker::new(WORKER_URL).ok()?;
        Some(Live::run(worker, false, request, on_message, on_error))
    }
}
