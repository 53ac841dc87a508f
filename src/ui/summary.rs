//! The summary page, "What loses, duplicates or reorders what": the table of
//! `highwater_core::guarantees` (a static catalog, like the chapters, not run state), each cell
//! linking to the chapter or scenario step that shows it. Opened from the chapter index, the
//! welcome card and the deep link `#summary`.

use highwater_core::guarantees::{Outcome, Shown, Verdict, ROWS};
use yew::prelude::*;

use super::dialogs::Modal;
use super::state::{Dialog, Dispatch, Msg};
use super::tutorial::panel::SUMMARY_TITLE;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub dispatch: Dispatch,
}

#[function_component(SummaryDialog)]
pub fn summary_dialog(props: &SummaryProps) -> Html {
    let d = &props.dispatch;
    let head = Outcome::ALL.iter().map(|o| {
        html! { <th scope="col" title={o.meaning()}>{ o.title() }</th> }
    });
    let rows = ROWS.iter().map(|r| {
        let cells = Outcome::ALL.iter().map(|o| {
            let c = r.cell(*o);
            html! {
                <td class={verdict_class(c.verdict)} data-label={o.title()}>
                    <span class="verdict">{ c.verdict.as_str() }</span>
                    { " " }{ c.words }
                    { for c.shown.map(|s| shown_link(s, d)) }
                </td>
            }
        });
        html! {
            <tr>
                <th scope="row">{ r.setting.name() }</th>
                { for cells }
            </tr>
        }
    });
    html! {
        <Modal id="summary-dialog" title={SUMMARY_TITLE} dispatch={d.clone()} wide=true>
            <p class="muted">
                { "Producer and broker rows say what reaches the log; consumer rows what the application sees. \
                   Each link opens the chapter or scenario step that shows the cell (checked by a test against \
                   the simulator's ledger). Order across partitions is never promised (chapter 29)." }
            </p>
            <div class="summary-scroll">
                <table class="summary-table">
                    <thead><tr><th scope="col">{ "Configuration" }</th>{ for head }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </Modal>
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Yes => "v-yes",
        Verdict::When => "v-when",
        Verdict::No => "v-no",
    }
}

/// A link to the step that shows a cell: opens it here (closing the summary); the `href`
/// still works in a new tab.
fn shown_link(s: Shown, d: &Dispatch) -> Html {
    let fragment = s.fragment();
    let href = format!("#{fragment}");
    let onclick = {
        let d = d.clone();
        Callback::from(move |e: MouseEvent| {
            if e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            e.prevent_default();
            d.dispatch(Msg::Open(Dialog::None));
            d.dispatch(Msg::LoadLink(fragment.clone()));
        })
    };
    html! {
        <>{ " " }<a class="summary-link" {href} {onclick} data-id={s.id()}>{ s.label() }</a></>
    }
}
