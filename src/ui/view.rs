//! The view model: what the picture and the panels draw, derived from the core's read model
//! ([`highwater_core::read_model`]) at one step. It reads nothing else of the core: roles, ISR
//! views, record verdicts, message kinds and statuses come typed from the read model, and this
//! module only selects (windows, newest rows) and arranges them for the page.
//!
//! Only the state module calls [`View::build`]. Every part is behind an `Rc` and is *reused* from
//! the previous view when it did not change, so components whose props hold it skip rendering
//! (`Rc<T: Eq>` compares by pointer first).

use std::ops::Deref;
use std::rc::Rc;

use highwater_core::cluster::Cluster;
use highwater_core::config::Acks;
pub use highwater_core::read_model::ReplicaRole;
use highwater_core::read_model::{
    BrokerSummary, ControllerSummary, Enabled, Event, EventKind, IdempotenceView, InvariantStatus,
    LedgerCounts, LedgerRow as CoreLedgerRow, MessageSnapshot, PipelineView, ProducerTxnView,
    RecordStatus, ReplicaSummary, TransactionsView, WireMessage,
};
use highwater_core::types::{BrokerId, Epoch, Millis, NodeId, Offset};

use super::countdown_view::Countdowns;
use super::group_view::GroupView;
use super::picture::tag::{look, Look};
pub use super::topology::{PartitionInfo, Topology};

/// The most log cells a strip can show (the layout may show fewer).
pub const WINDOW: usize = 16;
/// Event-log rows kept for the panel.
pub const EVENT_ROWS: usize = 60;
/// Ledger rows kept for the panel (newest first).
pub const LEDGER_ROWS: usize = 30;

/// The controller's registry entry of one partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerPartition {
    pub part: usize,
    pub leader: Option<BrokerId>,
    pub leader_epoch: Epoch,
    pub isr: Vec<BrokerId>,
    /// KIP-966 eligible leader replicas.
    pub elr: Vec<BrokerId>,
    pub recovering: bool,
}

/// The controller: its counters and fenced brokers, and its registration of every partition of
/// the topology.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerView {
    pub summary: ControllerSummary,
    pub partitions: Vec<ControllerPartition>,
}

impl Deref for ControllerView {
    type Target = ControllerSummary;
    fn deref(&self) -> &ControllerSummary {
        &self.summary
    }
}

/// One log record as a strip cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub offset: Offset,
    pub epoch: Epoch,
    pub id: u32,
    /// Short text inside the cell.
    pub label: String,
    /// Full value (and key) for the tooltip.
    pub value: String,
    pub lost: bool,
    pub duplicated: bool,
    /// Its transactional role: a marker, aborted or open transactional data, or plain (R6).
    pub txn: CellTxn,
}

/// How a cell's record takes part in a transaction (R6.5–R6.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CellTxn {
    /// Not transactional.
    #[default]
    Plain,
    /// Transactional data (committed, or not yet decided).
    Data,
    /// Transactional data of an aborted transaction: read_committed never sees it.
    Aborted,
    /// A COMMIT or ABORT marker (a control record).
    Marker,
}

/// One replica of one partition on one broker: the read model's summary (role, offsets, the
/// leader's ISR view) and what the strip needs around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaView {
    /// Index into `Topology::partitions`.
    pub part: usize,
    pub summary: ReplicaSummary,
    /// The records inside the partition's window `[win_hi - WINDOW, win_hi)`.
    pub cells: Vec<Cell>,
    /// End of the partition's window: the largest LEO of any of its replicas. The same for every
    /// replica of a partition, so offsets line up from broker to broker.
    pub win_hi: Offset,
    /// This broker is in the controller's ISR of the partition.
    pub in_isr: bool,
    /// The current leader's HW, shown on followers to make their lag visible.
    pub leader_hw: Option<Offset>,
}

impl Deref for ReplicaView {
    type Target = ReplicaSummary;
    fn deref(&self) -> &ReplicaSummary {
        &self.summary
    }
}

/// One broker: the read model's summary and its replicas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    pub summary: BrokerSummary,
    pub replicas: Vec<ReplicaView>,
}

impl Deref for BrokerView {
    type Target = BrokerSummary;
    fn deref(&self) -> &BrokerSummary {
        &self.summary
    }
}

