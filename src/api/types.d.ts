/** A node: "controller", a broker "b1"… or a producer "p1"…; inputs also accept a broker number. */
export type NodeId = string;
/** Producer `acks`: 0, 1 or "all" (inputs also accept -1 and "0"/"1"). */
export type Acks = "0" | "1" | "all";

export interface TopicConfig {
  name: string;
  partitions: number;
  "replication.factor": number;
  /** Explicit replica assignment, one list per partition (first = preferred leader); [] = Kafka's placement. */
  replicas: number[][];
  /** `retention.bytes`, counted in records (one record = one segment); absent = unlimited. */
  "retention.bytes"?: number;
}
export interface BrokerConfig {
  "min.insync.replicas": number;
  /** Absent: the Kafka version's default (true before 0.11). */
  "unclean.leader.election.enable"?: boolean;
  "replica.lag.time.max.ms": number;
  "replica.fetch.wait.max.ms": number;
  "replica.fetch.backoff.ms": number;
  "replica.socket.timeout.ms": number;
  "broker.heartbeat.interval.ms": number;
  "broker.session.timeout.ms": number;
  "log.flush.interval.ms": number;
  /** How often retention runs (Kafka's default 300000). */
  "log.retention.check.interval.ms": number;
  /** The group coordinator's bounds on a consumer's session.timeout.ms (6000, 1800000). */
  "group.min.session.timeout.ms": number;
  "group.max.session.timeout.ms": number;
  /** Absent: the Kafka version's default (3000 from 0.11, KIP-134; 0 before). */
  "group.initial.rebalance.delay.ms"?: number;
}
export interface ProducerConfig {
  /** Absent: the Kafka version's default ("1" before 3.0, "all" from 3.0). */
  acks?: Acks;
  retries: number;
  "request.timeout.ms": number;
  "delivery.timeout.ms": number;
  "retry.backoff.ms": number;
  "max.in.flight.requests.per.connection": number;
  /** Absent: the Kafka version's default (true from 3.0, off when acks is not "all"; on with a transactional.id). */
  "enable.idempotence"?: boolean;
  /** Every producer of the run uses it (one transactional id per run); absent: not transactional. */
  "transactional.id"?: string;
  /** The coordinator aborts a transaction open longer than this (default 60000, at most 900000). */
  "transaction.timeout.ms": number;
}
/** A partition assignor (ConsumerConfig partition.assignment.strategy). */
export type Assignor = "range" | "round-robin" | "sticky" | "cooperative-sticky";
/** The consumers' settings (ConsumerConfig names; `commit`, `processing.ms` and `dedup` model the application). */
export interface ConsumerConfig {
  "group.id": string;
  /** null: true when `commit` is "auto", false otherwise. */
  "enable.auto.commit": boolean | null;
  "auto.commit.interval.ms": number;
  "auto.offset.reset": "earliest" | "latest" | "none";
  "session.timeout.ms": number;
  "heartbeat.interval.ms": number;
  "max.poll.interval.ms": number;
  "max.poll.records": number;
  "fetch.max.wait.ms": number;
  "retry.backoff.ms": number;
  "request.timeout.ms": number;
  /** Absent: the Kafka version's default ([range] before 3.0, [range, cooperative-sticky] from 3.0). One name or a list, in order of preference. */
  "partition.assignment.strategy"?: Assignor | Assignor[];
  commit: CommitMode;
  "processing.ms": number;
  dedup: boolean;
  /** read_committed reads below the last stable offset and drops aborted transactions. */
  "isolation.level": "read_uncommitted" | "read_committed";
}
export interface NetworkConfig { latency_ms: number; jitter_ms: number; }
/** Version switches set explicitly; an absent one follows "kafka.version" (docs/VERSIONS.md). */
export interface Profile {
  truncation?: "high-watermark" | "leader-epoch-v0" | "leader-epoch";
  min_isr_hw_gate?: boolean;
  isr_expansion_epoch_guard?: boolean;
  maximal_isr?: boolean;
  hw_waits_for_caught_up_replicas?: boolean;
  consumer_truncation_detection?: boolean;
}
/** A Kafka release line (docs/VERSIONS.md); inputs also accept a release such as "3.9". */
export type KafkaVersion = "0.10" | "0.11" | "2.1" | "2.3" | "3.0" | "3.6" | "3.7" | "4.0" | "4.1";
/** A complete configuration, as `Simulation.defaultConfig()` and `sim.config()` return it. */
export interface ClusterConfig {
  "kafka.version": KafkaVersion;
  brokers: number;
  topics: TopicConfig[];
  producers: number;
  broker: BrokerConfig;
  producer: ProducerConfig;
  /** Consumers c1…cN in one group (0: no consumers, no __consumer_offsets). */
  consumers: number;
  consumer: ConsumerConfig;
  network: NetworkConfig;
  /** A consume-transform-produce application run by the consumers (absent: none). */
  pipeline?: PipelineConfig;
  profile: Profile;
  trace: boolean;
}
/** `[pipeline]`: each consumer cN is an instance with its own producer p<producers+N> (R6.8). */
export interface PipelineConfig {
  "application.id": string;
  input: string;
  output: string;
  "processing.guarantee": "at_least_once" | "exactly_once_v2";
  /** Processing also writes each input record to an external system (not a Kafka setting). */
  "external.write": boolean;
}
type SnakeCase<S extends string> = S extends `${infer A}.${infer B}` ? `${A}_${SnakeCase<B>}` : S;
/** An object's keys with Kafka's dotted names or their snake_case aliases, all optional. */
type Aliased<T> = { [K in keyof T]?: T[K] } & { [K in keyof T as K extends string ? SnakeCase<K> : never]?: T[K] };
/**
 * What `new Simulation(config)` accepts: any part of a ClusterConfig (the rest keeps its defaults),
 * with Kafka's dotted names ("min.insync.replicas") or snake_case aliases (min_insync_replicas).
 * Unknown keys are an error.
 */
