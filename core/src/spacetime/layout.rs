//! The space-time diagram's layout as plain numbers: one lane per node, an arrow per message from
//! its send to its delivery (or drop), marks for crashes, elections, ISR changes, HW moves,
//! truncations and broken invariants, in a time window that follows the current step. Pure
//! functions of the run's event log (no Yew, no DOM), so that they are tested natively.
//!
//! Time flows down, as in the hand-drawn diagrams of KIP-101; lanes are columns.

use crate::event::{Event, EventKind};
use crate::read_model::MessageKind;
use crate::types::{BrokerId, Millis, NodeId};

pub use super::filter::{Shown, WireGroup};

/// Width of the time gutter on the left (time labels, marks of no node).
pub const GUTTER: f64 = 48.0;
/// Width of an open lane.
pub const LANE_W: f64 = 84.0;
/// Width of a collapsed lane.
pub const COLLAPSED_W: f64 = 24.0;
/// Room right of the last lane for the current step's label.
pub const NOW_LABEL_W: f64 = 64.0;
/// Height of the lane headers.
pub const HEAD: f64 = 30.0;
/// Height of the drawn time window.
pub const BODY: f64 = 340.0;
/// Room below the window for its last time label.
pub const FOOT: f64 = 12.0;
/// A message's arrow drops at least this much, so that a request and its answer, sent in the
/// same instant of a long window, do not draw over each other.
pub const MIN_SLANT: f64 = 5.0;
/// At most this many arrows are laid out (the newest); the rest are counted in `omitted`.
pub const MAX_ARROWS: usize = 200;
/// At most this many marks are laid out (the newest).
pub const MAX_MARKS: usize = 200;
/// The window's lengths a user can choose (virtual ms); the state keeps the events of the
/// longest.
pub const SPANS: [Millis; 3] = [250, 1_000, 5_000];
/// The current step sits this far down the window (the rest shows messages still in flight).
pub const NOW_AT: f64 = 0.8;

/// What the diagram is drawn from: the drawn events of the latest [`SPANS`]' longest window
/// (see [`is_drawn`]) and the messages on the wire, at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Feed {
    pub step: u64,
    pub time: Millis,
    /// Events for which [`is_drawn`] holds, oldest first.
    pub events: Vec<Event>,
    pub in_flight: Vec<InFlight>,
}

/// A message on the wire at the current step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub id: u64,
    pub kind: MessageKind,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: Millis,
    pub deliver_at: Millis,
    pub summary: String,
}

/// What the user chose: the window's length, the message groups, HW marks, collapsed lanes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub span: Millis,
    pub shown: Shown,
    pub hw_marks: bool,
    pub collapsed: Vec<NodeId>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            span: SPANS[1],
            shown: Shown::default(),
            hw_marks: true,
            collapsed: Vec::new(),
        }
    }
}

/// One column.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub node: NodeId,
    /// Centre of the lane.
    pub x: f64,
    pub collapsed: bool,
    /// The group coordinator lives on this broker.
    pub coordinator: bool,
}

/// How an arrow ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Delivered,
    /// Lost on a cut link, refused by a down node, or dropped by the user: ends in a cross.
    Dropped,
    /// Still on the wire: drawn to its due time.
    InFlight,
}

/// One message.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub id: u64,
    pub kind: MessageKind,
    pub from: NodeId,
    pub to: NodeId,
    /// Send: `None` before the window (or never sent: lost on a link already cut).
    pub sent: Option<(u64, Millis)>,
    /// Delivery or drop (step, time); the due time while in flight.
    pub ended: (Option<u64>, Millis),
    pub end: End,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// The step a click goes to: the delivery or drop, or the send while in flight.
    pub seek: u64,
    pub summary: String,
}

impl Arrow {
    /// The message's fields in one line (tooltip and accessible name).
    pub fn describe(&self) -> String {
        let sent = match self.sent {
            Some((s, t)) => format!("sent {t} ms (step {s})"),
            None => "sent before the window".into(),
        };
        let end = match (self.end, self.ended) {
            (End::Delivered, (Some(s), t)) => format!("delivered {t} ms (step {s})"),
            (End::Dropped, (Some(s), t)) => format!("dropped {t} ms (step {s})"),
            (_, (_, t)) => format!("in flight, due {t} ms"),
        };
        format!(
            "{} {} → {}: {}; {sent}, {end}",
            self.kind, self.from, self.to, self.summary
        )
    }
}

/// What a mark shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    Crash,
    Restart,
    Election,
    Isr,
    HighWatermark,
    Truncate,
    Lost,
    Invariant,
}

