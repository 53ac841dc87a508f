//! Fixed models for the counterexample search's benchmark (`highwater check --bench`). Apart
//! from `checker` because they are scenario files, and scenario steps may run a search.

use crate::checker::{Budgets, Options};
use crate::cluster::Cluster;
use crate::fuzz::FuzzProfile;
use crate::scenario::{setup_len, start_after, Scenario};

/// A named start state and options.
pub struct BenchModel {
    /// Short name for the report.
    pub name: &'static str,
    /// Where the search starts.
    pub start: Cluster,
    /// Its bounds and budgets.
    pub options: Options,
}

const KIP101_EPOCH: &str = include_str!("../../scenarios/s16-kip101-scenario1-epoch.toml");
const KIP101_HW: &str = include_str!("../../scenarios/s16-kip101-scenario1-hw.toml");

/// The start of a KIP-101 scenario 1 file: after its setup (m1, m2 produced, m2 acknowledged).
fn kip101(text: &str) -> Cluster {
    let s = Scenario::parse(text).expect("bundled scenario parses");
    start_after(&s, setup_len(&s)).expect("bundled scenario runs")
}

/// The benchmark's models: KIP-101 scenario 1 with two brokers under leader-epoch truncation
/// (no violation: the whole bound is explored) and under high-watermark truncation (the search
/// stops at the loss); a three-broker acks=all cluster (the fuzz "safe" profile) with one
/// produced record, one crash and one dropped message.
pub fn bench_models() -> Vec<BenchModel> {
    let three = Cluster::new(FuzzProfile::Safe.config(), 1).expect("valid profile");
    vec![
        BenchModel {
            name: "KIP-101 scenario 1, 2 brokers, leader-epoch truncation (crashes 2, restarts 1, depth 40)",
            start: kip101(KIP101_EPOCH),
            options: Options::default(),
        },
        BenchModel {
            name: "KIP-101 scenario 1, 2 brokers, high-watermark truncation (until the loss)",
            start: kip101(KIP101_HW),
            options: Options::default(),
        },
        BenchModel {
            name: "3 brokers, acks=all, min.insync.replicas=2 (produces 1, crashes 1, drops 1, depth 30)",
            start: three,
            options: Options {
                max_depth: 30,
                budgets: Budgets {
                    produces: 1,
                    crashes: 1,
                    drops: 1,
                    ..Budgets::default()
                },
                ..Options::default()
            },
        },
    ]
}