export interface ClusterConfigInput {
  "kafka.version"?: KafkaVersion | string;
  kafka_version?: KafkaVersion | string;
  brokers?: number;
  topics?: Aliased<TopicConfig>[];
  producers?: number;
  broker?: Aliased<BrokerConfig>;
  producer?: Aliased<Omit<ProducerConfig, "acks">> & { acks?: Acks | 0 | 1 | -1 };
  consumers?: number;
  consumer?: Aliased<ConsumerConfig>;
  network?: Partial<NetworkConfig>;
  pipeline?: Aliased<PipelineConfig>;
  profile?: Partial<Profile>;
  trace?: boolean;
}

/** A user command (`sim.apply`). Optional fields default as in scenario files (producer 1, first topic). */
export type Command =
  | { cmd: "produce"; value: string; key?: string | null; producer?: number; topic?: string | null; partition?: number | null; acks?: Acks | 0 | 1 | -1 | null }
  | { cmd: "transaction"; call: "init" | "begin" | "commit" | "abort"; producer?: number }
  | { cmd: "auto-produce"; interval_ms: number; producer?: number; topic?: string | null; acks?: Acks | 0 | 1 | -1 | null }
  | { cmd: "crash"; broker: number; lose_unflushed?: boolean }
  | { cmd: "shutdown"; broker: number }
  | { cmd: "restart"; broker: number }
  | { cmd: "pause"; node: NodeId | number }
  | { cmd: "resume"; node: NodeId | number }
  | { cmd: "isolate"; node: NodeId | number }
  | { cmd: "cut"; from: NodeId | number; to: NodeId | number; both?: boolean }
  | { cmd: "heal"; node?: NodeId | number | null }
  | { cmd: "slow"; from: NodeId | number; to: NodeId | number; extra_ms: number; both?: boolean }
  | { cmd: "drop"; message: number }
  | { cmd: "flush"; broker: number }
  | { cmd: "delete-records"; offset: number; topic?: string | null; partition?: number }
  | { cmd: "add-consumer" }
  | { cmd: "remove-consumer"; consumer: number }
  | { cmd: "crash-consumer"; consumer: number }
  | { cmd: "restart-consumer"; consumer: number }
  | { cmd: "commit-mode"; consumer: number; mode: CommitMode }
  | { cmd: "unclean-leader-election"; enable: boolean }
  | { cmd: "isolation-level"; consumer: number; level: "read_uncommitted" | "read_committed" };

