//! The legend: every symbol of the picture, drawn with the same CSS classes as the picture.
//!
//! It never changes, so it is one static HTML string (no diffing, and a fraction of the code
//! that `html!` would generate for a hundred elements). `build.rs` writes it
//! (`src/legend_html.rs`) to `catalog/legend.html`; the page fetches it when the legend is
//! first opened, so its text is not in the page's wasm.

use yew::prelude::*;

use crate::ui::fetched_html::FetchedDetails;

/// The legend, closed (it would push the panels far down).
pub fn legend() -> Html {
    html! {
        <FetchedDetails class="legend" summary="Legend: what the symbols mean" file={crate::legend_html::FILE}
                        loading="Loading the legend…" failed="The legend could not be loaded" />
    }
}
