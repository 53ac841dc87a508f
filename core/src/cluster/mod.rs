//! The simulated world: every node, the network, the scheduler and the run's one RNG.
//!
//! Methods, sorted the way quinn sorts `Connection`'s:
//! * **inputs** — [`Cluster::apply`] (a user [`Command`], in `commands.rs`), [`Cluster::act`] (a
//!   manual-mode [`Action`]);
//! * **stepping** — [`Cluster::step`] (the earliest event, the timed driver), [`Cluster::run_until`],
//!   [`Cluster::run_steps`], [`Cluster::apply_input`];
//! * **getters** — [`Cluster::enabled`], [`Cluster::snapshot`](crate::snapshot), [`Cluster::events`],
//!   [`Cluster::ledger`], [`Cluster::invariants`], [`Cluster::state_hash`], [`Cluster::history`].
//!
//! What nodes report is turned into the ledger, invariants and event log in `observe.rs`.
//!
//! Nothing here reads a clock or an OS random source: the same config, seed and inputs give the
//! same run, natively and in wasm.

use crate::vec_map::{VecMap, VecSet};
use queue::EventQueue;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use timer_key::TimerKey;

use crate::broker::{Broker, Disk};
use crate::budget::{Budget, BudgetError};
use crate::command::{Action, Command, CommandError, Input};
use crate::config::{Acks, ClusterConfig, CommitMode, ConfigError};
use crate::consumer::Consumer;
use crate::controller::Controller;
use crate::coordinator::{is_internal, offsets_replication_factor, offsets_tp, OffsetsRecord};
use crate::event::{Event, EventKind};
use crate::fingerprint;
use crate::invariants::{InvariantId, InvariantStatus, Monitor};
use crate::ledger::{Ledger, Stamp};
use crate::node::{Effect, Observation, Out, TimerKind};
use crate::partitioner::partition_for_key;
use crate::placement::assign_replicas;
use crate::producer::Producer;
use crate::protocol::Message;
use crate::read_model::Moment;
use crate::rng::Rng;
use crate::shared::Shared;
use crate::txn::isolation::IsolationLevel;
use crate::types::{BrokerId, Millis, NodeId, TopicPartition};

mod commands;
mod observe;
mod pipeline;
mod queue;
mod timer_key;

pub use commands::command_text;

/// Longest duration a command may name (a link delay, an auto-produce interval): one day.
pub const MAX_DURATION_MS: Millis = 86_400_000;

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Envelope {
    /// A unique id for this message, in send order.
    pub id: u64,
    /// The sender.
    pub from: NodeId,
    /// The recipient.
    pub to: NodeId,
    /// The simulated time the message was sent.
    pub sent_at: Millis,
    /// The simulated time the network delivers it.
    pub deliver_at: Millis,
    /// The message itself, shared by the cluster's copies (a checker state, a checkpoint) until
    /// one of them delivers it; its fingerprint is computed once.
    pub msg: Shared<Message>,
}

/// A scheduled event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Pending {
    /// A message in flight on the network.
    Deliver(Envelope),
    /// A timer set on `node`.
    Timer {
        /// The node that owns the timer.
        node: NodeId,
        /// Which timer.
        kind: TimerKind,
    },
}

impl Pending {
    fn target(&self) -> NodeId {
        match self {
            Pending::Deliver(e) => e.to,
            Pending::Timer { node, .. } => *node,
        }
    }
}

/// Whether a broker process is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BrokerStatus {
    /// Running.
    Up,
    /// Killed; its disk survives.
    Crashed,
    /// Finished a controlled shutdown.
    Stopped,
}

/// A consumer slot: the client process (or its last state while it is down).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsumerSlot {
    /// The consumer's state.
    pub consumer: Consumer,
    /// Whether the consumer process is up, crashed or stopped.
    pub status: BrokerStatus,
}

/// A broker slot: the process (or what its disk holds while it is down).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrokerSlot {
    /// The broker's state.
    pub broker: Broker,
    /// Whether the broker process is up, crashed or stopped.
    pub status: BrokerStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct AutoProduce {
    interval: Millis,
    topic: u16,
    acks: Option<Acks>,
    sent: u64,
}

/// One entry of [`Cluster::enabled`]: an event the user may fire next in manual mode.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Enabled {
    /// The input that fires the event.
    pub action: Action,
    /// The simulated time the event is due.
    pub at: Millis,
    /// The node the event happens at (a message's recipient, a timer's owner).
    pub node: NodeId,
    /// The other end: a message's sender.
    pub peer: Option<NodeId>,
    /// A short human-readable description of the event.
    pub label: String,
    /// Heartbeat chatter (a heartbeat message or timer) that a face may hide.
    #[serde(default)]
    pub heartbeat: bool,
}

