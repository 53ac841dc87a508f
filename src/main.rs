//! Entry point of the browser build (Trunk compiles this binary to WebAssembly).

fn main() {
    let root = mount_point();
    yew::Renderer::<highwater::app::App>::with_root(root).render();
}

/// The `<main id="app">` element of `index.html`, or `<body>` when it is missing.
fn mount_point() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("running in a browser document");
    document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Into::into))
        .expect("index.html has a <body>")
}
