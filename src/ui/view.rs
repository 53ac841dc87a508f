//! The view model: what the picture and the panels draw, projected from the core at one step.
//!
//! Only [`super::state`] calls [`View::build`]; it reads the core and never mutates it. Every part
//! is behind an `Rc` and is *reused* from the previous view when it did not change, so components
//! whose props hold it skip rendering (`Rc<T: Eq>` compares by pointer first).

use std::rc::Rc;

use highwater_core::cluster::{BrokerStatus, Cluster, Enabled, Envelope};
use highwater_core::config::Acks;
use highwater_core::event::{Event, EventKind};
use highwater_core::invariants::InvariantStatus;
use highwater_core::partition::{is_caught_up, Role};
use highwater_core::types::{BrokerId, Epoch, Millis, NodeId, Offset};

use super::group_view::GroupView;
use super::picture::tag::tag;
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
    pub recovering: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerView {
    pub paused: bool,
    pub partitions: Vec<ControllerPartition>,
    pub fenced: Vec<BrokerId>,
    pub elections: u64,
    pub unclean_elections: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaRole {
    Leader,
    Follower,
    /// No metadata yet, offline, or the broker is down.
    None,
}

impl ReplicaRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplicaRole::Leader => "leader",
            ReplicaRole::Follower => "follower",
            ReplicaRole::None => "none",
        }
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
}

/// The leader's view of one follower.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerLag {
    pub broker: BrokerId,
    pub leo: Option<Offset>,
    pub caught_up: bool,
}

/// One replica of one partition on one broker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaView {
    pub part: usize,
    pub role: ReplicaRole,
    pub leader_epoch: Epoch,
    pub leo: Offset,
    pub hw: Offset,
    pub log_start: Offset,
    pub flushed: Offset,
    /// The records inside the partition's window `[win_hi - WINDOW, win_hi)`.
    pub cells: Vec<Cell>,
    /// End of the partition's window: the largest LEO of any of its replicas. The same for every
    /// replica of a partition, so offsets line up from broker to broker.
    pub win_hi: Offset,
    /// This broker is in the controller's ISR of the partition.
    pub in_isr: bool,
    /// The current leader's HW, shown on followers to make their lag visible.
    pub leader_hw: Option<Offset>,
    /// Leader only: its ISR, the maximal ISR and the AlterPartition in flight.
    pub isr: Vec<BrokerId>,
    pub maximal_isr: Vec<BrokerId>,
    pub pending_isr: Option<Vec<BrokerId>>,
    pub followers: Vec<FollowerLag>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokerView {
    pub id: BrokerId,
    pub status: BrokerStatus,
    pub paused: bool,
    pub fenced: bool,
    pub shutting_down: bool,
    pub broker_epoch: u64,
    pub replicas: Vec<ReplicaView>,
}

