//! The space-time diagram of a run, the one drawing code of the page's panel and of every export
//! (`highwater export --svg`, `Simulation.toSVG()`, the page's download): [`layout`] places
//! lanes, arrows and marks as plain numbers after the [`filter`]s, [`svg`] writes them as SVG
//! markup. Pure functions of the event log; [`standalone_svg`] wraps one as a file.

#![allow(missing_docs)] // moved from the page as it was: fields named after what they hold

pub mod filter;
pub mod layout;
pub mod svg;

use crate::cluster::Cluster;
use crate::event::Event;
use layout::{is_drawn, lane_order, Feed, InFlight, Options};

/// At most this many of the latest drawn events feed a standalone drawing (the page's panel
/// keeps as many).
const KEEP: usize = 1_500;

/// The colours of the page's light theme, for a drawing without the page's style sheet.
const STYLE: &str = "text{font:11px system-ui,sans-serif}\
.st-grid line{stroke:#d3d9e2}.st-grid text{fill:#5b6678}\
.st-lane-line{stroke:#b9c2cf;stroke-width:2}.st-lane.collapsed .st-lane-line{stroke-dasharray:2 4}\
.st-lane-name{fill:#1c2330;font-weight:600}\
.st-now{stroke:#1f6feb;stroke-width:1.5;stroke-dasharray:6 3}.st-now-label{fill:#1f6feb}\
.st-arrow line{stroke:var(--st-c);stroke-width:1.6}\
.st-arrow .st-tip{fill:var(--st-c);stroke:var(--st-c);stroke-width:1.2}\
.st-arrow.dropped .st-tip{fill:none;stroke:#cf222e;stroke-width:2}\
.st-arrow.flying line{stroke-dasharray:4 3}\
.st-hit{stroke:transparent;fill:transparent}\
.st-label,.st-mark text{fill:#1c2330;paint-order:stroke;stroke:#fff;stroke-width:3px}\
.w-produce{--st-c:#1f6feb}.w-fetch{--st-c:#7c4fd6}.w-cfetch{--st-c:#b8327f}\
.w-group{--st-c:#1a7f37}.w-control{--st-c:#a86a00}.w-hb{--st-c:#8893a4}.w-conn{--st-c:#cf222e}";

/// The diagram of `cluster` at its current step, drawn from `events` (its event log up to now)
/// with the panel's default options, as a standalone SVG document with its own styles.
pub fn standalone_svg(events: &[Event], cluster: &Cluster) -> String {
    let mut drawn: Vec<&Event> = events.iter().filter(|e| is_drawn(e)).collect();
    drawn.drain(..drawn.len().saturating_sub(KEEP));
    let feed = Feed {
        step: cluster.step_count(),
        time: cluster.now(),
        events: drawn.into_iter().cloned().collect(),
        in_flight: cluster
            .messages()
            .map(|m| {
                let m = m.snapshot();
                InFlight {
                    id: m.id,
                    kind: m.kind,
                    from: m.from,
                    to: m.to,
                    sent_at: m.sent_at,
                    deliver_at: m.deliver_at,
                    summary: m.summary,
                }
            })
            .collect(),
    };
    let producers: Vec<u32> = (1..=cluster.producers().len() as u32).collect();
    let brokers: Vec<u32> = cluster.brokers().map(|(b, _)| *b).collect();
    let consumers: Vec<u32> = (1..=cluster.consumers().len() as u32).collect();
    let order = lane_order(&producers, &brokers, &consumers);
    let coordinator = cluster.group_coordinator().map(|(b, _)| b);
    let d = layout::layout(&feed, &order, coordinator, &Options::default());
    let (w, h) = (d.width.ceil(), d.height.ceil());
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"st-svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Space-time diagram at step {}, t = {} ms\">\
         <style>{STYLE}</style><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>{}</svg>\n",
        feed.step,
        feed.time,
        svg::markup(&d, feed.step)
    )
}
