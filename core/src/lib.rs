//! Highwater core: a deterministic, sans-IO simulator of Apache Kafka partition replication.
//!
//! Start at [`cluster::Cluster`]; scenario files live in [`scenario`]. Every rule cites
//! `KAFKA-SEMANTICS.md` (R… rules, S… scenarios) or the Kafka class/test it follows.

// Every public item says what it is (CONTRIBUTING.md); a new one without a doc comment fails the build.
#![deny(missing_docs)]
// Configs are built by adjusting Kafka's defaults field by field, which reads like a config file.
#![allow(clippy::field_reassign_with_default)]
pub mod assignor;
pub mod bench;
pub mod broker;
mod broker_txn;
pub mod budget;
pub mod checker;
// The checker's benchmark models are TOML scenario files (the CLI has `toml`; the page does not).
#[cfg(feature = "toml")]
pub mod checker_bench;
pub mod claim;
pub mod cluster;
pub mod command;
mod command_read;
pub mod config;
pub mod consumer;
pub mod controller;
pub mod coordinator;
pub mod election;
pub mod epoch_cache;
pub mod event;
mod fingerprint;
pub mod fuzz;
pub mod guarantees;
#[cfg(feature = "toml")]
pub mod input_fuzz;
pub mod invariants;
pub mod ledger;
pub mod log;
pub mod node;
pub mod ordered;
pub mod partition;
pub mod partitioner;
pub mod pipeline;
pub mod placement;
pub mod plain_words;
pub mod producer;
pub mod producer_state;
pub mod producer_txn;
pub mod protocol;
pub mod read_model;
pub mod retention;
pub mod rng;
pub mod scenario;
pub mod shared;
pub mod snapshot;
pub mod spacetime;
pub mod timeline;
pub mod topic_name;
pub mod truncation;
pub mod tutorial;
pub mod txn;
pub mod types;
pub mod vec_map;
pub mod version;

pub use cluster::Cluster;
pub use command::{Action, Command, Input};
pub use config::ClusterConfig;
