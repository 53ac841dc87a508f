//! The search worker's loop: builds the search from the page's request, runs the core's search
//! in slices ([`slice`]: new states, then the memory bound against the module's own memory) and
//! posts a [`FromWorker`] message after each.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{
    linear_memory_bytes, slice, start as start_search, step, FromWorker, ToWorker,
};

fn post(scope: &DedicatedWorkerGlobalScope, m: &FromWorker) {
    let _ = scope.post_message(&JsValue::from_str(&m.encode()));
}

/// Runs one request to its end. The page cancels by terminating the worker, so the loop needs no
/// cancellation point; each slice ends with a progress message.
fn run(scope: &DedicatedWorkerGlobalScope, text: &str) {
    let search = match ToWorker::decode(text) {
        Ok(ToWorker::Start { fragment, options }) => start_search(&fragment, options),
        Ok(ToWorker::Step { fragment, spec }) => {
            return post(
                scope,
                &match step(&fragment, &spec) {
                    Ok(found) => FromWorker::Stepped(Box::new(found)),
                    Err(e) => FromWorker::Refused(e),
                },
            )
        }
        Err(e) => Err(e),
    };
    let mut search = match search {
        Ok(s) => s,
        Err(e) => return post(scope, &FromWorker::Refused(e)),
    };
    let t0 = js_sys::Date::now();
    loop {
        let (message, done) = slice(&mut search, linear_memory_bytes, || {
            (js_sys::Date::now() - t0) as u64
        });
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