/** A timer: "Heartbeat", "IsrExpiration", … or `{ DelayedFetch: 562954248388610 }`-style tagged ids. */
export type TimerKind = string | { [kind: string]: number | { topic: number; partition: number } };
/** A manual-mode choice (`sim.act`); copy it from `sim.enabled()[i].action`. */
export type Action =
  | { action: "deliver"; message: number }
  | { action: "fire"; node: NodeId; timer: TimerKind };
export interface EnabledAction {
  action: Action;
  /** Virtual time the event is due. */
  at: number;
  node: NodeId;
  peer: NodeId | null;
  /** e.g. "deliver Fetch b2 → b1: p0@0" or "fire b1 isr-expiration". */
  label: string;
  /** Heartbeat chatter (a heartbeat message or timer). Since schema 2. */
  heartbeat: boolean;
}

export type EventKind =
  | "command" | "send" | "deliver" | "drop" | "timer" | "append" | "high-watermark" | "truncate"
  | "leader" | "follower" | "isr" | "election" | "fenced" | "unfenced" | "ack" | "produce-error"
  | "failed" | "crash" | "restart" | "lost" | "duplicate" | "invariant" | "consume" | "commit"
  | "commit-failed" | "rebalance" | "assign" | "revoke" | "transaction";
/** One entry of the event log. */
export interface SimEvent {
  step: number;
  time: number;
  kind: EventKind;
  node: NodeId | null;
  peer: NodeId | null;
  /** The network message this event is about, if any. */
  message: number | null;
  /** Heartbeat chatter (a heartbeat message, a heartbeat or session-check timer). Since schema 2. */
  heartbeat: boolean;
  text: string;
}

export interface Stamp { step: number; time: number; }
/** One processing of a record by a consumer's application. */
export interface Consumption {
  consumer: number;
  generation: number;
  offset: number;
  at: Stamp;
  /** The dedup sink already held it: the processing had no effect. */
  skipped: boolean;
}
export interface LedgerEntry {
  id: number;
  producer: number;
  /** Topic index (into config.topics) and partition. */
  tp: { topic: number; partition: number };
  key: string | null;
  value: string;
  acks: Acks;
  produced: Stamp;
  attempts: number;
  /** [when, offset] once the producer reported success (offset null for acks=0). */
  acked: [Stamp, number | null] | null;
  failed: [Stamp, string] | null;
  errors: string[];
  committed: Stamp | null;
  lost: Stamp | null;
  duplicated: Stamp | null;
  /** Every leader append: [offset, leader epoch]. */
  appends: [number, number][];
  /** Every processing by a consumer (runs with consumers). */
  consumed: Consumption[];
  /** When the group's committed offset first passed it. */
  offset_committed: Stamp | null;
  /** When the partition leader's log start passed it (retention, DeleteRecords): deleted, not lost. */
  deleted: Stamp | null;
  /** When a leader wrote the ABORT marker of the record's transaction: in the log, skipped at read_committed. */
  aborted: Stamp | null;
  /** Every change of its lost status: lost under a leader without it, readable again under one with it. */
  history: LossChange[];
  /** When a leader wrote the COMMIT marker of the record's transaction. */
  txn_committed: Stamp | null;
  /** For a pipeline's output record: the input record it was produced from (ledger id). */
  source: number | null;
  /** For a pipeline's input record: how many times processing wrote it to the external system. */
  external_writes: number;
  /** For a pipeline's input record: the output records produced from it (ledger ids). */
  outputs: number[];
}
/** A record became lost (a new leader lacks it) or readable again (a later leader has it). */
export interface LossChange {
  /** When the leader took over. */
  at: Stamp;
  /** true: it became lost; false: readable again. */
  lost: boolean;
  /** The leader that lacked (or had) it, and its leader epoch. */
  leader: number;
  epoch: number;
}
/** The furthest state a record reached. */
export type RecordStatus =
  | "queued" | "in flight" | "acked" | "committed" | "acked + committed" | "failed"
  | "failed but committed" | "lost" | "aborted";
