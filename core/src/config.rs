//! Run configuration with Kafka's own names (`acks`, `min.insync.replicas`, …).
//!
//! Every field deserialises from Kafka's dotted name (quoted in TOML: `"min.insync.replicas" = 2`)
//! and from the snake_case alias (`min_insync_replicas = 2`). Defaults are Kafka's defaults unless a
//! comment says otherwise.
//!
//! `kafka.version` selects a release line ([`KafkaVersion`]); the settings whose default changed
//! across releases (`acks`, `enable.idempotence`, `unclean.leader.election.enable`,
//! `partition.assignment.strategy`) and the version switches of [`Profile`] are `Option`s: unset,
//! they follow the version, set, they override it. Read them through the accessors of
//! [`ClusterConfig`] ([`ClusterConfig::acks`], [`ClusterConfig::switches`], …), never the fields.

use serde::{Deserialize, Serialize};

use crate::assignor::Strategy;
use crate::topic_name::validate_topic_name;
use crate::txn::isolation::IsolationLevel;
use crate::types::{BrokerId, Millis};
pub use crate::version::KafkaVersion;

/// Most brokers a run may have.
pub const MAX_BROKERS: u32 = 7;

/// Most partitions a run may have over all its topics: what the picture can still draw and a
/// replay can still afford (a simplification; Kafka's own limits are far higher).
pub const MAX_TOTAL_PARTITIONS: u32 = 256;

/// The internal topic holding committed offsets (R7.2).
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";

/// The whole configuration of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterConfig {
    /// The Kafka release line whose behaviour and defaults the run has (default: the newest).
    #[serde(rename = "kafka.version", alias = "kafka_version")]
    pub kafka_version: KafkaVersion,
    /// Number of brokers, with ids `1..=brokers`.
    pub brokers: u32,
    /// Topics; the default is one topic `t` with one partition and replication factor 3.
    pub topics: Vec<TopicConfig>,
    /// Number of producer clients (`p1`, `p2`, …).
    pub producers: u32,
    /// Broker settings.
    pub broker: BrokerConfig,
    /// Producer settings.
    pub producer: ProducerConfig,
    /// Number of consumer clients (`c1`, `c2`, …), all in one group; 0 (the default) means no
    /// consuming side at all — and no `__consumer_offsets` topic.
    pub consumers: u32,
    /// Settings shared by every consumer (ConsumerConfig.java names).
    pub consumer: ConsumerConfig,
    /// Network latency and jitter.
    pub network: NetworkConfig,
    /// A consume-transform-produce application run by the consumers (`[pipeline]`; none by
    /// default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<crate::pipeline::PipelineConfig>,
    /// Which Kafka version's behaviour to simulate.
    pub profile: Profile,
    /// Record a human-readable event log (turn off for benchmarks).
    pub trace: bool,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            kafka_version: KafkaVersion::default(),
            brokers: 3,
            topics: vec![TopicConfig::default()],
            producers: 1,
            broker: BrokerConfig::default(),
            producer: ProducerConfig::default(),
            consumers: 0,
            consumer: ConsumerConfig::default(),
            network: NetworkConfig::default(),
            pipeline: None,
            profile: Profile::default(),
            trace: true,
        }
    }
}

/// A topic: its name, partition count, replication factor and optional explicit assignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicConfig {
    /// The topic's name.
    pub name: String,
    /// Number of partitions (`num.partitions`).
    pub partitions: u32,
    /// Replicas per partition (`replication.factor`).
    #[serde(rename = "replication.factor", alias = "replication_factor")]
    pub replication_factor: u32,
    /// Explicit replica assignment, one list per partition (first = preferred leader).
    /// When empty, Kafka's rack-unaware placement is used (see `placement`).
    pub replicas: Vec<Vec<BrokerId>>,
    /// `retention.bytes`, counted in records (simplification: one record is one unit, one
    /// segment): each replica deletes its oldest records beyond this many, below its HW, on the
    /// `log.retention.check.interval.ms` timer. Unset: unlimited (Kafka's default -1).
    #[serde(
        rename = "retention.bytes",
        alias = "retention_bytes",
        skip_serializing_if = "Option::is_none"
    )]
    pub retention_bytes: Option<u64>,
    /// `retention.ms`: each replica deletes its records older than this (by their timestamp, the
    /// leader's append time), below its HW, on the `log.retention.check.interval.ms` timer
    /// (UnifiedLog#deleteRetentionMsBreachedSegments). Unset: Kafka's default 604800000 (7 days),
    /// which no run reaches (a run's budget is one simulated day), so nothing is checked.
    #[serde(
        rename = "retention.ms",
        alias = "retention_ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub retention_ms: Option<u64>,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            name: "t".into(),
            partitions: 1,
            replication_factor: 3,
            replicas: vec![],
            retention_bytes: None,
            retention_ms: None,
        }
    }
}