impl BrokerView {
    /// "up", "crashed", "paused", "shutting down", …
    pub fn status_text(&self) -> &'static str {
        self.summary.state().as_str()
    }
    pub fn is_up(&self) -> bool {
        self.summary.status == highwater_core::read_model::BrokerStatus::Up
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerView {
    pub id: u32,
    pub paused: bool,
    pub queued: usize,
    pub in_flight: usize,
    pub auto: bool,
    pub acks: Acks,
    pub acked: usize,
    pub lost: usize,
    /// Its transactional client, when `transactional.id` is set (R6).
    pub txn: Option<ProducerTxnView>,
    /// The Kafka name of the error its last failed produce request got (`NOT_ENOUGH_REPLICAS`).
    pub last_error: Option<&'static str>,
    /// When it came (virtual ms).
    pub last_error_at: Option<u64>,
    /// It belongs to a pipeline instance: the application sends through it, the user does not.
    pub pipeline: bool,
    /// Its producer id, epoch and next sequences, when it is idempotent (R5.2, KIP-98).
    pub idempotence: Option<IdempotenceView>,
}

/// A message on the wire: the read model's message (shared, so that a frame reuses it) and the
/// look it is drawn with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgView {
    pub message: Rc<MessageSnapshot>,
    /// Which path of the message layer draws it.
    pub look: Look,
}

impl Deref for MsgView {
    type Target = MessageSnapshot;
    fn deref(&self) -> &MessageSnapshot {
        &self.message
    }
}

impl MsgView {
    fn new(m: WireMessage) -> MsgView {
        let message = m.snapshot();
        MsgView {
            look: look(message.kind, message.error),
            message: Rc::new(message),
        }
    }
}

/// A pair of nodes whose link is cut in at least one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CutLink {
    pub a: NodeId,
    pub b: NodeId,
    pub a_to_b: bool,
    pub b_to_a: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    pub id: u32,
    pub value: String,
    pub key: Option<String>,
    pub part: String,
    pub acks: &'static str,
    pub produced: u64,
    pub attempts: u32,
    pub acked: Option<(u64, Option<Offset>)>,
    pub committed: Option<u64>,
    pub lost: Option<u64>,
    pub duplicated: Option<u64>,
    pub failed: Option<String>,
    pub status: RecordStatus,
    /// A pipeline input's visible outputs (R6.8).
    pub outputs: Option<usize>,
    /// A pipeline input's writes to the external system.
    pub external_writes: u32,
}

impl LedgerRow {
    fn new(r: &CoreLedgerRow) -> LedgerRow {
        let e = r.entry;
        LedgerRow {
            id: e.id,
            value: e.value.clone(),
            key: e.key.clone(),
            part: format!("{}-{}", r.topic, r.partition),
            acks: e.acks.as_str(),
            produced: e.produced.step,
            attempts: e.attempts,
            acked: e.acked.map(|(s, o)| (s.step, o)),
            committed: e.committed.map(|s| s.step),
            lost: e.lost.map(|s| s.step),
            duplicated: e.duplicated.map(|s| s.step),
            failed: e.failed.map(|(_, err)| err.to_string()),
            status: r.status,
            outputs: r.visible_outputs,
            external_writes: e.external_writes,
        }
    }
}

/// The ledger panel: the read model's totals and the rows it shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerView {
    pub counts: LedgerCounts,
    /// Newest first; lost and duplicated records are always included.
    pub rows: Vec<LedgerRow>,
}

impl Deref for LedgerView {
    type Target = LedgerCounts;
    fn deref(&self) -> &LedgerCounts {
        &self.counts
    }
}

/// One row of the event log: the read model's event and its index in the run's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Index in the run's event log (a stable key).
    pub seq: usize,
    pub event: Event,
}

impl Deref for EventRow {
    type Target = Event;
    fn deref(&self) -> &Event {
        &self.event
    }
}

impl EventRow {
    pub fn from_event(seq: usize, e: &Event) -> EventRow {
        EventRow {
            seq,
            event: e.clone(),
        }
    }

    /// Whether the row is heartbeat chatter (hidden with the heartbeats).
    pub fn is_heartbeat(&self) -> bool {
        self.event.heartbeat
    }