/** A ledger row as `sim.ledger()` returns it: the entry plus its topic name and its status. */
export interface LedgerRow extends LedgerEntry {
  topic: string;
  partition: number;
  status: RecordStatus;
  /** A pipeline's input record with outputs: how many a read_committed reader of the output topic sees (1 = exactly once). */
  visible_outputs: number | null;
}

/** Which invariant (since schema 2). */
export type InvariantId =
  | "one-leader-per-epoch" | "hw-within-log" | "leader-hw-monotone" | "leader-in-isr"
  | "no-acked-loss" | "no-committed-loss" | "logs-agree" | "epoch-cache-monotone"
  | "one-owner-per-generation" | "no-aborted-read" | "fenced-never-commits"
  | "exactly-once-output";
export interface InvariantStatus {
  id: InvariantId;
  /** Its plain-words name, as scenario files write it ("one leader per epoch"). */
  name: string;
  description: string;
  /** Whether Kafka promises it under this configuration. */
  promised: boolean;
  first_violation: { step: number; time: number; detail: string } | null;
  violations: number;
}

export interface RecordSnapshot {
  offset: number;
  epoch: number;
  id: number;
  key: string | null;
  /** The value sent; for __consumer_offsets what the record says ("commit p0=3", "generation 2"). */
  value: string;
  /** Short text for a log cell ("12" for "p1-12", "=3" for an offset commit). Since schema 2. */
  label: string;
  /** The ledger says it was lost / appended twice. Since schema 2. */
  lost: boolean;
  duplicated: boolean;
  /** A transaction marker (control record); null for data. */
  control: "commit" | "abort" | null;
  /** Data written inside a transaction. */
  transactional: boolean;
  /** Data of a transaction whose ABORT marker this replica holds (read_committed never sees it). */
  aborted: boolean;
}
export interface FollowerView { broker: number; leo: number | null; caught_up: boolean; last_caught_up_ms: number | null; }
export type ReplicaRole = "leader" | "follower" | "none";
export interface ReplicaSnapshot {
  topic: string;
  partition: number;
  /** "none" also while the broker is down. */
  role: ReplicaRole;
  leader_epoch: number;
  leo: number;
  hw: number;
  /** Last stable offset: where a read_committed consumer stops; never above hw. */
  last_stable_offset: number;
  log_start_offset: number;
  flushed_offset: number;
  records: RecordSnapshot[];
  epoch_cache: { epoch: number; start_offset: number }[];
  /** Leader only ([] on followers since schema 2): the ISR it works with. */
  isr: number[];
  /** Leader only: the maximal ISR (KIP-497). */
  maximal_isr: number[];
  /** Leader only: the ISR proposed by the AlterPartition in flight. */
  pending_isr: number[] | null;
  /** Leader only: its view of each follower. */
  followers: FollowerView[];
  /** __consumer_offsets. */
  internal: boolean;
}
export type BrokerStatus = "up" | "crashed" | "stopped";
export interface BrokerSnapshot {
  id: number;
  status: BrokerStatus;
  paused: boolean;
  fenced: boolean;
  /** Up and in a controlled shutdown. Since schema 2. */
  shutting_down: boolean;
  broker_epoch: number;
  /** How many times its process started (1 until its first restart). Since schema 2. */
  incarnation: number;
  replicas: ReplicaSnapshot[];
}
/** The controller's registration of a partition. */
export interface PartitionSnapshot {
  topic: string;
  partition: number;
  replicas: number[];
  leader: number | null;
  leader_epoch: number;
  partition_epoch: number;
  isr: number[];
  recovering: boolean;
  /** KIP-966 eligible leader replicas (empty when ELR is off). */
  elr: number[];
  /** __consumer_offsets. */
  internal: boolean;
}
/** The controller's counters. Since schema 2. */
export interface ControllerSummary {
  paused: boolean;
  fenced: number[];
  elections: number;
  unclean_elections: number;
  /** The value elections use now: the configuration's, or the last `unclean-leader-election` command's. */
  unclean_leader_election_enable: boolean;
  /** Brokers whose heartbeats stopped (1.5 intervals late), not fenced yet: the controller waits out broker.session.timeout.ms. */
  silent: SilentBroker[];
}
export interface SilentBroker {
  broker: number;
  last_heartbeat: number;
  /** When the session times out and the controller fences it. */
  fenced_at: number;
}
export interface ProducerSnapshot {
  id: number;
  queued: number[];
  in_flight: number[];
  paused: boolean;
  /** Since schema 2: auto-produce is on; its records acknowledged and lost so far. */
  auto_produce: boolean;
  acked: number;
  lost: number;
  /** The Kafka error name its last failed produce request got (such as "NOT_ENOUGH_REPLICAS"),
   *  kept after later successes; null if none yet. */
  last_error: string | null;
  /** When last_error came, in virtual ms. */
  last_error_at_ms: number | null;
  /** Present when the producer is transactional (a transactional.id is set). */
  transaction?: ProducerTxnView;
  /** Present when it is idempotent (or transactional, once InitProducerId answered): the
   *  producer id and epoch it stamps on every batch and, per partition it has sent to, the
   *  sequence its next record gets (KIP-98). */
  idempotence?: IdempotenceView;
}
export interface IdempotenceView {
  producer_id: number;
  epoch: number;
  sequences: { topic: string; partition: number; next: number; epoch: number }[];
}
/** A transactional producer's client state (Kafka's TransactionManager). */
export interface ProducerTxnView {
  transactional_id: string;
  /** "UNINITIALIZED", "INITIALIZING", "READY", "IN_TRANSACTION", "COMMITTING_TRANSACTION", "ABORTING_TRANSACTION", "ABORTABLE_ERROR", "FATAL_ERROR". */
  state: string;
  producer_id: number;
  producer_epoch: number;
  coordinator: number | null;
  /** Partitions added to the open transaction ("t-0"). */
  partitions: string[];
  /** "commit" or "abort" while the transaction is being completed. */
  ending: "commit" | "abort" | null;
  last_error: string | null;
}
/** The transaction coordinator's view of the run's transactional.id. */
export type AppPhase = "starting" | "running" | "flushing" | "committing" | "aborting" | "fenced" | "down";
export interface PipelineInstanceView {
  consumer: number; producer: number; phase: AppPhase; phase_text: string;
  commits: number; aborts: number;
}
/** The consume-transform-produce pipeline (R6.8); `once` + `duplicated` + `pending` = `processed`. */
export interface PipelineView {
  input: string; output: string; guarantee: "at_least_once" | "exactly_once_v2";
  external_write: boolean; instances: PipelineInstanceView[];
  processed: number; once: number; duplicated: number; pending: number;
  external_duplicates: number;
}
export interface TransactionsView {
  transactional_id: string;
  coordinator: number | null;
  coordinator_epoch: number | null;
  /** "Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", … */
  state: string | null;
  producer_id: number | null;
  producer_epoch: number | null;
  partitions: string[];
  pending_markers: string[];
}
/** A protocol message's RPC name. */
export type MessageKind =
  | "Produce" | "ProduceResponse" | "Metadata" | "MetadataResponse" | "Fetch" | "FetchResponse"
  | "AlterPartition" | "AlterPartitionResponse" | "BrokerHeartbeat" | "HeartbeatResponse"
  | "MetadataUpdate" | "ConsumerFetch" | "ConsumerFetchResponse" | "FindCoordinator"
  | "FindCoordinatorResponse" | "JoinGroup" | "JoinGroupResponse" | "SyncGroup"
  | "SyncGroupResponse" | "GroupHeartbeat" | "GroupHeartbeatResponse" | "LeaveGroup"
  | "LeaveGroupResponse" | "OffsetCommit" | "OffsetCommitResponse" | "OffsetFetch"
  | "OffsetFetchResponse" | "OffsetsForLeaderEpoch" | "OffsetsForLeaderEpochResponse"
  | "InitProducerId" | "InitProducerIdResponse" | "AddPartitionsToTxn" | "AddPartitionsToTxnResponse"
  | "EndTxn" | "EndTxnResponse" | "TxnOffsetCommit" | "TxnOffsetCommitResponse"
  | "WriteTxnMarkers" | "WriteTxnMarkersResponse"
  | "ConnectionRefused" | "ConnectionClosed";
