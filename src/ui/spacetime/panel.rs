//! The space-time diagram panel: the [`layout`](super::layout) drawn as SVG, closed by default.
//! The current step is a line across; a click (or Enter) on an arrow or a mark seeks there; a
//! lane's name collapses it; hovering or focusing an item shows its fields below the drawing.
//! One handler on the drawing serves every item (no closure per arrow).

use std::rc::Rc;

use highwater_core::types::{BrokerId, Millis, NodeId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::layout::{self, Arrow, Diagram, End, Feed, Mark, Options, WireGroup, SPANS};
use crate::ui::state::{Dispatch, Msg};
use crate::ui::topology::Topology;

#[derive(Properties, PartialEq)]
pub struct SpaceTimeProps {
    /// `None`: the panel is closed.
    pub feed: Option<Rc<Feed>>,
    pub topology: Rc<Topology>,
    pub coordinator: Option<BrokerId>,
    pub dispatch: Dispatch,
}

/// Arrows get a label when there are at most this many.
const LABELS_UP_TO: usize = 60;

#[function_component(SpaceTimePanel)]
pub fn space_time_panel(props: &SpaceTimeProps) -> Html {
    let opts = use_state(Options::default);
    let detail = use_state(String::new);
    let open = props.feed.is_some();
    let toggle = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::ShowDiagram(!open)))
    };
    let body = props.feed.as_ref().map(|feed| {
        let t = &props.topology;
        let order = layout::lane_order(&t.producers, &t.brokers, &t.consumers);
        let d = layout::layout(feed, &order, props.coordinator, &opts);
        html! {
            <div class="panel-body st-body">
                { controls(&opts) }
                <div class="st-scroll">
                    { drawing(&d, feed.step, &opts, &detail, &props.dispatch) }
                </div>
                <p class="st-detail" aria-live="polite">
                    if detail.is_empty() {
                        { hint(&d) }
                    } else {
                        { (*detail).clone() }
                    }
                </p>
            </div>
        }
    });
    html! {
        <section class="panel spacetime" aria-labelledby="spacetime-title">
            <div class="panel-head">
                <h2 id="spacetime-title">{ "Space-time diagram" }</h2>
                <button type="button" class="st-toggle" aria-expanded={open.to_string()}
                        aria-controls="spacetime-body" onclick={toggle}>
                    { if open { "Hide" } else { "Show" } }
                </button>
            </div>
            <div id="spacetime-body">{ for body }</div>
        </section>
    }
}

fn hint(d: &Diagram) -> String {
    let mut s = format!(
        "{} messages, {} marks from {} to {} ms. Click or press Enter on one to go to that step; click a lane's name to collapse it.",
        d.arrows.len(),
        d.marks.len(),
        d.window.start,
        d.window.end
    );
    if d.omitted > 0 {
        s.push_str(&format!(" {} older messages are left out.", d.omitted));
    }
    s
}

/// The window's length, the message groups and the HW marks.
fn controls(opts: &UseStateHandle<Options>) -> Html {
    let span = {
        let o = opts.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| s.value().parse::<Millis>().ok());
            if let Some(v) = v {
                o.set(Options {
                    span: v,
                    ..(*o).clone()
                });
            }
        })
    };
    let groups = WireGroup::ALL.iter().map(|&g| {
        let o = opts.clone();
        let on = opts.shown.contains(g);
        html! {
            <label class={classes!("check", "st-filter", g.class())}>
                <input type="checkbox" checked={on} data-group={g.label()} onchange={Callback::from(move |_: Event| {
                    o.set(Options { shown: o.shown.toggled(g), ..(*o).clone() })
                })} />
                { g.label() }
            </label>
        }
    });
    let hw = {
        let o = opts.clone();
        Callback::from(move |_: Event| {
            o.set(Options {
                hw_marks: !o.hw_marks,
                ..(*o).clone()
            })
        })
    };
    html! {
        <div class="st-controls">
            <label class="st-span">{ "window " }
                <select onchange={span} aria-label="Time window">
                    { for SPANS.iter().map(|&s| html! {
                        <option value={s.to_string()} selected={s == opts.span}>{ format!("{s} ms") }</option>
                    }) }
                </select>
            </label>
            <fieldset class="st-groups">
                <legend class="sr-only">{ "Messages shown" }</legend>
                { for groups }
                <label class="check st-filter">
                    <input type="checkbox" checked={opts.hw_marks} onchange={hw} />{ "HW moves" }
                </label>
            </fieldset>
        </div>
    }
}

