//! Geometry of the cluster picture, computed once per run and screen class (wide / compact):
//! producers on the left, the controller above the brokers, the brokers stacked in the middle
//! with one log strip per replica. Broker-to-broker and controller links run in lanes to the right
//! of the brokers (`lanes`): each leaves its node's right edge at its own height, runs down a
//! vertical lane of its own and enters the other node, so a route stays between the two nodes it
//! connects and never shares a stretch with another route. Runs with consumers get a consumer
//! column to the right of the lanes (`consumer_w`).

use super::names;
use crate::ui::format::fmt;
use highwater_core::ordered;
use highwater_core::types::{BrokerId, NodeId};

use crate::ui::view::{Topology, WINDOW};

/// Width of the consumer column (wide, compact); zero in runs without consumers.
pub const CONSUMER_W: (f64, f64) = (150.0, 112.0);

/// Where a replica row's partition name starts (after the leader's crown).
pub const NAME_X: f64 = 25.0;
/// Room for a partition name with the leader epoch after it on the same line (`t-0`, `t1-0`).
const NAME_BESIDE_EPOCH: f64 = 22.0;
/// Least room for a partition name with the epoch under it, and most on the wide and the
/// compact picture: the most leaves a narrow broker box (beside consumers) 5 and 4 cells.
const NAME_ABOVE_EPOCH: (f64, f64, f64) = (39.5, 110.0, 76.0);
/// Least and most room for a name on the controller's line, a gap of 3 included (`t1-0` fits
/// the least; names of more than 16 characters are shortened).
const CTRL_NAME_MIN: f64 = 28.0;
const CTRL_NAME_MAX: f64 = 16.0 * names::CTRL_ADVANCE + 3.0;

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

/// A link's drawn path: straight, a cubic Bézier curve, or a lane: from the first point
/// horizontally to the lane's `x`, along the lane to the second point's height, and horizontally
/// into the second point (drawn with rounded corners).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Path {
    Line(Pt, Pt),
    Cubic(Pt, Pt, Pt, Pt),
    Lane(Pt, f64, Pt),
}

/// Corner radius of a lane's drawn path.
const LANE_CORNER: f64 = 5.0;

/// The three straight stretches of a lane from `a` through the lane at `x` to `b`.
fn lane_legs(a: Pt, x: f64, b: Pt) -> [(Pt, Pt); 3] {
    let (c1, c2) = (pt(x, a.y), pt(x, b.y));
    [(a, c1), (c1, c2), (c2, b)]
}