impl MarkKind {
    fn of(kind: EventKind) -> Option<MarkKind> {
        Some(match kind {
            EventKind::Crash => MarkKind::Crash,
            EventKind::Restart => MarkKind::Restart,
            EventKind::Election => MarkKind::Election,
            EventKind::Isr => MarkKind::Isr,
            EventKind::HighWatermark => MarkKind::HighWatermark,
            EventKind::Truncate => MarkKind::Truncate,
            EventKind::Lost => MarkKind::Lost,
            EventKind::Invariant => MarkKind::Invariant,
            _ => return None,
        })
    }

    /// The glyph drawn.
    pub fn glyph(self) -> &'static str {
        match self {
            MarkKind::Crash => "✕",
            MarkKind::Restart => "↻",
            MarkKind::Election => "★",
            MarkKind::Isr => "◇",
            MarkKind::HighWatermark => "HW",
            MarkKind::Truncate => "✂",
            MarkKind::Lost => "!",
            MarkKind::Invariant => "⚠",
        }
    }

    /// The CSS class and the word of the legend.
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Crash => "crash",
            MarkKind::Restart => "restart",
            MarkKind::Election => "election",
            MarkKind::Isr => "isr",
            MarkKind::HighWatermark => "hw",
            MarkKind::Truncate => "truncate",
            MarkKind::Lost => "lost",
            MarkKind::Invariant => "invariant",
        }
    }
}

/// A notable event on a lane (or in the gutter when it concerns no node).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    pub node: Option<NodeId>,
    pub step: u64,
    pub time: Millis,
    pub x: f64,
    pub y: f64,
    pub text: String,
}

impl Mark {
    /// The mark in one line (tooltip and accessible name).
    pub fn describe(&self) -> String {
        let who = self.node.map(|n| format!("{n}: ")).unwrap_or_default();
        format!("{} ms (step {}): {who}{}", self.time, self.step, self.text)
    }
}

/// The drawn window of virtual time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start: Millis,
    pub end: Millis,
}

impl Window {
    /// The window of length `span` that shows `now` at [`NOW_AT`] of its height (or from 0 in
    /// a young run), leaving room below for the messages in flight.
    pub fn around(now: Millis, span: Millis) -> Window {
        let span = span.max(1);
        let before = (span as f64 * NOW_AT) as Millis;
        let start = now.saturating_sub(before);
        Window {
            start,
            end: start + span,
        }
    }

    /// The y of time `t`, clamped into the window.
    pub fn y(self, t: Millis) -> f64 {
        let t = t.clamp(self.start, self.end);
        HEAD + (t - self.start) as f64 / (self.end - self.start) as f64 * BODY
    }
}

/// The whole diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    pub window: Window,
    pub lanes: Vec<Lane>,
    pub arrows: Vec<Arrow>,
    pub marks: Vec<Mark>,
    /// The current step's line.
    pub now_y: f64,
    pub width: f64,
    pub height: f64,
    /// Arrows in the window left out by [`MAX_ARROWS`].
    pub omitted: usize,
}

/// Whether the state keeps an event for the diagram: a message's send, delivery or drop, or a
/// mark's event.
pub fn is_drawn(e: &Event) -> bool {
    matches!(
        e.kind,
        EventKind::Send | EventKind::Deliver | EventKind::Drop
    ) && e.message.is_some()
        || MarkKind::of(e.kind).is_some()
}

/// The lanes' nodes in order: producers, brokers, the controller, consumers.
pub fn lane_order(producers: &[u32], brokers: &[BrokerId], consumers: &[u32]) -> Vec<NodeId> {
    let mut v: Vec<NodeId> = producers.iter().map(|&p| NodeId::Producer(p)).collect();
    v.extend(brokers.iter().map(|&b| NodeId::Broker(b)));
    v.push(NodeId::Controller);
    v.extend(consumers.iter().map(|&c| NodeId::Consumer(c)));
    v
}

/// Places the lanes left to right after the gutter; collapsed ones are narrow.
pub fn lanes(order: &[NodeId], collapsed: &[NodeId], coordinator: Option<BrokerId>) -> Vec<Lane> {
    let mut x = GUTTER;
    order
        .iter()
        .map(|&node| {
            let c = collapsed.contains(&node);
            let w = if c { COLLAPSED_W } else { LANE_W };
            let lane = Lane {
                node,
                x: x + w / 2.0,
                collapsed: c,
                coordinator: coordinator.is_some_and(|b| node == NodeId::Broker(b)),
            };
            x += w;
            lane
        })
        .collect()
}

