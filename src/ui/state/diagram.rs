//! The space-time diagram's feed ([`Feed`]): the drawn events of the longest window and the
//! messages in flight, copied from the timeline only while the diagram is open, at the panels'
//! refresh rate.

use std::rc::Rc;

use super::model::AppState;
use highwater_core::spacetime::layout::{is_drawn, Feed, InFlight, SPANS};

/// At most this many of the latest events are scanned, and this many drawn ones kept, per feed.
const SCAN: usize = 10_000;
const KEEP: usize = 1_500;
/// While playing, the diagram is redrawn at most this often (real ms): slower than the other
/// panels, as a redraw replaces a few hundred elements.
const REFRESH_MS: f64 = 1_000.0;

impl AppState {
    /// Opens (with a fresh feed) or closes the diagram.
    pub(super) fn show_diagram(&mut self, open: bool) {
        self.diagram = open.then(|| Rc::new(Feed::default()));
        self.feed_diagram();
    }

    /// Rebuilds the feed from the timeline and the view, if the diagram is open.
    pub(super) fn feed_diagram(&mut self) {
        let Some(old) = &self.diagram else {
            return;
        };
        let tl = self.tl.borrow();
        let (step, time) = (tl.step(), tl.current().now());
        // Events and messages change only with a step.
        if old.step == step && old.time == time && !old.events.is_empty() {
            return;
        }
        let now = self.playhead.real_ms();
        if self.playing && now - self.diagram_ms < REFRESH_MS {
            return;
        }
        self.diagram_ms = now;
        let all = tl.events();
        let since = time.saturating_sub(SPANS[SPANS.len() - 1]);
        let first = all
            .partition_point(|e| e.time < since)
            .max(all.len().saturating_sub(SCAN));
        let mut events: Vec<_> = all[first..].iter().filter(|e| is_drawn(e)).collect();
        events.drain(..events.len().saturating_sub(KEEP));
        let feed = Feed {
            step,
            time,
            events: events.into_iter().cloned().collect(),
            in_flight: self
                .view
                .messages
                .iter()
                .map(|m| InFlight {
                    id: m.id,
                    kind: m.kind,
                    from: m.from,
                    to: m.to,
                    sent_at: m.sent_at,
                    deliver_at: m.deliver_at,
                    summary: m.summary.clone(),
                })
                .collect(),
        };
        drop(tl);
        self.diagram = Some(Rc::new(feed));
    }
}
