//! Derived caches kept next to the timeline: the view (rebuilt at a calm rate while playing),
//! the scrubber's markers, the ghosts of lost records, the plot's samples, and the live-region
//! announcement.

use std::rc::Rc;

use highwater_core::cluster::Cluster;
use highwater_core::event::EventKind;
use highwater_core::read_model::Moment;
use highwater_core::types::{BrokerId, NodeId, Offset};
use highwater_core::vec_map::VecMap;

use super::model::{AppState, Callout, Ghost, Marker, MarkerKind, SamplePoint, Samples};
use crate::ui::view::{BuildOptions, Cell, EventRow, View};

/// While playing, the panels (event log, ledger, invariants, plot) refresh at most this often.
pub(super) const PANEL_REFRESH_MS: f64 = 400.0;
/// While playing with many events per frame, the brokers redraw at most this often.
pub(super) const PICTURE_REFRESH_MS: f64 = 200.0;
/// Up to this many events since the last redraw, the brokers redraw at once.
pub(super) const CALM_STEPS: u32 = 6;
/// Screen-reader announcements while playing, at most this often.
pub(super) const ANNOUNCE_EVERY_MS: f64 = 2_000.0;
/// How long a truncated record's ghost stays (its CSS animation is shorter).
pub(super) const GHOST_MS: f64 = 1_500.0;
/// How long a big moment's call-out stays in the picture, real ms (its CSS animation fades it
/// out by then; `www/style.css`, `.callout`).
pub const CALLOUT_MS: f64 = 2_400.0;
/// At most this many call-outs at once (a busy stretch shows its latest moments).
const MAX_CALLOUTS: usize = 4;
pub(super) const MAX_SAMPLES: usize = 6_000;

pub(super) fn marker_of(e: &highwater_core::event::Event) -> Option<Marker> {
    let kind = match e.kind {
        EventKind::Crash => MarkerKind::Crash,
        EventKind::Restart => MarkerKind::Restart,
        EventKind::Election => MarkerKind::Election,
        EventKind::Isr if e.node == Some(NodeId::Controller) => MarkerKind::Isr,
        EventKind::Truncate => MarkerKind::Truncate,
        EventKind::Lost => MarkerKind::Lost,
        EventKind::Invariant => MarkerKind::Invariant,
        _ => return None,
    };
    let who = e.node.map(|n| format!("{n}: ")).unwrap_or_default();
    Some(Marker {
        step: e.step,
        time: e.time,
        kind,
        label: format!("{who}{}", e.text),
    })
}

/// The big moments of the events after step `from` up to step `to` (the core types them on
/// their events: elections, ISR changes, truncations, lost records, fencing), the latest
/// [`MAX_CALLOUTS`] of them.
pub(super) fn moments_between(
    events: &[highwater_core::event::Event],
    from: u64,
    to: u64,
) -> Vec<(u64, Moment)> {
    if to <= from {
        return Vec::new();
    }
    let lo = events.partition_point(|e| e.step <= from);
    let hi = events.partition_point(|e| e.step <= to);
    let mut found: Vec<(u64, Moment)> = events[lo..hi]
        .iter()
        .rev()
        .filter_map(|e| e.moment.as_deref().map(|m| (e.step, m.clone())))
        .take(MAX_CALLOUTS)
        .collect();
    found.reverse();
    found
}

pub(super) fn ghost(key: u64, part: usize, c: &Cell, now: u64) -> Ghost {
    Ghost {
        key,
        part,
        offset: c.offset,
        epoch: c.epoch,
        label: c.label.clone(),
        lost: c.lost,
        born_ms: now,
    }
}

/// Appends a plot sample of every replica's HW and LEO (only when something changed or
/// a quarter second of virtual time passed).
pub(crate) fn sample(s: &mut Samples, c: &Cluster) {
    let step = c.step_count();
    if s.keys.is_empty() {
        for b in c.broker_ids() {
            for (i, tp) in c.partitions().enumerate() {
                if c.replica_offsets(b, tp).is_some() {
                    s.keys.push((b, i));
                }
            }
        }
    }
    if let Some(last) = s.points.last() {
        if last.step >= step {
            return; // time travel: the samples up to here exist already
        }
    }
    let tps: Vec<_> = c.partitions().collect();
    let vals: Vec<(Offset, Offset)> = s
        .keys
        .iter()
        .map(|(b, i)| {
            c.replica_offsets(*b, tps[*i])
                .map_or((0, 0), |r| (r.hw, r.leo))
        })
        .collect();
    if let Some(last) = s.points.last() {
        if last.vals == vals && c.now() < last.time + 250 {
            return;
        }
    }
    s.points.push(SamplePoint {
        step,
        time: c.now(),
        vals,
    });
    if s.points.len() > MAX_SAMPLES {
        s.points.drain(..MAX_SAMPLES / 4);
    }
}