/// Broker (and controller) settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrokerConfig {
    /// `min.insync.replicas`: the smallest ISR an `acks=all` write needs (R3.2).
    #[serde(rename = "min.insync.replicas", alias = "min_insync_replicas")]
    pub min_insync_replicas: u32,
    /// Unset: the version's default (true before 0.11, §0.3); read
    /// [`ClusterConfig::unclean_leader_election_enable`].
    #[serde(
        rename = "unclean.leader.election.enable",
        alias = "unclean_leader_election_enable",
        skip_serializing_if = "Option::is_none"
    )]
    pub unclean_leader_election_enable: Option<bool>,
    /// R2.1: a follower not caught up for longer than this leaves the ISR (Kafka default 30000).
    #[serde(rename = "replica.lag.time.max.ms", alias = "replica_lag_time_max_ms")]
    pub replica_lag_time_max_ms: Millis,
    /// R1.3: how long a follower fetch with no new data waits in the leader's purgatory (default 500).
    #[serde(
        rename = "replica.fetch.wait.max.ms",
        alias = "replica_fetch_wait_max_ms"
    )]
    pub replica_fetch_wait_max_ms: Millis,
    /// R1.6: back-off after a failed follower fetch (default 1000).
    #[serde(
        rename = "replica.fetch.backoff.ms",
        alias = "replica_fetch_backoff_ms"
    )]
    pub replica_fetch_backoff_ms: Millis,
    /// How long a follower waits for a fetch response before giving up on it (default 30000).
    #[serde(
        rename = "replica.socket.timeout.ms",
        alias = "replica_socket_timeout_ms"
    )]
    pub replica_socket_timeout_ms: Millis,
    /// KRaft broker heartbeat period (default 2000).
    #[serde(
        rename = "broker.heartbeat.interval.ms",
        alias = "broker_heartbeat_interval_ms"
    )]
    pub broker_heartbeat_interval_ms: Millis,
    /// R3.2: the controller fences a broker with no heartbeat for this long (default 9000).
    #[serde(
        rename = "broker.session.timeout.ms",
        alias = "broker_session_timeout_ms"
    )]
    pub broker_session_timeout_ms: Millis,
    /// How often the OS writes dirty pages to disk; a hard crash that loses the page cache loses
    /// what was appended since (§0.1). Kafka leaves flushing to the OS by default
    /// (`log.flush.interval.messages` = Long.MAX_VALUE); 0 means "flush on every append".
    #[serde(rename = "log.flush.interval.ms", alias = "log_flush_interval_ms")]
    pub log_flush_interval_ms: Millis,
    /// How often each broker applies retention to its replicas (Kafka's default 300000,
    /// ServerLogConfigs.LOG_CLEANUP_INTERVAL_MS_DEFAULT; LogManager#startup schedules
    /// cleanupLogs with it). The timer runs only when a topic sets a retention.
    #[serde(
        rename = "log.retention.check.interval.ms",
        alias = "log_retention_check_interval_ms"
    )]
    pub log_retention_check_interval_ms: Millis,
    /// `group.min.session.timeout.ms` (6000) and `group.max.session.timeout.ms` (1800000): the
    /// group coordinator refuses a member whose `session.timeout.ms` is outside them with
    /// INVALID_SESSION_TIMEOUT (GroupCoordinator#handleJoinGroup). Simplification: refused when
    /// the run is configured, not at JoinGroup.
    #[serde(
        rename = "group.min.session.timeout.ms",
        alias = "group_min_session_timeout_ms"
    )]
    pub group_min_session_timeout_ms: Millis,
    /// See `group_min_session_timeout_ms`.
    #[serde(
        rename = "group.max.session.timeout.ms",
        alias = "group_max_session_timeout_ms"
    )]
    pub group_max_session_timeout_ms: Millis,
    /// How long the group coordinator waits for more members before the first rebalance of an
    /// Empty group (KIP-134, GroupCoordinator's InitialDelayedJoin; 0 = no wait). Unset: the
    /// version's default (3000 from 0.11, when KIP-134 added it; 0 before); read
    /// [`ClusterConfig::group_initial_rebalance_delay_ms`].
    #[serde(
        rename = "group.initial.rebalance.delay.ms",
        alias = "group_initial_rebalance_delay_ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_initial_rebalance_delay_ms: Option<Millis>,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        BrokerConfig {
            min_insync_replicas: 1,
            unclean_leader_election_enable: None,
            replica_lag_time_max_ms: 30_000,
            replica_fetch_wait_max_ms: 500,
            replica_fetch_backoff_ms: 1_000,
            replica_socket_timeout_ms: 30_000,
            broker_heartbeat_interval_ms: 2_000,
            broker_session_timeout_ms: 9_000,
            log_flush_interval_ms: 5_000,
            log_retention_check_interval_ms: 300_000,
            group_min_session_timeout_ms: 6_000,
            group_max_session_timeout_ms: 1_800_000,
            group_initial_rebalance_delay_ms: None,
        }
    }
}

/// The producer's `acks` setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Acks {
    /// `acks=0`: fire and forget.
    None,
    /// `acks=1`: the leader's local append.
    Leader,
    /// `acks=all` (`-1`): the whole ISR, subject to `min.insync.replicas`.
    All,
}

impl Acks {
    /// The setting's value as Kafka writes it (`"0"`, `"1"`, `"all"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Acks::None => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        }
    }
}

impl std::str::FromStr for Acks {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "0" => Ok(Acks::None),
            "1" => Ok(Acks::Leader),
            "all" | "-1" => Ok(Acks::All),
            other => Err(format!("acks must be 0, 1, all or -1, not {other:?}")),
        }
    }
}

impl Serialize for Acks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Acks {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Acks;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("acks: 0, 1, \"all\" or -1")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Acks, E> {
                v.to_string().parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Acks, E> {
                v.to_string().parse().map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Acks, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Producer client settings (ProducerConfig.java names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProducerConfig {
    /// Unset: `all` when `enable.idempotence` is set to true, else the version's default (1 before
    /// 3.0, `all` from 3.0); read [`ClusterConfig::acks`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acks: Option<Acks>,
    /// Kafka's default is Integer.MAX_VALUE; retries are bounded by `delivery.timeout.ms` anyway.
    pub retries: u32,
    /// `request.timeout.ms`: how long the producer waits for a response before retrying.
    #[serde(rename = "request.timeout.ms", alias = "request_timeout_ms")]
    pub request_timeout_ms: Millis,
    /// `delivery.timeout.ms`: the upper bound on the time to report a send's success or failure.
    #[serde(rename = "delivery.timeout.ms", alias = "delivery_timeout_ms")]
    pub delivery_timeout_ms: Millis,
    /// `retry.backoff.ms`: the wait before retrying a failed request.
    #[serde(rename = "retry.backoff.ms", alias = "retry_backoff_ms")]
    pub retry_backoff_ms: Millis,
    #[serde(
        rename = "max.in.flight.requests.per.connection",
        alias = "max_in_flight_requests_per_connection"
    )]
    /// `max.in.flight.requests.per.connection`: unacknowledged requests per broker.
    pub max_in_flight_requests_per_connection: u32,
    /// KIP-98 idempotent producer (R5). Unset: the version's default (true from 3.0), turned off
    /// by a conflicting `acks`; read [`ClusterConfig::enable_idempotence`].
    #[serde(
        rename = "enable.idempotence",
        alias = "enable_idempotence",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_idempotence: Option<bool>,
    /// `transactional.id` (KIP-98, R6): every producer of the run uses it (one transactional id
    /// per run, as one group per run; two producers with it are two instances of one
    /// application, the later one fencing the earlier, R6.2). Implies idempotence.
    #[serde(
        rename = "transactional.id",
        alias = "transactional_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub transactional_id: Option<String>,
    /// `transaction.timeout.ms` (default 60000): the coordinator aborts a transaction open longer
    /// than this (R6.4); at most the broker's `transaction.max.timeout.ms` (900000).
    #[serde(rename = "transaction.timeout.ms", alias = "transaction_timeout_ms")]
    pub transaction_timeout_ms: Millis,
}

impl Default for ProducerConfig {
    fn default() -> Self {
        ProducerConfig {
            acks: None,
            retries: u32::MAX,
            request_timeout_ms: 30_000,
            delivery_timeout_ms: 120_000,
            retry_backoff_ms: 100,
            max_in_flight_requests_per_connection: 5,
            enable_idempotence: None,
            transactional_id: None,
            transaction_timeout_ms: crate::txn::DEFAULT_TRANSACTION_TIMEOUT_MS,
        }
    }
}

/// `auto.offset.reset`: where a consumer starts when it has no committed offset, or when its
/// position is out of range (R7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetReset {
    /// Start from the log start offset.
    Earliest,
    /// Start from the log end offset.
    Latest,
    /// Throw `NoOffsetForPartitionException` / `OffsetOutOfRangeException`: the consumer stops
    /// fetching that partition.
    None,
}

/// When the application commits its position (R7.3, AK:docs/design.html "consumer semantics").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitMode {
    /// `enable.auto.commit`: positions are committed at the start of a `poll()` once
    /// `auto.commit.interval.ms` has elapsed.
    Auto,
    /// `commitSync()` after the records of a poll are processed: at-least-once.
    AfterProcessing,
    /// `commitSync()` right after `poll()`, before processing: at-most-once.
    BeforeProcessing,
}

