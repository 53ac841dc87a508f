//! The transactions panel (runs with a `transactional.id` only): the transaction coordinator's
//! view of the id — its broker and coordinator epoch, state, producer id and epoch, partitions,
//! markers still awaited (R6.1–R6.5) — and each producer's TransactionManager state.

use std::rc::Rc;

use highwater_core::read_model::TransactionsView;
use yew::prelude::*;

use crate::ui::view::ProducerView;

#[derive(Properties, PartialEq)]
pub struct TxnPanelProps {
    pub txn: Rc<TransactionsView>,
    pub producers: Rc<Vec<ProducerView>>,
}

/// A Kafka name (`FATAL_ERROR`, `PRODUCER_FENCED`) that may wrap after its underscores.
fn wrappable(name: &str) -> String {
    name.replace('_', "_\u{200b}")
}

#[function_component(TransactionsPanel)]
pub fn transactions_panel(props: &TxnPanelProps) -> Html {
    let t = &*props.txn;
    let none = || "—".to_string();
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let head = match (t.coordinator, &t.state) {
        (Some(b), Some(s)) => format!("{} · coordinator b{b} · {s}", t.transactional_id),
        (Some(b), None) => format!(
            "{} · coordinator b{b} · no InitProducerId yet",
            t.transactional_id
        ),
        (None, _) => format!(
            "{} · no coordinator (__transaction_state has no leader)",
            t.transactional_id
        ),
    };
    let rows = props.producers.iter().filter_map(|p| {
        let x = p.txn.as_ref()?;
        let fatal = x.state == "FATAL_ERROR";
        Some(html! {
            <tr data-producer={p.id.to_string()}>
                <td>{ format!("p{}", p.id) }</td>
                <td class={classes!(fatal.then_some("fatal"))}>{ wrappable(&x.state) }</td>
                <td>{ if x.producer_id < 0 { none() } else { format!("{} / e{}", x.producer_id, x.producer_epoch) } }</td>
                <td>{ list(&x.partitions) }</td>
                <td>{ x.last_error.as_deref().map_or_else(none, wrappable) }</td>
            </tr>
        })
    });
    html! {
        <section class="panel txn-panel" aria-labelledby="txn-title" data-txn-state={t.state.clone().unwrap_or_default()}>
            <div class="panel-head">
                <h2 id="txn-title">{ "Transactions" }</h2>
                <span class="panel-note">{ head }</span>
            </div>
            <div class="panel-body">
                <dl>
                    <dt>{ "coordinator" }</dt>
                    <dd>{ match (t.coordinator, t.coordinator_epoch) {
                        (Some(b), Some(e)) => format!("b{b} (leads __transaction_state, coordinator epoch {e})"),
                        _ => "none".to_string(),
                    } }</dd>
                    <dt>{ "state" }</dt><dd>{ t.state.clone().unwrap_or_else(none) }</dd>
                    <dt>{ "producer id / epoch" }</dt>
                    <dd>{ match (t.producer_id, t.producer_epoch) {
                        (Some(p), Some(e)) => format!("{p} / e{e}"),
                        _ => none(),
                    } }</dd>
                    <dt>{ "partitions" }</dt><dd>{ list(&t.partitions) }</dd>
                    <dt>{ "markers awaited" }</dt><dd>{ list(&t.pending_markers) }</dd>
                </dl>
                <table class="txn-producers">
                    <thead><tr>
                        <th scope="col">{ "producer" }</th><th scope="col">{ "client state" }</th>
                        <th scope="col">{ "id / epoch" }</th><th scope="col">{ "in the transaction" }</th>
                        <th scope="col">{ "last error" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
