//! The playback clock: virtual time advancing with real time, the steps it fires, the frame
//! budget, and stopping.

use std::rc::Rc;

use highwater_core::cluster::Cluster;

use super::derived::{CALM_STEPS, PANEL_REFRESH_MS, PICTURE_REFRESH_MS};
use super::model::{AppState, Selection, IDLE_FACTOR, SPEEDS};

/// A frame longer than this (a background tab) counts as this long.
pub(super) const MAX_FRAME_DT: f64 = 100.0;
pub(super) const MAX_STEPS_PER_FRAME: u32 = 20_000;
/// Real milliseconds a frame may spend simulating before the display falls behind.
pub(super) const FRAME_BUDGET_MS: f64 = 8.0;
/// While a frame fires more than `CALM_STEPS` events, the page redraws at most this often (30
/// frames a second): the messages move half as often and the browser stays responsive.
pub(super) const BUSY_FRAME_MS: f64 = 1000.0 / 30.0;
/// While playing, the URL and the saved session are rewritten at most this often.
pub(super) const PERSIST_EVERY_MS: f64 = 2_000.0;

/// Real time in ms, for the per-frame budget (0 outside the browser: no budget in native tests).
pub(super) fn clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

pub(super) fn busy(c: &Cluster) -> bool {
    c.messages().any(|m| !m.kind().is_heartbeat())
}

impl AppState {
    /// Display time, virtual ms (the playhead's).
    pub fn vt(&self) -> f64 {
        self.playhead.vt()
    }

    pub fn speed_value(&self) -> f64 {
        SPEEDS[self.speed]
    }

    /// Advances the playhead by `dt` real ms, firing the steps it passes. Whether anything but
    /// the playhead changed (a step, the redraw rate, the ghosts, the saved session).
    pub(super) fn tick(&mut self, dt: f64) -> bool {
        let dt = dt.clamp(0.0, MAX_FRAME_DT);
        let (frame_ms, ghosts, persist) = (self.frame_ms, Rc::as_ptr(&self.ghosts), self.persist);
        let callouts = Rc::as_ptr(&self.callouts);
        self.playhead.advance_real(dt);
        // A tutorial step played after Next runs at its own rate and stops at the step's end.
        let (speed, end_step, end_time) = match &self.hop {
            Some(h) => (h.rate, h.end_step, h.end_time),
            None => (SPEEDS[self.speed], u64::MAX, f64::INFINITY),
        };
        let mut steps = 0u32;
        {
            let mut tl = self.tl.borrow_mut();
            let base = self.vt().max(tl.current().now() as f64);
            // A tutorial step's rate already fits its length to the wall time: no skipping.
            let mut idle = self.skip_idle && self.hop.is_none() && !busy(tl.current());
            let mut target =
                (base + dt * speed * if idle { IDLE_FACTOR } else { 1.0 }).min(end_time);
            let t0 = clock_ms();
            loop {
                if tl.step() >= end_step {
                    break;
                }
                let due = match tl.current().next_event_time() {
                    Some(t) => (t as f64) <= target,
                    // Recorded commands may remain with nothing scheduled.
                    None => !tl.at_end(),
                };
                if !due || !tl.step_forward() {
                    break;
                }
                steps += 1;
                if idle && busy(tl.current()) {
                    // A request or response went on the wire: stop fast-forwarding here.
                    target = target.min(tl.current().now() as f64).max(base);
                    idle = false;
                }
                if steps >= MAX_STEPS_PER_FRAME
                    || (steps.is_multiple_of(32) && clock_ms() - t0 > FRAME_BUDGET_MS)
                {
                    // Too much to simulate in one frame: fall behind instead of freezing.
                    target = tl.current().now() as f64;
                    break;
                }
            }
            self.playhead.set_vt(target.max(tl.current().now() as f64));
        }
        self.frame_ms = if steps > CALM_STEPS {
            BUSY_FRAME_MS
        } else {
            0.0
        };
        let mut refreshed = false;
        if steps > 0 {
            // Busy runs change every strip on every frame: then the brokers redraw at most every
            // PICTURE_REFRESH_MS while the messages keep moving on every redraw (see frame_ms).
            let unshown = self.playhead.add_unshown(steps);
            let picture = unshown <= CALM_STEPS
                || self.playhead.real_ms() - self.last_picture >= PICTURE_REFRESH_MS;
            // The panels wait for a frame that redraws the brokers anyway: one costly frame
            // (style, layout, paint of the page) instead of two.
            let panels = picture && self.playhead.real_ms() - self.last_panels >= PANEL_REFRESH_MS;
            // Between two pictures only the messages and the clock move: their view goes to the
            // playhead and the state stays, so the page does not re-render. A tutorial step
            // playing and a selected message (its "arrives in") still need the page.
            let live_only =
                !picture && self.hop.is_none() && !matches!(self.selection, Selection::Message(_));
            if live_only {
                self.refresh_live();
            } else {
                self.refresh_with(true, picture, panels);
                refreshed = true;
            }
        }
        self.expire_ghosts();
        self.expire_callouts();
        if self.playhead.real_ms() - self.last_persist >= PERSIST_EVERY_MS {
            self.bump_persist();
        }
        refreshed
            || self.frame_ms != frame_ms
            || !std::ptr::eq(Rc::as_ptr(&self.ghosts), ghosts)
            || !std::ptr::eq(Rc::as_ptr(&self.callouts), callouts)
            || self.persist != persist
    }

    /// Stops playing: the view gets its state hash and full panels, the URL catches up.
    pub(crate) fn stop(&mut self) {
        if self.playing {
            self.playing = false;
            self.refresh(false, true);
            self.bump_persist();
        }
    }
}