impl CommitMode {
    /// The mode's name as scenarios write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CommitMode::Auto => "auto",
            CommitMode::AfterProcessing => "after-processing",
            CommitMode::BeforeProcessing => "before-processing",
        }
    }
}

/// Consumer client settings (ConsumerConfig.java names), shared by every consumer of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerConfig {
    /// `group.id`: the consumer group all consumers join.
    #[serde(rename = "group.id", alias = "group_id")]
    pub group_id: String,
    /// Default: true when `commit` is "auto", false otherwise (Kafka's default is true).
    #[serde(rename = "enable.auto.commit", alias = "enable_auto_commit")]
    pub enable_auto_commit: Option<bool>,
    /// `auto.commit.interval.ms`: the period of automatic offset commits.
    #[serde(rename = "auto.commit.interval.ms", alias = "auto_commit_interval_ms")]
    pub auto_commit_interval_ms: Millis,
    /// Kafka's default, "latest", in every version.
    #[serde(rename = "auto.offset.reset", alias = "auto_offset_reset")]
    pub auto_offset_reset: OffsetReset,
    /// `session.timeout.ms`: how long the coordinator waits for a heartbeat before evicting a member.
    #[serde(rename = "session.timeout.ms", alias = "session_timeout_ms")]
    pub session_timeout_ms: Millis,
    /// `heartbeat.interval.ms`: the period of consumer heartbeats.
    #[serde(rename = "heartbeat.interval.ms", alias = "heartbeat_interval_ms")]
    pub heartbeat_interval_ms: Millis,
    /// `max.poll.interval.ms`: the longest time between polls before the member leaves the group.
    #[serde(rename = "max.poll.interval.ms", alias = "max_poll_interval_ms")]
    pub max_poll_interval_ms: Millis,
    /// `max.poll.records`: the most records one `poll()` returns.
    #[serde(rename = "max.poll.records", alias = "max_poll_records")]
    pub max_poll_records: u32,
    /// How long an empty fetch waits before the consumer fetches again (the broker holds a
    /// consumer fetch for up to `fetch.max.wait.ms`; here the consumer waits instead).
    #[serde(rename = "fetch.max.wait.ms", alias = "fetch_max_wait_ms")]
    pub fetch_max_wait_ms: Millis,
    /// `retry.backoff.ms`: the wait before retrying a failed request.
    #[serde(rename = "retry.backoff.ms", alias = "retry_backoff_ms")]
    pub retry_backoff_ms: Millis,
    /// `request.timeout.ms`: how long the consumer waits for a response.
    #[serde(rename = "request.timeout.ms", alias = "request_timeout_ms")]
    pub request_timeout_ms: Millis,
    /// The assignors every member offers, in order of preference: one name or a list. Unset: the
    /// version's default (`[range]` before 3.0, `[range, cooperative-sticky]` from 3.0); read
    /// [`ClusterConfig::assignment_strategies`] and [`ClusterConfig::assignment_strategy`].
    #[serde(
        rename = "partition.assignment.strategy",
        alias = "partition_assignment_strategy",
        skip_serializing_if = "Option::is_none"
    )]
    pub partition_assignment_strategy: Option<Assignors>,
    /// The application's commit discipline (not a Kafka setting).
    #[serde(alias = "commit_mode")]
    pub commit: CommitMode,
    /// Virtual time the application spends on each record (not a Kafka setting).
    #[serde(rename = "processing.ms", alias = "processing_ms")]
    pub processing_ms: Millis,
    /// The application writes into a sink keyed by record id that drops a record it already
    /// holds: consumer-side deduplication (not a Kafka setting).
    pub dedup: bool,
    /// `isolation.level` (default `read_uncommitted`): `read_committed` reads below the last
    /// stable offset only and drops aborted transactions (R6.7).
    #[serde(rename = "isolation.level", alias = "isolation_level")]
    pub isolation_level: IsolationLevel,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        ConsumerConfig {
            group_id: "g".into(),
            enable_auto_commit: None,
            auto_commit_interval_ms: 5_000,
            auto_offset_reset: OffsetReset::Latest,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            max_poll_records: 500,
            fetch_max_wait_ms: 500,
            retry_backoff_ms: 100,
            request_timeout_ms: 30_000,
            partition_assignment_strategy: None,
            commit: CommitMode::Auto,
            processing_ms: 10,
            dedup: false,
            isolation_level: IsolationLevel::ReadUncommitted,
        }
    }
}

/// `partition.assignment.strategy`: one to four distinct assignors in order of preference,
/// written as one name (`"range"`) or a list (`["range", "cooperative-sticky"]`). Kept inline
/// (no allocation): there are four assignors and a list names each at most once.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Assignors {
    items: [Strategy; 4],
    len: u8,
}

