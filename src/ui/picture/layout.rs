//! Geometry of the cluster picture, computed once per run and screen class (wide / compact):
//! producers on the left, the controller above the brokers, the brokers stacked in the middle
//! with one log strip per replica, broker-to-broker and controller links curving round the right.
//! Runs with consumers get a consumer column to the right of the curves (`consumer_w`).

use crate::ui::format::fmt;
use highwater_core::types::{BrokerId, NodeId};

use crate::ui::view::{Topology, WINDOW};

/// Width of the consumer column (wide, compact); zero in runs without consumers.
pub const CONSUMER_W: (f64, f64) = (150.0, 112.0);

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

const fn pt(x: f64, y: f64) -> Pt {
    Pt { x, y }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// A link's drawn path: straight, or a cubic Bézier curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Path {
    Line(Pt, Pt),
    Cubic(Pt, Pt, Pt, Pt),
}

impl Path {
    pub fn at(&self, u: f64) -> Pt {
        match *self {
            Path::Line(a, b) => pt(a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u),
            Path::Cubic(p0, p1, p2, p3) => {
                let v = 1.0 - u;
                let (a, b, c, d) = (v * v * v, 3.0 * v * v * u, 3.0 * v * u * u, u * u * u);
                pt(
                    a * p0.x + b * p1.x + c * p2.x + d * p3.x,
                    a * p0.y + b * p1.y + c * p2.y + d * p3.y,
                )
            }
        }
    }

    /// Unit normal (left of the direction of travel) at `u`.
    pub fn normal(&self, u: f64) -> Pt {
        let (dx, dy) = match *self {
            Path::Line(a, b) => (b.x - a.x, b.y - a.y),
            Path::Cubic(p0, p1, p2, p3) => {
                let v = 1.0 - u;
                (
                    3.0 * v * v * (p1.x - p0.x)
                        + 6.0 * v * u * (p2.x - p1.x)
                        + 3.0 * u * u * (p3.x - p2.x),
                    3.0 * v * v * (p1.y - p0.y)
                        + 6.0 * v * u * (p2.y - p1.y)
                        + 3.0 * u * u * (p3.y - p2.y),
                )
            }
        };
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        pt(-dy / len, dx / len)
    }

    /// Approximate length (the mean of the chord and the control polygon, for a curve).
    pub fn length(&self) -> f64 {
        let d = |a: Pt, b: Pt| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        match *self {
            Path::Line(a, b) => d(a, b),
            Path::Cubic(p0, p1, p2, p3) => (d(p0, p3) + d(p0, p1) + d(p1, p2) + d(p2, p3)) / 2.0,
        }
    }

