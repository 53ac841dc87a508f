//! Entry point of the browser build (Trunk compiles this binary to WebAssembly).

fn main() {
    if let Some(root) = mount_point() {
        yew::Renderer::<highwater::app::App>::with_root(root).render();
    }
}

/// The `<main id="app">` element of `index.html`, or `<body>` when it is missing; none when the
/// page asks for the JavaScript API only (`<html data-highwater-ui="none">`, as
/// `www/docs-example.html` does), so importing the module mounts no playground there.
fn mount_point() -> Option<web_sys::Element> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("running in a browser document");
    let api_only = document
        .document_element()
        .and_then(|e| e.get_attribute("data-highwater-ui"))
        .is_some_and(|v| v == "none");
    if api_only {
        return None;
    }
    let root = document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Into::into))
        .expect("index.html has a <body>");
    Some(root)
}