/// The SVG: grid and times, lanes, arrows, marks, the current step.
fn drawing(
    d: &Diagram,
    step: u64,
    opts: &UseStateHandle<Options>,
    detail: &UseStateHandle<String>,
    dispatch: &Dispatch,
) -> Html {
    let item = |ev: &web_sys::Event| {
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-seek],[data-lane]").ok().flatten())
    };
    let act = {
        let nodes: Vec<NodeId> = d.lanes.iter().map(|l| l.node).collect();
        let (dispatch, o) = (dispatch.clone(), opts.clone());
        move |el: web_sys::Element| {
            if let Some(step) = el.get_attribute("data-seek").and_then(|s| s.parse().ok()) {
                dispatch.dispatch(Msg::Seek(step));
            } else if let Some(&node) = el
                .get_attribute("data-lane")
                .and_then(|s| s.parse::<usize>().ok())
                .and_then(|i| nodes.get(i))
            {
                o.set(toggle_lane(&o, node));
            }
        }
    };
    let onclick = {
        let act = act.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(el) = item(&e) {
                act(el);
            }
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            if let Some(el) = item(&e) {
                e.prevent_default();
                act(el);
            }
        }
    });
    let show = {
        let detail = detail.clone();
        move |e: &web_sys::Event| {
            let text = item(e)
                .and_then(|el| el.get_attribute("aria-label"))
                .unwrap_or_default();
            if *detail != text {
                detail.set(text);
            }
        }
    };
    let onmouseover = {
        let show = show.clone();
        Callback::from(move |e: MouseEvent| show(&e))
    };
    let onfocusin = Callback::from(move |e: FocusEvent| show(&e));

    let bottom = layout::HEAD + layout::BODY;
    let ticks = ticks(d);
    let labels = d.arrows.len() <= LABELS_UP_TO;
    html! {
        <svg class="st-svg" width={fmt(d.width)} height={fmt(d.height)}
             viewBox={format!("0 0 {} {}", fmt(d.width), fmt(d.height))}
             role="group" aria-label={format!("Space-time diagram, {} to {} ms", d.window.start, d.window.end)}
             {onclick} {onkeydown} {onmouseover} {onfocusin}>
            <g class="st-grid" aria-hidden="true">
                { for ticks.iter().map(|&(t, y)| html! {
                    <>
                        <line x1={fmt(layout::GUTTER - 4.0)} y1={fmt(y)} x2={fmt(d.width)} y2={fmt(y)} />
                        <text x={fmt(layout::GUTTER - 6.0)} y={fmt(y + 4.0)} text-anchor="end">{ t }</text>
                    </>
                }) }
            </g>
            { for d.lanes.iter().enumerate().map(|(i, l)| lane(i, l, bottom)) }
            <line class="st-now" x1="0" y1={fmt(d.now_y)} x2={fmt(d.width)} y2={fmt(d.now_y)} />
            <text class="st-now-label" x={fmt(d.width - 2.0)} y={fmt(d.now_y - 4.0)} text-anchor="end">{ format!("step {step}") }</text>
            { for d.arrows.iter().map(|a| arrow(a, labels)) }
            { for d.marks.iter().map(mark) }
        </svg>
    }
}

/// Collapses `node`'s lane, or expands it if collapsed.
fn toggle_lane(opts: &Options, node: NodeId) -> Options {
    let mut o = opts.clone();
    match o.collapsed.iter().position(|&n| n == node) {
        Some(i) => {
            o.collapsed.remove(i);
        }
        None => o.collapsed.push(node),
    }
    o
}

