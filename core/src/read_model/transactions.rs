//! Transactions as every face shows them (R6): each transactional producer's client state, and
//! the transaction coordinator's view of the run's transactional id.

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::txn::TxnResult;
use crate::types::{BrokerId, Epoch, TopicPartition};

/// A transactional producer's TransactionManager, as its card shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerTxnView {
    /// The `transactional.id`.
    pub transactional_id: String,
    /// TransactionManager's state (Kafka's name: "READY", "IN_TRANSACTION", "FATAL_ERROR", …).
    pub state: String,
    /// Producer id from InitProducerId (-1 before).
    pub producer_id: i64,
    /// Producer epoch from InitProducerId (-1 before).
    pub producer_epoch: i16,
    /// The coordinator it found, if any.
    pub coordinator: Option<BrokerId>,
    /// Partitions added to the open transaction (`t-0`).
    pub partitions: Vec<String>,
    /// "commit" or "abort" while the transaction is being completed.
    pub ending: Option<String>,
    /// The last error the coordinator or a partition returned.
    pub last_error: Option<String>,
}

/// The transaction coordinator's view of the run's transactional id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionsView {
    /// The `transactional.id`.
    pub transactional_id: String,
    /// The broker whose coordinator is active (it leads `__transaction_state`), if any.
    pub coordinator: Option<BrokerId>,
    /// The coordinator epoch (the leader epoch of `__transaction_state`) its markers carry.
    pub coordinator_epoch: Option<Epoch>,
    /// The coordinator's state for the id ("Empty", "Ongoing", "PrepareCommit", …); `None`
    /// before the first InitProducerId or while no coordinator is active.
    pub state: Option<String>,
    /// Producer id bound to the id.
    pub producer_id: Option<i64>,
    /// Producer epoch the coordinator holds.
    pub producer_epoch: Option<i16>,
    /// Partitions in the transaction (`t-0`).
    pub partitions: Vec<String>,
    /// Partitions whose marker is still awaited.
    pub pending_markers: Vec<String>,
}

impl Cluster {
    fn tp_label(&self, tp: TopicPartition) -> String {
        format!("{}-{}", self.topic_name(tp), tp.partition)
    }

    /// Producer `id`'s transactional state, if it is transactional.
    pub fn producer_txn(&self, id: u32) -> Option<ProducerTxnView> {
        let p = self.producers().get((id as usize).checked_sub(1)?)?;
        let t = p.txn.as_ref()?;
        Some(ProducerTxnView {
            transactional_id: t.transactional_id.clone(),
            state: t.state.name().to_string(),
            producer_id: t.producer_id,
            producer_epoch: t.producer_epoch,
            coordinator: t.coordinator,
            partitions: t.added.iter().map(|tp| self.tp_label(*tp)).collect(),
            ending: t.ending.map(|r| match r {
                TxnResult::Commit => "commit".to_string(),
                TxnResult::Abort => "abort".to_string(),
            }),
            last_error: t.last_error.clone(),
        })
    }

    /// The transaction coordinator's view, in a run with transactional producers.
    pub fn transactions(&self) -> Option<TransactionsView> {
        let tid = self.config().transactional_id()?;
        let active = self.txn_coordinator();
        let meta = active.and_then(|(_, h)| h.coordinator.get(&tid));
        Some(TransactionsView {
            coordinator: active.map(|(b, _)| b),
            coordinator_epoch: active.map(|(_, h)| h.coordinator.coordinator_epoch),
            state: meta.map(|m| m.state.name().to_string()),
            producer_id: meta.map(|m| m.producer_id),
            producer_epoch: meta.map(|m| m.producer_epoch),
            partitions: meta.map_or_else(Vec::new, |m| {
                m.partitions.iter().map(|tp| self.tp_label(*tp)).collect()
            }),
            pending_markers: active.map_or_else(Vec::new, |(_, h)| {
                h.coordinator
                    .pending_markers(&tid)
                    .into_iter()
                    .map(|tp| self.tp_label(tp))
                    .collect()
            }),
            transactional_id: tid,
        })
    }
}