/// The simulated cluster. `Clone` is a checkpoint.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) cfg: Rc<ClusterConfig>,
    pub(crate) seed: u64,
    rng: Rng,
    pub(crate) now: Millis,
    pub(crate) step: u64,
    pub(crate) controller: Shared<Controller>,
    pub(crate) brokers: VecMap<BrokerId, Shared<BrokerSlot>>,
    pub(crate) producers: Shared<Vec<Producer>>,
    pub(crate) consumers: Shared<Vec<ConsumerSlot>>,
    /// The pipeline's instances, one per consumer (`[pipeline]`; empty without).
    pub(crate) apps: Shared<Vec<crate::pipeline::AppInstance>>,
    /// Pending events of nodes that are not paused, by (due time, sequence).
    queue: EventQueue,
    /// Pending events of paused nodes, with their keys, so they fire in order once the node
    /// resumes — and a paused node costs the scheduler nothing per step.
    parked: EventQueue,
    timers: VecMap<TimerKey, (Millis, u64)>,
    next_seq: u64,
    link_clock: VecMap<(NodeId, NodeId), Millis>,
    pub(crate) cuts: VecSet<(NodeId, NodeId)>,
    pub(crate) slow: VecMap<(NodeId, NodeId), Millis>,
    pub(crate) paused: VecSet<NodeId>,
    auto: VecMap<u32, AutoProduce>,
    keyless: VecMap<u32, u32>,
    pub(crate) assignment: Shared<Vec<(TopicPartition, Vec<BrokerId>)>>,
    pub(crate) ledger: Shared<Ledger>,
    pub(crate) monitor: Shared<Monitor>,
    events: Vec<Event>,
    history: Vec<Input>,
    /// False once [`Cluster::stop_recording`] ran: inputs are no longer kept in `history`.
    recording: bool,
}

impl Cluster {
    /// A new run: a cluster that is already up (every broker registered, every partition led by
    /// its preferred replica in epoch 0, full ISR, empty logs) at virtual time 0.
    pub fn new(cfg: ClusterConfig, seed: u64) -> Result<Cluster, ConfigError> {
        cfg.validate()?;
        let mut assignment = Vec::new();
        for (ti, t) in cfg.topics.iter().enumerate() {
            let replicas = if t.replicas.is_empty() {
                assign_replicas(cfg.brokers, t.partitions, t.replication_factor)
            } else {
                t.replicas.clone()
            };
            for (p, r) in replicas.into_iter().enumerate() {
                assignment.push((
                    TopicPartition {
                        topic: ti as u16,
                        partition: p as u16,
                    },
                    r,
                ));
            }
        }
        if let Some(otp) = offsets_tp(&cfg) {
            // R7.2: the internal `__consumer_offsets` topic (one partition here).
            let rf = offsets_replication_factor(&cfg);
            let replicas = assign_replicas(cfg.brokers, 1, rf).remove(0);
            assignment.push((otp, replicas));
        }
        if let Some(ttp) = crate::txn::log_record::txn_state_tp(&cfg) {
            // R6.2: the internal `__transaction_state` topic (one partition here).
            let rf = crate::txn::log_record::txn_state_replication_factor(&cfg);
            let replicas = assign_replicas(cfg.brokers, 1, rf).remove(0);
            assignment.push((ttp, replicas));
        }
        let controller = Controller::bootstrap(cfg.brokers, &assignment);
        let metadata = controller.client_metadata();
        let brokers = (1..=cfg.brokers)
            .map(|b| {
                (
                    b,
                    Shared::new(BrokerSlot {
                        broker: Broker::start(b, 1, Disk::default(), &assignment),
                        status: BrokerStatus::Up,
                    }),
                )
            })
            .collect();
        let mut producers: Vec<Producer> = (1..=cfg.producers)
            .map(|p| Producer::for_run(p, metadata.clone(), &cfg))
            .collect();
        // Each pipeline instance has a producer of its own, after the configured ones.
        let mut apps = Vec::new();
        if let Some(pl) = &cfg.pipeline {
            let tid = pl.exactly_once().then(|| pl.transactional_id());
            for n in 1..=cfg.consumers {
                let app = crate::pipeline::AppInstance::new(n, cfg.producers, pl.exactly_once());
                producers.push(Producer::with_transactional_id(
                    app.producer,
                    metadata.clone(),
                    tid.clone(),
                ));
                apps.push(app);
            }
        }
        let monitor = Monitor::new(&cfg);
        let mut c = Cluster {
            cfg: Rc::new(cfg),
            seed,
            rng: Rng::new(seed),
            now: 0,
            step: 0,
            controller: controller.into(),
            brokers,
            producers: producers.into(),
            consumers: Shared::default(),
            apps: apps.into(),
            queue: EventQueue::default(),
            parked: EventQueue::default(),
            timers: VecMap::new(),
            next_seq: 0,
            link_clock: VecMap::new(),
            cuts: VecSet::new(),
            slow: VecMap::new(),
            paused: VecSet::new(),
            auto: VecMap::new(),
            keyless: VecMap::new(),
            assignment: assignment.into(),
            ledger: Shared::default(),
            monitor: monitor.into(),
            events: Vec::new(),
            history: Vec::new(),
            recording: true,
        };
        let cfg = c.cfg.clone();
        let mut out = Out::default();
        c.controller.on_start(0, &cfg, &mut out);
        c.process(NodeId::Controller, out);
        let ids: Vec<BrokerId> = c.brokers.keys().copied().collect();
        for b in ids {
            // The broker already knows the metadata (it was up when the topic was created).
            let changes = c.controller.partitions.values().cloned().collect();
            let resp = Message::HeartbeatResponse {
                broker_epoch: c.controller.broker_epoch(b),
                metadata_version: c.controller.metadata_version,
                changes,
                should_shut_down: false,
            };
            let mut out = Out::default();
            let slot = c.brokers.get_mut(&b).expect("exists");
            slot.broker.on_start(0, &cfg, &mut out);
            slot.broker
                .handle_message(0, &cfg, NodeId::Controller, resp, &mut out);
            c.process(NodeId::Broker(b), out);
        }
        for _ in 0..c.cfg.consumers {
            c.start_consumer(None);
        }
        c.pipeline_upkeep();
        Ok(c)
    }

