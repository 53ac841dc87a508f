//! The legend: every symbol of the picture, drawn with the same CSS classes as the picture.
//!
//! It never changes, so it is one static HTML string (no diffing, and a fraction of the code
//! that `html!` would generate for a hundred elements). `build.rs` writes it
//! (`src/legend_html.rs`) to `catalog/legend.html`; the page fetches it when the legend is
//! first opened, so its text is not in the page's wasm.

use yew::prelude::*;

use crate::ui::fetched_html::{use_fetched_html, Fetched};

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Starts open (the page keeps it closed: it would push the panels far down).
    pub open: bool,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let open = use_state(|| props.open);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                open.set(details.has_attribute("open"));
            }
        })
    };
    let fetched = use_fetched_html(crate::legend_html::FILE, *open);
    let body = match fetched {
        Fetched::Loading if !*open => Html::default(),
        fetched => fetched.view("Loading the legend…", "The legend could not be loaded"),
    };
    html! {
        <details class="legend" open={props.open} {ontoggle}>
            <summary>{ "Legend: what the symbols mean" }</summary>
            { body }
        </details>
    }
}