export interface MessageSnapshot {
  id: number; from: NodeId; to: NodeId; kind: MessageKind; summary: string;
  sent_at: number; deliver_at: number; heartbeat: boolean;
  /** A response carrying an error code, or a refused / closed connection. Since schema 2. */
  error: boolean;
  /** A short label ("Pr", "ack", "FR!", …). Since schema 2. */
  label: string;
  /** Present on an idempotent producer's Produce request: the batch's sequence number. */
  sequence?: number;
}
export interface LinkSnapshot { from: NodeId; to: NodeId; cut: boolean; extra_latency_ms: number; }
export type CommitMode = "auto" | "after-processing" | "before-processing";
export type MemberState = "unjoined" | "joining" | "syncing" | "stable";
export interface ConsumerSnapshot {
  id: number;
  node: NodeId;
  /** "stopped" once closed. */
  status: BrokerStatus;
  paused: boolean;
  group: string;
  generation: number;
  member_id: string;
  state: MemberState;
  commit_mode: CommitMode;
  isolation_level: "read_uncommitted" | "read_committed";
  coordinator: number | null;
  /** Assigned partitions: the next offset poll() returns and the last commit it saw acknowledged. */
  partitions: { topic: string; partition: number; position: number | null; committed: number | null }[];
  /** Record ids returned by poll() and still being processed. */
  processing: number[];
  processed: number;
  /** Each record its application processed, oldest record first: how many times, and how many
   *  of those writes the deduplicating sink dropped. */
  records: { record: number; value: string; times: number; dropped: number }[];
  /** Its last assignment changes, oldest first: per generation the partitions ("topic-partition") it revoked and those newly assigned (eager: all; cooperative-sticky, KIP-429: only what moved). */
  rebalances: { generation: number; revoked: string[]; added: string[] }[];
}
export interface DedupSinkView {
  kept: { record: number; value: string; times: number }[];
  dropped: { record: number; value: string; times: number }[];
}
export interface GroupSnapshot {
  group: string;
  coordinator: number;
  state: "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable";
  generation: number;
  leader: string | null;
  members: { member_id: string; client: NodeId; assignment: string[] }[];
  /** Committed offsets as OffsetFetch answers them. */
  committed: { topic: string; partition: number; offset: number }[];
}
/** The whole cluster at the current step. */
/** One recorded input of a run (`toJSON().run.inputs`): a command, a number of timed steps,
 * "run until" a virtual time, or a manual-mode choice. */