    /// SVG path data (coordinates through [`fmt`]: no float formatting in the bundle).
    pub fn d(&self) -> String {
        let p = |q: Pt| format!("{} {}", fmt(q.x), fmt(q.y));
        match *self {
            Path::Line(a, b) => format!("M{}L{}", p(a), p(b)),
            Path::Cubic(a, b, c, d) => format!("M{}C{} {} {}", p(a), p(b), p(c), p(d)),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub compact: bool,
    pub width: f64,
    pub height: f64,
    pub controller: Rect,
    /// Controller partition entries per row and their width.
    pub ctrl_per_row: usize,
    pub ctrl_entry_w: f64,
    pub brokers: Vec<(BrokerId, Rect)>,
    pub producers: Vec<(u32, Rect)>,
    /// Consumers `c1`, … in the right-hand column (empty without consumers).
    pub consumers: Vec<(u32, Rect)>,
    /// The consumers' deduplicating sink, under them (runs whose consumers set `dedup`).
    pub sink: Option<Rect>,
    /// Broker box: header height, replica row height, label column width.
    pub header_h: f64,
    pub row_h: f64,
    pub label_w: f64,
    pub cell_w: f64,
    pub cell_h: f64,
    pub pitch: f64,
    /// Cells per strip.
    pub cols: usize,
    /// Broker-to-broker pairs that replicate a partition together (their links are drawn).
    pub broker_pairs: Vec<(BrokerId, BrokerId)>,
}

// Layout holds no NaN: equality is reflexive.
impl Eq for Layout {}

impl Layout {
    pub fn new(topo: &Topology, compact: bool) -> Layout {
        let pad = 12.0;
        // The picture is drawn at nearly its own size at the page's design widths (1280 and
        // 600 px), so that its text keeps about its CSS size (≥ 11.5 units wide, ≥ 10.5
        // compact; `e2e/legible.spec.mjs` measures it): runs with consumers make room for their
        // column with narrower broker boxes.
        let with_consumers = !topo.consumers.is_empty();
        let (pw, gap, bw, bus) = match (compact, with_consumers) {
            (true, false) => (100.0, 24.0, 384.0, 92.0),
            (true, true) => (100.0, 24.0, 280.0, 92.0),
            (false, false) => (150.0, 40.0, 540.0, 130.0),
            (false, true) => (150.0, 40.0, 400.0, 130.0),
        };
        let x0 = pad + pw + gap;
        let consumer_w = match (with_consumers, compact) {
            (false, _) => 0.0,
            (true, false) => CONSUMER_W.0,
            (true, true) => CONSUMER_W.1,
        };
        let width = x0 + bw + bus + consumer_w + pad;

        let ctrl_entry_w = 172.0;
        let ctrl_per_row = (((bw - 16.0) / ctrl_entry_w).floor() as usize).max(1);
        let ctrl_rows = topo.partitions.len().div_ceil(ctrl_per_row).max(1);
        let controller = Rect {
            x: x0,
            y: pad,
            w: bw,
            h: 26.0 + 17.0 * ctrl_rows as f64,
        };

        let header_h = 26.0;
        let row_h = 30.0;
        let (label_w, cell_w, right_w) = if compact {
            (90.0, 22.0, 46.0)
        } else {
            (98.0, 24.0, 98.0)
        };
        let pitch = cell_w + 2.0;
        let cols = (((bw - label_w - right_w - 10.0) / pitch).floor() as usize).clamp(4, WINDOW);

        let mut y = controller.bottom() + 30.0;
        let mut brokers = Vec::new();
        for b in &topo.brokers {
            let rows = topo
                .partitions
                .iter()
                .filter(|p| p.replicas.contains(b))
                .count()
                .max(1);
            let h = header_h + rows as f64 * row_h + 6.0;
            brokers.push((*b, Rect { x: x0, y, w: bw, h }));
            y += h + 14.0;
        }
        let brokers_bottom = y - 14.0;

        // An idempotent producer's card has more lines: its producer id, epoch and next
        // sequence (`cluster.rs`; three lines in the compact card, two in the wide one).
        let idem = match (topo.config.enable_idempotence(), compact) {
            (false, _) => 0.0,
            (true, true) => 36.0,
            (true, false) => 24.0,
        };
        let ph = if compact { 74.0 } else { 62.0 } + idem;
        // Room below a card for its last error, which makes it taller (`cluster.rs`).
        let pgap = if compact { 52.0 } else { 40.0 };
        let n = topo.producers.len() as f64;
        let total = n * ph + (n - 1.0).max(0.0) * pgap;
        let first_b = brokers.first().map_or(controller.bottom(), |(_, r)| r.y);
        let mid = (first_b + brokers_bottom) / 2.0;
        let mut py = (mid - total / 2.0).max(first_b);
        let mut producers = Vec::new();
        for p in &topo.producers {
            producers.push((
                *p,
                Rect {
                    x: pad,
                    y: py,
                    w: pw,
                    h: ph,
                },
            ));
            py += ph + pgap;
        }
        // Six lines: the last one lists the records processed (`consumers.rs`).
        let ch = 96.0;
        let cgap = 14.0;
        let mut cy = first_b;
        let mut consumers = Vec::new();
        for c in &topo.consumers {
            let x = x0 + bw + bus;
            consumers.push((
                *c,
                Rect {
                    x,
                    y: cy,
                    w: consumer_w,
                    h: ch,
                },
            ));
            cy += ch + cgap;
        }
        // The consumers' deduplicating sink (`dedup = true`), under the last consumer.
        let sink = (!consumers.is_empty() && topo.config.consumer.dedup).then_some(Rect {
            x: x0 + bw + bus,
            y: cy + 14.0,
            w: consumer_w,
            h: 58.0,
        });
        let cy = sink.map_or(cy, |r| r.bottom() + cgap);
        let height = brokers_bottom.max(py - pgap).max(cy - cgap) + pad;

        let mut broker_pairs = Vec::new();
        for (i, a) in topo.brokers.iter().enumerate() {
            for b in &topo.brokers[i + 1..] {
                if topo
                    .partitions
                    .iter()
                    .any(|p| p.replicas.contains(a) && p.replicas.contains(b))
                {
                    broker_pairs.push((*a, *b));
                }
            }
        }

        Layout {
            compact,
            width,
            height,
            controller,
            ctrl_per_row,
            ctrl_entry_w,
            brokers,
            producers,
            consumers,
            sink,
            header_h,
            row_h,
            label_w,
            cell_w,
            cell_h: 18.0,
            pitch,
            cols,
            broker_pairs,
        }
    }

    pub fn broker(&self, id: BrokerId) -> Option<(usize, Rect)> {
        self.brokers
            .iter()
            .position(|(b, _)| *b == id)
            .map(|i| (i, self.brokers[i].1))
    }

    pub fn producer(&self, id: u32) -> Option<Rect> {
        self.producers
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, r)| *r)
    }

