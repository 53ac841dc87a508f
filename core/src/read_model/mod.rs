//! The read model: typed, plain-data projections of a cluster at one step, and the only view of
//! the core that the faces use. The JSON snapshot (`highwater run --json`, the JS API's
//! `snapshot()`), the page's view model and the JS API's getters are all built from these
//! types; none of them reads the core's state structs or matches strings.
//!
//! * [`nodes`]: brokers ([`BrokerSummary`], [`BrokerSnapshot`]), the controller's registrations
//!   ([`PartitionSnapshot`], [`ControllerSummary`]), producers and faulty links;
//! * [`replica`]: one replica's role ([`ReplicaRole`]), offsets and leader-only ISR view
//!   ([`ReplicaSummary`]), its records ([`RecordView`]);
//! * [`message`]: messages on the wire with a [`MessageKind`] and a short label;
//! * [`countdowns`]: timeouts the user caused, counted down ([`LaggingFollower`] to the ISR
//!   check that drops it, [`ProducerWait`] to `request.timeout.ms`);
//! * [`moments`]: the big moments a face calls out ([`Moment`]: elections, ISR changes,
//!   truncations, lost records, fencing), attached to their events;
//! * [`ledger`]: per-record rows with a [`RecordStatus`], totals and consumer verdicts;
//! * [`latency`]: produce-to-acknowledgement latency per `acks` setting ([`AckLatency`]);
//! * [`consumers`]: consumers and their group;
//! * [`pipeline`]: the consume-transform-produce application, its instances and verdicts;
//! * [`transactions`]: transactional producers and the transaction coordinator (R6);
//! * invariants ([`InvariantStatus`] with an [`InvariantId`]) and events ([`Event`] with an
//!   [`EventKind`]) are plain data already and are re-exported here.
//!
//! Each part is built by one getter on [`Cluster`](crate::cluster::Cluster), so every face
//! derives the same facts the same way; [`crate::snapshot::Snapshot`] composes them all.

pub mod consumers;
pub mod countdowns;
pub mod latency;
pub mod ledger;
pub mod message;
pub mod moments;
pub mod nodes;
pub mod pipeline;
pub mod replica;
pub mod transactions;

pub use crate::cluster::{BrokerStatus, Enabled};
pub use crate::config::CommitMode;
pub use crate::consumer::MemberState;
pub use crate::coordinator::GroupState;
pub use crate::event::{Event, EventKind};
pub use crate::invariants::{InvariantId, InvariantStatus, Violation};
pub use consumers::{
    member_state_name, CommittedOffsetSnapshot, ConsumerPartitionSnapshot, ConsumerSnapshot,
    ConsumerState, DedupSinkView, GroupMemberSnapshot, GroupSnapshot, ProcessedRecord,
    RebalanceSnapshot, SinkRecord,
};
pub use countdowns::{LaggingFollower, ProducerWait};
pub use latency::{AckLatency, AckLatencyGroup};
pub use ledger::{ConsumerVerdicts, LedgerCounts, LedgerRow, RecordStatus};
pub use message::{MessageKind, MessageSnapshot, WireMessage};
pub use moments::{Moment, MomentKind};
pub use nodes::{
    BrokerSnapshot, BrokerState, BrokerSummary, ControllerSummary, IdempotenceView, LinkSnapshot,
    NextSequence, PartitionSnapshot, ProducerSnapshot, SilentBroker,
};
pub use pipeline::{PipelineInstanceView, PipelineView};
pub use replica::{
    short_label, FollowerView, RecordView, ReplicaOffsets, ReplicaRole, ReplicaSnapshot,
    ReplicaSummary,
};
pub use transactions::{ProducerTxnView, TransactionsView};

/// The version of the JSON shape of [`crate::snapshot::Snapshot`] (its `schema_version`
/// field), raised with every change a JSON reader could notice; the changelog is in
/// `docs/JS-API.md`.
pub const SCHEMA_VERSION: u32 = 2;

#[cfg(test)]
mod tests;