impl Assignors {
    /// The list, or why Kafka's consumer would refuse it (empty, or an assignor twice).
    pub fn new(list: &[Strategy]) -> Result<Assignors, String> {
        if list.is_empty() {
            return Err("partition.assignment.strategy must name at least one assignor".into());
        }
        let mut a = Assignors {
            items: [Strategy::Range; 4],
            len: 0,
        };
        for s in list {
            if a.as_slice().contains(s) {
                return Err(format!(
                    "partition.assignment.strategy lists {} twice",
                    s.kafka_name()
                ));
            }
            a.items[a.len as usize] = *s;
            a.len += 1;
        }
        Ok(a)
    }

    /// The assignors, most preferred first.
    pub fn as_slice(&self) -> &[Strategy] {
        &self.items[..self.len as usize]
    }
}

impl std::fmt::Debug for Assignors {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl Serialize for Assignors {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Assignors {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(
            untagged,
            expecting = "an assignor (\"range\", \"roundrobin\", \"sticky\", \"cooperative-sticky\") or a list of them"
        )]
        enum OneOrMany {
            One(Strategy),
            Many(Vec<Strategy>),
        }
        let list = match OneOrMany::deserialize(d)? {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        Assignors::new(&list).map_err(serde::de::Error::custom)
    }
}

impl ConsumerConfig {
    /// Whether auto-commit runs (R7.3).
    pub fn auto_commit(&self) -> bool {
        self.enable_auto_commit
            .unwrap_or(self.commit == CommitMode::Auto)
    }
}

/// The simulated network between every pair of nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// One-way latency of every message.
    pub latency_ms: Millis,
    /// Extra random latency in `0..=jitter_ms`, from the run's seed (links stay FIFO, like TCP).
    pub jitter_ms: Millis,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            latency_ms: 10,
            jitter_ms: 5,
        }
    }
}

/// How a follower decides what to truncate when it follows a new leader (R4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TruncationMode {
    /// Kafka ≤ 0.10: truncate to the local high watermark (R4.1) — what the source article describes.
    HighWatermark,
    /// Kafka 0.11: KIP-101 leader epochs, the leader answers with an end offset only (R4.2).
    LeaderEpochV0,
    /// Kafka ≥ 2.7: KIP-101 + KIP-279 + KIP-320 fencing, divergence found in the fetch itself (R4.3–R4.5).
    LeaderEpoch,
}

/// Version switches (§0.3) set explicitly; each one left unset follows `kafka.version`. Read the
/// switches in force with [`ClusterConfig::switches`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// How a follower finds its truncation point; the version's default when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncation: Option<TruncationMode>,
    /// KAFKA-15583 (3.7): the HW is frozen while |ISR| < min(min.insync.replicas, RF), and the
    /// effective min ISR is capped at RF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_isr_hw_gate: Option<bool>,
    /// KAFKA-7128 (2.1): a follower joins the ISR only once its LEO reaches the leader epoch's start offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isr_expansion_epoch_guard: Option<bool>,
    /// KIP-497: a pending ISR expansion counts for the HW at once (the "maximal ISR", S10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximal_isr: Option<bool>,
    /// KAFKA-15021 (3.6): the HW also waits for caught-up replicas that are about to join the ISR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hw_waits_for_caught_up_replicas: Option<bool>,
    /// KIP-320 (R7.7; consumer side from the 2.3 client, KAFKA-8422): after a leader change a
    /// consumer validates its position with OffsetsForLeaderEpoch and detects a truncated log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_truncation_detection: Option<bool>,
    /// KIP-966 eligible leader replicas (R3.3; on from 4.1): the ISR may become empty, and the
    /// controller elects cleanly from the replicas that left an ISR below `min.insync.replicas`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible_leader_replicas: Option<bool>,
}

impl Profile {
    /// `base` (a version's switches) with every switch set here overriding it.
    pub fn resolve(&self, base: Switches) -> Switches {
        Switches {
            truncation: self.truncation.unwrap_or(base.truncation),
            min_isr_hw_gate: self.min_isr_hw_gate.unwrap_or(base.min_isr_hw_gate),
            isr_expansion_epoch_guard: self
                .isr_expansion_epoch_guard
                .unwrap_or(base.isr_expansion_epoch_guard),
            maximal_isr: self.maximal_isr.unwrap_or(base.maximal_isr),
            hw_waits_for_caught_up_replicas: self
                .hw_waits_for_caught_up_replicas
                .unwrap_or(base.hw_waits_for_caught_up_replicas),
            consumer_truncation_detection: self
                .consumer_truncation_detection
                .unwrap_or(base.consumer_truncation_detection),
            eligible_leader_replicas: self
                .eligible_leader_replicas
                .unwrap_or(base.eligible_leader_replicas),
        }
    }
}

/// The version switches in force for a run (the fields of [`Profile`], resolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Switches {
    /// How a follower finds where to truncate (R4).
    pub truncation: TruncationMode,
    /// KAFKA-15583 min-ISR HW gate.
    pub min_isr_hw_gate: bool,
    /// KAFKA-7128 ISR expansion guard.
    pub isr_expansion_epoch_guard: bool,
    /// KIP-497 maximal ISR.
    pub maximal_isr: bool,
    /// KAFKA-15021: the HW waits for caught-up replicas about to join the ISR.
    pub hw_waits_for_caught_up_replicas: bool,
    /// KIP-320 consumer-side truncation detection.
    pub consumer_truncation_detection: bool,
    /// KIP-966 eligible leader replicas.
    pub eligible_leader_replicas: bool,
}

impl Switches {
    /// Today's Kafka: every switch on, leader-epoch truncation.
    pub const MODERN: Switches = Switches {
        truncation: TruncationMode::LeaderEpoch,
        min_isr_hw_gate: true,
        isr_expansion_epoch_guard: true,
        maximal_isr: true,
        hw_waits_for_caught_up_replicas: true,
        consumer_truncation_detection: true,
        eligible_leader_replicas: true,
    };
}

/// A configuration the simulator refuses, with a message naming the offending setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The settings whose default depends on `kafka.version`, resolved: what every reader uses.
impl ClusterConfig {
    /// The version switches in force: `kafka.version`'s, overridden by those set in `profile`.
    pub fn switches(&self) -> Switches {
        self.profile.resolve(self.kafka_version.switches())
    }