    /// Worth announcing to a screen reader (the live region is polite and sparse), and shown by
    /// the event log's "notable only" filter.
    pub fn is_notable(&self) -> bool {
        is_notable(self.kind)
    }

    /// Where it happened: "b1 → b2" (a message sent or dropped on its way from b1 to b2),
    /// "b2 ← b1" (delivered at b2, from b1), "b1", or "".
    pub fn who(&self) -> String {
        match (self.node, self.peer, self.wire()) {
            (Some(from), Some(to), Some(Wire::Delivered)) => format!("{to} ← {from}"),
            (Some(from), Some(to), Some(_)) => format!("{from} → {to}"),
            (Some(n), _, _) => n.to_string(),
            _ => String::new(),
        }
    }

    /// A message's moment on the wire, when the row is about one (issue 16's one vocabulary:
    /// a send and its delivery read differently).
    pub fn wire(&self) -> Option<Wire> {
        match self.kind {
            EventKind::Send => Some(Wire::Sent),
            EventKind::Deliver => Some(Wire::Delivered),
            EventKind::Drop => Some(Wire::Dropped),
            _ => None,
        }
    }
}

/// A message's moment on the wire, as the event log words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    Sent,
    Delivered,
    Dropped,
}

impl Wire {
    /// The word the event log shows before the message.
    pub fn word(self) -> &'static str {
        match self {
            Wire::Sent => "sent",
            Wire::Delivered => "delivered",
            Wire::Dropped => "dropped",
        }
    }
}

/// Everything the page shows at one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub step: u64,
    pub time: Millis,
    /// Virtual time when the picture's parts (controller, brokers, producers, countdowns) were
    /// last built: their timers count down from it. While playing busy runs it lags `time` by up
    /// to a picture refresh.
    pub picture_time: Millis,
    /// Virtual time of the next scheduled event, if any.
    pub next_time: Option<Millis>,
    pub end_step: u64,
    pub at_end: bool,
    /// `Cluster::state_hash`, computed only while paused (it hashes the whole state).
    pub hash: Option<u64>,
    pub topology: Rc<Topology>,
    pub controller: Rc<ControllerView>,
    pub brokers: Vec<Rc<BrokerView>>,
    pub producers: Rc<Vec<ProducerView>>,
    pub messages: Rc<Vec<MsgView>>,
    pub cuts: Rc<Vec<CutLink>>,
    pub invariants: Rc<Vec<InvariantStatus>>,
    pub ledger: Rc<LedgerView>,
    /// Produce-to-acknowledgement latency per acks setting.
    pub latency: Rc<highwater_core::read_model::AckLatency>,
    pub events: Rc<Vec<EventRow>>,
    /// The latest notable events (see [`is_notable`]), oldest first.
    pub notable: Rc<Vec<EventRow>>,
    /// Manual mode only: the events the user may fire next.
    pub enabled: Rc<Vec<Enabled>>,
    /// Consumers, their group and the consumer verdicts (empty without consumers).
    pub group: Rc<GroupView>,
    /// The transaction coordinator's view, in runs with a `transactional.id` (R6).
    pub transactions: Option<Rc<TransactionsView>>,
    /// The pipeline, in runs with `[pipeline]`.
    pub pipeline: Option<Rc<PipelineView>>,
    /// Timeouts the cluster is waiting on, counted down (issue 16 item 5).
    pub countdowns: Rc<Countdowns>,
}

/// What to (re)build besides the picture.
#[derive(Clone, Copy, Debug)]
pub struct BuildOptions {
    /// Rebuild the brokers, controller, producers and links (else reuse the previous ones; the
    /// messages are always rebuilt).
    pub picture: bool,
    pub panels: bool,
    pub hash: bool,
    pub enabled: bool,
}

/// Crashes, elections, ISR changes, truncations, lost and duplicated records, broken invariants,
/// fencing, consumer assignments.
pub fn is_notable(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::Crash
            | EventKind::Restart
            | EventKind::Election
            | EventKind::Truncate
            | EventKind::Lost
            | EventKind::Duplicate
            | EventKind::Invariant
            | EventKind::Failed
            | EventKind::Fenced
            | EventKind::Isr
            | EventKind::Assign
    )
}