    /// Starts consumer `id` (a new one when `None`) with the controller's metadata.
    fn start_consumer(&mut self, id: Option<u32>) -> u32 {
        let cfg = self.cfg.clone();
        let metadata = self.controller.client_metadata();
        let id = id.unwrap_or(self.consumers.len() as u32 + 1);
        let mut consumer = Consumer::new(id, self.now, &cfg, metadata);
        if let Some(old) = self.consumers.get(id as usize - 1) {
            // A setting changed by a command survives a restart.
            consumer.isolation = old.consumer.isolation;
        }
        let mut out = Out::default();
        consumer.on_start(self.now, &cfg, &mut out);
        let slot = ConsumerSlot {
            consumer,
            status: BrokerStatus::Up,
        };
        if id as usize <= self.consumers.len() {
            self.consumers[id as usize - 1] = slot;
        } else {
            self.consumers.push(slot);
        }
        self.process(NodeId::consumer(id), out);
        id
    }

    /// Rebuilds a run from its recorded inputs.
    pub fn replay(cfg: ClusterConfig, seed: u64, inputs: &[Input]) -> Result<Cluster, ReplayError> {
        let mut c = Cluster::new(cfg, seed).map_err(|e| ReplayError {
            index: None,
            message: e.0,
        })?;
        for (i, input) in inputs.iter().enumerate() {
            c.apply_input(input).map_err(|e| ReplayError {
                index: Some(i),
                message: e.0,
            })?;
        }
        Ok(c)
    }

    // ---- getters -------------------------------------------------------------------------

