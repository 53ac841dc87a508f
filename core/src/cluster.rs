//! The simulated world: every node, the network, the scheduler and the run's one RNG.
//!
//! Methods, sorted the way quinn sorts `Connection`'s:
//! * **inputs** — [`Cluster::apply`] (a user [`Command`]), [`Cluster::act`] (a manual-mode [`Action`]);
//! * **stepping** — [`Cluster::step`] (the earliest event, the timed driver), [`Cluster::run_until`],
//!   [`Cluster::run_steps`], [`Cluster::apply_input`];
//! * **getters** — [`Cluster::enabled`], [`Cluster::snapshot`](crate::snapshot), [`Cluster::events`],
//!   [`Cluster::ledger`], [`Cluster::invariants`], [`Cluster::state_hash`], [`Cluster::history`].
//!
//! Nothing here reads a clock or an OS random source: the same config, seed and inputs give the
//! same run, natively and in wasm.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::broker::{Broker, Disk};
use crate::command::{Action, Command, CommandError, Input};
use crate::config::{Acks, ClusterConfig, CommitMode, ConfigError};
use crate::consumer::Consumer;
use crate::controller::Controller;
use crate::coordinator::{is_internal, offsets_replication_factor, offsets_tp, OffsetsRecord};
use crate::event::{Event, EventKind};
use crate::invariants::{names, InvariantStatus, Monitor};
use crate::ledger::{Ledger, Stamp};
use crate::node::{Effect, Observation, Out, TimerKind};
use crate::partitioner::partition_for_key;
use crate::placement::assign_replicas;
use crate::producer::Producer;
use crate::protocol::Message;
use crate::rng::Rng;
use crate::types::{BrokerId, Millis, NodeId, TopicPartition};

/// Longest duration a command may name (a link delay, an auto-produce interval): one day.
pub const MAX_DURATION_MS: Millis = 86_400_000;

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Envelope {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: Millis,
    pub deliver_at: Millis,
    pub msg: Message,
}

/// A scheduled event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Pending {
    Deliver(Envelope),
    Timer { node: NodeId, kind: TimerKind },
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
    Up,
    /// Killed; its disk survives.
    Crashed,
    /// Finished a controlled shutdown.
    Stopped,
}

/// A consumer slot: the client process (or its last state while it is down).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConsumerSlot {
    pub consumer: Consumer,
    pub status: BrokerStatus,
}

/// A broker slot: the process (or what its disk holds while it is down).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrokerSlot {
    pub broker: Broker,
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
    pub action: Action,
    pub at: Millis,
    pub node: NodeId,
    pub peer: Option<NodeId>,
    pub label: String,
}