/// Lays out `feed` with `opts` over the lanes of `order`.
pub fn layout(
    feed: &Feed,
    order: &[NodeId],
    coordinator: Option<BrokerId>,
    opts: &Options,
) -> Diagram {
    let window = Window::around(feed.time, opts.span);
    let lanes = lanes(order, &opts.collapsed, coordinator);
    let open_x = |n: NodeId| {
        lanes
            .iter()
            .find(|l| l.node == n && !l.collapsed)
            .map(|l| l.x)
    };
    let width = NOW_LABEL_W
        + lanes.last().map_or(GUTTER, |l| {
            l.x + if l.collapsed { COLLAPSED_W } else { LANE_W } / 2.0
        });

    // Sends by message id, then the deliveries and drops that end them.
    let first = feed.events.partition_point(|e| e.time < window.start);
    let events = &feed.events[first..];
    // (id, step, time) of the sends, in id order (a run numbers its messages as it sends them).
    let mut sends: Vec<(u64, u64, Millis)> = Vec::new();
    let sent_of = |sends: &[(u64, u64, Millis)], id: u64| {
        sends
            .binary_search_by_key(&id, |s| s.0)
            .ok()
            .map(|i| (sends[i].1, sends[i].2))
    };
    let mut arrows: Vec<Arrow> = Vec::new();
    let mut marks: Vec<Mark> = Vec::new();
    let mut omitted = 0;
    for e in events {
        if let Some(kind) = MarkKind::of(e.kind) {
            if kind == MarkKind::HighWatermark && !opts.hw_marks {
                continue;
            }
            // Marks of a node sit on its lane, unless that is collapsed; the others in the gutter.
            let x = match e.node {
                Some(n) => match open_x(n) {
                    Some(x) => x,
                    None => continue,
                },
                None => GUTTER / 2.0,
            };
            marks.push(Mark {
                kind,
                node: e.node,
                step: e.step,
                time: e.time,
                x,
                y: window.y(e.time),
                text: e.text.clone(),
            });
            continue;
        }
        let (Some(id), Some(from), Some(to), Some(kind)) =
            (e.message, e.node, e.peer, e.message_kind)
        else {
            continue;
        };
        if e.kind == EventKind::Send {
            sends.push((id, e.step, e.time));
            continue;
        }
        if !opts.shown.contains(WireGroup::of(kind)) {
            continue;
        }
        let (Some(x0), Some(x1)) = (open_x(from), open_x(to)) else {
            continue;
        };
        let sent = sent_of(&sends, id);
        let dropped = e.kind == EventKind::Drop;
        arrows.push(arrow(
            (id, kind, from, to),
            sent,
            (Some(e.step), e.time),
            if dropped {
                End::Dropped
            } else {
                End::Delivered
            },
            (x0, x1),
            window,
            e.text.clone(),
        ));
    }
    for m in &feed.in_flight {
        if !opts.shown.contains(WireGroup::of(m.kind)) {
            continue;
        }
        let (Some(x0), Some(x1)) = (open_x(m.from), open_x(m.to)) else {
            continue;
        };
        let sent = sent_of(&sends, m.id);
        let mut a = arrow(
            (m.id, m.kind, m.from, m.to),
            sent,
            (None, m.deliver_at),
            End::InFlight,
            (x0, x1),
            window,
            m.summary.clone(),
        );
        if sent.is_none() {
            // Sent before the kept events: its time is known, its step is not (stay here).
            a.y0 = window.y(m.sent_at);
            a.seek = feed.step;
        }
        arrows.push(a);
    }
    if arrows.len() > MAX_ARROWS {
        omitted = arrows.len() - MAX_ARROWS;
        arrows.drain(..omitted);
    }
    if marks.len() > MAX_MARKS {
        marks.drain(..marks.len() - MAX_MARKS);
    }
    Diagram {
        window,
        lanes,
        arrows,
        marks,
        now_y: window.y(feed.time),
        width,
        height: HEAD + BODY + FOOT,
        omitted,
    }
}

fn arrow(
    (id, kind, from, to): (u64, MessageKind, NodeId, NodeId),
    sent: Option<(u64, Millis)>,
    ended: (Option<u64>, Millis),
    end: End,
    (x0, x1): (f64, f64),
    window: Window,
    summary: String,
) -> Arrow {
    let mut y1 = window.y(ended.1);
    let y0 = match sent {
        Some((_, t)) => window.y(t),
        // Never sent (the link was cut) or sent before the window.
        None if end == End::Dropped => y1,
        None => HEAD,
    };
    if sent.is_some() {
        y1 = y1.max(y0 + MIN_SLANT);
    }
    // A dropped message stops short of its destination, where the cross is drawn.
    let x1 = if end == End::Dropped {
        x0 + (x1 - x0) * 0.6
    } else {
        x1
    };
    let seek = match (ended.0, sent) {
        (Some(s), _) | (None, Some((s, _))) => s,
        (None, None) => 0,
    };
    Arrow {
        id,
        kind,
        from,
        to,
        sent,
        ended,
        end,
        x0,
        y0,
        x1,
        y1,
        seek,
        summary,
    }
}

#[cfg(test)]
mod tests;