    /// The configuration the cluster was built with.
    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }
    /// The seed of the cluster's random number generator.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// The current simulated time.
    pub fn now(&self) -> Millis {
        self.now
    }
    /// Steps taken so far (events fired plus commands applied).
    pub fn step_count(&self) -> u64 {
        self.step
    }
    /// Every event recorded so far, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Removes and returns the events recorded so far (owners that keep their own log).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
    /// The ledger of every record produced and what happened to it.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    /// The status of each checked invariant.
    pub fn invariants(&self) -> &[InvariantStatus] {
        &self.monitor.statuses
    }
    /// The names of the invariants broken so far, in the monitor's order.
    pub fn broken_invariants(&self) -> Vec<&str> {
        self.invariants()
            .iter()
            .filter(|s| !s.holds())
            .map(|s| &*s.name)
            .collect()
    }
    /// Every input applied so far, in order (replaying them rebuilds this cluster).
    pub fn history(&self) -> &[Input] {
        &self.history
    }
    /// Replaces the recorded inputs by `inputs`, which must rebuild this state from the
    /// configuration and seed (a Timeline's run, whose cluster may come from a checkpoint).
    pub(crate) fn set_history(&mut self, inputs: Vec<Input>) {
        self.history = inputs;
    }
    /// Forgets the recorded inputs (long benchmark runs); the run can no longer be replayed.
    pub fn clear_history(&mut self) {
        self.history.clear();
    }
    /// Forgets the recorded inputs and records no more, in this cluster and its copies (the
    /// checker's states keep their paths apart; a copy that records would allocate per move).
    pub fn stop_recording(&mut self) {
        self.history = Vec::new();
        self.recording = false;
    }
    /// Records `input` in the history (unless recording stopped).
    fn record(&mut self, input: Input) {
        if self.recording {
            self.history.push(input);
        }
    }
    /// Records `n` fired events, merged into a last `Steps` input.
    fn record_steps(&mut self, n: u64) {
        if !self.recording {
            return;
        }
        match self.history.last_mut() {
            Some(Input::Steps(k)) => *k += n,
            _ => self.history.push(Input::Steps(n)),
        }
    }
    /// The KRaft controller.
    pub fn controller(&self) -> &Controller {
        &self.controller
    }
    /// The broker with id `id`, if the cluster has it.
    pub fn broker(&self, id: BrokerId) -> Option<&BrokerSlot> {
        self.brokers.get(&id).map(|s| &**s)
    }
    /// All brokers, by id.
    pub fn brokers(&self) -> impl Iterator<Item = (&BrokerId, &BrokerSlot)> {
        self.brokers.iter().map(|(id, s)| (id, &**s))
    }
    /// All producers, by index.
    pub fn producers(&self) -> &[Producer] {
        &self.producers
    }
    /// Consumers `c1`, `c2`, … (index 0 is `c1`).
    pub fn consumers(&self) -> &[ConsumerSlot] {
        &self.consumers
    }
    /// The consumer with id `id`, if the cluster has it.
    pub fn consumer(&self, id: u32) -> Option<&ConsumerSlot> {
        self.consumers.get((id as usize).checked_sub(1)?)
    }
    /// The broker whose group coordinator is active and leads `__consumer_offsets` by the
    /// controller's registration.
    pub fn group_coordinator(&self) -> Option<(BrokerId, &crate::coordinator::GroupCoordinator)> {
        let otp = offsets_tp(&self.cfg)?;
        let leader = self.controller.partitions.get(&otp)?.leader?;
        let slot = self.brokers.get(&leader)?;
        (slot.status == BrokerStatus::Up && slot.broker.coordinator.active)
            .then_some((leader, &slot.broker.coordinator))
    }
    /// The broker whose transaction coordinator is active and leads `__transaction_state` by the
    /// controller's registration (R6.2).
    pub fn txn_coordinator(&self) -> Option<(BrokerId, &crate::txn::host::TxnHost)> {
        let ttp = crate::txn::log_record::txn_state_tp(&self.cfg)?;
        let leader = self.controller.partitions.get(&ttp)?.leader?;
        let slot = self.brokers.get(&leader)?;
        (slot.status == BrokerStatus::Up && slot.broker.txn.active)
            .then_some((leader, &slot.broker.txn))
    }
    /// The group's committed offsets as its coordinator would answer OffsetFetch now.
    /// The group's assignment history: each partition's owner per generation (R7.4).
    pub fn generation_owners(&self) -> &VecMap<(TopicPartition, i32), u32> {
        self.monitor.generation_owners()
    }

    /// The group's committed offsets, as the active group coordinator holds them.
    pub fn group_committed(&self) -> VecMap<TopicPartition, crate::types::Offset> {
        let Some((b, g)) = self.group_coordinator() else {
            return VecMap::new();
        };
        let otp = offsets_tp(&self.cfg).expect("a coordinator implies consumers");
        self.brokers[&b]
            .broker
            .partitions
            .get(&otp)
            .map(|p| g.committed(&p.log))
            .unwrap_or_default()
    }
    /// The partitions of the configured topics (not the internal `__consumer_offsets`).
    pub fn partitions(&self) -> impl Iterator<Item = TopicPartition> + '_ {
        self.assignment
            .iter()
            .map(|(tp, _)| *tp)
            .filter(|tp| !is_internal(&self.cfg, *tp))
    }
    /// Every partition, the internal ones included.
    pub fn all_partitions(&self) -> impl Iterator<Item = TopicPartition> + '_ {
        self.assignment.iter().map(|(tp, _)| *tp)
    }
    /// Messages on the wire, in delivery order.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope> {
        self.all_pending().filter_map(|(_, p)| match p {
            Pending::Deliver(e) => Some(e),
            _ => None,
        })
    }

    /// Every pending event, live and parked, in key order.
    fn all_pending(&self) -> impl Iterator<Item = (&(Millis, u64), &Pending)> {
        let mut live = self.queue.iter().peekable();
        let mut parked = self.parked.iter().peekable();
        // Paused nodes are rare: with nothing parked this is the queue's own iteration.
        std::iter::from_fn(move || match parked.peek() {
            None => live.next(),
            Some((b, _)) => match live.peek() {
                Some((a, _)) if a < b => live.next(),
                _ => parked.next(),
            },
        })
    }

    /// Schedules `p` under `key`: parked while its node is paused.
    fn schedule(&mut self, key: (Millis, u64), p: Pending) {
        if self.paused.contains(&p.target()) {
            self.parked.insert(key, p);
        } else {
            self.queue.insert(key, p);
        }
    }

    /// Removes a pending event, live or parked.
    fn unschedule(&mut self, key: &(Millis, u64)) -> Option<Pending> {
        self.queue.remove(key).or_else(|| self.parked.remove(key))
    }

    /// Pauses `node`: its pending events are parked until it resumes.
    pub(super) fn pause_node(&mut self, node: NodeId) {
        self.paused.insert(node);
        move_events_of(node, &mut self.queue, &mut self.parked);
    }

    /// Resumes `node`: its parked events are due again, in their order (overdue ones fire next).
    pub(super) fn unpause_node(&mut self, node: NodeId) {
        if self.paused.remove(&node) {
            move_events_of(node, &mut self.parked, &mut self.queue);
        }
    }
    /// When `node`'s pending timer of `kind` fires, if it is set.
    pub(crate) fn timer_due(&self, node: NodeId, kind: TimerKind) -> Option<Millis> {
        self.timers
            .get(&TimerKey::new(node, kind))
            .map(|(due, _)| *due)
    }

    /// Pending timers: (node, kind, due time).
    pub fn pending_timers(&self) -> impl Iterator<Item = (NodeId, TimerKind, Millis)> + '_ {
        self.timers.iter().map(|(k, (at, _))| (k.node, k.kind, *at))
    }
    /// True while `node` is paused.
    pub fn is_paused(&self, node: NodeId) -> bool {
        self.paused.contains(&node)
    }
    /// True while the network drops messages from `from` to `to`.
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cuts.contains(&(from, to))
    }

    /// Virtual time of the next event, if any.
    pub fn next_event_time(&self) -> Option<Millis> {
        self.queue.first_key().map(|(t, _)| t)
    }
    /// Topic partition by topic name and partition number.
    pub fn topic_partition(&self, topic: &str, partition: u32) -> Option<TopicPartition> {
        let ti = self.cfg.topics.iter().position(|t| t.name == topic)?;
        let tp = TopicPartition {
            topic: ti as u16,
            partition: partition as u16,
        };
        self.assignment.iter().any(|(t, _)| *t == tp).then_some(tp)
    }
    /// The name of `tp`'s topic.
    pub fn topic_name(&self, tp: TopicPartition) -> &str {
        crate::coordinator::topic_name(&self.cfg, tp.topic)
    }

    /// A partition as the picture, the ledger and the event log name it: `t-0`,
    /// `__consumer_offsets-2` (issue 16's one vocabulary).
    pub fn partition_label(&self, tp: TopicPartition) -> String {
        format!("{}-{}", self.topic_name(tp), tp.partition)
    }

    /// A message's one-line summary, partitions named by [`Cluster::partition_label`] and
    /// records by their value, as the ledger names them (issue 16's one vocabulary).
    pub fn message_summary(&self, msg: &crate::protocol::Message) -> String {
        msg.summary(&|tp| self.partition_label(*tp), &|id| self.value_of(id))
    }

    /// [`Cluster::message_summary`] for the event log: empty when the log is off.
    fn traced_summary(&self, msg: &crate::protocol::Message) -> String {
        if self.cfg.trace {
            self.message_summary(msg)
        } else {
            String::new()
        }
    }

    /// A hash of the whole simulation state (not the event log), identical natively and in wasm.
    pub fn state_hash(&self) -> u64 {
        let mut h = StableHasher::default();
        self.now.hash(&mut h);
        self.step.hash(&mut h);
        self.rng.hash(&mut h);
        self.controller.hash(&mut h);
        self.brokers.hash(&mut h);
        self.producers.hash(&mut h);
        self.consumers.hash(&mut h);
        self.apps.hash(&mut h);
        self.queue.hash(&mut h);
        self.parked.hash(&mut h);
        self.timers.hash(&mut h);
        self.cuts.hash(&mut h);
        self.slow.hash(&mut h);
        self.paused.hash(&mut h);
        self.auto.hash(&mut h);
        self.ledger.hash(&mut h);
        self.monitor.hash(&mut h);
        h.finish()
    }

    // ---- checker hooks (core/src/checker) ----------------------------------------------

    /// A fingerprint of everything that decides what can happen next, for the checker's visited
    /// set: [`Cluster::state_hash`] without the step counter and without message ids (two
    /// interleavings that leave the same messages on the same links in the same order are one
    /// state). A faster hash than `state_hash`'s, also over little-endian words with `usize`
    /// widened, so identical natively and in wasm.
    pub fn fingerprint(&self) -> u64 {
        let mut h = fingerprint::FingerprintHasher::default();
        self.now.hash(&mut h);
        self.rng.hash(&mut h);
        // The shared parts by their cached hashes: a part a move left alone is not hashed again.
        h.write_u64(fingerprint::shared(&self.controller));
        h.write_usize(self.brokers.len());
        for (id, slot) in &self.brokers {
            id.hash(&mut h);
            h.write_u64(fingerprint::shared_with(slot, |s, h| {
                s.status.hash(h);
                s.broker.write_fingerprint(h);
            }));
        }
        h.write_u64(fingerprint::shared(&self.producers));
        h.write_u64(fingerprint::shared(&self.consumers));
        h.write_u64(fingerprint::shared(&self.apps));
        // Live and parked events apart, as `state_hash` has them (which node is paused decides
        // where an event waits, and `paused` is hashed below).
        hash_pending(&mut h, &self.queue);
        hash_pending(&mut h, &self.parked);
        self.cuts.hash(&mut h);
        self.slow.hash(&mut h);
        self.paused.hash(&mut h);
        self.auto.hash(&mut h);
        self.keyless.hash(&mut h);
        h.write_u64(fingerprint::shared(&self.ledger));
        h.write_u64(fingerprint::shared_with(
            &self.monitor,
            Monitor::write_fingerprint,
        ));
        h.finish()
    }

    /// The actions of [`Cluster::enabled`] with their due times, in due order, without the labels
    /// (the checker asks this once per state). The first is due at [`Cluster::next_event_time`].
    pub fn enabled_actions(&self) -> impl Iterator<Item = (Action, Millis)> + '_ {
        self.enabled_pending().map(|(at, p)| match p {
            Pending::Deliver(e) => (Action::Deliver { message: e.id }, at),
            Pending::Timer { node, kind } => (
                Action::Fire {
                    node: *node,
                    timer: *kind,
                },
                at,
            ),
        })
    }

    // ---- stepping -----------------------------------------------------------------------

    /// Applies one recorded input.
    pub fn apply_input(&mut self, input: &Input) -> Result<(), CommandError> {
        self.apply_owned_input(input.clone())
    }

    /// [`Cluster::apply_input`] for an input the caller hands over (the checker builds one per
    /// move), so its command is not copied.
    pub(crate) fn apply_owned_input(&mut self, input: Input) -> Result<(), CommandError> {
        match input {
            Input::Command(c) => self.apply(c),
            Input::Steps(n) => {
                self.run_steps(n);
                Ok(())
            }
            Input::RunUntil(t) => {
                self.run_until(t);
                Ok(())
            }
            Input::Action(a) => self.act(a),
        }
    }

    /// Timed driver: fires the earliest event. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let fired = self.step_inner(Millis::MAX);
        if fired {
            self.record_steps(1);
        }
        fired
    }

    /// Fires the earliest event due at or before `limit` without recording it in the history.
    pub(crate) fn step_unrecorded(&mut self, limit: Millis) -> bool {
        self.step_inner(limit)
    }

    /// Fires the earliest event due by `limit` whose node is not paused; a paused node's events
    /// wait in the queue (in order) and fire once it resumes. Changes nothing when none is due.
    fn step_inner(&mut self, limit: Millis) -> bool {
        // Paused nodes' events are parked elsewhere: the first live event is the next one.
        let key = self.queue.first_key().filter(|(at, _)| *at <= limit);
        let Some((at, seq)) = key else {
            return false;
        };
        let pending = self.queue.remove(&(at, seq)).expect("found");
        if let Pending::Timer { node, kind } = &pending {
            self.timers.remove(&TimerKey::new(*node, *kind));
        }
        self.now = self.now.max(at);
        self.fire(pending);
        true
    }

    /// Fires up to `n` events in time order; returns how many fired.
    pub fn run_steps(&mut self, n: u64) -> u64 {
        self.run_steps_until(Millis::MAX, n)
    }

    /// [`Cluster::run_until`] under a budget: a time beyond it is refused before any work; after
    /// `budget.max_events` events with more still due it stops (recorded as the steps it took)
    /// and says so, leaving a valid cluster at the step reached.
    pub fn run_until_within(&mut self, time: Millis, budget: &Budget) -> Result<(), BudgetError> {
        budget.check_time(time)?;
        let done = self.run_steps_until(time, budget.max_events);
        if done == budget.max_events && self.next_event_time().is_some_and(|t| t <= time) {
            return budget.check_events(done + 1);
        }
        self.now = self.now.max(time);
        self.record(Input::RunUntil(time));
        Ok(())
    }

    /// Fires up to `n` events due at or before `time`, recorded as steps; returns how many.
    fn run_steps_until(&mut self, time: Millis, n: u64) -> u64 {
        let mut done = 0;
        while done < n && self.step_inner(time) {
            done += 1;
        }
        if done > 0 {
            self.record_steps(done);
        }
        done
    }

    /// Fires every event due at or before `time`, then sets the clock to `time`.
    pub fn run_until(&mut self, time: Millis) {
        while self.step_inner(time) {}
        self.now = self.now.max(time);
        self.record(Input::RunUntil(time));
    }

    /// Manual driver: the events the user may fire next — the head message of every link and
    /// every timer — of nodes that are not paused.
    pub fn enabled(&self) -> Vec<Enabled> {
        self.enabled_pending()
            .map(|(at, p)| match p {
                Pending::Deliver(e) => Enabled {
                    action: Action::Deliver { message: e.id },
                    at,
                    node: e.from,
                    peer: Some(e.to),
                    label: format!(
                        "deliver {} {} → {}: {}",
                        e.msg.kind(),
                        e.from,
                        e.to,
                        self.message_summary(&e.msg)
                    ),
                    heartbeat: e.msg.kind().is_heartbeat(),
                },
                Pending::Timer { node, kind } => Enabled {
                    action: Action::Fire {
                        node: *node,
                        timer: *kind,
                    },
                    at,
                    node: *node,
                    peer: None,
                    label: format!("fire {node} {}", kind.name()),
                    heartbeat: kind.is_heartbeat(),
                },
            })
            .collect()
    }

    /// The pending events manual mode offers, in queue order: each link's head message and every
    /// timer, of nodes that are not paused.
    fn enabled_pending(&self) -> impl Iterator<Item = (Millis, &Pending)> + '_ {
        self.enabled_keyed().map(|((at, _), p)| (at, p))
    }

    /// [`Cluster::enabled_pending`] with the queue keys.
    fn enabled_keyed(&self) -> impl Iterator<Item = ((Millis, u64), &Pending)> + '_ {
        // Links seen so far: a handful, so a list beats a set.
        let mut heads: Vec<(NodeId, NodeId)> = Vec::new();
        self.queue
            .iter()
            .filter(move |(_, p)| match p {
                Pending::Deliver(e) => {
                    let link = (e.from, e.to);
                    let head = !heads.contains(&link);
                    if head {
                        heads.push(link);
                    }
                    head
                }
                Pending::Timer { .. } => true,
            })
            .map(|(k, p)| (*k, p))
    }

    /// The queue key of `action`'s event if [`Cluster::enabled_keyed`] offers it: a message
    /// first on its link, or a timer of a node that is not paused. Looked up without listing
    /// every enabled event (the checker acts once per successor).
    fn enabled_key(&self, action: &Action) -> Option<(Millis, u64)> {
        match action {
            Action::Deliver { message } => {
                let found = self
                    .queue
                    .iter()
                    .enumerate()
                    .find_map(|(i, (k, p))| match p {
                        Pending::Deliver(e) if e.id == *message => Some((i, *k, (e.from, e.to))),
                        _ => None,
                    });
                let (i, key, link) = found?;
                let behind = self
                    .queue
                    .iter()
                    .take(i)
                    .any(|(_, p)| matches!(p, Pending::Deliver(e) if (e.from, e.to) == link));
                (!behind).then_some(key)
            }
            Action::Fire { node, timer } => {
                // A timer's event is in the queue, or parked while its node is paused.
                let &key = self.timers.get(&TimerKey::new(*node, *timer))?;
                self.queue.contains_key(&key).then_some(key)
            }
        }
    }

    /// Manual driver: fires the chosen event now (the clock moves to its due time if that is later).
    pub fn act(&mut self, action: Action) -> Result<(), CommandError> {
        let Some(key) = self.enabled_key(&action) else {
            return Err(CommandError(match &action {
                Action::Deliver { message } => format!("message {message} is not deliverable now (not in flight, or not first on its link)"),
                Action::Fire { node, timer } => format!("{node} has no pending {} timer", timer.name()),
            }));
        };
        let pending = self.queue.remove(&key).expect("found");
        if let Pending::Timer { node, kind } = &pending {
            self.timers.remove(&TimerKey::new(*node, *kind));
        }
        self.now = self.now.max(key.0);
        self.fire(pending);
        self.record(Input::Action(action));
        Ok(())
    }

    fn stamp(&self) -> Stamp {
        Stamp {
            step: self.step,
            time: self.now,
        }
    }

    fn log(
        &mut self,
        kind: EventKind,
        node: Option<NodeId>,
        peer: Option<NodeId>,
        message: Option<u64>,
        text: impl FnOnce() -> String,
    ) {
        self.log_event(kind, node, peer, message, false, text);
    }

    /// [`Cluster::log`] with the heartbeat flag (background chatter a face may hide).
    fn log_event(
        &mut self,
        kind: EventKind,
        node: Option<NodeId>,
        peer: Option<NodeId>,
        message: Option<u64>,
        heartbeat: bool,
        text: impl FnOnce() -> String,
    ) {
        if self.cfg.trace {
            self.events.push(Event {
                step: self.step,
                time: self.now,
                kind,
                node,
                peer,
                message,
                heartbeat,
                message_kind: None,
                moment: None,
                text: text(),
            });
        }
    }

    /// Attaches `moment` to the event logged since the log had `before` events (when the log is
    /// on and that event exists).
    fn attach_moment(&mut self, before: usize, moment: impl FnOnce(&Self) -> Option<Moment>) {
        if self.events.len() > before {
            let m = moment(self);
            if let Some(e) = self.events.last_mut() {
                e.moment = m.map(Box::new);
            }
        }
    }

    /// An event about a message on the `from → to` link.
    fn log_wire(
        &mut self,
        kind: EventKind,
        (from, to, id): (NodeId, NodeId, u64),
        msg: &Message,
        text: impl FnOnce() -> String,
    ) {
        let heartbeat = msg.kind().is_heartbeat();
        self.log_event(kind, Some(from), Some(to), Some(id), heartbeat, text);
        if let Some(e) = self.events.last_mut().filter(|e| e.message == Some(id)) {
            e.message_kind = Some(msg.kind());
        }
    }

    /// An event about one node, with no peer or message.
    fn log_at(&mut self, kind: EventKind, node: NodeId, text: impl FnOnce() -> String) {
        self.log(kind, Some(node), None, None, text);
    }

    fn fire(&mut self, pending: Pending) {
        self.step += 1;
        let cfg = self.cfg.clone();
        match pending {
            Pending::Timer { node, kind } => {
                let heartbeat = kind.is_heartbeat();
                self.log_event(EventKind::Timer, Some(node), None, None, heartbeat, || {
                    format!("timer {}", kind.name())
                });
                if kind == TimerKind::AutoProduce {
                    if let NodeId::Producer(p) = node {
                        self.auto_produce(p);
                    }
                    return;
                }
                let mut out = Out::default();
                match node {
                    NodeId::Controller => {
                        self.controller.handle_timer(self.now, &cfg, kind, &mut out)
                    }
                    NodeId::Broker(b) => match self.brokers.get_mut(&b) {
                        Some(s) if s.status == BrokerStatus::Up => {
                            s.broker.handle_timer(self.now, &cfg, kind, &mut out)
                        }
                        _ => return,
                    },
                    NodeId::Consumer(c) => match self.consumers.get_mut(c as usize - 1) {
                        Some(s) if s.status == BrokerStatus::Up => {
                            s.consumer.handle_timer(self.now, &cfg, kind, &mut out)
                        }
                        _ => return,
                    },
                    NodeId::Producer(p) => match self.producers.get_mut(p as usize - 1) {
                        Some(pr) => pr.handle_timer(self.now, &cfg, kind, &mut out),
                        None => return,
                    },
                }
                self.process(node, out);
            }
            Pending::Deliver(env) => self.deliver(env),
        }
        self.pipeline_upkeep();
    }

    fn deliver(&mut self, env: Envelope) {
        let cfg = self.cfg.clone();
        let (from, to, id) = (env.from, env.to, env.id);
        if self.cuts.contains(&(from, to)) {
            self.log_wire(EventKind::Drop, (from, to, id), &env.msg, || {
                format!("{} lost: link cut", env.msg.kind())
            });
            return;
        }
        let consumer_down = to.as_consumer().is_some_and(|c| {
            self.consumer(c)
                .is_none_or(|s| s.status != BrokerStatus::Up)
        }) || matches!(to, NodeId::Producer(p) if self.pipeline_producer_down(p));
        if consumer_down {
            self.log_wire(EventKind::Drop, (from, to, id), &env.msg, || {
                format!("{} lost: {to} is down", env.msg.kind())
            });
            return;
        }
        let down = matches!(to, NodeId::Broker(b) if self.brokers.get(&b).is_none_or(|s| s.status != BrokerStatus::Up));
        if down {
            self.log_wire(EventKind::Drop, (from, to, id), &env.msg, || {
                format!("{} refused: {to} is down", env.msg.kind())
            });
            if env.msg.is_request() {
                let msg = Message::ConnectionRefused {
                    original: Box::new(env.msg.into_inner()),
                };
                self.send(to, from, msg);
            }
            return;
        }
        let text = self.traced_summary(&env.msg);
        self.log_wire(EventKind::Deliver, (from, to, id), &env.msg, || text);
        let now = self.now;
        let mut out = Out::default();
        let msg = env.msg.into_inner();
        match to {
            NodeId::Controller => self
                .controller
                .handle_message(now, &cfg, from, msg, &mut out),
            NodeId::Broker(b) => {
                let s = self.brokers.get_mut(&b).expect("checked up");
                s.broker.handle_message(now, &cfg, from, msg, &mut out);
            }
            NodeId::Consumer(c) => {
                if let Some(s) = self.consumers.get_mut(c as usize - 1) {
                    s.consumer.handle_message(now, &cfg, from, msg, &mut out);
                }
            }
            NodeId::Producer(p) => {
                if let Some(pr) = self.producers.get_mut(p as usize - 1) {
                    pr.handle_message(now, &cfg, from, msg, &mut out);
                }
            }
        }
        self.process(to, out);
    }

    /// Schedules a message on the `from → to` link (FIFO per link, like a TCP connection).
    fn send(&mut self, from: NodeId, to: NodeId, msg: Message) {
        self.next_seq += 1;
        let id = self.next_seq;
        if self.cuts.contains(&(from, to)) {
            self.log_wire(EventKind::Drop, (from, to, id), &msg, || {
                format!("{} lost: link cut", msg.kind())
            });
            return;
        }
        let net = &self.cfg.network;
        let jitter = if net.jitter_ms > 0 {
            self.rng.below(net.jitter_ms + 1)
        } else {
            0
        };
        let extra = self.slow.get(&(from, to)).copied().unwrap_or(0);
        let mut at = self.now + net.latency_ms + jitter + extra;
        let clock = self.link_clock.entry((from, to)).or_insert(0);
        at = at.max(*clock);
        *clock = at;
        let text = self.traced_summary(&msg);
        self.log_wire(EventKind::Send, (from, to, id), &msg, || text);
        self.schedule(
            (at, id),
            Pending::Deliver(Envelope {
                id,
                from,
                to,
                sent_at: self.now,
                deliver_at: at,
                msg: Shared::new(msg),
            }),
        );
    }

    fn set_timer(&mut self, node: NodeId, kind: TimerKind, at: Millis) {
        self.next_seq += 1;
        let seq = self.next_seq;
        // One search of the timers: the new due time replaces a pending one, which leaves the
        // queue.
        if let Some(old) = self.timers.insert(TimerKey::new(node, kind), (at, seq)) {
            self.unschedule(&old);
        }
        self.schedule((at, seq), Pending::Timer { node, kind });
    }

    fn cancel_timer(&mut self, node: NodeId, kind: TimerKind) {
        if let Some(key) = self.timers.remove(&TimerKey::new(node, kind)) {
            self.unschedule(&key);
        }
    }

    /// Turns a handler's effects into envelopes, timers and observations.
    fn process(&mut self, node: NodeId, out: Out) {
        for effect in out.effects {
            match effect {
                Effect::Send { to, msg } => self.send(node, to, msg),
                Effect::SetTimer { kind, at } => self.set_timer(node, kind, at),
                Effect::CancelTimer { kind } => self.cancel_timer(node, kind),
                Effect::Observe(o) => self.observe(o),
                Effect::Halt => {
                    if let NodeId::Broker(b) = node {
                        self.stop_broker(b, BrokerStatus::Stopped);
                        self.log_at(EventKind::Crash, node, || {
                            "controlled shutdown complete: process stopped".into()
                        });
                    }
                }
            }
        }
    }
}

