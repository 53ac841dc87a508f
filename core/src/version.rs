//! Kafka release lines: `kafka.version` selects the behaviour and the defaults of one line.
//!
//! A line groups the releases in which every switch of KAFKA-SEMANTICS §0.3 and every default the
//! simulator models is the same; the table with its sources is `docs/VERSIONS.md`. A setting or
//! switch given explicitly in the configuration overrides what the line says
//! ([`crate::config::ClusterConfig::switches`] and the accessors next to it resolve them).

use serde::{Deserialize, Serialize};

use crate::assignor::Strategy;
use crate::config::{Acks, Switches, TruncationMode};
use crate::types::Millis;

/// A Kafka release line (`kafka.version`), oldest first. The default is the newest line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KafkaVersion {
    /// 0.8.2 – 0.10.2: followers truncate to their high watermark (R4.1, what the source article
    /// describes); `unclean.leader.election.enable` defaults to true; `acks` to 1.
    V0_10,
    /// 0.11.0 – 2.0: KIP-101 leader epochs, the leader answers with an end offset only (R4.2);
    /// unclean election off by default (KAFKA-1028 / KIP-106).
    V0_11,
    /// 2.1 – 2.2: KIP-279 answers and KIP-320 fencing on the replication path (R4.3–R4.5), the
    /// KAFKA-7128 ISR expansion guard.
    V2_1,
    /// 2.3 – 2.8: the consumer validates its position after a leader change (KIP-320 client, R7.7).
    V2_3,
    /// 3.0 – 3.5: the producer defaults to `enable.idempotence=true` and `acks=all` (KIP-679), the
    /// consumer to the assignors `[range, cooperative-sticky]`.
    V3_0,
    /// 3.6: KAFKA-15021, the HW also waits for caught-up replicas about to join the ISR.
    V3_6,
    /// 3.7 – 3.9: KAFKA-15583, the HW stops while the ISR is smaller than `min.insync.replicas`.
    V3_7,
    /// 4.0: `max.in.flight.requests.per.connection` above 5 with idempotence on is refused instead
    /// of turning idempotence off; eligible leader replicas exist but are off.
    V4_0,
    /// 4.1 and later: eligible leader replicas (KIP-966) on by default.
    #[default]
    V4_1,
}

impl KafkaVersion {
    /// Every line, oldest first.
    pub const ALL: [KafkaVersion; 9] = [
        KafkaVersion::V0_10,
        KafkaVersion::V0_11,
        KafkaVersion::V2_1,
        KafkaVersion::V2_3,
        KafkaVersion::V3_0,
        KafkaVersion::V3_6,
        KafkaVersion::V3_7,
        KafkaVersion::V4_0,
        KafkaVersion::V4_1,
    ];