    /// The producer's `acks`: as set; else `all` when `enable.idempotence` is set to true (before
    /// 3.0 ProducerConfig#maybeOverrideAcksAndRetries set an unset `acks` to all for it); else the
    /// version's default.
    pub fn acks(&self) -> Acks {
        self.producer.acks.unwrap_or_else(|| {
            // A transactional producer is idempotent, hence acks=all (ProducerConfig#postProcessAndValidateIdempotenceConfigs).
            if self.producer.enable_idempotence == Some(true) || self.transactional() {
                Acks::All
            } else {
                self.kafka_version.default_acks()
            }
        })
    }

    /// Whether the producer is idempotent: as set; else the version's default, which a conflicting
    /// `acks`, `retries = 0` or more than 5 requests in flight turn off
    /// (ProducerConfig#postProcessAndValidateIdempotenceConfigs, 3.2 / 3.1.1 / 3.0.1, KAFKA-13673).
    pub fn enable_idempotence(&self) -> bool {
        let p = &self.producer;
        p.enable_idempotence.unwrap_or_else(|| {
            // KafkaProducer: a transactional.id turns idempotence on (R6, KIP-98).
            self.transactional()
                || self.kafka_version.default_idempotence()
                    && self.acks() == Acks::All
                    && p.retries > 0
                    && p.max_in_flight_requests_per_connection <= 5
        })
    }

    /// Whether the run has transactions: the producers' `transactional.id` is set, or the
    /// pipeline runs with `processing.guarantee = exactly_once_v2`.
    pub fn transactional(&self) -> bool {
        // `transactional_id` without building the string: the producer asks on every send.
        self.producer.transactional_id.is_some() || self.exactly_once_pipeline().is_some()
    }

    /// The pipeline, when it runs with `processing.guarantee = exactly_once_v2`.
    fn exactly_once_pipeline(&self) -> Option<&crate::pipeline::PipelineConfig> {
        self.pipeline.as_ref().filter(|p| p.exactly_once())
    }

    /// The run's one `transactional.id`: the producers', or the exactly-once pipeline's
    /// (`<application.id>-0`, as Kafka Streams derives its producers' ids from `application.id`).
    pub fn transactional_id(&self) -> Option<String> {
        self.producer
            .transactional_id
            .clone()
            .or_else(|| self.exactly_once_pipeline().map(|p| p.transactional_id()))
    }

    /// The consumers' `isolation.level`: as set, except that an exactly-once pipeline reads
    /// `read_committed` (Kafka Streams sets it for `exactly_once_v2`, StreamsConfig).
    pub fn isolation_level(&self) -> crate::txn::isolation::IsolationLevel {
        if self.exactly_once_pipeline().is_some() {
            crate::txn::isolation::IsolationLevel::ReadCommitted
        } else {
            self.consumer.isolation_level
        }
    }

    /// The broker's `unclean.leader.election.enable`: as set, else the version's default.
    pub fn unclean_leader_election_enable(&self) -> bool {
        self.broker
            .unclean_leader_election_enable
            .unwrap_or_else(|| self.kafka_version.default_unclean_leader_election())
    }

    /// The broker's `group.initial.rebalance.delay.ms`: as set, else the version's default.
    pub fn group_initial_rebalance_delay_ms(&self) -> Millis {
        self.broker
            .group_initial_rebalance_delay_ms
            .unwrap_or_else(|| {
                self.kafka_version
                    .default_group_initial_rebalance_delay_ms()
            })
    }

    /// The assignors every consumer offers, in order of preference: as set, else the version's
    /// default.
    pub fn assignment_strategies(&self) -> &[Strategy] {
        match &self.consumer.partition_assignment_strategy {
            Some(a) => a.as_slice(),
            None => self.kafka_version.default_assignors(),
        }
    }

    /// The assignor the group uses. The coordinator picks the protocol every member supports that
    /// most members prefer (GroupMetadata.scala#selectProtocol); all members here share one list,
    /// so that is its first entry — `range` with the default `[range, cooperative-sticky]`.
    pub fn assignment_strategy(&self) -> Strategy {
        self.assignment_strategies()
            .first()
            .copied()
            .unwrap_or(Strategy::Range)
    }

    /// Whether the group rebalances cooperatively (KIP-429): only when every assignor in the list
    /// supports the COOPERATIVE protocol (ConsumerCoordinator picks the highest protocol all of
    /// them support); the default `[range, cooperative-sticky]` is therefore eager.
    pub fn cooperative_rebalancing(&self) -> bool {
        self.assignment_strategies()
            .iter()
            .all(|s| *s == Strategy::CooperativeSticky)
    }
}