impl AppState {
    /// Rebuilds the view after the timeline moved. `forward`: the move was forward in time (so
    /// vanished records are truncations, not time travel). `panels`: the side panels too.
    pub(crate) fn refresh(&mut self, forward: bool, panels: bool) {
        self.refresh_with(forward, true, panels);
    }

    /// Like [`AppState::refresh`]; `picture` false keeps the brokers, controller and producers
    /// of the previous view (only the messages move).
    pub(super) fn refresh_with(&mut self, forward: bool, picture: bool, panels: bool) {
        if picture {
            self.last_picture = self.playhead.real_ms();
            self.playhead.clear_unshown();
        }
        let view = self.build_view(picture, panels, !self.playing);
        self.playhead.set_live(None);
        let tl = self.tl.borrow();
        let moments: Vec<(u64, Moment)> = if forward {
            moments_between(tl.events(), self.view.step, view.step)
        } else {
            Vec::new()
        };
        drop(tl);
        if forward {
            self.find_ghosts(&view);
        } else if !self.ghosts.is_empty() {
            self.ghosts = Rc::new(VecMap::new());
        }
        self.call_out(view.step < self.view.step, moments);
        self.view = Rc::new(view);
        self.playhead.set_vt(self.vt().max(self.view.time as f64));
        self.scan_markers();
        {
            let tl = self.tl.borrow();
            sample(&mut self.samples.borrow_mut(), tl.current());
        }
        if panels {
            self.last_panels = self.playhead.real_ms();
            self.announce();
            if self.panels_in_view || !self.playing {
                self.show_panels();
            }
        }
    }

    /// The panels below the picture catch up with the view.
    pub(super) fn show_panels(&mut self) {
        if !Rc::ptr_eq(&self.panels_view, &self.view) {
            self.panels_view = self.view.clone();
            self.samples_version += 1;
        }
        self.feed_diagram();
    }

    /// The view of the timeline's current state, reusing the newest view built (the frames'
    /// since the last refresh, if any: see [`AppState::refresh_live`]).
    fn build_view(&self, picture: bool, panels: bool, hash: bool) -> View {
        let prev = self.playhead.live().unwrap_or_else(|| self.view.clone());
        let tl = self.tl.borrow();
        View::build(
            tl.current(),
            tl.events(),
            tl.end_step(),
            tl.at_end(),
            Some(&prev),
            BuildOptions {
                picture,
                panels,
                hash,
                enabled: self.manual,
            },
        )
    }

    /// A frame that moved only the messages in flight: their new view goes to the playhead
    /// ([`Playhead::live`](super::model::Playhead::live)), the state's view stays. The moments,
    /// markers and ghosts of these steps come with the next refresh, which starts from the
    /// state's view.
    pub(super) fn refresh_live(&self) {
        let view = self.build_view(false, false, false);
        sample(&mut self.samples.borrow_mut(), self.tl.borrow().current());
        self.playhead.set_vt(self.vt().max(view.time as f64));
        self.playhead.set_live(Some(Rc::new(view)));
    }

    pub(super) fn find_ghosts(&mut self, new: &View) {
        let now = self.playhead.real_ms() as u64;
        let mut map: VecMap<BrokerId, Rc<Vec<Ghost>>> = VecMap::new();
        for (b, gs) in self.ghosts.iter() {
            let alive: Vec<Ghost> = gs
                .iter()
                .filter(|g| now.saturating_sub(g.born_ms) < GHOST_MS as u64)
                .cloned()
                .collect();
            if alive.len() == gs.len() {
                map.insert(*b, gs.clone());
            } else if !alive.is_empty() {
                map.insert(*b, Rc::new(alive));
            }
        }
        for nb in &new.brokers {
            let Some(ob) = self.view.broker(nb.id) else {
                continue;
            };
            if Rc::ptr_eq(ob, nb) {
                continue;
            }
            let mut fresh = Vec::new();
            for or in &ob.replicas {
                let Some(nr) = nb.replicas.iter().find(|r| r.part == or.part) else {
                    continue;
                };
                for c in &or.cells {
                    let gone = match nr.cells.iter().find(|x| x.offset == c.offset) {
                        Some(x) => x.id != c.id,
                        None => c.offset >= nr.leo,
                    };
                    if gone {
                        self.ghost_seq += 1;
                        fresh.push(ghost(self.ghost_seq, or.part, c, now));
                    }
                }
            }
            if !fresh.is_empty() {
                let mut v: Vec<Ghost> = map
                    .get(&nb.id)
                    .map(|g| g.as_ref().clone())
                    .unwrap_or_default();
                v.extend(fresh);
                map.insert(nb.id, Rc::new(v));
            }
        }
        if map != *self.ghosts {
            self.ghosts = Rc::new(map);
        }
    }