    /// The line's name, as written in `kafka.version`.
    pub fn as_str(self) -> &'static str {
        match self {
            KafkaVersion::V0_10 => "0.10",
            KafkaVersion::V0_11 => "0.11",
            KafkaVersion::V2_1 => "2.1",
            KafkaVersion::V2_3 => "2.3",
            KafkaVersion::V3_0 => "3.0",
            KafkaVersion::V3_6 => "3.6",
            KafkaVersion::V3_7 => "3.7",
            KafkaVersion::V4_0 => "4.0",
            KafkaVersion::V4_1 => "4.1",
        }
    }

    /// The releases the line stands for.
    pub fn releases(self) -> &'static str {
        match self {
            KafkaVersion::V0_10 => "0.8.2 – 0.10.2",
            KafkaVersion::V0_11 => "0.11.0 – 2.0",
            KafkaVersion::V2_1 => "2.1 – 2.2",
            KafkaVersion::V2_3 => "2.3 – 2.8",
            KafkaVersion::V3_0 => "3.0 – 3.5",
            KafkaVersion::V3_6 => "3.6",
            KafkaVersion::V3_7 => "3.7 – 3.9",
            KafkaVersion::V4_0 => "4.0",
            KafkaVersion::V4_1 => "4.1 and later",
        }
    }

    /// One line on what this line changes compared with the one before (for the page).
    pub fn note(self) -> &'static str {
        match self {
            KafkaVersion::V0_10 => {
                "the article's Kafka: followers truncate to their high watermark; unclean election on; acks=1"
            }
            KafkaVersion::V0_11 => {
                "KIP-101 leader epochs (end offset only); unclean election off by default"
            }
            KafkaVersion::V2_1 => {
                "KIP-279/KIP-320 epoch fencing; a follower joins the ISR only within the leader's epoch (KAFKA-7128)"
            }
            KafkaVersion::V2_3 => {
                "consumers detect a truncated log after a leader change (KIP-320)"
            }
            KafkaVersion::V3_0 => {
                "idempotent producer and acks=all by default; assignors [range, cooperative-sticky]"
            }
            KafkaVersion::V3_6 => {
                "the HW also waits for caught-up replicas about to join the ISR (KAFKA-15021)"
            }
            KafkaVersion::V3_7 => {
                "the HW stops while the ISR is below min.insync.replicas (KAFKA-15583)"
            }
            KafkaVersion::V4_0 => {
                "max.in.flight above 5 with idempotence is an error; ELR exists but is off"
            }
            KafkaVersion::V4_1 => "eligible leader replicas (KIP-966) on by default",
        }
    }

    /// The version switches of this line (KAFKA-SEMANTICS §0.3).
    pub fn switches(self) -> Switches {
        use KafkaVersion::*;
        Switches {
            truncation: match self {
                V0_10 => TruncationMode::HighWatermark,
                V0_11 => TruncationMode::LeaderEpochV0,
                // Simplification: 2.1–2.6 find the divergence with a separate
                // OffsetsForLeaderEpoch round (KIP-279 answers, KIP-320 fencing); fetch-based
                // truncation (KAFKA-10554) came with 2.7. Both truncate to the same offset, so
                // the simulator uses the fetch-based form from 2.1 on.
                _ => TruncationMode::LeaderEpoch,
            },
            // KAFKA-15583 (3.7.0, `edc7e10a745`).
            min_isr_hw_gate: self >= V3_7,
            // KAFKA-7128 (2.1, `70c51633f2f`).
            isr_expansion_epoch_guard: self >= V2_1,
            // KIP-497 (2.7) made the leader propose ISR changes and count a pending expansion at
            // once; before it the leader wrote the new ISR to ZooKeeper itself and used it at
            // once (Partition.scala#expandIsr ≤ 2.6). Either way an expansion counts for the HW
            // immediately, so every line has it; `maximal_isr = false` is a broken design (S10).
            maximal_isr: true,
            // KAFKA-15021 (3.6, `8ad0ed3e618`).
            hw_waits_for_caught_up_replicas: self >= V3_6,
            // KIP-320 client side (2.3, R7.7).
            consumer_truncation_detection: self >= V2_3,
            eligible_leader_replicas: self.eligible_leader_replicas(),
        }
    }

    /// The producer's `acks` default: 1 before 3.0, `all` from 3.0 (KIP-679; ProducerConfig ACKS_DOC).
    pub fn default_acks(self) -> Acks {
        if self >= KafkaVersion::V3_0 {
            Acks::All
        } else {
            Acks::Leader
        }
    }

    /// The producer's `enable.idempotence` default: true from 3.0 (KIP-679; §0.3). 3.0.0 and
    /// 3.1.0 did not apply it (KAFKA-13598, fixed in 3.0.1, 3.1.1 and 3.2.0); the line models
    /// the fixed releases.
    pub fn default_idempotence(self) -> bool {
        self >= KafkaVersion::V3_0
    }

    /// Whether `max.in.flight.requests.per.connection` > 5 with idempotence on (also by default)
    /// is a configuration error: from 4.0 (ProducerConfig#postProcessAndValidateIdempotenceConfigs,
    /// ProducerConfigTest#testUpperboundCheckOfEnableIdempotence); 3.x turned idempotence off
    /// with a warning when it was not set explicitly.
    pub fn refuses_idempotent_in_flight_above_5(self) -> bool {
        self >= KafkaVersion::V4_0
    }

    /// The broker's `unclean.leader.election.enable` default: true before 0.11 (KAFKA-1028,
    /// AK:docs/design.html "Unclean leader election"; §0.3).
    pub fn default_unclean_leader_election(self) -> bool {
        self < KafkaVersion::V0_11
    }

    /// The broker's `group.initial.rebalance.delay.ms` default: 3000 from 0.11, which added it
    /// (KIP-134, GroupConfig / KafkaConfig GroupInitialRebalanceDelayMsProp); before, the first
    /// rebalance did not wait (0).
    pub fn default_group_initial_rebalance_delay_ms(self) -> Millis {
        if self >= KafkaVersion::V0_11 {
            3_000
        } else {
            0
        }
    }

    /// The consumer's `partition.assignment.strategy` default: `[range]` before 3.0,
    /// `[range, cooperative-sticky]` from 3.0 (ConsumerConfig PARTITION_ASSIGNMENT_STRATEGY_DOC,
    /// ConsumerConfigTest#testDefaultPartitionAssignor). Every member supports range, so the
    /// group uses range (GroupMetadata#selectProtocol).
    pub fn default_assignors(self) -> &'static [Strategy] {
        if self >= KafkaVersion::V3_0 {
            &[Strategy::Range, Strategy::CooperativeSticky]
        } else {
            &[Strategy::Range]
        }
    }

    /// Whether eligible leader replicas (KIP-966, R3.3) are on: off in 4.0 (preview,
    /// `eligible.leader.replicas.version=0`), on by default for new clusters from 4.1
    /// (kafka.apache.org/41/operations/eligible-leader-replicas).
    pub fn eligible_leader_replicas(self) -> bool {
        self >= KafkaVersion::V4_1
    }
}

impl std::fmt::Display for KafkaVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for KafkaVersion {
    type Err = String;