export type Input =
  | { command: Command }
  | { steps: number }
  | { "run-until": number }
  | { action: Action };
/** A run as data: what links carry (`toFragment()`) and `toJSON()` returns. */
export interface Run {
  config: ClusterConfig;
  /** A bigint only for seeds above Number.MAX_SAFE_INTEGER. */
  seed: number | bigint;
  inputs: Input[];
}
/** `toJSON()`: the run up to the current position and the snapshot it reaches. */
export interface RunDocument {
  run: Run;
  snapshot: Snapshot;
}
export interface Snapshot {
  /** The version of this shape: 2 (see the changelog in docs/JS-API.md). */
  schema_version: number;
  step: number;
  time: number;
  /** A bigint only for seeds above Number.MAX_SAFE_INTEGER. */
  seed: number | bigint;
  brokers: BrokerSnapshot[];
  partitions: PartitionSnapshot[];
  controller: ControllerSummary;
  producers: ProducerSnapshot[];
  messages: MessageSnapshot[];
  links: LinkSnapshot[];
  ledger: LedgerEntry[];
  /** For each record id of the ledger, the brokers whose log holds a copy now. */
  record_replicas: { [recordId: string]: number[] };
  invariants: InvariantStatus[];
  /** Consumers c1, c2, … ([] without consumers). */
  consumers: ConsumerSnapshot[];
  /** The group as its coordinator sees it (null without consumers or coordinator). */
  group: GroupSnapshot | null;
  /** Present in runs whose consumers deduplicate (dedup = true): the records the sink holds
   *  (times 1) and those whose repeated writes it dropped (times: how many). */
  sink?: DedupSinkView;
  /** Present in runs with a transactional.id: the transaction coordinator's view. */
  transactions?: TransactionsView;
  /** Present in runs with a [pipeline]: its instances and per-input verdicts. */
  pipeline?: PipelineView;
  /** Produce-to-acknowledgement latency per acks setting (only settings that sent a record). */
  ack_latency: AckLatency;
}