/// Notable events kept for the event log's filter, and how far back they are looked for.
pub const NOTABLE_ROWS: usize = 40;
const NOTABLE_SCAN: usize = 100_000;

/// The latest notable events, oldest first (a backward scan that stops after [`NOTABLE_ROWS`]).
fn notable_rows(events: &[Event]) -> Vec<EventRow> {
    let floor = events.len().saturating_sub(NOTABLE_SCAN);
    let mut rows: Vec<EventRow> = (floor..events.len())
        .rev()
        .filter(|&i| is_notable(events[i].kind))
        .take(NOTABLE_ROWS)
        .map(|i| EventRow::from_event(i, &events[i]))
        .collect();
    rows.reverse();
    rows
}

/// Reuses `old` when equal, so that `Rc` pointer equality lets components skip rendering.
fn keep<T: PartialEq>(old: Option<&Rc<T>>, new: T) -> Rc<T> {
    match old {
        Some(o) if **o == new => o.clone(),
        _ => Rc::new(new),
    }
}

impl View {
    /// Projects the cluster's read model. `events` is the timeline's event log; `prev` is the
    /// previous view, whose unchanged parts are reused.
    pub fn build(
        c: &Cluster,
        events: &[Event],
        end_step: u64,
        at_end: bool,
        prev: Option<&View>,
        opts: BuildOptions,
    ) -> View {
        let topology = match prev {
            Some(p) if p.topology.same_run(c) => p.topology.clone(),
            _ => Rc::new(Topology::build(c)),
        };
        // The picture's parts and the time they were built at: kept, or all built now.
        let ((controller, brokers, producers, cuts), picture_time) = match prev {
            Some(p) if !opts.picture && Rc::ptr_eq(&p.topology, &topology) => (
                (
                    p.controller.clone(),
                    p.brokers.clone(),
                    p.producers.clone(),
                    p.cuts.clone(),
                ),
                p.picture_time,
            ),
            _ => (build_picture(c, &topology, prev), c.now()),
        };
        // A message's view never changes while it is on the wire: reuse the previous frame's
        // (its summary is formatted and its look classified once, not on every frame). Messages
        // keep their order on the wire, so the search goes on from the last one found.
        let old: &[MsgView] = prev.map_or(&[], |p| &p.messages);
        let mut from = 0;
        let messages: Vec<MsgView> = c
            .messages()
            .map(|m| match old[from..].iter().position(|o| o.id == m.id()) {
                Some(i) => {
                    from += i + 1;
                    old[from - 1].clone()
                }
                None => MsgView::new(m),
            })
            .collect();

        let (invariants, ledger_view, latency, events_view, notable) = match prev {
            Some(p) if !opts.panels => (
                p.invariants.clone(),
                p.ledger.clone(),
                p.latency.clone(),
                p.events.clone(),
                p.notable.clone(),
            ),
            _ => (
                keep(prev.map(|p| &p.invariants), c.invariants().to_vec()),
                keep(prev.map(|p| &p.ledger), build_ledger(c)),
                keep(prev.map(|p| &p.latency), c.ack_latency()),
                keep(prev.map(|p| &p.events), {
                    let start = events.len().saturating_sub(EVENT_ROWS);
                    events[start..]
                        .iter()
                        .enumerate()
                        .map(|(i, e)| EventRow::from_event(start + i, e))
                        .collect()
                }),
                keep(prev.map(|p| &p.notable), notable_rows(events)),
            ),
        };

        View {
            step: c.step_count(),
            time: c.now(),
            picture_time,
            next_time: c.next_event_time(),
            end_step,
            at_end,
            hash: opts.hash.then(|| c.state_hash()),
            topology: topology.clone(),
            controller,
            brokers,
            producers,
            messages: keep(prev.map(|p| &p.messages), messages),
            cuts,
            invariants,
            ledger: ledger_view,
            latency,
            events: events_view,
            notable,
            enabled: keep(
                prev.map(|p| &p.enabled),
                if opts.enabled { c.enabled() } else { vec![] },
            ),
            // The consumers move with the picture (their markers sit on the log strips).
            group: match prev {
                Some(p) if !opts.picture && Rc::ptr_eq(&p.topology, &topology) => p.group.clone(),
                _ => keep(prev.map(|p| &p.group), GroupView::build(c, &topology)),
            },
            transactions: {
                let t = c.transactions();
                match prev.and_then(|p| p.transactions.as_ref()) {
                    Some(old) if t.as_ref() == Some(&**old) => Some(old.clone()),
                    _ => t.map(Rc::new),
                }
            },
            // The countdowns move with the picture (they sit on its cards).
            countdowns: match prev {
                Some(p) if !opts.picture => p.countdowns.clone(),
                _ => keep(prev.map(|p| &p.countdowns), Countdowns::build(c, &topology)),
            },
            pipeline: {
                let p = c.pipeline();
                match prev.and_then(|v| v.pipeline.as_ref()) {
                    Some(old) if p.as_ref() == Some(&**old) => Some(old.clone()),
                    _ => p.map(Rc::new),
                }
            },
        }
    }