    pub fn consumer(&self, id: u32) -> Option<Rect> {
        self.consumers
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, r)| *r)
    }

    fn node_rect(&self, n: NodeId) -> Option<Rect> {
        match n {
            NodeId::Controller => Some(self.controller),
            NodeId::Broker(b) => self.broker(b).map(|(_, r)| r),
            NodeId::Producer(p) => self.producer(p),
            NodeId::Consumer(c) => self.consumer(c),
        }
    }

    /// The drawn path of the link between two nodes, in canonical order (the smaller `NodeId`
    /// first: controller, brokers, producers).
    pub fn link(&self, a: NodeId, b: NodeId) -> Option<Path> {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let scale = if self.compact { 0.62 } else { 1.0 };
        let head = self.header_h / 2.0;
        match (a, b) {
            (NodeId::Controller, NodeId::Broker(x)) => {
                let (i, r) = self.broker(x)?;
                let c = self.controller;
                let p0 = pt(c.right(), c.y + 15.0);
                let p3 = pt(r.right(), r.y + head - 4.0);
                let bulge = (26.0 + 10.0 * i as f64) * scale;
                Some(Path::Cubic(
                    p0,
                    pt(p0.x + bulge, p0.y),
                    pt(p3.x + bulge, p3.y),
                    p3,
                ))
            }
            (NodeId::Broker(x), NodeId::Broker(y)) => {
                let (i, r1) = self.broker(x)?;
                let (j, r2) = self.broker(y)?;
                let d = i.abs_diff(j).max(1) as f64;
                let p0 = pt(r1.right(), r1.y + head + 4.0);
                let p3 = pt(r2.right(), r2.y + head + 4.0);
                let bulge = (62.0 + 34.0 * (d - 1.0)).min(170.0) * scale;
                Some(Path::Cubic(
                    p0,
                    pt(p0.x + bulge, p0.y),
                    pt(p3.x + bulge, p3.y),
                    p3,
                ))
            }
            (NodeId::Broker(x), NodeId::Producer(p)) => {
                let (_, r) = self.broker(x)?;
                let pr = self.producer(p)?;
                Some(Path::Line(
                    pt(r.x, r.y + head),
                    pt(pr.right(), pr.y + pr.h / 2.0),
                ))
            }
            (NodeId::Broker(x), NodeId::Consumer(c)) => {
                // Consumers talk to brokers only: a straight line from the broker's right edge.
                let (_, r) = self.broker(x)?;
                let cr = self.consumer(c)?;
                Some(Path::Line(
                    pt(r.right(), r.y + head),
                    pt(cr.x, cr.y + cr.h / 2.0),
                ))
            }
            _ => {
                let (ra, rb) = (self.node_rect(a)?, self.node_rect(b)?);
                Some(Path::Line(
                    pt(ra.x + ra.w / 2.0, ra.y + ra.h / 2.0),
                    pt(rb.x + rb.w / 2.0, rb.y + rb.h / 2.0),
                ))
            }
        }
    }

    /// Where a message `from → to` is after fraction `u` of its flight, offset to one side of the
    /// link so that the two directions do not overlap.
    pub fn message_point(&self, from: NodeId, to: NodeId, u: f64) -> Option<Pt> {
        let path = self.link(from, to)?;
        let forward = from <= to;
        // Messages start and end half a pill away from the boxes, so that messages waiting at a
        // paused node do not cover its name.
        let inset = (14.0 / path.length().max(1.0)).min(0.3);
        let u = inset + (1.0 - 2.0 * inset) * u;
        let v = if forward { u } else { 1.0 - u };
        let p = path.at(v);
        let n = path.normal(v);
        let side = if forward { 4.0 } else { -4.0 };
        Some(pt(p.x + n.x * side, p.y + n.y * side))
    }

    /// X of the left edge of the cell at `offset` in a strip whose window ends at `win_hi`.
    pub fn cell_x(&self, offset: i64, win_hi: i64) -> f64 {
        self.label_w + (offset - self.first_offset(win_hi)) as f64 * self.pitch
    }

    /// First offset a strip shows: logs shorter than the strip start at its left end.
    pub fn first_offset(&self, win_hi: i64) -> i64 {
        (win_hi - self.cols as i64).max(0)
    }

    /// X just after the last cell column (where the HW/LEO figures go).
    pub fn strip_end(&self) -> f64 {
        self.label_w + self.cols as f64 * self.pitch
    }
}
