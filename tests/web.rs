//! Tests of the web app in a real browser (headless Chromium through `wasm-bindgen-test-runner`):
//!
//!     cargo test -p highwater --target wasm32-unknown-unknown
//!
//! Tests marked `unsupported = test` also run natively under `cargo test`.

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn version_is_the_crate_version() {
    assert_eq!(highwater::api::version(), env!("CARGO_PKG_VERSION"));
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;

    /// Waits for Yew's scheduler, which renders on the event loop, not synchronously.
    async fn next_tick() {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }

    #[wasm_bindgen_test]
    async fn app_renders_header_toolbar_and_panels() {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();

        let handle = yew::Renderer::<highwater::app::App>::with_root(root.clone()).render();
        next_tick().await;

        let h1 = root.query_selector("h1").unwrap().expect("a header");
        assert_eq!(h1.text_content().unwrap(), highwater::app::TITLE);

        let buttons = root.query_selector_all(".toolbar button").unwrap();
        assert_eq!(buttons.length(), 3);
        assert!(root.query_selector(".cluster svg").unwrap().is_some());
        let panels: Vec<String> = {
            let list = root.query_selector_all(".panel h2").unwrap();
            (0..list.length())
                .map(|i| list.item(i).unwrap().text_content().unwrap())
                .collect()
        };
        assert_eq!(panels, ["Event log", "Ledger", "Invariants"]);

        handle.destroy();
        root.remove();
    }
}