    /// A line's name ("3.7") or any release it covers ("3.9", "2.8.1").
    fn from_str(s: &str) -> Result<Self, String> {
        use KafkaVersion::*;
        let bad = || {
            let lines: Vec<&str> = KafkaVersion::ALL.iter().map(|v| v.as_str()).collect();
            format!(
                "kafka.version {s:?} is not a Kafka release the simulator knows; write a line ({}) or a release such as \"3.9\"",
                lines.join(", ")
            )
        };
        let mut parts = s.trim().split('.');
        let mut number = || -> Result<u32, String> {
            parts
                .next()
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse().ok())
                .ok_or_else(bad)
        };
        let (major, minor) = (number()?, number()?);
        if let Some(patch) = parts.next() {
            if patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(match (major, minor) {
            (0, 8..=10) => V0_10,
            (0, 11) | (1, 0..=1) | (2, 0) => V0_11,
            (2, 1..=2) => V2_1,
            (2, 3..=8) => V2_3,
            (3, 0..=5) => V3_0,
            (3, 6) => V3_6,
            (3, 7..=9) => V3_7,
            (4, 0) => V4_0,
            (4, _) => V4_1,
            _ => return Err(bad()),
        })
    }
}

impl Serialize for KafkaVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KafkaVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = KafkaVersion;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Kafka version as a string, like \"3.7\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KafkaVersion, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<KafkaVersion, E> {
                Err(E::custom(format!(
                    "write kafka.version as a string (\"{v}\"): as a number 0.10 would read as 0.1"
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<KafkaVersion, E> {
                Err(E::custom(format!(
                    "write kafka.version as a string with a minor version, like \"{v}.0\""
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<KafkaVersion, E> {
                self.visit_i64(v as i64)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_releases_map_to_their_line() {
        for v in KafkaVersion::ALL {
            assert_eq!(v.as_str().parse::<KafkaVersion>().unwrap(), v);
        }
        assert_eq!("3.9.1".parse::<KafkaVersion>().unwrap(), KafkaVersion::V3_7);
        assert_eq!("2.8".parse::<KafkaVersion>().unwrap(), KafkaVersion::V2_3);
        assert_eq!("1.1".parse::<KafkaVersion>().unwrap(), KafkaVersion::V0_11);
        assert_eq!(
            "0.9.0".parse::<KafkaVersion>().unwrap(),
            KafkaVersion::V0_10
        );
        assert_eq!("4.2".parse::<KafkaVersion>().unwrap(), KafkaVersion::V4_1);
        for bad in ["", "3", "2.9", "5.0", "3.x", "3.7.", "3.7.1.2", "latest"] {
            let e = bad.parse::<KafkaVersion>().unwrap_err();
            assert!(e.contains("kafka.version"), "{bad}: {e}");
        }
        assert_eq!(KafkaVersion::default(), *KafkaVersion::ALL.last().unwrap());
    }

    /// Each line turns on exactly the switches its releases have (KAFKA-SEMANTICS §0.3).
    #[test]
    fn each_line_sets_its_switches() {
        use KafkaVersion::*;
        let s = |v: KafkaVersion| v.switches();
        assert_eq!(s(V0_10).truncation, TruncationMode::HighWatermark);
        assert_eq!(s(V0_11).truncation, TruncationMode::LeaderEpochV0);
        assert_eq!(s(V2_1).truncation, TruncationMode::LeaderEpoch);
        assert!(!s(V0_11).isr_expansion_epoch_guard && s(V2_1).isr_expansion_epoch_guard);
        assert!(!s(V2_1).consumer_truncation_detection && s(V2_3).consumer_truncation_detection);
        assert!(
            !s(V3_0).hw_waits_for_caught_up_replicas && s(V3_6).hw_waits_for_caught_up_replicas
        );
        assert!(!s(V3_6).min_isr_hw_gate && s(V3_7).min_isr_hw_gate);
        assert!(KafkaVersion::ALL.iter().all(|v| v.switches().maximal_isr));
        assert!(!V4_0.eligible_leader_replicas() && V4_1.eligible_leader_replicas());
        // The newest line is today's Kafka: every switch on.
        assert_eq!(V4_1.switches(), Switches::MODERN);
    }

    #[test]
    fn defaults_change_where_kafka_changed_them() {
        use KafkaVersion::*;
        assert!(
            V0_10.default_unclean_leader_election() && !V0_11.default_unclean_leader_election()
        );
        assert_eq!(V2_3.default_acks(), Acks::Leader);
        assert_eq!(V3_0.default_acks(), Acks::All);
        assert!(!V2_3.default_idempotence() && V3_0.default_idempotence());
        assert_eq!(V2_3.default_assignors(), &[Strategy::Range]);
        assert_eq!(
            V3_0.default_assignors(),
            &[Strategy::Range, Strategy::CooperativeSticky]
        );
        assert!(!V3_7.refuses_idempotent_in_flight_above_5());
        assert!(V4_0.refuses_idempotent_in_flight_above_5());
    }
}
