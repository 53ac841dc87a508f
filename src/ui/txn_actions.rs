//! The inspector's transaction section for a transactional producer: its TransactionManager
//! state, producer id and epoch, the partitions in its open transaction, and the application's
//! calls (initTransactions, beginTransaction, commitTransaction, abortTransaction — R6), each
//! enabled only where the Java client would accept it.

use highwater_core::command::{Command, TxnCallName};
use highwater_core::read_model::ProducerTxnView;
use yew::prelude::*;

use super::state::Dispatch;
use super::widgets::button;

/// Which calls the client accepts in `state` (TransactionManager's transitions; a commit or an
/// abort already on its way accepts nothing more).
fn allowed(t: &ProducerTxnView, call: TxnCallName) -> bool {
    let s = t.state.as_str();
    if t.ending.is_some() {
        return false;
    }
    match call {
        TxnCallName::Init => s == "UNINITIALIZED",
        TxnCallName::Begin => s == "READY",
        TxnCallName::Commit => s == "IN_TRANSACTION",
        TxnCallName::Abort => matches!(s, "IN_TRANSACTION" | "ABORTABLE_ERROR"),
    }
}

/// The section: state line, fields and the four calls.
pub fn producer_txn_section(d: &Dispatch, producer: u32, t: &ProducerTxnView) -> Html {
    let calls = [
        (TxnCallName::Init, "Init transactions", "initTransactions(): find the coordinator, get a producer id and epoch (fences older instances)"),
        (TxnCallName::Begin, "Begin", "beginTransaction(): the next sends are one transaction"),
        (TxnCallName::Commit, "Commit", "commitTransaction(): EndTxn(COMMIT) once every send is acknowledged"),
        (TxnCallName::Abort, "Abort", "abortTransaction(): queued records are dropped, EndTxn(ABORT)"),
    ];
    let epoch = if t.producer_id < 0 {
        "none yet".to_string()
    } else {
        format!("{} · epoch {}", t.producer_id, t.producer_epoch)
    };
    let fatal = t.state == "FATAL_ERROR";
    html! {
        <div class="txn-section" data-txn-state={t.state.clone()}>
            <p class={classes!("status", fatal.then_some("fatal"))}>
                { format!("transactional.id {} · {}", t.transactional_id, t.state) }
                if let Some(e) = &t.ending {
                    { format!(" ({e} on its way)") }
                }
            </p>
            <dl class="fields">
                <dt>{ "producer id" }</dt><dd>{ epoch }</dd>
                <dt>{ "coordinator" }</dt><dd>{ t.coordinator.map_or("not found yet".to_string(), |b| format!("b{b}")) }</dd>
                <dt>{ "in the transaction" }</dt><dd>{ if t.partitions.is_empty() { "no partition".to_string() } else { t.partitions.join(", ") } }</dd>
                if let Some(e) = &t.last_error {
                    <dt>{ "last error" }</dt><dd>{ e.clone() }</dd>
                }
            </dl>
            <div class="actions">
                { for calls.into_iter().map(|(call, label, title)| {
                    button(d, label, title, Command::Transaction { producer, call }, allowed(t, call))
                }) }
            </div>
        </div>
    }
}