fn dist(a: Pt, b: Pt) -> f64 {
    ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt()
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
            Path::Lane(a, x, b) => {
                let (leg, f) = self.lane_leg(a, x, b, u);
                let (p, q) = lane_legs(a, x, b)[leg];
                pt(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f)
            }
        }
    }

    /// Which leg of a lane the fraction `u` of its length falls on, and the fraction of that leg.
    fn lane_leg(&self, a: Pt, x: f64, b: Pt, u: f64) -> (usize, f64) {
        let legs = lane_legs(a, x, b);
        let mut rest = u.clamp(0.0, 1.0) * self.length();
        for (i, (p, q)) in legs.iter().enumerate() {
            let len = dist(*p, *q);
            if rest <= len || i == 2 {
                return (
                    i,
                    if len > 0.0 {
                        (rest / len).min(1.0)
                    } else {
                        1.0
                    },
                );
            }
            rest -= len;
        }
        (2, 1.0)
    }

    /// Unit tangent (the direction of travel from the first point to the second) at `u`.
    pub fn tangent(&self, u: f64) -> Pt {
        let n = self.normal(u);
        pt(n.y, -n.x)
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
            Path::Lane(a, x, b) => {
                let legs = lane_legs(a, x, b);
                let (mut leg, _) = self.lane_leg(a, x, b, u);
                // A leg of no length (a lane between two points at one height) has no
                // direction: take the next one's.
                while leg < 2 && dist(legs[leg].0, legs[leg].1) == 0.0 {
                    leg += 1;
                }
                let (p, q) = legs[leg];
                (q.x - p.x, q.y - p.y)
            }
        };
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        pt(-dy / len, dx / len)
    }

    /// Approximate length (the mean of the chord and the control polygon, for a curve).
    pub fn length(&self) -> f64 {
        let d = dist;
        match *self {
            Path::Line(a, b) => d(a, b),
            Path::Cubic(p0, p1, p2, p3) => (d(p0, p3) + d(p0, p1) + d(p1, p2) + d(p2, p3)) / 2.0,
            Path::Lane(a, x, b) => lane_legs(a, x, b).iter().map(|(p, q)| d(*p, *q)).sum(),
        }
    }

    /// SVG path data (coordinates through [`fmt`]: no float formatting in the bundle).
    pub fn d(&self) -> String {
        let p = |q: Pt| format!("{} {}", fmt(q.x), fmt(q.y));
        match *self {
            Path::Line(a, b) => format!("M{}L{}", p(a), p(b)),
            Path::Cubic(a, b, c, d) => format!("M{}C{} {} {}", p(a), p(b), p(c), p(d)),
            Path::Lane(a, x, b) => {
                // Lanes lie right of both ends; the corners are quarter curves.
                let r = LANE_CORNER
                    .min((b.y - a.y).abs() / 2.0)
                    .min((x - a.x).abs())
                    .min((x - b.x).abs());
                let dy = if b.y >= a.y { r } else { -r };
                format!(
                    "M{}H{}Q{} {}V{}Q{} {}H{}",
                    p(a),
                    fmt(x - r),
                    p(pt(x, a.y)),
                    p(pt(x, a.y + dy)),
                    fmt(b.y - dy),
                    p(pt(x, b.y)),
                    p(pt(x - r, b.y)),
                    fmt(b.x),
                )
            }
        }
    }
}

/// The drawn route of a controller or broker-to-broker link (`a < b`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneRoute {
    pub a: NodeId,
    pub b: NodeId,
    pub path: Path,
}