    /// Adds call-outs for the moments just played; going back in time clears them (they
    /// announce what happens, not what was undone).
    fn call_out(&mut self, back: bool, moments: Vec<(u64, Moment)>) {
        if back {
            if !self.callouts.is_empty() {
                self.callouts = Rc::new(Vec::new());
            }
            return;
        }
        self.expire_callouts();
        if moments.is_empty() {
            return;
        }
        let now = self.playhead.real_ms() as u64;
        self.ghost_seq += 1;
        let batch = self.ghost_seq;
        let v = Rc::make_mut(&mut self.callouts);
        for (step, moment) in moments {
            self.ghost_seq += 1;
            v.push(Callout {
                key: self.ghost_seq,
                batch,
                step,
                moment,
                born_ms: now,
            });
        }
        let extra = v.len().saturating_sub(MAX_CALLOUTS);
        v.drain(..extra);
    }

    /// Drops the call-outs older than [`CALLOUT_MS`].
    pub(super) fn expire_callouts(&mut self) {
        let now = self.playhead.real_ms() as u64;
        let old = |c: &Callout| now.saturating_sub(c.born_ms) >= CALLOUT_MS as u64;
        if self.callouts.iter().any(old) {
            Rc::make_mut(&mut self.callouts).retain(|c| !old(c));
        }
    }

    pub(super) fn expire_ghosts(&mut self) {
        let now = self.playhead.real_ms() as u64;
        let stale = self.ghosts.values().any(|gs| {
            gs.iter()
                .any(|g| now.saturating_sub(g.born_ms) >= GHOST_MS as u64)
        });
        if stale {
            let map: VecMap<BrokerId, Rc<Vec<Ghost>>> = self
                .ghosts
                .iter()
                .filter_map(|(b, gs)| {
                    let alive: Vec<Ghost> = gs
                        .iter()
                        .filter(|g| now.saturating_sub(g.born_ms) < GHOST_MS as u64)
                        .cloned()
                        .collect();
                    (!alive.is_empty()).then(|| (*b, Rc::new(alive)))
                })
                .collect();
            self.ghosts = Rc::new(map);
        }
    }

    /// Adds markers for events not scanned yet; drops markers beyond a fork.
    pub(super) fn scan_markers(&mut self) {
        let tl = self.tl.borrow();
        let end = tl.end_step();
        if self.markers.last().is_some_and(|m| m.step > end) {
            let kept: Vec<Marker> = self
                .markers
                .iter()
                .filter(|m| m.step <= end)
                .cloned()
                .collect();
            self.markers = Rc::new(kept);
            self.marker_scan = self.marker_scan.min(end);
        }
        let events = tl.events();
        let from = events.partition_point(|e| e.step <= self.marker_scan);
        let new: Vec<Marker> = events[from..].iter().filter_map(marker_of).collect();
        if let Some(last) = events.last() {
            self.marker_scan = self.marker_scan.max(last.step);
        }
        if !new.is_empty() {
            Rc::make_mut(&mut self.markers).extend(new);
        }
    }

    /// After a fork: forget samples of the discarded future.
    pub(super) fn prune_future(&mut self) {
        let end = self.tl.borrow().end_step();
        self.samples.borrow_mut().points.retain(|p| p.step <= end);
        self.scan_markers();
    }

    pub(super) fn announce(&mut self) {
        if self.playing && self.playhead.real_ms() - self.last_announce < ANNOUNCE_EVERY_MS {
            return;
        }
        let step = self.view.step;
        let notable: Option<&EventRow> = self
            .view
            .events
            .iter()
            .rev()
            // Big moments are announced by their call-outs (`picture/callouts.rs`).
            .find(|e| {
                e.is_notable()
                    && e.moment.is_none()
                    && e.step > self.announced_step
                    && e.step <= step
            });
        if let Some(e) = notable {
            let who = e.who();
            let text = if who.is_empty() {
                e.text.clone()
            } else {
                format!("{who}: {}", e.text)
            };
            self.announcement = text.into();
            self.announced_step = e.step;
            self.last_announce = self.playhead.real_ms();
        }
        if step < self.announced_step {
            self.announced_step = step;
        }
    }
}