/** Latency from send() to the producer's success, per acks setting, in virtual ms. */
export interface AckLatency { groups: AckLatencyGroup[]; }
export interface AckLatencyGroup {
  acks: Acks;
  acked: number;
  /** Queued or in flight. */
  waiting: number;
  failed: number;
  /** Nearest-rank percentiles of the acknowledged ones; null before the first ack. */
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  /** Acknowledged records per bucket: ≤0, ≤2, ≤5, ≤10, ≤20, ≤50, ≤100, ≤500, ≤2000, ≤10000 ms, slower. */
  histogram: number[];
}

/** `Simulation.determinismCheck()`: the probe's state and event-log hashes, natively (at build time) and here. */
export interface DeterminismCheck { native: string[]; wasm: string[]; }
/** A built-in scenario or tutorial (`Simulation.scenarioCatalog()`). */
export interface CatalogEntry {
  /** The file's name without `.toml`: what `Simulation.fromScenario(id)` takes. */
  id: string;
  name: string;
  kind: "scenario" | "tutorial";
}
/** A step of the scenario loaded with `Simulation.fromScenario`. */
export interface ScenarioStep {
  index: number;
  /** 1-based line of the step's [[step]] header in the file (null: not read from a file). */
  line: number | null;
  title: string | null;
  note: string | null;
  highlight: string | null;
  /** The page's panel the step's note names (tutorials); null for none. */
  focus: "invariants" | "ledger" | "group" | "event-log" | "transactions" | null;
  /** The step's action key ("produce", "deliver", "run_until", …), null for a check-only step. */
  action: string | null;
  /** Whether the step has an `expect` table. */
  expects: boolean;
}
export interface ScenarioInfo {
  name: string;
  description: string;
  source: string;
  seed: number | bigint;
  steps: ScenarioStep[];
}
export interface Check { what: string; passed: boolean; actual: string; }
export interface StepOutcome {
  index: number;
  line: number | null;
  title: string | null;
  /** Every check passed (true for a step without expectations). */
  passed: boolean;
  checks: Check[];
  /** What a `search` step (the counterexample search, docs/CHECKER.md) found; null otherwise. */
  search: SearchStepReport | null;
}
/** A `search` step's result: a schedule found and played, or a bounded result. */
export interface SearchStepReport {
  property: string;
  /** A schedule breaking the property was found (and played). */
  found: boolean;
  /** Moves in that schedule (0 when none). */
  moves: number;
  /** Its faults and records in words, in order ("crash b1", "produce r1"). */
  faults: string[];
  /** Distinct states explored. */
  states: number;
  /** Deepest level fully explored, or the schedule's length. */
  depth: number;
  /** What stopped a search that found nothing. */
  bound: "exhausted" | "depth" | "states" | "memory" | null;
}
export interface ScenarioReport {
  name: string;
  passed: boolean;
  passed_checks: number;
  failed_checks: number;
  /** When a run_until never came true: how many later steps and expectations were not run. */
  not_run: string | null;
  steps: StepOutcome[];
}
/** A subscriber: called once per new event, with its index in `sim.events()`. */
export type SimEventListener = (event: SimEvent, index: number) => void;
