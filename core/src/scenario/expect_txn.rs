//! Expectations about transactions (R6): the coordinator's state and epoch for the run's
//! transactional id, where the coordinator is, each producer's client state, and the pipeline's
//! per-input verdicts (visible outputs, external writes).

use super::expect::Expect;
use crate::cluster::Cluster;
use crate::types::NodeId;

impl Expect {
    pub(super) fn check_txn(&self, c: &Cluster, push: &mut impl FnMut(String, bool, String)) {
        let coordinator = c.txn_coordinator();
        let meta = coordinator.and_then(|(_, h)| h.coordinator.all().next());
        if let Some(want) = &self.txn_state {
            let got = meta.map_or("none", |m| m.state.name());
            push(
                format!("transaction state is {want}"),
                got == want,
                got.to_string(),
            );
        }
        if let Some(want) = self.txn_epoch {
            let got = meta.map(|m| m.producer_epoch);
            push(
                format!("transaction coordinator holds producer epoch {want}"),
                got == Some(want),
                got.map_or("none".into(), |e| e.to_string()),
            );
        }
        if let Some(want) = self.txn_coordinator {
            let got = coordinator.map(|(b, _)| b);
            push(
                format!("b{want} is the transaction coordinator"),
                got == Some(want),
                got.map_or("none".into(), |b| format!("b{b}")),
            );
        }
        let ledger = c.ledger();
        for (list, want) in [(&self.aborted, true), (&self.not_aborted, false)] {
            for v in list {
                let got = ledger
                    .entries
                    .iter()
                    .filter(|e| &e.value == v)
                    .any(|e| e.aborted.is_some());
                let what = if want { "aborted" } else { "not aborted" };
                push(format!("{v} is {what}"), got == want, got.to_string());
            }
        }
        // The pipeline's verdicts (R6.8), by input value: the first input record with it.
        let input = |v: &str| {
            ledger
                .entries
                .iter()
                .find(|e| e.value == v && e.source.is_none())
        };
        let transactional = c.config().transactional();
        for (v, want) in &self.outputs {
            let got = input(v).map_or(0, |e| ledger.visible_outputs(e.id, transactional));
            push(
                format!("{v} has {want} visible output(s)"),
                got == *want,
                got.to_string(),
            );
        }
        for (v, want) in &self.external_writes {
            let got = input(v).map_or(0, |e| e.external_writes);
            push(
                format!("{v} was written {want} time(s) to the external system"),
                got == *want,
                got.to_string(),
            );
        }
        for (k, want) in &self.producer_txn {
            let got = k
                .parse::<NodeId>()
                .ok()
                .and_then(NodeId::as_producer)
                .and_then(|p| c.producers().get((p as usize).checked_sub(1)?))
                .and_then(|p| p.txn.as_ref())
                .map_or("not transactional", |t| t.state.name());
            push(
                format!("{k} is {want}"),
                got.eq_ignore_ascii_case(want),
                got.to_string(),
            );
        }
    }
}