/// Routes the links among the controller and the brokers through lanes right of the boxes.
///
/// `nodes` are the controller and the brokers from top to bottom with their boxes; `links` the
/// pairs to route (indices into `nodes`, smaller first); `right` the x of the boxes' right
/// edge and `bus` the width right of it that lanes may use.
///
/// Each node's links leave its right edge at heights of their own, ordered so that routes
/// nest: first the links to nodes above (nearest first), then those to nodes below (farthest
/// first). Lanes are given shortest link first, each the innermost whose routes it does not
/// meet, so a link that spans another runs outside it.
fn route_lanes(
    nodes: &[(NodeId, Rect)],
    links: &[(usize, usize)],
    right: f64,
    bus: f64,
    compact: bool,
) -> Vec<LaneRoute> {
    // Attachment heights: per node, its links in nesting order.
    let mut attach = vec![(0.0, 0.0); links.len()];
    for (n, (_, r)) in nodes.iter().enumerate() {
        let mut mine: Vec<(usize, usize)> = links
            .iter()
            .enumerate()
            .filter_map(|(k, &(i, j))| match (i == n, j == n) {
                (true, _) => Some((k, j)),
                (_, true) => Some((k, i)),
                _ => None,
            })
            .collect();
        // Above first, nearest first; then below, farthest first.
        ordered::sort_by_key(&mut mine, |&(_, other)| {
            if other < n {
                (0, n - other)
            } else {
                (1, usize::MAX - (other - n))
            }
        });
        let (top, h) = (r.y + 4.0, (r.h - 8.0).max(1.0));
        let step = h / (mine.len() + 1) as f64;
        for (slot, (k, other)) in mine.iter().enumerate() {
            let y = top + step * (slot + 1) as f64;
            if *other > n {
                attach[*k].0 = y;
            } else {
                attach[*k].1 = y;
            }
        }
    }
    // Lanes: shortest span first, each the innermost lane free over the link's heights.
    let mut order: Vec<usize> = (0..links.len()).collect();
    ordered::sort_by_key(&mut order, |&k| (links[k].1 - links[k].0, links[k].0));
    let mut lane_of = vec![0usize; links.len()];
    let mut taken: Vec<Vec<(f64, f64)>> = Vec::new();
    for k in order {
        let (lo, hi) = (attach[k].0, attach[k].1);
        let free = |spans: &Vec<(f64, f64)>| spans.iter().all(|&(a, b)| hi < a || lo > b);
        let lane = taken.iter().position(free).unwrap_or(taken.len());
        if lane == taken.len() {
            taken.push(Vec::new());
        }
        taken[lane].push((lo, hi));
        lane_of[k] = lane;
    }
    let lanes = taken.len().max(1);
    let (first, widest): (f64, f64) = if compact { (10.0, 9.0) } else { (14.0, 12.0) };
    let step = if lanes > 1 {
        widest.min((bus - first - 10.0) / (lanes - 1) as f64)
    } else {
        widest
    };
    links
        .iter()
        .enumerate()
        .map(|(k, &(i, j))| {
            let x = right + first + step * lane_of[k] as f64;
            let (upper, lower) = (
                (nodes[i].0, pt(nodes[i].1.right(), attach[k].0)),
                (nodes[j].0, pt(nodes[j].1.right(), attach[k].1)),
            );
            // Stored in the canonical order of `Layout::link` (the smaller `NodeId` first).
            let ((a, pa), (b, pb)) = if upper.0 <= lower.0 {
                (upper, lower)
            } else {
                (lower, upper)
            };
            LaneRoute {
                a,
                b,
                path: Path::Lane(pa, x, pb),
            }
        })
        .collect()
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
    /// Room for a replica row's partition name.
    pub name_w: f64,
    /// Whether a replica row draws its leader epoch under the name (compact, or a long name),
    /// rather than after it.
    pub epoch_under: bool,
    /// Room for a partition name on the controller's line.
    pub ctrl_name_w: f64,
    pub cell_w: f64,
    pub cell_h: f64,
    pub pitch: f64,
    /// Cells per strip.
    pub cols: usize,
    /// Broker-to-broker pairs that replicate a partition together (their links are drawn).
    pub broker_pairs: Vec<(BrokerId, BrokerId)>,
    /// The routes of the controller's links and of `broker_pairs`' links.
    pub lanes: Vec<LaneRoute>,
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

        // The controller's entries make room for the longest name (`names.rs`): the crown, the
        // leader, the epoch and the ISR follow it at fixed distances.
        let listed = || topo.partitions.iter().filter(|p| !p.internal);
        let ctrl_name_w = listed()
            .map(|p| names::width(&p.label, names::ctrl_advance) + 3.0)
            .fold(CTRL_NAME_MIN, f64::max)
            .min(CTRL_NAME_MAX);
        let ctrl_entry_w = 144.0 + ctrl_name_w;
        let ctrl_per_row = (((bw - 16.0) / ctrl_entry_w).floor() as usize).max(1);
        let ctrl_rows = listed().count().div_ceil(ctrl_per_row).max(1);
        let controller = Rect {
            x: x0,
            y: pad,
            w: bw,
            h: 26.0 + 17.0 * ctrl_rows as f64,
        };

        let header_h = 26.0;
        let row_h = 30.0;
        let (name_w, epoch_under, label_w) = label_column(topo, compact);
        let (cell_w, right_w) = if compact { (22.0, 46.0) } else { (24.0, 98.0) };
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

        // The controller and every broker, top to bottom; the controller talks to every broker.
        let mut nodes = vec![(NodeId::Controller, controller)];
        nodes.extend(brokers.iter().map(|(b, r)| (NodeId::Broker(*b), *r)));
        let index = |b: &BrokerId| 1 + brokers.iter().position(|(x, _)| x == b).unwrap_or(0);
        let mut links: Vec<(usize, usize)> = (1..nodes.len()).map(|i| (0, i)).collect();
        links.extend(broker_pairs.iter().map(|(a, b)| {
            let (i, j) = (index(a), index(b));
            (i.min(j), i.max(j))
        }));
        let lanes = route_lanes(&nodes, &links, x0 + bw, bus, compact);

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
            name_w,
            epoch_under,
            ctrl_name_w,
            cell_w,
            cell_h: 18.0,
            pitch,
            cols,
            broker_pairs,
            lanes,
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
        let head = self.header_h / 2.0;
        match (a, b) {
            (NodeId::Controller, NodeId::Broker(_)) | (NodeId::Broker(_), NodeId::Broker(_)) => {
                self.lanes
                    .iter()
                    .find(|r| r.a == a && r.b == b)
                    .map(|r| r.path)
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
    /// link so that the two directions do not overlap, and its direction of travel (unit vector).
    pub fn message_pose(&self, from: NodeId, to: NodeId, u: f64) -> Option<(Pt, Pt)> {
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
        let t = path.tangent(v);
        let dir = if forward { t } else { pt(-t.x, -t.y) };
        Some((pt(p.x + n.x * side, p.y + n.y * side), dir))
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

/// The replica rows' label column: room for the longest partition name (`names.rs`; internal
/// topics draw a two-line label of their own), then the ISR dot, with the epoch after the name
/// when a short name leaves room for it on the wide picture (`t-0 e1 ●`), under it otherwise.
/// A name longer than the widest column is shortened (`log_strip.rs`). Returns the name's room,
/// whether the epoch goes under it, and the column's width.
fn label_column(topo: &Topology, compact: bool) -> (f64, bool, f64) {
    let longest = topo
        .partitions
        .iter()
        .filter(|p| !p.internal)
        .map(|p| names::width(&p.label, names::part_label_advance))
        .fold(0.0, f64::max);
    // An internal row's own label starts a unit left of the names and ends 4 short of its ISR
    // dot (which lies 17 left of the strip, 4.5 wide each side).
    let internal_px = if compact { 10.5 } else { 11.5 };
    let internal = topo
        .partitions
        .iter()
        .filter(|p| p.internal)
        .map(|p| NAME_X - 1.0 + names::internal_label_width(&p.label, internal_px) + 25.5)
        .fold(0.0, f64::max);
    let epoch_under = compact || longest > NAME_BESIDE_EPOCH;
    if !epoch_under {
        // After the name: 6, the epoch (up to `e100`), the dot and the gap to the strip.
        let name_w = NAME_BESIDE_EPOCH;
        return (
            name_w,
            false,
            (NAME_X + name_w + 6.0 + 28.0 + 17.0).max(internal),
        );
    }
    let most = if compact {
        NAME_ABOVE_EPOCH.2
    } else {
        NAME_ABOVE_EPOCH.1
    };
    let name_w = longest.clamp(NAME_ABOVE_EPOCH.0, most);
    // After the name: 8.5 to the dot's left edge, then the dot and the gap to the strip.
    let label_w = (NAME_X + name_w + 25.5)
        .max(if compact { 90.0 } else { 98.0 })
        .max(internal);
    (name_w, true, label_w)
}

#[cfg(test)]
mod tests {
    use highwater_core::cluster::Cluster;

    use super::*;
    use crate::ui::state::default_config;

    /// A layout of `brokers` brokers whose partitions put every pair of brokers together.
    fn layout(brokers: u32, compact: bool) -> Layout {
        let mut config = default_config();
        config.brokers = brokers;
        config.topics[0].partitions = brokers * 2;
        config.topics[0].replication_factor = 3.min(brokers);
        let c = Cluster::new(config, 1).expect("a valid config");
        Layout::new(&Topology::build(&c), compact)
    }

    fn node_rect(l: &Layout, n: NodeId) -> Rect {
        l.node_rect(n).expect("a drawn node")
    }

    #[test]
    fn a_lane_route_stays_between_its_two_nodes_and_inside_the_bus() {
        for (brokers, compact) in [(3, false), (5, false), (5, true), (2, true)] {
            let l = layout(brokers, compact);
            assert!(!l.lanes.is_empty());
            let right = l.controller.right();
            let bus_end = l.consumers.first().map_or(l.width, |(_, r)| r.x);
            for r in &l.lanes {
                let (ra, rb) = (node_rect(&l, r.a), node_rect(&l, r.b));
                let (top, bottom) = (ra.y.min(rb.y), ra.bottom().max(rb.bottom()));
                for i in 0..=40 {
                    let p = r.path.at(f64::from(i) / 40.0);
                    assert!(
                        p.y >= top && p.y <= bottom,
                        "{}–{} leaves its nodes' heights",
                        r.a,
                        r.b
                    );
                    assert!(
                        p.x >= right - 0.01 && p.x < bus_end - 8.0,
                        "{}–{}",
                        r.a,
                        r.b
                    );
                }
            }
        }
    }

    #[test]
    fn no_two_lane_routes_share_a_stretch() {
        for brokers in [3, 4, 5] {
            let l = layout(brokers, false);
            let legs: Vec<_> = l
                .lanes
                .iter()
                .map(|r| match r.path {
                    Path::Lane(a, x, b) => (r, a, x, b),
                    _ => panic!("controller and broker links run in lanes"),
                })
                .collect();
            for (i, (r1, a1, x1, b1)) in legs.iter().enumerate() {
                for (r2, a2, x2, b2) in &legs[i + 1..] {
                    let names = format!("{}–{} and {}–{}", r1.a, r1.b, r2.a, r2.b);
                    // No shared end: every link leaves a node at its own height.
                    for p in [a1, b1] {
                        assert!(p != a2 && p != b2, "{names} share an end");
                    }
                    // On one lane, their vertical stretches do not overlap.
                    if (x1 - x2).abs() < 0.01 {
                        let (lo1, hi1) = (a1.y.min(b1.y), a1.y.max(b1.y));
                        let (lo2, hi2) = (a2.y.min(b2.y), a2.y.max(b2.y));
                        assert!(hi1 < lo2 || hi2 < lo1, "{names} overlap on one lane");
                    }
                }
            }
            // A link that spans another runs outside it.
            for (r1, a1, x1, b1) in &legs {
                for (r2, a2, x2, b2) in &legs {
                    let spans = a1.y.min(b1.y) < a2.y.min(b2.y) && a1.y.max(b1.y) > a2.y.max(b2.y);
                    if spans {
                        assert!(x1 > x2, "{}–{} runs inside {}–{}", r1.a, r1.b, r2.a, r2.b);
                    }
                }
            }
        }
    }

    #[test]
    fn a_message_heads_from_its_sender_to_its_receiver() {
        let l = layout(3, false);
        let (b1, b3) = (NodeId::Broker(1), NodeId::Broker(3));
        // Down the lane from b1 to b3, up it from b3 to b1.
        let (down_at, down) = l.message_pose(b1, b3, 0.5).expect("b1 and b3 are linked");
        let (up_at, up) = l.message_pose(b3, b1, 0.5).expect("b1 and b3 are linked");
        assert!(down.y > 0.99 && up.y < -0.99, "{down:?} {up:?}");
        // The two directions ride either side of the lane.
        assert!((down_at.x - up_at.x).abs() >= 7.9);
        // Leaving b1: heading right, out of b1's right edge; arriving: heading left into b3.
        let (start, out) = l.message_pose(b1, b3, 0.0).expect("linked");
        let (end, into) = l.message_pose(b1, b3, 1.0).expect("linked");
        assert!(out.x > 0.99 && into.x < -0.99);
        let r1 = node_rect(&l, b1);
        let r3 = node_rect(&l, b3);
        assert!(start.y > r1.y && start.y < r1.bottom() && start.x > r1.right());
        assert!(end.y > r3.y && end.y < r3.bottom() && end.x > r3.right());
        // A producer's messages run straight to the leader, and back.
        let (_, to_broker) = l
            .message_pose(NodeId::Producer(1), b1, 0.5)
            .expect("p1 is linked");
        assert!(to_broker.x > 0.0);
    }

    fn layout_named(names: &[&str], compact: bool) -> Layout {
        let mut config = default_config();
        let template = config.topics[0].clone();
        config.topics = names
            .iter()
            .map(|n| {
                let mut t = template.clone();
                t.name = n.to_string();
                t
            })
            .collect();
        let c = Cluster::new(config, 1).expect("a valid config");
        Layout::new(&Topology::build(&c), compact)
    }

    #[test]
    fn short_names_keep_the_epoch_beside_them_and_the_usual_columns() {
        let l = layout_named(&["t"], false);
        assert!(!l.epoch_under);
        assert_eq!((l.label_w, l.ctrl_entry_w), (98.0, 172.0));
        // Compact pictures always draw the epoch under the name.
        let c = layout_named(&["t"], true);
        assert!(c.epoch_under);
        assert_eq!(c.label_w, 90.0);
    }

    #[test]
    fn a_long_name_widens_the_label_column_and_clears_the_isr_dot() {
        for compact in [false, true] {
            let l = layout_named(&["receipts", "t"], compact);
            assert!(l.epoch_under);
            let name_end = NAME_X + names::width("receipts-0", names::part_label_advance);
            // The ISR dot (radius 4.5) sits 17 units left of the strip.
            assert!(
                name_end + 4.0 <= l.label_w - 17.0 - 4.5,
                "compact {compact}"
            );
            assert!(l.label_w > layout_named(&["t"], compact).label_w);
            // The controller's entries make room for the name before the crown.
            assert!(names::width("receipts-0", names::ctrl_advance) + 3.0 <= l.ctrl_name_w);
        }
    }

    #[test]
    fn the_label_column_stops_growing_and_the_strip_keeps_its_cells() {
        let long = "customer-orders-from-the-web-shop";
        for compact in [false, true] {
            let l = layout_named(&[long], compact);
            let most = if compact {
                NAME_ABOVE_EPOCH.2
            } else {
                NAME_ABOVE_EPOCH.1
            };
            assert_eq!(l.name_w, most);
            assert!(l.cols >= 4);
            assert_eq!(l.ctrl_name_w, CTRL_NAME_MAX);
            let shown = names::fit(
                "customer-orders-from-the-web-shop-0",
                l.name_w,
                names::part_label_advance,
            );
            assert!(shown.ends_with("…-0"));
        }
    }

    #[test]
    fn an_internal_rows_own_label_ends_short_of_its_isr_dot() {
        for compact in [false, true] {
            let mut topo = Topology::build(&Cluster::new(default_config(), 1).expect("valid"));
            let mut txn = topo.partitions[0].clone();
            txn.label = "__transaction_state-0".into();
            txn.internal = true;
            topo.partitions.push(txn);
            let l = Layout::new(&topo, compact);
            let px = if compact { 10.5 } else { 11.5 };
            let end = NAME_X - 1.0 + names::internal_label_width("__transaction_state-0", px);
            assert!(end + 4.0 <= l.label_w - 17.0 - 4.5, "compact {compact}");
        }
    }

    #[test]
    fn internal_partitions_take_no_slot_on_the_controllers_line() {
        let mut config = default_config();
        config.consumers = 1;
        let c = Cluster::new(config, 1).expect("a valid config");
        let topo = Topology::build(&c);
        assert!(topo.partitions.iter().any(|p| p.internal));
        let listed = topo.partitions.iter().filter(|p| !p.internal).count();
        let l = Layout::new(&topo, false);
        let rows = listed.div_ceil(l.ctrl_per_row);
        assert_eq!(l.controller.h, 26.0 + 17.0 * rows as f64);
    }
}