    pub fn broker(&self, id: BrokerId) -> Option<&Rc<BrokerView>> {
        self.brokers.iter().find(|b| b.id == id)
    }

    pub fn message(&self, id: u64) -> Option<&MsgView> {
        self.messages.iter().find(|m| m.id == id)
    }
}

/// The brokers, the controller, the producers and the cut links.
#[allow(clippy::type_complexity)]
fn build_picture(
    c: &Cluster,
    topology: &Rc<Topology>,
    prev: Option<&View>,
) -> (
    Rc<ControllerView>,
    Vec<Rc<BrokerView>>,
    Rc<Vec<ProducerView>>,
    Rc<Vec<CutLink>>,
) {
    let topo = &**topology;

    // Controller: its registration of each partition of the topology.
    let registrations = c.partition_registrations();
    let controller = ControllerView {
        summary: c.controller_summary(),
        partitions: topo
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let r = registrations.iter().find(|r| p.is(&r.topic, r.partition));
                ControllerPartition {
                    part: i,
                    leader: r.and_then(|r| r.leader),
                    leader_epoch: r.map_or(-1, |r| r.leader_epoch),
                    isr: r.map(|r| r.isr.clone()).unwrap_or_default(),
                    elr: r.map(|r| r.elr.clone()).unwrap_or_default(),
                    recovering: r.is_some_and(|r| r.recovering),
                }
            })
            .collect(),
    };

    // Every broker's replicas, with their topology index.
    let summaries = c.broker_summaries();
    let replicas: Vec<Vec<(usize, ReplicaSummary)>> = summaries
        .iter()
        .map(|b| {
            c.replica_summaries(b.id)
                .into_iter()
                .filter_map(|r| Some((topo.part_index_named(&r.topic, r.partition)?, r)))
                .collect()
        })
        .collect();
    // Window end per partition: the largest LEO of its replicas; the current leader's HW (the
    // broker the controller names, leading by its own account).
    let mut win_hi: Vec<Offset> = vec![0; topo.partitions.len()];
    let mut leader_hw: Vec<Option<Offset>> = vec![None; topo.partitions.len()];
    for (b, reps) in summaries.iter().zip(&replicas) {
        for (i, r) in reps {
            win_hi[*i] = win_hi[*i].max(r.leo);
            if r.role == ReplicaRole::Leader && controller.partitions[*i].leader == Some(b.id) {
                leader_hw[*i] = Some(r.hw);
            }
        }
    }

    let brokers: Vec<Rc<BrokerView>> = summaries
        .into_iter()
        .zip(replicas)
        .map(|(summary, reps)| {
            let id = summary.id;
            let replicas = reps
                .into_iter()
                .map(|(i, r)| {
                    let hi = win_hi[i];
                    let lo = (hi - WINDOW as Offset).max(r.log_start_offset);
                    let cells = c
                        .replica_records(id, topo.partitions[i].tp, lo, hi)
                        .into_iter()
                        .map(|r| Cell {
                            offset: r.offset,
                            epoch: r.epoch,
                            id: r.id,
                            label: r.label,
                            value: match r.key {
                                Some(k) => format!("{} (key {k})", r.value),
                                None => r.value,
                            },
                            lost: r.lost,
                            duplicated: r.duplicated,
                            txn: if r.control.is_some() {
                                CellTxn::Marker
                            } else if r.aborted {
                                CellTxn::Aborted
                            } else if r.transactional {
                                CellTxn::Data
                            } else {
                                CellTxn::Plain
                            },
                        })
                        .collect();
                    ReplicaView {
                        part: i,
                        cells,
                        win_hi: hi,
                        in_isr: controller.partitions[i].isr.contains(&id),
                        leader_hw: (r.role != ReplicaRole::Leader)
                            .then_some(leader_hw[i])
                            .flatten(),
                        summary: r,
                    }
                })
                .collect();
            let view = BrokerView { summary, replicas };
            let old = prev.and_then(|p| p.brokers.iter().find(|b| b.id == id));
            keep(old, view)
        })
        .collect();

    let acks = c.config().acks();
    let producers = c
        .producer_snapshots()
        .into_iter()
        .map(|p| ProducerView {
            id: p.id,
            paused: p.paused,
            queued: p.queued.len(),
            in_flight: p.in_flight.len(),
            auto: p.auto_produce,
            acks,
            acked: p.acked,
            lost: p.lost,
            txn: p.transaction,
            last_error: p.last_error.map(|e| e.name()),
            last_error_at: p.last_error_at_ms,
            pipeline: p.id > c.config().producers,
            idempotence: p.idempotence,
        })
        .collect();

    let mut nodes = vec![NodeId::Controller];
    nodes.extend(topo.brokers.iter().map(|b| NodeId::Broker(*b)));
    nodes.extend(topo.producers.iter().map(|p| NodeId::Producer(*p)));
    let mut cuts = Vec::new();
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let (ab, ba) = (c.is_cut(*a, *b), c.is_cut(*b, *a));
            if ab || ba {
                cuts.push(CutLink {
                    a: *a,
                    b: *b,
                    a_to_b: ab,
                    b_to_a: ba,
                });
            }
        }
    }

    (
        keep(prev.map(|p| &p.controller), controller),
        brokers,
        keep(prev.map(|p| &p.producers), producers),
        keep(prev.map(|p| &p.cuts), cuts),
    )
}

