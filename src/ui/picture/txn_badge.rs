//! The transaction coordinator's badge (R6.2): on the broker that leads `__transaction_state`,
//! a tab on the top edge of its box at the right (clear of the group coordinator's badge, which
//! often sits in the same header), with the id's state.

use std::rc::Rc;

use highwater_core::read_model::TransactionsView;
use yew::prelude::*;

use super::layout::Layout;
use super::names;
use crate::ui::format::fmt;

#[derive(Properties, PartialEq)]
pub struct TxnBadgeProps {
    pub txn: Rc<TransactionsView>,
    pub layout: Rc<Layout>,
}

#[function_component(TxnBadge)]
pub fn txn_badge(props: &TxnBadgeProps) -> Html {
    let t = &*props.txn;
    let l = &*props.layout;
    let Some((b, (_, r))) = t.coordinator.and_then(|b| Some((b, l.broker(b)?))) else {
        return html! {};
    };
    let state = t.state.clone().unwrap_or_else(|| "no id yet".into());
    let text = if l.compact {
        "txn".to_string()
    } else {
        format!("txn · {state}")
    };
    // The text's bold 11.5 units (`names.rs`) and 6 of padding each side.
    let w = names::bold_sans_width(&text, 11.5) + 12.0;
    let x0 = r.right() - 8.0 - w;
    html! {
        <g class="txn-badge" transform={format!("translate({} {})", fmt(x0), fmt(r.y - 9.0))}
           data-txn-coordinator={b.to_string()} data-txn-state={state.clone()}>
            <title>{ format!("b{b} is the transaction coordinator of {} (it leads __transaction_state, coordinator epoch {}): {state}",
                t.transactional_id, t.coordinator_epoch.unwrap_or(0)) }</title>
            <rect width={fmt(w)} height="16" rx="8" />
            <text x={fmt(w / 2.0)} y="12">{ text }</text>
        </g>
    }
}
