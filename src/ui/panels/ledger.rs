//! The record ledger: every record the application sent, produced → acked → committed, with
//! lost, duplicated and failed flags.

use std::rc::Rc;

use highwater_core::read_model::RecordStatus;
use yew::prelude::*;

use crate::ui::view::LedgerView;

#[derive(Properties, PartialEq)]
pub struct LedgerProps {
    pub ledger: Rc<LedgerView>,
}

// Rows are not keyed: while playing, a refresh replaces most of them, and unkeyed rows reuse
// their elements (only the texts and attributes change) instead of removing and creating them.
#[function_component(Ledger)]
pub fn ledger(props: &LedgerProps) -> Html {
    let l = &*props.ledger;
    let rows = l.rows.iter().map(|r| {
        let flags = html! {
            <>
                if r.lost.is_some() { <span class="flag bad" title={format!("lost at event {}", r.lost.unwrap_or(0))}>{ "LOST" }</span> }
                if r.duplicated.is_some() { <span class="flag warn" title="written twice">{ "DUP" }</span> }
                if r.status == RecordStatus::Aborted { <span class="flag txn" title="its transaction was aborted: read_committed consumers skip it">{ "ABORTED" }</span> }
                if let Some(f) = &r.failed { <span class="flag bad" title={f.clone()}>{ "FAILED" }</span> }
                if let Some(n) = r.outputs {
                    <span class={classes!("flag", if n == 1 { "ok" } else { "warn" })} data-outputs={n.to_string()}
                        title="outputs of this input that a read_committed reader of the output topic sees (1 = exactly once)">{ format!("OUT ×{n}") }</span>
                }
                if r.external_writes > 0 {
                    <span class={classes!("flag", (r.external_writes > 1).then_some("warn"))} data-external={r.external_writes.to_string()}
                        title="times processing wrote this input to the external system (outside any transaction)">{ format!("DB ×{}", r.external_writes) }</span>
                }
                if r.attempts > 1 { <span class="flag" title="produce requests sent">{ format!("{}×", r.attempts) }</span> }
            </>
        };
        let acked = match r.acked {
            Some((s, Some(o))) => html! { <span class="ok" title={format!("acknowledged at event {s}")}>{ format!("@{o}") }</span> },
            Some((s, None)) => html! { <span class="ok" title={format!("sent with acks=0 at event {s}: no offset")}>{ "sent" }</span> },
            None => html! { <span class="muted">{ "—" }</span> },
        };
        let committed = match r.committed {
            Some(s) => html! { <span class="ok" title={format!("committed at event {s}")}>{ "✓" }</span> },
            None => html! { <span class="muted">{ "—" }</span> },
        };
        html! {
            <tr class={classes!(r.lost.is_some().then_some("lost"), r.duplicated.is_some().then_some("dup"))}
                data-value={r.value.clone()} data-status={r.status.as_str()}>
                <td class="mono">{ r.value.clone() }{ r.key.as_ref().map(|k| html! { <small>{ format!(" k={k}") }</small> }) }</td>
                <td>{ r.part.clone() }</td>
                <td>{ r.acks }</td>
                <td>{ acked }</td>
                <td>{ committed }</td>
                <td>{ flags }</td>
            </tr>
        }
    });
    html! {
        <section class="panel ledger" aria-labelledby="ledger-title">
            <div class="panel-head">
                <h2 id="ledger-title">{ "Ledger" }</h2>
                <span class="panel-note">
                    { format!("{} produced · {} acked · {} committed", l.produced, l.acked, l.committed) }
                    if l.lost > 0 { <span class="bad">{ format!(" · {} lost", l.lost) }</span> }
                    if l.duplicated > 0 { <span class="warn">{ format!(" · {} duplicated", l.duplicated) }</span> }
                    if l.failed > 0 { <span class="bad">{ format!(" · {} failed", l.failed) }</span> }
                </span>
            </div>
            <div class="panel-body scroll">
                if l.rows.is_empty() {
                    <p class="empty">{ "No record produced yet." }</p>
                } else {
                    <table>
                        <thead><tr>
                            <th scope="col">{ "record" }</th><th scope="col">{ "partition" }</th><th scope="col">{ "acks" }</th>
                            <th scope="col">{ "acked" }</th><th scope="col">{ "committed" }</th><th scope="col">{ "flags" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                }
            </div>
        </section>
    }
}