fn build_ledger(c: &Cluster) -> LedgerView {
    let counts = c.ledger_counts();
    let rows = c.ledger_rows();
    let start = rows.len().saturating_sub(LEDGER_ROWS);
    let mut newest: Vec<LedgerRow> = Vec::with_capacity(LEDGER_ROWS * 3 / 2);
    let mut older: Vec<LedgerRow> = Vec::new();
    for (i, r) in rows.enumerate().rev() {
        if i >= start {
            newest.push(LedgerRow::new(&r));
        } else if older.len() < LEDGER_ROWS / 2
            && (r.entry.lost.is_some() || r.entry.duplicated.is_some())
        {
            // Older lost / duplicated records stay visible: they are the point of the exercise.
            older.push(LedgerRow::new(&r));
        }
    }
    newest.extend(older);
    LedgerView {
        counts,
        rows: newest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(step: u64, kind: EventKind) -> Event {
        Event {
            step,
            time: step * 10,
            kind,
            node: None,
            peer: None,
            message: None,
            heartbeat: false,
            message_kind: None,
            moment: None,
            text: format!("{kind:?}"),
        }
    }

    #[test]
    fn notable_rows_are_the_latest_notable_events_oldest_first() {
        let mut events = vec![event(0, EventKind::Crash)];
        for i in 1..200 {
            let kind = if i % 3 == 0 {
                EventKind::Election
            } else {
                EventKind::Send
            };
            events.push(event(i, kind));
        }
        let rows = notable_rows(&events);
        assert_eq!(rows.len(), NOTABLE_ROWS);
        assert!(rows.iter().all(|r| r.kind == EventKind::Election));
        assert!(rows.windows(2).all(|w| w[0].seq < w[1].seq));
        assert_eq!(rows.last().unwrap().step, 198);
        // The row keeps its index in the run's log (the event log's stable key).
        assert!(rows.iter().all(|r| events[r.seq].step == r.step));
        // Few notable events: all of them, the crash at the very start included.
        let rows = notable_rows(&events[..10]);
        let steps: Vec<u64> = rows.iter().map(|r| r.step).collect();
        assert_eq!(steps, vec![0, 3, 6, 9]);
    }
}
