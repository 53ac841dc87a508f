//! The search worker's loop: builds the search from the page's request, runs the core's search
//! in slices ([`slice`]: new states, then the memory bound against the module's own memory) and
//! posts a [`FromWorker`] message after each.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{
    begin_step, linear_memory_bytes, slice, start as start_search, step_slice, FromWorker, ToWorker,
};

fn post(scope: &DedicatedWorkerGlobalScope, m: &FromWorker) {
    let _ = scope.post_message(&JsValue::from_str(&m.encode()));
}

/// Runs one request to its end. The page cancels by terminating the worker, so the loop needs no
/// cancellation point; each slice ends with a progress message.
fn run(scope: &DedicatedWorkerGlobalScope, text: &str) {
    match ToWorker::decode(text) {
        Ok(ToWorker::Start { fragment, options }) => match start_search(&fragment, options) {
            Ok(mut search) => post_slices(scope, |elapsed| {
                slice(&mut search, linear_memory_bytes, elapsed)
            }),
            Err(e) => post(scope, &FromWorker::Refused(e)),
        },
        Ok(ToWorker::Step { fragment, spec }) => match begin_step(&fragment, &spec) {
            Ok(mut searching) => post_slices(scope, |elapsed| step_slice(&mut searching, elapsed)),
            Err(e) => post(scope, &FromWorker::Refused(e)),
        },
        Err(e) => post(scope, &FromWorker::Refused(e)),
    }
}

/// Posts each slice's message until one says the search is over; a slice gets the time since
/// the first one, in whole ms.
fn post_slices(
    scope: &DedicatedWorkerGlobalScope,
    mut next: impl FnMut(&dyn Fn() -> u64) -> (FromWorker, bool),
) {
    let t0 = js_sys::Date::now();
    let elapsed = || (js_sys::Date::now() - t0) as u64;
    loop {
        let (message, done) = next(&elapsed);
        post(scope, &message);
        if done {
            return;
        }
    }
}

/// Installs the message handler and tells the page it is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let s2 = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        run(&s2, &e.data().as_string().unwrap_or_default());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &FromWorker::Ready);
}