/// Times of the grid lines: five per window, on round numbers.
fn ticks(d: &Diagram) -> Vec<(Millis, f64)> {
    let w = d.window;
    let step = ((w.end - w.start) / 5).max(1);
    let first = w.start.div_ceil(step) * step;
    (0..6)
        .map(|i| first + i * step)
        .filter(|&t| t <= w.end)
        .map(|t| (t, w.y(t)))
        .collect()
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

fn node_name(n: NodeId) -> String {
    match n {
        NodeId::Controller => "ctrl".into(),
        n => n.to_string(),
    }
}

fn lane(i: usize, l: &layout::Lane, bottom: f64) -> Html {
    let name = node_name(l.node);
    let label = if l.collapsed {
        format!("Expand lane {}", l.node)
    } else {
        format!("Collapse lane {}", l.node)
    };
    let text = match (l.collapsed, l.coordinator) {
        (true, _) => name.chars().take(2).collect(),
        (false, true) => format!("{name} ◆"),
        (false, false) => name,
    };
    html! {
        <g class={classes!("st-lane", l.collapsed.then_some("collapsed"))}>
            <line class="st-lane-line" x1={fmt(l.x)} y1={fmt(layout::HEAD)} x2={fmt(l.x)} y2={fmt(bottom)} />
            <text class="st-lane-name" x={fmt(l.x)} y="19" text-anchor="middle" tabindex="0" role="button"
                  data-lane={i.to_string()} aria-pressed={l.collapsed.to_string()} aria-label={label}>
                { text }
                if l.coordinator {
                    <title>{ format!("{}: the group coordinator", l.node) }</title>
                }
            </text>
        </g>
    }
}

fn arrow(a: &Arrow, label: bool) -> Html {
    let group = WireGroup::of(a.kind);
    let (dx, dy) = (a.x1 - a.x0, a.y1 - a.y0);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let tip = match a.end {
        End::Dropped => {
            let (x, y) = (a.x1, a.y1);
            format!(
                "M{} {}L{} {}M{} {}L{} {}",
                fmt(x - 5.0),
                fmt(y - 5.0),
                fmt(x + 5.0),
                fmt(y + 5.0),
                fmt(x + 5.0),
                fmt(y - 5.0),
                fmt(x - 5.0),
                fmt(y + 5.0)
            )
        }
        _ => {
            let (bx, by) = (a.x1 - ux * 8.0, a.y1 - uy * 8.0);
            format!(
                "M{} {}L{} {}L{} {}Z",
                fmt(a.x1),
                fmt(a.y1),
                fmt(bx - uy * 4.0),
                fmt(by + ux * 4.0),
                fmt(bx + uy * 4.0),
                fmt(by - ux * 4.0)
            )
        }
    };
    let end = match a.end {
        End::Delivered => "delivered",
        End::Dropped => "dropped",
        End::InFlight => "flying",
    };
    let text = (label && a.kind.label(false) == a.kind.label(true)).then(|| {
        html! {
            <text class="st-label" x={fmt((a.x0 + a.x1) / 2.0)} y={fmt((a.y0 + a.y1) / 2.0 - 3.0)}
                  text-anchor="middle">{ a.kind.label(false) }</text>
        }
    });
    let desc = a.describe();
    html! {
        <g class={classes!("st-arrow", group.class(), end)} tabindex="0" role="button"
           data-seek={a.seek.to_string()} data-kind={a.kind.name()} data-id={a.id.to_string()}
           aria-label={desc.clone()}>
            <line class="st-hit" x1={fmt(a.x0)} y1={fmt(a.y0)} x2={fmt(a.x1)} y2={fmt(a.y1)} />
            <line x1={fmt(a.x0)} y1={fmt(a.y0)} x2={fmt(a.x1)} y2={fmt(a.y1)} />
            <path class="st-tip" d={tip} />
            { for text }
            <title>{ desc }</title>
        </g>
    }
}

fn mark(m: &Mark) -> Html {
    let desc = m.describe();
    html! {
        <g class={classes!("st-mark", m.kind.name())} tabindex="0" role="button"
           data-seek={m.step.to_string()} aria-label={desc.clone()}>
            <circle class="st-hit" cx={fmt(m.x)} cy={fmt(m.y)} r="8" />
            <text x={fmt(m.x)} y={fmt(m.y + 4.5)} text-anchor="middle">{ m.kind.glyph() }</text>
            <title>{ desc }</title>
        </g>
    }
}
