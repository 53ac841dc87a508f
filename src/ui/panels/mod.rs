//! The side and bottom panels.

pub mod event_log;
pub mod group;
pub mod invariants;
pub mod latency;
pub mod ledger;
pub mod manual;
pub mod pipeline;
pub mod plot;
pub mod transactions;

pub use event_log::EventLog;
pub use group::GroupPanel;
pub use invariants::Invariants;
pub use latency::LatencyPanel;
pub use ledger::Ledger;
pub use manual::Manual;
pub use pipeline::PipelinePanel;
pub use plot::Plot;
pub use transactions::TransactionsPanel;
