//! Entry point of the browser build (Trunk compiles this binary to WebAssembly).

/// talc instead of Rust's default dlmalloc: a smaller module, the simulator as fast
/// (BENCHMARKS.md, session 20). The search worker keeps dlmalloc, which copies its clusters faster.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    if let Some(root) = mount_point() {
        yew::Renderer::<highwater::app::App>::with_root(root).render();
    }
}

/// The `<main id="app">` element of `index.html`, or `<body>` when it is missing.
fn mount_point() -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Into::into))
}
