//! The summary page, "What loses, duplicates or reorders what": the table of
//! `highwater_core::guarantees` (a static catalog, like the chapters, not run state), each cell
//! linking to the chapter or scenario step that shows it. Opened from the chapter index, the
//! welcome card and the deep link `#summary`.
//!
//! The table is not in the page's wasm: `build.rs` writes it as HTML (`summary_table.rs`) to
//! `catalog/summary.html`, fetched the first time the summary opens (`fetched_html.rs`).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::dialogs::Modal;
use super::fetched_html::use_fetched_html;
use super::state::{Dialog, Dispatch, Msg};
use super::tutorial::panel::SUMMARY_TITLE;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub dispatch: Dispatch,
}

#[function_component(SummaryDialog)]
pub fn summary_dialog(props: &SummaryProps) -> Html {
    let d = &props.dispatch;
    let table = use_fetched_html(crate::summary_table::FILE, true);
    // A cell's link opens its step here (closing the summary); with a modifier key, or in a new
    // tab, its `href` works as a deep link.
    let onclick = {
        let d = d.clone();
        Callback::from(move |e: MouseEvent| {
            if e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            let link = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("a.summary-link").ok().flatten())
                .and_then(|a| a.get_attribute("href"));
            if let Some(href) = link {
                e.prevent_default();
                d.dispatch(Msg::Open(Dialog::None));
                d.dispatch(Msg::LoadLink(href.trim_start_matches('#').to_string()));
            }
        })
    };
    html! {
        <Modal id="summary-dialog" title={SUMMARY_TITLE} dispatch={d.clone()} wide=true>
            <p class="muted">
                { "Producer and broker rows say what reaches the log; consumer rows what the application sees. \
                   Each link opens the chapter or scenario step that shows the cell (checked by a test against \
                   the simulator's ledger). Order across partitions is never promised (chapter 29)." }
            </p>
            <div class="summary-scroll" {onclick}>
                { table.view("Loading the table…", "The table could not be loaded") }
            </div>
        </Modal>
    }
}
