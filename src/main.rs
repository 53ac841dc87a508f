//! Entry point of the browser build (Trunk compiles this binary to WebAssembly).

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