/// A replay input that could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// Index of the failing input; `None` when the configuration itself is invalid.
    pub index: Option<usize>,
    /// What went wrong, for the user.
    pub message: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.index {
            Some(i) => write!(f, "input {}: {}", i + 1, self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Writes the checker's fingerprint of pending events, in key order: due time and content, not the
/// sequence number (message ids differ between interleavings that reach the same state).
fn hash_pending(h: &mut fingerprint::FingerprintHasher, pending: &EventQueue) {
    h.write_usize(pending.len());
    if pending.len() == 0 {
        // Usually the parked events: no node is paused.
        return;
    }
    for ((at, _), p) in pending.iter() {
        at.hash(h);
        match p {
            Pending::Deliver(e) => {
                (e.from, e.to, e.sent_at).hash(h);
                h.write_u64(fingerprint::shared(&e.msg));
            }
            Pending::Timer { node, kind } => (node, kind).hash(h),
        }
    }
}

/// FNV-1a over little-endian bytes, with `usize` widened to 64 bits: the same hash on 64-bit
/// native targets and on wasm32.
#[derive(Default)]
struct StableHasher(u64);

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
    fn write_usize(&mut self, i: usize) {
        self.write(&(i as u64).to_le_bytes());
    }
    fn write_isize(&mut self, i: isize) {
        self.write(&(i as i64).to_le_bytes());
    }
    fn write_u16(&mut self, i: u16) {
        self.write(&i.to_le_bytes());
    }
    fn write_u32(&mut self, i: u32) {
        self.write(&i.to_le_bytes());
    }
    fn write_u64(&mut self, i: u64) {
        self.write(&i.to_le_bytes());
    }
    fn write_i16(&mut self, i: i16) {
        self.write(&i.to_le_bytes());
    }
    fn write_i32(&mut self, i: i32) {
        self.write(&i.to_le_bytes());
    }
    fn write_i64(&mut self, i: i64) {
        self.write(&i.to_le_bytes());
    }
}

/// Moves the pending events aimed at `node` from one queue to the other, keys kept.
fn move_events_of(node: NodeId, from: &mut EventQueue, to: &mut EventQueue) {
    for (k, p) in from.take_where(|p| p.target() == node) {
        to.insert(k, p);
    }
}
