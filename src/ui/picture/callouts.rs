//! Big moments called out over the picture for a moment, and the countdowns of timeouts the
//! user caused (issue 16 item 5).
//!
//! A call-out (an election, an ISR change, a truncation, a lost record, a fencing — the core's
//! typed [`Moment`](highwater_core::read_model::Moment)) is a label over the edge of the box it
//! is about, which fades out by itself (CSS, `.callout`; the state drops it after
//! [`CALLOUT_MS`](crate::ui::state::derived::CALLOUT_MS)); the newest call-outs also go to a
//! polite live region. A countdown stays while its wait lasts: a lagging follower's on its
//! broker's lower edge, a waiting producer's above its card. Both are HTML over the SVG, placed
//! in percent of the picture, so their text keeps its CSS size at every width.

use std::rc::Rc;

use highwater_core::read_model::MomentKind;
use highwater_core::types::{BrokerId, Millis};
use yew::prelude::*;

use super::layout::{Layout, Rect};
use crate::ui::countdown_view::{seconds_left, Countdowns};
use crate::ui::state::Callout;
use crate::ui::view::Topology;

#[derive(Properties, PartialEq)]
pub struct CalloutsProps {
    pub callouts: Rc<Vec<Callout>>,
    pub countdowns: Rc<Countdowns>,
    pub topology: Rc<Topology>,
    pub layout: Rc<Layout>,
    /// The view's virtual time, which the countdowns count from.
    pub now: Millis,
}

fn kind_class(k: MomentKind) -> &'static str {
    match k {
        MomentKind::Loss
        | MomentKind::Fencing
        | MomentKind::UncleanElection
        | MomentKind::NoLeader => "bad",
        MomentKind::IsrShrink | MomentKind::Truncation => "warn",
        MomentKind::Election | MomentKind::IsrExpand => "good",
    }
}

/// `left`/`right` and `top` in percent of the picture for a label whose right end is at `x`
/// and whose top is at `y` (picture units).
fn place(l: &Layout, x: f64, y: f64) -> String {
    format!(
        "right: {:.3}%; top: {:.3}%",
        (l.width - x) / l.width * 100.0,
        y / l.height * 100.0
    )
}

/// Like [`place`] for a label whose left end is at `x`.
fn place_left(l: &Layout, x: f64, y: f64) -> String {
    format!(
        "left: {:.3}%; top: {:.3}%",
        x / l.width * 100.0,
        y / l.height * 100.0
    )
}

fn anchor(l: &Layout, broker: Option<BrokerId>) -> Rect {
    broker
        .and_then(|b| l.broker(b).map(|(_, r)| r))
        .unwrap_or(l.controller)
}

#[function_component(Callouts)]
pub fn callouts(props: &CalloutsProps) -> Html {
    let l = &*props.layout;
    // At most two labels per box, the newest; the second one under the first (the live region
    // reads every new one).
    let mut shown: Vec<(&Callout, usize)> = Vec::new();
    for c in props.callouts.iter().rev() {
        let k = shown
            .iter()
            .filter(|(s, _)| s.moment.broker == c.moment.broker)
            .count();
        if k < 2 {
            shown.push((c, k));
        }
    }
    let labels = shown.into_iter().rev().map(|(c, k)| {
        let r = anchor(l, c.moment.broker);
        html! {
            <div key={c.key} class={classes!("callout", kind_class(c.moment.kind))}
                 data-moment={c.moment.kind.as_str()} data-step={c.step.to_string()}
                 style={place(l, r.right() - 8.0, r.y - 12.0 + 20.0 * k as f64)}>
                { c.moment.text.clone() }
            </div>
        }
    });
    let newest = props.callouts.last().map(|c| c.batch);
    let spoken: Vec<&str> = props
        .callouts
        .iter()
        .filter(|c| Some(c.batch) == newest)
        .map(|c| c.moment.text.as_str())
        .collect();
    let cd = &*props.countdowns;
    let mut lag_seen: Vec<BrokerId> = Vec::new();
    let lags = cd.lagging.iter().filter_map(|w| {
        // One countdown per follower: its earliest.
        if lag_seen.contains(&w.follower) {
            return None;
        }
        lag_seen.push(w.follower);
        let (_, r) = l.broker(w.follower)?;
        let label = props.topology.partitions.get(w.part).map_or("?", |p| p.label.as_str());
        Some(html! {
            <div key={format!("lag-{}", w.follower)} class="countdown lag"
                 data-follower={w.follower.to_string()} data-partition={label.to_string()}
                 title="A follower that has not caught up with its leader for replica.lag.time.max.ms leaves the ISR at the leader's next check (every half of it)."
                 style={place(l, r.right() - 8.0, r.bottom() - 7.0)}>
                { format!("b{} lagging on {label} · out of ISR in {}", w.follower, seconds_left(w.at, props.now)) }
            </div>
        })
    });
    let waits = cd.waits.iter().filter_map(|w| {
        let r = l.producer(w.producer)?;
        let verb = if w.fails { "fails" } else { "times out" };
        Some(html! {
            <div key={format!("wait-{}", w.producer)} class="countdown wait"
                 data-producer={w.producer.to_string()}
                 title="A request with no answer within request.timeout.ms is given up: the record is retried, or fails once delivery.timeout.ms has passed."
                 style={format!("{}; max-width: {:.3}%", place_left(l, r.x, r.y - 37.0), r.w / l.width * 100.0)}>
                // Two lines no wider than the card, so that it never covers the brokers beside it.
                { format!("p{} waiting · {verb} in {}", w.producer, seconds_left(w.times_out_at, props.now)) }
            </div>
        })
    });
    html! {
        <div class="callouts">
            { for labels }
            { for lags }
            { for waits }
            <p class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-callouts="">
                { spoken.join(". ") }
            </p>
        </div>
    }
}