/// The simulated cluster. `Clone` is a checkpoint.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) cfg: Arc<ClusterConfig>,
    pub(crate) seed: u64,
    rng: Rng,
    pub(crate) now: Millis,
    pub(crate) step: u64,
    pub(crate) controller: Controller,
    pub(crate) brokers: BTreeMap<BrokerId, BrokerSlot>,
    pub(crate) producers: Vec<Producer>,
    pub(crate) consumers: Vec<ConsumerSlot>,
    queue: BTreeMap<(Millis, u64), Pending>,
    timers: BTreeMap<(NodeId, TimerKind), (Millis, u64)>,
    next_seq: u64,
    link_clock: BTreeMap<(NodeId, NodeId), Millis>,
    pub(crate) cuts: BTreeSet<(NodeId, NodeId)>,
    pub(crate) slow: BTreeMap<(NodeId, NodeId), Millis>,
    pub(crate) paused: BTreeSet<NodeId>,
    auto: BTreeMap<u32, AutoProduce>,
    keyless: BTreeMap<u32, u32>,
    pub(crate) assignment: Vec<(TopicPartition, Vec<BrokerId>)>,
    pub(crate) ledger: Ledger,
    pub(crate) monitor: Monitor,
    events: Vec<Event>,
    history: Vec<Input>,
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
        let controller = Controller::bootstrap(cfg.brokers, &assignment);
        let metadata = controller
            .partitions
            .values()
            .map(|r| (r.tp, (r.leader, r.leader_epoch)))
            .collect::<BTreeMap<_, _>>();
        let brokers = (1..=cfg.brokers)
            .map(|b| {
                (
                    b,
                    BrokerSlot {
                        broker: Broker::start(b, 1, Disk::default(), &assignment),
                        status: BrokerStatus::Up,
                    },
                )
            })
            .collect();
        let producers = (1..=cfg.producers)
            .map(|p| Producer::new(p, metadata.clone()))
            .collect();
        let monitor = Monitor::new(&cfg);
        let mut c = Cluster {
            cfg: Arc::new(cfg),
            seed,
            rng: Rng::new(seed),
            now: 0,
            step: 0,
            controller,
            brokers,
            producers,
            consumers: Vec::new(),
            queue: BTreeMap::new(),
            timers: BTreeMap::new(),
            next_seq: 0,
            link_clock: BTreeMap::new(),
            cuts: BTreeSet::new(),
            slow: BTreeMap::new(),
            paused: BTreeSet::new(),
            auto: BTreeMap::new(),
            keyless: BTreeMap::new(),
            assignment,
            ledger: Ledger::default(),
            monitor,
            events: Vec::new(),
            history: Vec::new(),
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
        Ok(c)
    }

    /// Starts consumer `id` (a new one when `None`) with the controller's metadata.
    fn start_consumer(&mut self, id: Option<u32>) -> u32 {
        let cfg = self.cfg.clone();
        let metadata = self
            .controller
            .partitions
            .values()
            .map(|r| (r.tp, (r.leader, r.leader_epoch)))
            .collect();
        let id = id.unwrap_or(self.consumers.len() as u32 + 1);
        let mut consumer = Consumer::new(id, self.now, &cfg, metadata);
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

    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn now(&self) -> Millis {
        self.now
    }
    /// Steps taken so far (events fired plus commands applied).
    pub fn step_count(&self) -> u64 {
        self.step
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Removes and returns the events recorded so far (owners that keep their own log).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn invariants(&self) -> &[InvariantStatus] {
        &self.monitor.statuses
    }
    pub fn history(&self) -> &[Input] {
        &self.history
    }
    /// Forgets the recorded inputs (long benchmark runs); the run can no longer be replayed.
    pub fn clear_history(&mut self) {
        self.history.clear();
    }
    pub fn controller(&self) -> &Controller {
        &self.controller
    }
    pub fn broker(&self, id: BrokerId) -> Option<&BrokerSlot> {
        self.brokers.get(&id)
    }
    pub fn brokers(&self) -> impl Iterator<Item = (&BrokerId, &BrokerSlot)> {
        self.brokers.iter()
    }
    pub fn producers(&self) -> &[Producer] {
        &self.producers
    }
    /// Consumers `c1`, `c2`, … (index 0 is `c1`).
    pub fn consumers(&self) -> &[ConsumerSlot] {
        &self.consumers
    }
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
    /// The group's committed offsets as its coordinator would answer OffsetFetch now.
    pub fn group_committed(&self) -> BTreeMap<TopicPartition, crate::types::Offset> {
        let Some((b, g)) = self.group_coordinator() else {
            return BTreeMap::new();
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
        self.queue.values().filter_map(|p| match p {
            Pending::Deliver(e) => Some(e),
            _ => None,
        })
    }
    /// Pending timers: (node, kind, due time).
    pub fn pending_timers(&self) -> impl Iterator<Item = (NodeId, TimerKind, Millis)> + '_ {
        self.timers.iter().map(|((n, k), (at, _))| (*n, *k, *at))
    }
    pub fn is_paused(&self, node: NodeId) -> bool {
        self.paused.contains(&node)
    }
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cuts.contains(&(from, to))
    }
    /// Virtual time of the next event, if any.
    pub fn next_event_time(&self) -> Option<Millis> {
        self.queue
            .iter()
            .find(|(_, p)| !self.paused.contains(&p.target()))
            .map(|((t, _), _)| *t)
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
    pub fn topic_name(&self, tp: TopicPartition) -> &str {
        crate::coordinator::topic_name(&self.cfg, tp.topic)
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
        self.queue.hash(&mut h);
        self.timers.hash(&mut h);
        self.cuts.hash(&mut h);
        self.slow.hash(&mut h);
        self.paused.hash(&mut h);
        self.auto.hash(&mut h);
        self.ledger.hash(&mut h);
        self.monitor.hash(&mut h);
        h.finish()
    }

    // ---- stepping -----------------------------------------------------------------------

    /// Applies one recorded input.
    pub fn apply_input(&mut self, input: &Input) -> Result<(), CommandError> {
        match input {
            Input::Command(c) => self.apply(c.clone()),
            Input::Steps(n) => {
                self.run_steps(*n);
                Ok(())
            }
            Input::RunUntil(t) => {
                self.run_until(*t);
                Ok(())
            }
            Input::Action(a) => self.act(a.clone()),
        }
    }

    /// Timed driver: fires the earliest event. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let fired = self.step_inner(Millis::MAX);
        if fired {
            match self.history.last_mut() {
                Some(Input::Steps(n)) => *n += 1,
                _ => self.history.push(Input::Steps(1)),
            }
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
        let key = self
            .queue
            .iter()
            .take_while(|((at, _), _)| *at <= limit)
            .find(|(_, p)| !self.paused.contains(&p.target()))
            .map(|(k, _)| *k);
        let Some((at, seq)) = key else {
            return false;
        };
        let pending = self.queue.remove(&(at, seq)).expect("found");
        if let Pending::Timer { node, kind } = &pending {
            self.timers.remove(&(*node, *kind));
        }
        self.now = self.now.max(at);
        self.fire(pending);
        true
    }

    /// Fires up to `n` events in time order; returns how many fired.
    pub fn run_steps(&mut self, n: u64) -> u64 {
        let mut done = 0;
        while done < n && self.step_inner(Millis::MAX) {
            done += 1;
        }
        if done > 0 {
            match self.history.last_mut() {
                Some(Input::Steps(k)) => *k += done,
                _ => self.history.push(Input::Steps(done)),
            }
        }
        done
    }

    /// Fires every event due at or before `time`, then sets the clock to `time`.
    pub fn run_until(&mut self, time: Millis) {
        while self.step_inner(time) {}
        self.now = self.now.max(time);
        self.history.push(Input::RunUntil(time));
    }

    /// Manual driver: the events the user may fire next — the head message of every link and
    /// every timer — of nodes that are not paused.
    pub fn enabled(&self) -> Vec<Enabled> {
        let mut heads: BTreeSet<(NodeId, NodeId)> = BTreeSet::new();
        let mut out = Vec::new();
        for ((at, _), p) in &self.queue {
            if self.paused.contains(&p.target()) {
                continue;
            }
            match p {
                Pending::Deliver(e) => {
                    if heads.insert((e.from, e.to)) {
                        out.push(Enabled {
                            action: Action::Deliver { message: e.id },
                            at: *at,
                            node: e.from,
                            peer: Some(e.to),
                            label: format!(
                                "deliver {} {} → {}: {}",
                                e.msg.kind(),
                                e.from,
                                e.to,
                                e.msg.summary()
                            ),
                        });
                    }
                }
                Pending::Timer { node, kind } => out.push(Enabled {
                    action: Action::Fire {
                        node: *node,
                        timer: *kind,
                    },
                    at: *at,
                    node: *node,
                    peer: None,
                    label: format!("fire {node} {}", kind.name()),
                }),
            }
        }
        out
    }

    /// Manual driver: fires the chosen event now (the clock moves to its due time if that is later).
    pub fn act(&mut self, action: Action) -> Result<(), CommandError> {
        let enabled = self.enabled();
        if !enabled.iter().any(|e| e.action == action) {
            return Err(CommandError(match &action {
                Action::Deliver { message } => format!("message {message} is not deliverable now (not in flight, or not first on its link)"),
                Action::Fire { node, timer } => format!("{node} has no pending {} timer", timer.name()),
            }));
        }
        let key = self
            .queue
            .iter()
            .find(|(_, p)| match (&action, p) {
                (Action::Deliver { message }, Pending::Deliver(e)) => e.id == *message,
                (Action::Fire { node, timer }, Pending::Timer { node: n, kind }) => {
                    n == node && kind == timer
                }
                _ => false,
            })
            .map(|(k, _)| *k)
            .expect("enabled implies queued");
        let pending = self.queue.remove(&key).expect("found");
        if let Pending::Timer { node, kind } = &pending {
            self.timers.remove(&(*node, *kind));
        }
        self.now = self.now.max(key.0);
        self.fire(pending);
        self.history.push(Input::Action(action));
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
        if self.cfg.trace {
            self.events.push(Event {
                step: self.step,
                time: self.now,
                kind,
                node,
                peer,
                message,
                text: text(),
            });
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
                self.log_at(EventKind::Timer, node, || format!("timer {}", kind.name()));
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
    }

    fn deliver(&mut self, env: Envelope) {
        let cfg = self.cfg.clone();
        let (from, to, id) = (env.from, env.to, env.id);
        if self.cuts.contains(&(from, to)) {
            self.log(EventKind::Drop, Some(from), Some(to), Some(id), || {
                format!("{} lost: link cut", env.msg.kind())
            });
            return;
        }
        let consumer_down = to.as_consumer().is_some_and(|c| {
            self.consumer(c)
                .is_none_or(|s| s.status != BrokerStatus::Up)
        });
        if consumer_down {
            self.log(EventKind::Drop, Some(from), Some(to), Some(id), || {
                format!("{} lost: {to} is down", env.msg.kind())
            });
            return;
        }
        let down = matches!(to, NodeId::Broker(b) if self.brokers.get(&b).is_none_or(|s| s.status != BrokerStatus::Up));
        if down {
            self.log(EventKind::Drop, Some(from), Some(to), Some(id), || {
                format!("{} refused: {to} is down", env.msg.kind())
            });
            if env.msg.is_request() {
                let msg = Message::ConnectionRefused {
                    original: Box::new(env.msg),
                };
                self.send(to, from, msg);
            }
            return;
        }
        self.log(EventKind::Deliver, Some(from), Some(to), Some(id), || {
            env.msg.summary()
        });
        let now = self.now;
        let mut out = Out::default();
        match to {
            NodeId::Controller => self
                .controller
                .handle_message(now, &cfg, from, env.msg, &mut out),
            NodeId::Broker(b) => {
                let s = self.brokers.get_mut(&b).expect("checked up");
                s.broker.handle_message(now, &cfg, from, env.msg, &mut out);
            }
            NodeId::Consumer(c) => {
                if let Some(s) = self.consumers.get_mut(c as usize - 1) {
                    s.consumer
                        .handle_message(now, &cfg, from, env.msg, &mut out);
                }
            }
            NodeId::Producer(p) => {
                if let Some(pr) = self.producers.get_mut(p as usize - 1) {
                    pr.handle_message(now, &cfg, from, env.msg, &mut out);
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
            self.log(EventKind::Drop, Some(from), Some(to), Some(id), || {
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
        self.log(EventKind::Send, Some(from), Some(to), Some(id), || {
            msg.summary()
        });
        self.queue.insert(
            (at, id),
            Pending::Deliver(Envelope {
                id,
                from,
                to,
                sent_at: self.now,
                deliver_at: at,
                msg,
            }),
        );
    }

    fn set_timer(&mut self, node: NodeId, kind: TimerKind, at: Millis) {
        self.cancel_timer(node, kind);
        self.next_seq += 1;
        let seq = self.next_seq;
        self.queue.insert((at, seq), Pending::Timer { node, kind });
        self.timers.insert((node, kind), (at, seq));
    }

    fn cancel_timer(&mut self, node: NodeId, kind: TimerKind) {
        if let Some(key) = self.timers.remove(&(node, kind)) {
            self.queue.remove(&key);
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

    /// Feeds the ledger, the invariants and the event log.
    /// Logs invariants that broke for the first time, as seen at `node`.
    fn log_broken(&mut self, node: NodeId, broken: impl IntoIterator<Item = String>) {
        for d in broken {
            self.log_at(EventKind::Invariant, node, || {
                format!("invariant broken: {d}")
            });
        }
    }

    /// Runs the per-replica invariant checks on the running replicas of `tp` held by `brokers`
    /// (incremental: each replica is compared from where it was last verified).
    fn check_replicas(&mut self, tp: TopicPartition, brokers: &[BrokerId]) {
        let at = self.stamp();
        let mut broken = Vec::new();
        for (&b, slot) in &self.brokers {
            if slot.status != BrokerStatus::Up || !brokers.contains(&b) {
                continue;
            }
            if let Some(p) = slot.broker.partitions.get(&tp) {
                for d in self.monitor.check_replica(b, tp, &p.log, at) {
                    broken.push((b, d));
                }
            }
        }
        for (b, d) in broken {
            self.log_broken(NodeId::Broker(b), [d]);
        }
    }

    fn observe(&mut self, o: Observation) {
        let at = self.stamp();
        // `p0` for a partition of the configured topics, `__consumer_offsets-0` otherwise.
        let cfg = self.cfg.clone();
        let pl = |tp: TopicPartition| -> String {
            if is_internal(&cfg, tp) {
                format!(
                    "{}-{}",
                    crate::coordinator::topic_name(&cfg, tp.topic),
                    tp.partition
                )
            } else {
                format!("p{}", tp.partition)
            }
        };
        match o {
            Observation::Appended {
                broker,
                tp,
                record,
                as_leader,
            } => {
                let Some(log) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                    .map(|p| &p.log)
                else {
                    return;
                };
                let internal = is_internal(&self.cfg, tp);
                let dup = as_leader
                    && !internal
                    && self.ledger.on_leader_append(
                        record.id,
                        record.offset,
                        record.epoch,
                        log,
                        at,
                    );
                let broken = self.monitor.check_replica(broker, tp, log, at);
                self.log_broken(NodeId::Broker(broker), broken);
                if as_leader && self.cfg.trace {
                    let value = self.value_of(record.id);
                    self.log_at(EventKind::Append, NodeId::Broker(broker), || {
                        format!(
                            "appended {value} at offset {} (epoch {}) as leader of {}",
                            record.offset,
                            record.epoch,
                            pl(tp)
                        )
                    });
                }
                if dup {
                    let value = self.value_of(record.id);
                    self.log_at(EventKind::Duplicate, NodeId::Broker(broker), || {
                        format!(
                            "{value} is now in {} twice (a retry after a lost response)",
                            pl(tp)
                        )
                    });
                }
            }
            Observation::HighWatermark {
                broker,
                tp,
                old,
                new,
                as_leader,
            } => {
                let Some(p) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                else {
                    return;
                };
                let (log, epoch) = (&p.log, p.leader_epoch);
                let mut broken = Vec::new();
                if as_leader && !is_internal(&self.cfg, tp) {
                    self.ledger.on_leader_hw(log, old, new, at);
                    broken.extend(self.monitor.on_leader_hw(broker, tp, epoch, new, at));
                }
                if new > old {
                    broken.extend(self.monitor.on_hw_covers(broker, tp, log, old, new, at));
                }
                broken.extend(self.monitor.check_replica(broker, tp, log, at));
                self.log_at(EventKind::HighWatermark, NodeId::Broker(broker), || {
                    format!(
                        "HW of {} {old} → {new}{}",
                        pl(tp),
                        if as_leader { " (leader)" } else { "" }
                    )
                });
                self.log_broken(NodeId::Broker(broker), broken);
            }
            Observation::Truncated {
                broker,
                tp,
                to,
                removed,
                reason,
            } => {
                let values: Vec<String> = removed.iter().map(|r| self.value_of(r.id)).collect();
                if let Some(p) = self
                    .brokers
                    .get(&broker)
                    .and_then(|s| s.broker.partitions.get(&tp))
                {
                    let broken = self.monitor.check_replica(broker, tp, &p.log, at);
                    self.log_broken(NodeId::Broker(broker), broken);
                }
                self.log_at(EventKind::Truncate, NodeId::Broker(broker), || {
                    format!(
                        "truncated {} to offset {to}, removing [{}]: {reason}",
                        pl(tp),
                        values.join(", ")
                    )
                });
            }
            Observation::BecameLeader {
                broker,
                tp,
                epoch,
                isr,
            } => {
                let broken = self.monitor.on_became_leader(broker, tp, epoch, at);
                self.log_broken(NodeId::Broker(broker), broken);
                let log = &self.brokers[&broker].broker.partitions[&tp].log;
                let leo = log.leo();
                let lost = if is_internal(&self.cfg, tp) {
                    Vec::new()
                } else {
                    self.ledger.on_new_leader(tp, log, at)
                };
                let mut committed_missing = self.monitor.on_new_leader_log(broker, tp, log, at);
                committed_missing.retain(|id| OffsetsRecord::decode(*id).is_none());
                for id in &committed_missing {
                    self.ledger.mark_lost(*id, at);
                }
                self.log_at(EventKind::Leader, NodeId::Broker(broker), || {
                    format!(
                        "became leader of {} in epoch {epoch}, ISR {isr:?}, LEO {leo}",
                        pl(tp)
                    )
                });
                let mut all_lost = lost.clone();
                for id in committed_missing {
                    if !all_lost.contains(&id) {
                        all_lost.push(id);
                    }
                }
                // Under a durable configuration the promise covers acks=all records only; a record
                // sent with a per-record acks=0/1 override may be lost without breaking it (R2.7).
                let promised = self
                    .monitor
                    .status(names::NO_ACKED_LOSS)
                    .is_some_and(|s| s.promised);
                let counted: Vec<u32> = lost
                    .iter()
                    .copied()
                    .filter(|id| {
                        !promised || self.ledger.get(*id).is_some_and(|e| e.acks == Acks::All)
                    })
                    .collect();
                if !counted.is_empty() {
                    let values: Vec<String> = counted.iter().map(|id| self.value_of(*id)).collect();
                    let d = format!(
                        "b{broker} leads {} without acknowledged [{}]",
                        pl(tp),
                        values.join(", ")
                    );
                    self.monitor.violate(names::NO_ACKED_LOSS, at, d);
                }
                for id in all_lost {
                    let value = self.value_of(id);
                    self.log_at(EventKind::Lost, NodeId::Broker(broker), || {
                        format!(
                            "{value} is lost: the new leader of {} does not have it",
                            pl(tp)
                        )
                    });
                }
            }
            Observation::BecameFollower {
                broker,
                tp,
                epoch,
                leader,
            } => {
                self.log_at(EventKind::Follower, NodeId::Broker(broker), || {
                    let l = leader.map_or("no leader".to_string(), |l| format!("leader b{l}"));
                    format!("follows {l} for {} in epoch {epoch}", pl(tp))
                });
            }
            Observation::IsrProposed { broker, tp, isr } => {
                self.log_at(EventKind::Isr, NodeId::Broker(broker), || {
                    format!("proposes ISR {isr:?} for {}", pl(tp))
                });
            }
            Observation::PartitionChanged {
                tp,
                leader,
                leader_epoch,
                isr,
                unclean,
                leader_changed,
                reason,
            } => {
                self.monitor.check_leader_in_isr(tp, leader, &isr, at);
                // Every ISR member's log must agree with the committed log below its HW. A
                // replica can rejoin the ISR without having changed since it restarted — with a
                // divergent record below its HW under high-watermark truncation (KIP-101
                // scenario 2, S17) — so it is compared again here, not only when it changes.
                self.check_replicas(tp, &isr);
                let kind = if leader_changed {
                    EventKind::Election
                } else {
                    EventKind::Isr
                };
                self.log(kind, Some(NodeId::Controller), None, None, || {
                    let l = leader.map_or("none (offline)".to_string(), |l| format!("b{l}"));
                    if leader_changed {
                        format!(
                            "{} election for {}: leader {l}, epoch {leader_epoch}, ISR {isr:?} ({reason})",
                            if unclean { "UNCLEAN" } else { "clean" },
                            pl(tp)
                        )
                    } else {
                        format!("ISR of {} is now {isr:?} ({reason})", pl(tp))
                    }
                });
            }
            Observation::BrokerFenced { broker } => {
                self.log(
                    EventKind::Fenced,
                    Some(NodeId::Controller),
                    Some(NodeId::Broker(broker)),
                    None,
                    || format!("fenced b{broker}"),
                );
            }
            Observation::BrokerUnfenced {
                broker,
                broker_epoch,
            } => {
                self.log(
                    EventKind::Unfenced,
                    Some(NodeId::Controller),
                    Some(NodeId::Broker(broker)),
                    None,
                    || format!("registered b{broker} with broker epoch {broker_epoch}"),
                );
            }
            Observation::Sent {
                producer,
                record,
                broker,
                attempt,
            } => {
                self.ledger.on_sent(record);
                if attempt > 1 {
                    let value = self.value_of(record);
                    self.log(
                        EventKind::Send,
                        Some(NodeId::Producer(producer)),
                        Some(NodeId::Broker(broker)),
                        None,
                        || format!("retry #{} of {value}", attempt - 1),
                    );
                }
            }
            Observation::Acked {
                producer,
                record,
                tp,
                offset,
                acks,
            } => {
                self.ledger.on_acked(record, offset, at);
                let value = self.value_of(record);
                self.log_at(
                    EventKind::Ack,
                    NodeId::Producer(producer),
                    || match offset {
                        Some(o) => format!(
                            "{value} acknowledged at p{} offset {o} (acks={})",
                            tp.partition,
                            acks.as_str()
                        ),
                        None => format!("{value} sent with acks=0: no acknowledgement, no offset"),
                    },
                );
            }
            Observation::ProduceError {
                producer,
                record,
                error,
            } => {
                self.ledger.on_error(record, error);
                let value = self.value_of(record);
                self.log_at(EventKind::ProduceError, NodeId::Producer(producer), || {
                    format!("{value}: {error}, will retry")
                });
            }
            Observation::Failed {
                producer,
                record,
                error,
            } => {
                self.ledger.on_failed(record, error, at);
                let value = self.value_of(record);
                self.log_at(EventKind::Failed, NodeId::Producer(producer), || {
                    format!("{value} failed: {error}")
                });
            }
            o => self.observe_consumer(o, at),
        }
    }

    /// The consuming side's observations: ledger, the one-owner invariant, events.
    fn observe_consumer(&mut self, o: Observation, at: Stamp) {
        match o {
            Observation::Consumed {
                consumer,
                record,
                tp,
                offset,
                generation,
            } => {
                let dedup = self.cfg.consumer.dedup;
                let skipped = self
                    .ledger
                    .on_consumed(record, consumer, generation, offset, dedup, at);
                let value = self.value_of(record);
                let times = self.ledger.processed_count(record);
                self.log_at(EventKind::Consume, NodeId::consumer(consumer), || {
                    if skipped {
                        format!(
                            "{value} (p{} offset {offset}) is already in the sink: skipped (dedup)",
                            tp.partition
                        )
                    } else if times > 1 {
                        format!(
                            "processed {value} (p{} offset {offset}) AGAIN: {times} times",
                            tp.partition
                        )
                    } else {
                        format!("processed {value} (p{} offset {offset})", tp.partition)
                    }
                });
            }
            Observation::OffsetsCommitted {
                consumer,
                generation,
                offsets,
            } => {
                for (tp, o) in &offsets {
                    self.ledger.on_group_commit(*tp, *o, at);
                }
                self.log_at(EventKind::Commit, NodeId::consumer(consumer), || {
                    let parts: Vec<String> = offsets
                        .iter()
                        .map(|(tp, o)| format!("p{}={o}", tp.partition))
                        .collect();
                    format!("committed {} (generation {generation})", parts.join(", "))
                });
            }
            Observation::CommitFailed { consumer, error } => {
                self.ledger.consumer_errors.insert(error);
                self.log_at(EventKind::CommitFailed, NodeId::consumer(consumer), || {
                    format!("offset commit failed: {error}")
                });
            }
            Observation::Assigned {
                consumer,
                generation,
                member_id,
                partitions,
            } => {
                let broken = self
                    .monitor
                    .on_assigned(consumer, generation, &partitions, at);
                self.log_at(EventKind::Assign, NodeId::consumer(consumer), || {
                    let ps: Vec<String> = partitions
                        .iter()
                        .map(|tp| format!("p{}", tp.partition))
                        .collect();
                    format!(
                        "{member_id} is assigned [{}] in generation {generation}",
                        ps.join(", ")
                    )
                });
                self.log_broken(NodeId::consumer(consumer), broken);
            }
            Observation::Revoked {
                consumer,
                partitions,
            } => {
                self.log_at(EventKind::Revoke, NodeId::consumer(consumer), || {
                    let ps: Vec<String> = partitions
                        .iter()
                        .map(|tp| format!("p{}", tp.partition))
                        .collect();
                    format!("revokes [{}]", ps.join(", "))
                });
            }
            Observation::GroupNote {
                node,
                rebalance,
                text,
            } => {
                let kind = if rebalance {
                    EventKind::Rebalance
                } else {
                    EventKind::Consume
                };
                self.log(kind, Some(node), None, None, || text);
            }
            _ => {}
        }
    }

    fn value_of(&self, id: u32) -> String {
        if let Some(d) = OffsetsRecord::describe(id) {
            return d;
        }
        self.ledger
            .get(id)
            .map_or_else(|| format!("r{id}"), |e| e.value.clone())
    }

    // ---- inputs -------------------------------------------------------------------------

    /// Applies a user command at the current virtual time.
    pub fn apply(&mut self, cmd: Command) -> Result<(), CommandError> {
        self.check(&cmd)?;
        self.step += 1;
        let text = command_text(&cmd);
        self.log(EventKind::Command, None, None, None, || text);
        self.history.push(Input::Command(cmd.clone()));
        let cfg = self.cfg.clone();
        match cmd {
            Command::Produce {
                producer,
                topic,
                partition,
                key,
                value,
                acks,
            } => {
                let tp = self.resolve_tp(producer, topic.as_deref(), partition, key.as_deref())?;
                let acks = acks.unwrap_or(cfg.producer.acks);
                let id = self
                    .ledger
                    .produce(producer, tp, key, value, acks, self.stamp());
                let mut out = Out::default();
                self.producers[producer as usize - 1].send(self.now, &cfg, id, tp, acks, &mut out);
                self.process(NodeId::Producer(producer), out);
            }
            Command::AutoProduce {
                producer,
                interval_ms,
                topic,
                acks,
            } => {
                let node = NodeId::Producer(producer);
                if interval_ms == 0 {
                    self.auto.remove(&producer);
                    self.cancel_timer(node, TimerKind::AutoProduce);
                } else {
                    let topic = match topic {
                        Some(t) => self.topic_index(&t)?,
                        None => 0,
                    };
                    let sent = self.auto.get(&producer).map_or(0, |a| a.sent);
                    self.auto.insert(
                        producer,
                        AutoProduce {
                            interval: interval_ms,
                            topic,
                            acks,
                            sent,
                        },
                    );
                    self.set_timer(node, TimerKind::AutoProduce, self.now + interval_ms);
                }
            }
            Command::Crash {
                broker,
                lose_unflushed,
            } => {
                if lose_unflushed {
                    let slot = self.brokers.get_mut(&broker).expect("checked");
                    let mut lost_any = false;
                    for p in slot.broker.partitions.values_mut() {
                        lost_any |= !p.log.lose_unflushed().is_empty();
                    }
                    if lost_any {
                        self.monitor.on_lossy_crash();
                    }
                }
                self.stop_broker(broker, BrokerStatus::Crashed);
            }
            Command::Shutdown { broker } => {
                let mut out = Out::default();
                self.brokers
                    .get_mut(&broker)
                    .expect("checked")
                    .broker
                    .begin_shutdown(self.now, &cfg, &mut out);
                self.process(NodeId::Broker(broker), out);
            }
            Command::Restart { broker } => {
                let slot = self.brokers.get_mut(&broker).expect("checked");
                let incarnation = slot.broker.incarnation + 1;
                let disk = slot.broker.disk();
                slot.broker = Broker::start(broker, incarnation, disk, &self.assignment);
                slot.status = BrokerStatus::Up;
                let mut out = Out::default();
                slot.broker.on_start(self.now, &cfg, &mut out);
                self.log_at(EventKind::Restart, NodeId::Broker(broker), || {
                    format!("b{broker} started again from its disk")
                });
                self.process(NodeId::Broker(broker), out);
            }
            Command::Pause { node } => {
                self.paused.insert(node);
            }
            Command::Resume { node } => {
                // Its overdue events are still queued, in order: they fire next.
                self.paused.remove(&node);
            }
            Command::Isolate { node } => {
                for other in self.all_nodes() {
                    if other != node {
                        self.cuts.insert((node, other));
                        self.cuts.insert((other, node));
                    }
                }
            }
            Command::Cut { from, to, both } => {
                self.cuts.insert((from, to));
                if both {
                    self.cuts.insert((to, from));
                }
            }
            Command::Heal { node } => match node {
                None => {
                    self.cuts.clear();
                    self.slow.clear();
                }
                Some(n) => {
                    self.cuts.retain(|(a, b)| *a != n && *b != n);
                    self.slow.retain(|(a, b), _| *a != n && *b != n);
                }
            },
            Command::Slow {
                from,
                to,
                extra_ms,
                both,
            } => {
                for link in [(from, to), (to, from)]
                    .into_iter()
                    .take(if both { 2 } else { 1 })
                {
                    if extra_ms == 0 {
                        self.slow.remove(&link);
                    } else {
                        self.slow.insert(link, extra_ms);
                    }
                }
            }
            Command::Drop { message } => {
                let key = self
                    .queue
                    .iter()
                    .find(|(_, p)| matches!(p, Pending::Deliver(e) if e.id == message))
                    .map(|(k, _)| *k)
                    .expect("checked");
                if let Some(Pending::Deliver(e)) = self.queue.remove(&key) {
                    self.log(
                        EventKind::Drop,
                        Some(e.from),
                        Some(e.to),
                        Some(e.id),
                        || format!("{} dropped by the user", e.msg.kind()),
                    );
                }
            }
            Command::AddConsumer => {
                let id = self.start_consumer(None);
                self.log_at(EventKind::Restart, NodeId::consumer(id), || {
                    format!("c{id} starts and joins group {}", cfg.consumer.group_id)
                });
            }
            Command::RemoveConsumer { consumer } => {
                let node = NodeId::consumer(consumer);
                let mut out = Out::default();
                let slot = &mut self.consumers[consumer as usize - 1];
                slot.consumer.close(self.now, &cfg, &mut out);
                self.process(node, out);
                self.stop_client(node);
                self.consumers[consumer as usize - 1].status = BrokerStatus::Stopped;
            }
            Command::CrashConsumer { consumer } => {
                let node = NodeId::consumer(consumer);
                self.stop_client(node);
                self.consumers[consumer as usize - 1].status = BrokerStatus::Crashed;
                self.log_at(EventKind::Crash, node, || {
                    format!("c{consumer} crashed: records being processed are abandoned")
                });
            }
            Command::RestartConsumer { consumer } => {
                self.start_consumer(Some(consumer));
                self.log_at(EventKind::Restart, NodeId::consumer(consumer), || {
                    format!("c{consumer} started again: it resumes from the committed offsets")
                });
            }
            Command::CommitMode { consumer, mode } => {
                self.consumers[consumer as usize - 1].consumer.mode = mode;
            }
            Command::Flush { broker } => {
                for p in self
                    .brokers
                    .get_mut(&broker)
                    .expect("checked")
                    .broker
                    .partitions
                    .values_mut()
                {
                    p.log.flush();
                }
            }
        }
        Ok(())
    }

    fn all_nodes(&self) -> Vec<NodeId> {
        let mut v = vec![NodeId::Controller];
        v.extend(self.brokers.keys().map(|b| NodeId::Broker(*b)));
        v.extend((1..=self.cfg.producers).map(NodeId::Producer));
        v.extend((1..=self.consumers.len() as u32).map(NodeId::consumer));
        v
    }

    fn node_exists(&self, n: NodeId) -> bool {
        match n {
            NodeId::Controller => true,
            NodeId::Broker(b) => self.brokers.contains_key(&b),
            NodeId::Producer(p) => p >= 1 && p <= self.cfg.producers,
            NodeId::Consumer(c) => c >= 1 && c as usize <= self.consumers.len(),
        }
    }

    /// Stops a client process: its timers are cancelled, messages to it are lost.
    fn stop_client(&mut self, node: NodeId) {
        let keys: Vec<TimerKind> = self
            .timers
            .keys()
            .filter(|(n, _)| *n == node)
            .map(|(_, k)| *k)
            .collect();
        for k in keys {
            self.cancel_timer(node, k);
        }
        self.paused.remove(&node);
    }

    fn topic_index(&self, topic: &str) -> Result<u16, CommandError> {
        self.cfg
            .topics
            .iter()
            .position(|t| t.name == topic)
            .map(|i| i as u16)
            .ok_or_else(|| CommandError(format!("unknown topic {topic:?}")))
    }

    fn resolve_tp(
        &mut self,
        producer: u32,
        topic: Option<&str>,
        partition: Option<u32>,
        key: Option<&str>,
    ) -> Result<TopicPartition, CommandError> {
        let ti = match topic {
            Some(t) => self.topic_index(t)?,
            None => 0,
        };
        let n = self.cfg.topics[ti as usize].partitions;
        let p = match (partition, key) {
            (Some(p), _) if p < n => p,
            (Some(p), _) => {
                return Err(CommandError(format!(
                    "topic {} has no partition {p} (it has {n})",
                    self.cfg.topics[ti as usize].name
                )))
            }
            (None, Some(k)) => partition_for_key(k.as_bytes(), n),
            (None, None) => {
                let c = self.keyless.entry(producer).or_insert(0);
                let p = *c % n;
                *c += 1;
                p
            }
        };
        Ok(TopicPartition {
            topic: ti,
            partition: p as u16,
        })
    }

    fn auto_produce(&mut self, producer: u32) {
        let Some(a) = self.auto.get_mut(&producer) else {
            return;
        };
        a.sent += 1;
        let (interval, topic, acks, n) = (a.interval, a.topic, a.acks, a.sent);
        let cfg = self.cfg.clone();
        let name = cfg.topics[topic as usize].name.clone();
        if let Ok(tp) = self.resolve_tp(producer, Some(&name), None, None) {
            let acks = acks.unwrap_or(cfg.producer.acks);
            let value = format!("p{producer}-{n}");
            let id = self
                .ledger
                .produce(producer, tp, None, value, acks, self.stamp());
            let mut out = Out::default();
            self.producers[producer as usize - 1].send(self.now, &cfg, id, tp, acks, &mut out);
            self.process(NodeId::Producer(producer), out);
        }
        self.set_timer(
            NodeId::Producer(producer),
            TimerKind::AutoProduce,
            self.now + interval,
        );
    }

    fn stop_broker(&mut self, b: BrokerId, status: BrokerStatus) {
        let node = NodeId::Broker(b);
        let keys: Vec<TimerKind> = self
            .timers
            .keys()
            .filter(|(n, _)| *n == node)
            .map(|(_, k)| *k)
            .collect();
        for k in keys {
            self.cancel_timer(node, k);
        }
        self.paused.remove(&node);
        if let Some(s) = self.brokers.get_mut(&b) {
            s.status = status;
        }
        if status == BrokerStatus::Crashed {
            self.log_at(EventKind::Crash, node, || format!("b{b} crashed"));
        }
    }

    /// Validates a command against the current state, in plain words.
    fn check(&self, cmd: &Command) -> Result<(), CommandError> {
        let err = |m: String| Err(CommandError(m));
        let broker_known = |b: &BrokerId| -> Result<&BrokerSlot, CommandError> {
            self.brokers.get(b).ok_or_else(|| {
                CommandError(format!(
                    "there is no broker {b} (brokers are 1..={})",
                    self.cfg.brokers
                ))
            })
        };
        let producer_known = |p: u32| -> Result<(), CommandError> {
            if p >= 1 && p <= self.cfg.producers {
                Ok(())
            } else {
                Err(CommandError(format!(
                    "there is no producer {p} (producers are 1..={})",
                    self.cfg.producers
                )))
            }
        };
        let node_known = |n: &NodeId| -> Result<(), CommandError> {
            if self.node_exists(*n) {
                Ok(())
            } else {
                Err(CommandError(format!("there is no node {n}")))
            }
        };
        match cmd {
            Command::Produce {
                producer,
                topic,
                partition,
                ..
            } => {
                producer_known(*producer)?;
                if let Some(t) = topic {
                    let ti = self.topic_index(t)?;
                    if let Some(p) = partition {
                        let n = self.cfg.topics[ti as usize].partitions;
                        if *p >= n {
                            return err(format!("topic {t} has no partition {p} (it has {n})"));
                        }
                    }
                } else if let Some(p) = partition {
                    let n = self.cfg.topics[0].partitions;
                    if *p >= n {
                        return err(format!(
                            "topic {} has no partition {p} (it has {n})",
                            self.cfg.topics[0].name
                        ));
                    }
                }
                Ok(())
            }
            Command::AutoProduce {
                producer, topic, ..
            } => {
                producer_known(*producer)?;
                if let Some(t) = topic {
                    self.topic_index(t)?;
                }
                if let Command::AutoProduce { interval_ms, .. } = cmd {
                    if *interval_ms > MAX_DURATION_MS {
                        return err(format!(
                            "interval_ms must be at most one day ({MAX_DURATION_MS} ms)"
                        ));
                    }
                }
                Ok(())
            }
            Command::Crash { broker, .. } | Command::Shutdown { broker } => {
                let s = broker_known(broker)?;
                if s.status != BrokerStatus::Up {
                    return err(format!("broker {broker} is not running"));
                }
                if matches!(cmd, Command::Shutdown { .. }) && s.broker.shutting_down {
                    return err(format!("broker {broker} is already shutting down"));
                }
                Ok(())
            }
            Command::Restart { broker } => {
                let s = broker_known(broker)?;
                if s.status == BrokerStatus::Up {
                    return err(format!("broker {broker} is already running"));
                }
                Ok(())
            }
            Command::Pause { node } => {
                node_known(node)?;
                if self.paused.contains(node) {
                    return err(format!("{node} is already paused"));
                }
                if let NodeId::Broker(b) = node {
                    if self.brokers[b].status != BrokerStatus::Up {
                        return err(format!("broker {b} is not running"));
                    }
                }
                Ok(())
            }
            Command::Resume { node } => {
                node_known(node)?;
                if !self.paused.contains(node) {
                    return err(format!("{node} is not paused"));
                }
                Ok(())
            }
            Command::Isolate { node } => node_known(node),
            Command::Cut { from, to, .. } | Command::Slow { from, to, .. } => {
                node_known(from)?;
                node_known(to)?;
                if from == to {
                    return err("a link needs two different nodes".into());
                }
                if let Command::Slow { extra_ms, .. } = cmd {
                    if *extra_ms > MAX_DURATION_MS {
                        return err(format!(
                            "extra_ms must be at most one day ({MAX_DURATION_MS} ms)"
                        ));
                    }
                }
                Ok(())
            }
            Command::Heal { node } => node.as_ref().map_or(Ok(()), node_known),
            Command::Drop { message } => {
                if self.in_flight().any(|e| e.id == *message) {
                    Ok(())
                } else {
                    err(format!("message {message} is not in flight"))
                }
            }
            Command::Flush { broker } => {
                let s = broker_known(broker)?;
                if s.status != BrokerStatus::Up {
                    return err(format!("broker {broker} is not running"));
                }
                Ok(())
            }
            Command::AddConsumer => {
                if self.cfg.consumers == 0 {
                    return err(
                        "this run has no consumer group (set consumers = 1 or more in the configuration)"
                            .into(),
                    );
                }
                if self.consumers.len() >= 16 {
                    return err("at most 16 consumers".into());
                }
                Ok(())
            }
            Command::RemoveConsumer { consumer }
            | Command::CrashConsumer { consumer }
            | Command::RestartConsumer { consumer }
            | Command::CommitMode { consumer, .. } => {
                let Some(s) = self.consumer(*consumer) else {
                    return err(format!(
                        "there is no consumer c{consumer} (consumers are c1..=c{})",
                        self.consumers.len()
                    ));
                };
                let up = s.status == BrokerStatus::Up;
                match cmd {
                    Command::RestartConsumer { .. } if up => {
                        err(format!("consumer c{consumer} is already running"))
                    }
                    Command::RestartConsumer { .. } => Ok(()),
                    Command::CommitMode { .. } => Ok(()),
                    _ if !up => err(format!("consumer c{consumer} is not running")),
                    _ => Ok(()),
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

/// Human text for a command, for the event log.
pub fn command_text(cmd: &Command) -> String {
    match cmd {
        Command::Produce {
            producer,
            key,
            value,
            acks,
            partition,
            ..
        } => {
            let mut s = format!("p{producer}.send({value}");
            if let Some(k) = key {
                s.push_str(&format!(", key={k}"));
            }
            if let Some(p) = partition {
                s.push_str(&format!(", partition={p}"));
            }
            if let Some(a) = acks {
                s.push_str(&format!(", acks={}", a.as_str()));
            }
            s.push(')');
            s
        }
        Command::AutoProduce {
            producer,
            interval_ms,
            ..
        } if *interval_ms == 0 => format!("p{producer} stops auto-producing"),
        Command::AutoProduce {
            producer,
            interval_ms,
            ..
        } => format!("p{producer} sends a record every {interval_ms} ms"),
        Command::Crash {
            broker,
            lose_unflushed: true,
        } => format!("power failure on b{broker}: unflushed records are lost"),
        Command::Crash { broker, .. } => format!("kill -9 b{broker}"),
        Command::Shutdown { broker } => format!("controlled shutdown of b{broker}"),
        Command::Restart { broker } => format!("restart b{broker}"),
        Command::Pause { node } => format!("pause {node}"),
        Command::Resume { node } => format!("resume {node}"),
        Command::Isolate { node } => format!("isolate {node} from the network"),
        Command::Cut {
            from,
            to,
            both: true,
        } => format!("cut the link {from} ↔ {to}"),
        Command::Cut { from, to, .. } => format!("cut the link {from} → {to}"),
        Command::Heal { node: None } => "heal the network".into(),
        Command::Heal { node: Some(n) } => format!("heal the links of {n}"),
        Command::Slow {
            from, to, extra_ms, ..
        } => format!("slow the link {from} → {to} by {extra_ms} ms"),
        Command::Drop { message } => format!("drop message {message}"),
        Command::Flush { broker } => format!("flush b{broker}'s log to disk"),
        Command::AddConsumer => "add a consumer to the group".into(),
        Command::RemoveConsumer { consumer } => {
            format!("c{consumer}.close(): leave the group")
        }
        Command::CrashConsumer { consumer } => format!("kill -9 c{consumer}"),
        Command::RestartConsumer { consumer } => format!("restart c{consumer}"),
        Command::CommitMode { consumer, mode } => {
            format!("c{consumer} commits {}", commit_mode_text(*mode))
        }
    }
}

fn commit_mode_text(mode: CommitMode) -> &'static str {
    match mode {
        CommitMode::Auto => "automatically (enable.auto.commit)",
        CommitMode::AfterProcessing => "after processing (at-least-once)",
        CommitMode::BeforeProcessing => "before processing (at-most-once)",
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