impl ClusterConfig {
    /// Checks every bound; returns the first problem in plain words.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |m: String| Err(ConfigError(m));
        if self.brokers == 0 || self.brokers > MAX_BROKERS {
            return err(format!(
                "brokers must be between 1 and {MAX_BROKERS}, not {}",
                self.brokers
            ));
        }
        if self.topics.is_empty() {
            return err("at least one topic is needed".into());
        }
        if self.producers > 16 {
            return err(format!("at most 16 producers, not {}", self.producers));
        }
        let mut names = crate::vec_map::VecSet::new();
        for t in &self.topics {
            validate_topic_name(&t.name).map_err(ConfigError)?;
            if !names.insert(t.name.as_str()) {
                return err(format!("topic {:?} is defined twice", t.name));
            }
            if t.partitions == 0 || t.partitions > 64 {
                return err(format!(
                    "topic {}: partitions must be between 1 and 64",
                    t.name
                ));
            }
            if t.replication_factor == 0 {
                return err(format!(
                    "topic {}: replication.factor must be at least 1",
                    t.name
                ));
            }
            if t.replication_factor > self.brokers {
                return err(format!(
                    "topic {}: replication.factor {} is larger than the number of brokers ({})",
                    t.name, t.replication_factor, self.brokers
                ));
            }
            if !t.replicas.is_empty() {
                if t.replicas.len() != t.partitions as usize {
                    return err(format!(
                        "topic {}: replicas lists {} partitions but the topic has {}",
                        t.name,
                        t.replicas.len(),
                        t.partitions
                    ));
                }
                for (p, rs) in t.replicas.iter().enumerate() {
                    if rs.len() != t.replication_factor as usize {
                        return err(format!(
                            "topic {} partition {p}: {} replicas listed, replication.factor is {}",
                            t.name,
                            rs.len(),
                            t.replication_factor
                        ));
                    }
                    for (i, b) in rs.iter().enumerate() {
                        if *b == 0 || *b > self.brokers {
                            return err(format!(
                                "topic {} partition {p}: unknown broker {b} (brokers are 1..={})",
                                t.name, self.brokers
                            ));
                        }
                        if rs[..i].contains(b) {
                            return err(format!(
                                "topic {} partition {p}: broker {b} listed twice",
                                t.name
                            ));
                        }
                    }
                }
            }
        }
        let total: u64 = self.topics.iter().map(|t| u64::from(t.partitions)).sum();
        if total > u64::from(MAX_TOTAL_PARTITIONS) {
            return err(format!(
                "at most {MAX_TOTAL_PARTITIONS} partitions over all topics, not {total}"
            ));
        }
        let b = &self.broker;
        // ConfigDef's Range.atLeast wording (ConfigDef.java#Range#ensureValid).
        let at_least = |name: &str, v: u64, min: u64| {
            if v < min {
                err(format!(
                    "Invalid value {v} for configuration {name}: Value must be at least {min}"
                ))
            } else {
                Ok(())
            }
        };
        at_least("min.insync.replicas", u64::from(b.min_insync_replicas), 1)?;
        for (name, v) in [
            ("replica.lag.time.max.ms", b.replica_lag_time_max_ms),
            ("replica.fetch.backoff.ms", b.replica_fetch_backoff_ms),
            ("replica.socket.timeout.ms", b.replica_socket_timeout_ms),
            (
                "broker.heartbeat.interval.ms",
                b.broker_heartbeat_interval_ms,
            ),
            ("broker.session.timeout.ms", b.broker_session_timeout_ms),
            ("request.timeout.ms", self.producer.request_timeout_ms),
            ("delivery.timeout.ms", self.producer.delivery_timeout_ms),
        ] {
            if v == 0 {
                return err(format!("{name} must be positive"));
            }
            if v > 86_400_000 {
                return err(format!("{name} must be at most one day (86400000 ms)"));
            }
        }
        for (name, v) in [
            ("replica.fetch.wait.max.ms", b.replica_fetch_wait_max_ms),
            ("log.flush.interval.ms", b.log_flush_interval_ms),
            (
                "log.retention.check.interval.ms",
                b.log_retention_check_interval_ms,
            ),
        ] {
            if v > 86_400_000 {
                return err(format!("{name} must be at most one day (86400000 ms)"));
            }
        }
        if b.broker_session_timeout_ms <= b.broker_heartbeat_interval_ms {
            return err(
                "broker.session.timeout.ms must be larger than broker.heartbeat.interval.ms".into(),
            );
        }
        let p = &self.producer;
        at_least(
            "max.in.flight.requests.per.connection",
            u64::from(p.max_in_flight_requests_per_connection),
            1,
        )?;
        if p.delivery_timeout_ms < p.request_timeout_ms {
            // KafkaProducer#configureDeliveryTimeout (linger.ms is 0 here).
            return err(format!(
                "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms (linger.ms 0, request.timeout.ms {}, delivery.timeout.ms {})",
                p.request_timeout_ms, p.delivery_timeout_ms
            ));
        }
        let version = self.kafka_version;
        if let Some(tid) = &p.transactional_id {
            // ProducerConfig / KafkaProducer#configureTransactionState wording.
            if tid.is_empty() {
                return err("transactional.id must not be empty; leave it unset for a non-transactional producer".into());
            }
            if version < KafkaVersion::V0_11 {
                return err(format!(
                    "transactional.id needs Kafka 0.11 or later (transactions arrived with KIP-98); kafka.version is {version}"
                ));
            }
            if p.enable_idempotence == Some(false) {
                return err("Cannot set a transactional.id without also enabling idempotence (ProducerConfig); remove enable.idempotence = false".into());
            }
            if self.acks() != Acks::All {
                return err("a transactional producer requires acks=all (ProducerConfig: idempotence is implied)".into());
            }
            if p.transaction_timeout_ms > crate::txn::MAX_TRANSACTION_TIMEOUT_MS {
                return err(format!(
                    "transaction.timeout.ms {} is larger than the broker's transaction.max.timeout.ms ({}): InitProducerId would fail with INVALID_TRANSACTION_TIMEOUT",
                    p.transaction_timeout_ms,
                    crate::txn::MAX_TRANSACTION_TIMEOUT_MS
                ));
            }
            if p.transaction_timeout_ms == 0 {
                return err("transaction.timeout.ms must be at least 1".into());
            }
        }
        if p.enable_idempotence == Some(true) {
            // R5.3: idempotence requires acks=all, retries > 0 and at most 5 requests in flight;
            // set explicitly, a conflict is an error (ProducerConfig#postProcessAndValidateIdempotenceConfigs).
            if self.acks() != Acks::All {
                return err("enable.idempotence requires acks=all (ProducerConfig)".into());
            }
            if p.retries == 0 {
                return err("enable.idempotence requires retries > 0 (ProducerConfig)".into());
            }
        }
        let idempotence_on = p
            .enable_idempotence
            .unwrap_or(version.default_idempotence());
        let in_flight_refused = p.enable_idempotence == Some(true)
            || (idempotence_on && version.refuses_idempotent_in_flight_above_5());
        if in_flight_refused && p.max_in_flight_requests_per_connection > 5 {
            return err(format!(
                "enable.idempotence{} requires max.in.flight.requests.per.connection <= 5 (ProducerConfig); set enable.idempotence = false",
                if p.enable_idempotence.is_some() {
                    String::new()
                } else {
                    format!(" (on by default in Kafka {version})")
                }
            ));
        }
        if self.group_initial_rebalance_delay_ms() > 86_400_000 {
            return err(
                "group.initial.rebalance.delay.ms must be at most one day (86400000 ms)".into(),
            );
        }
        if self.consumers > 16 {
            return err(format!("at most 16 consumers, not {}", self.consumers));
        }
        let c = &self.consumer;
        for (name, v) in [
            ("auto.commit.interval.ms", c.auto_commit_interval_ms),
            ("session.timeout.ms", c.session_timeout_ms),
            ("heartbeat.interval.ms", c.heartbeat_interval_ms),
            ("max.poll.interval.ms", c.max_poll_interval_ms),
            ("fetch.max.wait.ms", c.fetch_max_wait_ms),
            ("retry.backoff.ms", c.retry_backoff_ms),
            ("request.timeout.ms", c.request_timeout_ms),
        ] {
            if v == 0 {
                return err(format!("consumer {name} must be positive"));
            }
            if v > 86_400_000 {
                return err(format!(
                    "consumer {name} must be at most one day (86400000 ms)"
                ));
            }
        }
        if c.processing_ms > 3_600_000 {
            return err("consumer processing.ms must be at most one hour".into());
        }
        at_least("max.poll.records", u64::from(c.max_poll_records), 1)?;
        if c.max_poll_records > 10_000 {
            return err("consumer max.poll.records must be at most 10000 here".into());
        }
        let (min, max) = (
            b.group_min_session_timeout_ms,
            b.group_max_session_timeout_ms,
        );
        if self.consumers > 0 && !(min..=max).contains(&c.session_timeout_ms) {
            return err(format!(
                "session.timeout.ms {} is outside the broker's group.min.session.timeout.ms ({min}) and group.max.session.timeout.ms ({max}): the group coordinator would answer JoinGroup with INVALID_SESSION_TIMEOUT",
                c.session_timeout_ms
            ));
        }
        if c.heartbeat_interval_ms >= c.session_timeout_ms {
            // ConsumerConfig HEARTBEAT_INTERVAL_MS_DOC: must be lower than session.timeout.ms.
            return err("heartbeat.interval.ms must be lower than session.timeout.ms".into());
        }
        if c.group_id.is_empty() {
            // KafkaConsumer#maybeThrowInvalidGroupIdException (InvalidGroupIdException).
            return err("To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.".into());
        }
        if c.group_id.chars().count() > 64 {
            return err("group.id must have at most 64 characters here".into());
        }
        if c.commit == CommitMode::Auto && c.enable_auto_commit == Some(false) {
            return err("commit = \"auto\" needs enable.auto.commit = true".into());
        }
        if self.consumers > 0 && self.topics.iter().any(|t| t.name == OFFSETS_TOPIC) {
            return err(format!("{OFFSETS_TOPIC} is an internal topic"));
        }
        if let Some(pl) = &self.pipeline {
            pl.validate(self).map_err(ConfigError)?;
        }
        if self.network.latency_ms > 60_000 || self.network.jitter_ms > 60_000 {
            return err("network latency and jitter must be at most 60000 ms".into());
        }
        Ok(())
    }

    /// Whether this configuration is the one Kafka promises durability for (R2.7, §11 "Durability"):
    /// acks=all, min.insync.replicas ≥ 2, clean elections only, leader-epoch truncation.
    pub fn is_durable(&self) -> bool {
        self.acks() == Acks::All
            && self.broker.min_insync_replicas >= 2
            && !self.unclean_leader_election_enable()
            && self.switches().truncation == TruncationMode::LeaderEpoch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's validation and wording (issue 15 item 2): ConfigDef's "Value must be at least",
    /// KafkaProducer#configureDeliveryTimeout, and the group coordinator's session bounds.
    #[test]
    fn values_kafka_validates_are_refused_in_its_words() {
        let mut c = ClusterConfig::default();
        c.broker.min_insync_replicas = 0;
        assert_eq!(
            c.validate().unwrap_err().0,
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        );
        let mut c = ClusterConfig::default();
        c.producer.request_timeout_ms = 5_000;
        c.producer.delivery_timeout_ms = 4_000;
        let e = c.validate().unwrap_err().0;
        assert!(e.starts_with("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"), "{e}");
        let mut c = ClusterConfig::default();
        c.consumers = 1;
        c.consumer.session_timeout_ms = 5_999;
        c.consumer.heartbeat_interval_ms = 1_000;
        let e = c.validate().unwrap_err().0;
        assert!(e.contains("INVALID_SESSION_TIMEOUT"), "{e}");
        c.broker.group_min_session_timeout_ms = 5_000;
        c.validate().unwrap();
        c.consumer.session_timeout_ms = 1_800_001;
        assert!(c.validate().is_err());
    }

    #[test]
    fn default_is_valid_and_durable_needs_min_isr_two() {
        let c = ClusterConfig::default();
        c.validate().unwrap();
        assert!(
            !c.is_durable(),
            "min.insync.replicas defaults to 1, as in Kafka"
        );
        let mut d = c.clone();
        d.broker.min_insync_replicas = 2;
        assert!(d.is_durable());
        d.profile.truncation = Some(TruncationMode::HighWatermark);
        assert!(!d.is_durable());
        d.profile.truncation = None;
        d.kafka_version = KafkaVersion::V0_11;
        assert!(
            !d.is_durable(),
            "0.11 truncates with KIP-101 v0 and acks defaults to 1"
        );
    }

    #[test]
    fn bad_configs_are_named() {
        let mut c = ClusterConfig::default();
        c.topics[0].replication_factor = 4;
        assert!(c
            .validate()
            .unwrap_err()
            .0
            .contains("larger than the number of brokers"));
        let mut c = ClusterConfig::default();
        c.brokers = 9;
        assert!(c.validate().unwrap_err().0.contains("between 1 and 7"));
        let mut c = ClusterConfig::default();
        c.broker.replica_lag_time_max_ms = 0;
        assert!(c
            .validate()
            .unwrap_err()
            .0
            .contains("replica.lag.time.max.ms"));
        let mut c = ClusterConfig::default();
        c.topics[0].replicas = vec![vec![1, 1, 2]];
        assert!(c.validate().unwrap_err().0.contains("listed twice"));
    }

    /// A config with every kind of field (explicit overrides, unset ones, a version) written as
    /// JSON and as TOML and read back is equal, explicit and unset alike, and behaves the same.
    #[test]
    fn configs_round_trip_with_explicit_and_defaulted_settings() {
        let mut c = ClusterConfig::default();
        c.kafka_version = KafkaVersion::V2_3;
        c.producer.acks = Some(Acks::All);
        c.broker.unclean_leader_election_enable = Some(false);
        c.profile.truncation = Some(TruncationMode::HighWatermark);
        c.consumer.partition_assignment_strategy =
            Some(Assignors::new(&[Strategy::CooperativeSticky, Strategy::Sticky]).unwrap());
        for config in [ClusterConfig::default(), c] {
            let json: ClusterConfig =
                serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
            assert_eq!(json, config);
            assert_eq!(json.switches(), config.switches());
            assert_eq!(json.enable_idempotence(), config.enable_idempotence());
            #[cfg(feature = "toml")]
            {
                let text = toml::to_string(&config).unwrap();
                let back: ClusterConfig = toml::from_str(&text).unwrap();
                assert_eq!(back, config, "{text}");
            }
        }
        // Unset settings stay unset: the parsed config follows a new version.
        let mut back: ClusterConfig =
            serde_json::from_str(&serde_json::to_string(&ClusterConfig::default()).unwrap())
                .unwrap();
        assert!(back.producer.enable_idempotence.is_none() && back.enable_idempotence());
        back.kafka_version = KafkaVersion::V2_3;
        assert!(!back.enable_idempotence() && back.acks() == Acks::Leader);
    }

    #[test]
    fn the_default_is_the_newest_line_with_todays_defaults() {
        let c = ClusterConfig::default();
        assert_eq!(c.kafka_version, *KafkaVersion::ALL.last().unwrap());
        assert_eq!(c.acks(), Acks::All);
        assert!(c.enable_idempotence());
        assert!(!c.unclean_leader_election_enable());
        assert_eq!(c.consumer.auto_offset_reset, OffsetReset::Latest);
        assert_eq!(
            c.assignment_strategies(),
            &[Strategy::Range, Strategy::CooperativeSticky]
        );
        assert_eq!(c.assignment_strategy(), Strategy::Range);
        assert!(
            !c.cooperative_rebalancing(),
            "range only rebalances eagerly"
        );
        assert_eq!(c.switches(), Switches::MODERN);
    }

    #[test]
    fn explicit_settings_override_the_version() {
        let mut c = ClusterConfig::default();
        c.kafka_version = KafkaVersion::V0_10;
        assert!(c.unclean_leader_election_enable());
        assert_eq!(c.acks(), Acks::Leader);
        assert_eq!(c.switches().truncation, TruncationMode::HighWatermark);
        c.broker.unclean_leader_election_enable = Some(false);
        c.profile.truncation = Some(TruncationMode::LeaderEpoch);
        c.profile.min_isr_hw_gate = Some(true);
        assert!(!c.unclean_leader_election_enable());
        let s = c.switches();
        assert_eq!(s.truncation, TruncationMode::LeaderEpoch);
        assert!(s.min_isr_hw_gate);
        assert!(!s.isr_expansion_epoch_guard, "the rest still follows 0.10");
        // And the other way: today's line with one switch turned off.
        let mut d = ClusterConfig::default();
        d.profile.consumer_truncation_detection = Some(false);
        assert!(!d.switches().consumer_truncation_detection);
        assert!(d.switches().min_isr_hw_gate);
        // The assignors: one name or a list.
        d.consumer.partition_assignment_strategy =
            Some(Assignors::new(&[Strategy::CooperativeSticky]).unwrap());
        assert!(d.cooperative_rebalancing());
        assert_eq!(d.assignment_strategy(), Strategy::CooperativeSticky);
    }

    /// ProducerConfig#postProcessAndValidateIdempotenceConfigs: idempotence left to its default
    /// gives way to a conflicting setting; set explicitly, the conflict is an error. Before 3.0 an
    /// unset acks follows an explicit enable.idempotence=true (maybeOverrideAcksAndRetries).
    #[test]
    fn idempotence_and_acks_resolve_like_producer_config() {
        let mut c = ClusterConfig::default();
        c.producer.acks = Some(Acks::Leader);
        c.validate().unwrap();
        assert!(!c.enable_idempotence(), "acks=1 turns the default off");
        c.producer.enable_idempotence = Some(true);
        assert!(c.validate().unwrap_err().0.contains("acks=all"));

        let mut c = ClusterConfig::default();
        c.producer.retries = 0;
        assert!(!c.enable_idempotence());
        c.producer.enable_idempotence = Some(true);
        assert!(c.validate().unwrap_err().0.contains("retries"));

        let mut c = ClusterConfig::default();
        c.kafka_version = KafkaVersion::V2_3;
        assert!(!c.enable_idempotence());
        c.producer.enable_idempotence = Some(true);
        assert_eq!(
            c.acks(),
            Acks::All,
            "2.x: idempotence sets an unset acks to all"
        );

        // More than 5 in flight: 3.x turns the default off, 4.0 refuses it.
        let mut c = ClusterConfig::default();
        c.producer.max_in_flight_requests_per_connection = 6;
        c.kafka_version = KafkaVersion::V3_7;
        c.validate().unwrap();
        assert!(!c.enable_idempotence());
        c.kafka_version = KafkaVersion::V4_0;
        let e = c.validate().unwrap_err().0;
        assert!(e.contains("max.in.flight") && e.contains("4.0"), "{e}");
        c.producer.enable_idempotence = Some(false);
        c.validate().unwrap();
    }

    #[test]
    fn assignor_lists_are_checked() {
        assert!(Assignors::new(&[]).unwrap_err().contains("at least one"));
        let twice = Assignors::new(&[Strategy::Range, Strategy::Range]).unwrap_err();
        assert!(twice.contains("range twice"));
        let read = |json: &str| serde_json::from_str::<ConsumerConfig>(json);
        let one = read(r#"{"partition.assignment.strategy": "roundrobin"}"#).unwrap();
        assert_eq!(
            one.partition_assignment_strategy.unwrap().as_slice(),
            &[Strategy::RoundRobin]
        );
        let many = read(r#"{"partition.assignment.strategy": ["cooperative-sticky", "range"]}"#);
        assert_eq!(
            many.unwrap()
                .partition_assignment_strategy
                .unwrap()
                .as_slice(),
            &[Strategy::CooperativeSticky, Strategy::Range]
        );
        let e = read(r#"{"partition.assignment.strategy": ["sticky", "sticky"]}"#).unwrap_err();
        assert!(e.to_string().contains("sticky twice"), "{e}");
        assert!(read(r#"{"partition.assignment.strategy": []}"#).is_err());
    }

    #[test]
    fn acks_parse_all_spellings() {
        assert_eq!("all".parse::<Acks>().unwrap(), Acks::All);
        assert_eq!("-1".parse::<Acks>().unwrap(), Acks::All);
        assert_eq!("1".parse::<Acks>().unwrap(), Acks::Leader);
        assert!("2".parse::<Acks>().is_err());
    }
}