impl BrokerView {
    pub fn status_text(&self) -> &'static str {
        match self.status {
            BrokerStatus::Crashed => "crashed",
            BrokerStatus::Stopped => "stopped",
            BrokerStatus::Up if self.paused => "paused",
            BrokerStatus::Up if self.shutting_down => "shutting down",
            BrokerStatus::Up if self.fenced => "fenced",
            BrokerStatus::Up => "up",
        }
    }
    pub fn is_up(&self) -> bool {
        self.status == BrokerStatus::Up
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
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsgView {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    pub summary: Rc<str>,
    pub sent_at: Millis,
    pub deliver_at: Millis,
    pub heartbeat: bool,
    /// Short text drawn on the message, and the CSS class of its kind ([`tag`]).
    pub tag: &'static str,
    pub class: &'static str,
}

impl MsgView {
    fn new(e: &Envelope) -> MsgView {
        let kind = e.msg.kind();
        let summary: Rc<str> = e.msg.summary().into();
        let heartbeat = e.msg.is_heartbeat();
        let (tag, class) = tag(kind, &summary, heartbeat);
        MsgView {
            id: e.id,
            from: e.from,
            to: e.to,
            kind,
            summary,
            sent_at: e.sent_at,
            deliver_at: e.deliver_at,
            heartbeat,
            tag,
            class,
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
    pub status: &'static str,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LedgerView {
    pub produced: usize,
    pub acked: usize,
    pub committed: usize,
    pub lost: usize,
    pub duplicated: usize,
    pub failed: usize,
    /// Newest first; lost and duplicated records are always included.
    pub rows: Vec<LedgerRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// Index in the run's event log (a stable key).
    pub seq: usize,
    pub step: u64,
    pub time: Millis,
    pub kind: EventKind,
    pub node: Option<NodeId>,
    pub peer: Option<NodeId>,
    pub message: Option<u64>,
    pub text: String,
}

impl EventRow {
    pub fn from_event(seq: usize, e: &Event) -> EventRow {
        EventRow {
            seq,
            step: e.step,
            time: e.time,
            kind: e.kind,
            node: e.node,
            peer: e.peer,
            message: e.message,
            text: e.text.clone(),
        }
    }

    /// Whether the row is heartbeat chatter (hidden with the heartbeats).
    pub fn is_heartbeat(&self) -> bool {
        match self.kind {
            EventKind::Send | EventKind::Deliver | EventKind::Drop => {
                self.text.starts_with("Heartbeat") || self.text.contains("BrokerHeartbeat")
            }
            EventKind::Timer => {
                self.text.ends_with(" heartbeat") || self.text.ends_with("session-check")
            }
            _ => false,
        }
    }

    /// Worth announcing to a screen reader (the live region is polite and sparse), and shown by
    /// the event log's "notable only" filter.
    pub fn is_notable(&self) -> bool {
        is_notable(self.kind)
    }

    /// "b1 → b2: " or "b1: " or "".
    pub fn who(&self) -> String {
        match (self.node, self.peer) {
            (Some(n), Some(p))
                if matches!(
                    self.kind,
                    EventKind::Send | EventKind::Deliver | EventKind::Drop
                ) =>
            {
                format!("{n} → {p}")
            }
            (Some(n), _) => n.to_string(),
            _ => String::new(),
        }
    }
}

/// Everything the page shows at one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub step: u64,
    pub time: Millis,
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
    pub events: Rc<Vec<EventRow>>,
    /// The latest notable events (see [`is_notable`]), oldest first.
    pub notable: Rc<Vec<EventRow>>,
    /// Manual mode only: the events the user may fire next.
    pub enabled: Rc<Vec<Enabled>>,
    /// Consumers, their group and the consumer verdicts (empty without consumers).
    pub group: Rc<GroupView>,
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

/// Short text for a cell: `p1-12` → `12`, anything else its first three characters.
pub fn short_label(value: &str) -> String {
    if let Some(rest) = value.strip_prefix('p') {
        if let Some((p, n)) = rest.split_once('-') {
            if !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
            {
                return n.to_string();
            }
        }
    }
    value.chars().take(3).collect()
}

impl View {
    /// Projects the cluster. `events` is the timeline's event log; `prev` is the previous view,
    /// whose unchanged parts are reused.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        c: &Cluster,
        events: &[Event],
        end_step: u64,
        at_end: bool,
        prev: Option<&View>,
        opts: BuildOptions,
    ) -> View {
        let topology = match prev {
            Some(p)
                if p.topology.seed == c.seed()
                    && p.topology.config == *c.config()
                    && p.topology.consumers.len() == c.consumers().len() =>
            {
                p.topology.clone()
            }
            _ => Rc::new(Topology::build(c)),
        };
        let (controller, brokers, producers, cuts) = match prev {
            Some(p) if !opts.picture && Rc::ptr_eq(&p.topology, &topology) => (
                p.controller.clone(),
                p.brokers.clone(),
                p.producers.clone(),
                p.cuts.clone(),
            ),
            _ => build_picture(c, &topology, prev),
        };
        // A message's view never changes while it is on the wire: reuse the previous frame's
        // (its summary is formatted and its tag classified once, not on every frame). Messages
        // keep their order on the wire, so the search goes on from the last one found.
        let old: &[MsgView] = prev.map_or(&[], |p| &p.messages);
        let mut from = 0;
        let messages: Vec<MsgView> = c
            .in_flight()
            .map(|e| match old[from..].iter().position(|m| m.id == e.id) {
                Some(i) => {
                    from += i + 1;
                    old[from - 1].clone()
                }
                None => MsgView::new(e),
            })
            .collect();

        let (invariants, ledger_view, events_view, notable) = match prev {
            Some(p) if !opts.panels => (
                p.invariants.clone(),
                p.ledger.clone(),
                p.events.clone(),
                p.notable.clone(),
            ),
            _ => (
                keep(prev.map(|p| &p.invariants), c.invariants().to_vec()),
                keep(prev.map(|p| &p.ledger), build_ledger(c, &topology)),
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
    let ledger = c.ledger();

    // Controller.
    let ctrl = c.controller();
    let cparts: Vec<ControllerPartition> = topo
        .partitions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let r = ctrl.partitions.get(&p.tp);
            ControllerPartition {
                part: i,
                leader: r.and_then(|r| r.leader),
                leader_epoch: r.map_or(-1, |r| r.leader_epoch),
                isr: r.map(|r| r.isr.clone()).unwrap_or_default(),
                recovering: r.is_some_and(|r| r.recovering),
            }
        })
        .collect();
    let controller = ControllerView {
        paused: c.is_paused(NodeId::Controller),
        fenced: ctrl
            .brokers
            .iter()
            .filter(|(_, r)| r.fenced)
            .map(|(b, _)| *b)
            .collect(),
        elections: ctrl.elections,
        unclean_elections: ctrl.unclean_elections,
        partitions: cparts,
    };

    // Window end per partition: the largest LEO of its replicas.
    let mut win_hi: Vec<Offset> = vec![0; topo.partitions.len()];
    // The current leader's HW per partition.
    let mut leader_hw: Vec<Option<Offset>> = vec![None; topo.partitions.len()];
    for (_, slot) in c.brokers() {
        for p in slot.broker.partitions.values() {
            if let Some(i) = topo.part_index(p.tp) {
                win_hi[i] = win_hi[i].max(p.log.leo());
                if slot.status == BrokerStatus::Up && p.is_leader() {
                    let cp = &controller.partitions[i];
                    if cp.leader == Some(slot.broker.id) {
                        leader_hw[i] = Some(p.log.high_watermark());
                    }
                }
            }
        }
    }

    let lag = c.config().broker.replica_lag_time_max_ms;
    let internal: Vec<bool> = topo
        .partitions
        .iter()
        .map(|p| highwater_core::coordinator::is_internal(c.config(), p.tp))
        .collect();
    let brokers: Vec<Rc<BrokerView>> = c
        .brokers()
        .map(|(id, slot)| {
            let up = slot.status == BrokerStatus::Up;
            let replicas = slot
                .broker
                .partitions
                .values()
                .filter_map(|p| {
                    let i = topo.part_index(p.tp)?;
                    let log = &p.log;
                    let hi = win_hi[i];
                    let lo = (hi - WINDOW as Offset).max(log.log_start_offset());
                    let cells = log
                        .slice(lo, hi)
                        .iter()
                        .map(|r| {
                            let e = ledger.get(r.id);
                            let value = e.map_or_else(|| format!("r{}", r.id), |e| e.value.clone());
                            // __consumer_offsets: an offset commit or a group generation (R7.2).
                            let offsets = internal[i]
                                .then(|| crate::ui::group_view::offsets_record(r.id))
                                .flatten();
                            let (label, value) = match offsets {
                                Some((label, text)) => (label, text),
                                None => (short_label(&value), value),
                            };
                            Cell {
                                offset: r.offset,
                                epoch: r.epoch,
                                id: r.id,
                                label,
                                value: match e.and_then(|e| e.key.as_ref()) {
                                    Some(k) => format!("{value} (key {k})"),
                                    None => value,
                                },
                                lost: e.is_some_and(|e| e.lost.is_some()),
                                duplicated: e.is_some_and(|e| e.duplicated.is_some()),
                            }
                        })
                        .collect();
                    let (role, isr, maximal_isr, pending_isr, followers) = match (&p.role, up) {
                        (Role::Leader(l), true) => (
                            ReplicaRole::Leader,
                            p.isr.clone(),
                            l.maximal_isr.clone(),
                            l.pending_isr.clone(),
                            l.remotes
                                .iter()
                                .map(|(b, st)| FollowerLag {
                                    broker: *b,
                                    leo: st.leo,
                                    caught_up: is_caught_up(st, log.leo(), c.now(), lag),
                                })
                                .collect(),
                        ),
                        (Role::Follower { .. }, true) => {
                            (ReplicaRole::Follower, vec![], vec![], None, vec![])
                        }
                        _ => (ReplicaRole::None, vec![], vec![], None, vec![]),
                    };
                    Some(ReplicaView {
                        part: i,
                        role,
                        leader_epoch: p.leader_epoch,
                        leo: log.leo(),
                        hw: log.high_watermark(),
                        log_start: log.log_start_offset(),
                        flushed: log.flushed_offset(),
                        cells,
                        win_hi: hi,
                        in_isr: controller.partitions[i].isr.contains(id),
                        leader_hw: if role == ReplicaRole::Leader {
                            None
                        } else {
                            leader_hw[i]
                        },
                        isr,
                        maximal_isr,
                        pending_isr,
                        followers,
                    })
                })
                .collect();
            let view = BrokerView {
                id: *id,
                status: slot.status,
                paused: c.is_paused(NodeId::Broker(*id)),
                fenced: controller.fenced.contains(id),
                shutting_down: up && slot.broker.shutting_down,
                broker_epoch: slot.broker.broker_epoch,
                replicas,
            };
            let old = prev.and_then(|p| p.brokers.iter().find(|b| b.id == *id));
            keep(old, view)
        })
        .collect();

    let auto: Vec<u32> = c
        .pending_timers()
        .filter_map(|(n, k, _)| match (n, k.name()) {
            (NodeId::Producer(p), "auto-produce") => Some(p),
            _ => None,
        })
        .collect();
    let mut acked = vec![0usize; topo.producers.len()];
    let mut lost = vec![0usize; topo.producers.len()];
    for e in &ledger.entries {
        let i = e.producer as usize - 1;
        if i < acked.len() {
            acked[i] += e.acked.is_some() as usize;
            lost[i] += e.lost.is_some() as usize;
        }
    }
    let producers = c
        .producers()
        .iter()
        .map(|p| ProducerView {
            id: p.id,
            paused: c.is_paused(NodeId::Producer(p.id)),
            queued: p.queued().count(),
            in_flight: p.in_flight.len(),
            auto: auto.contains(&p.id),
            acks: c.config().acks(),
            acked: acked.get(p.id as usize - 1).copied().unwrap_or(0),
            lost: lost.get(p.id as usize - 1).copied().unwrap_or(0),
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

fn build_ledger(c: &Cluster, topo: &Topology) -> LedgerView {
    let entries = &c.ledger().entries;
    let mut v = LedgerView::default();
    for e in entries {
        v.produced += 1;
        v.acked += e.acked.is_some() as usize;
        v.committed += e.committed.is_some() as usize;
        v.lost += e.lost.is_some() as usize;
        v.duplicated += e.duplicated.is_some() as usize;
        v.failed += e.failed.is_some() as usize;
    }
    let row = |e: &highwater_core::ledger::LedgerEntry| LedgerRow {
        id: e.id,
        value: e.value.clone(),
        key: e.key.clone(),
        part: topo.part_index(e.tp).map_or_else(
            || format!("p{}", e.tp.partition),
            |i| topo.partitions[i].label.clone(),
        ),
        acks: e.acks.as_str(),
        produced: e.produced.step,
        attempts: e.attempts,
        acked: e.acked.map(|(s, o)| (s.step, o)),
        committed: e.committed.map(|s| s.step),
        lost: e.lost.map(|s| s.step),
        duplicated: e.duplicated.map(|s| s.step),
        failed: e.failed.map(|(_, err)| err.to_string()),
        status: e.status(),
    };
    let start = entries.len().saturating_sub(LEDGER_ROWS);
    let mut rows: Vec<LedgerRow> = entries[start..].iter().rev().map(row).collect();
    // Older lost / duplicated records stay visible: they are the point of the exercise.
    let older: Vec<LedgerRow> = entries[..start]
        .iter()
        .rev()
        .filter(|e| e.lost.is_some() || e.duplicated.is_some())
        .take(LEDGER_ROWS / 2)
        .map(row)
        .collect();
    rows.extend(older);
    v.rows = rows;
    v
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
