//! The space-time diagram panel (closed by default): the core's `spacetime::layout` written by its
//! `spacetime::svg`.
//! The current step is a line across; a click (or Enter) on an arrow or a mark seeks there; a
//! lane's name collapses it; hovering or focusing an item shows its fields below the drawing.
//! One handler on the drawing serves every item (no closure per arrow).

use std::rc::Rc;

use highwater_core::types::{BrokerId, Millis, NodeId};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::format::fmt;
use crate::ui::state::{Dispatch, Msg};
use crate::ui::topology::Topology;
use highwater_core::spacetime::layout::{self, Diagram, Feed, Options, WireGroup, SPANS};
use highwater_core::spacetime::svg;

#[derive(Properties, PartialEq)]
pub struct SpaceTimeProps {
    /// `None`: the panel is closed.
    pub feed: Option<Rc<Feed>>,
    pub topology: Rc<Topology>,
    pub coordinator: Option<BrokerId>,
    pub dispatch: Dispatch,
}

#[function_component(SpaceTimePanel)]
pub fn space_time_panel(props: &SpaceTimeProps) -> Html {
    let opts = use_state(Options::default);
    let detail = use_state(String::new);
    let focus = use_mut_ref(|| None::<String>);
    use_keep_focus(focus.clone());
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
                    { drawing(&d, feed.step, &opts, (&detail, &focus), &props.dispatch) }
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
        "{} messages, {} marks from {} to {} ms. Click or press Enter on one to go to that event; click a lane's name to collapse it.",
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
    (detail, focus): (&UseStateHandle<String>, &Focus),
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
            // A lane's action, or an arrow's or a mark's fields (its `<title>`).
            let text = item(e)
                .and_then(|el| {
                    el.get_attribute("aria-label").or_else(|| {
                        el.query_selector("title")
                            .ok()
                            .flatten()
                            .and_then(|t| t.text_content())
                    })
                })
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
    let onfocusin = {
        let focus = focus.clone();
        Callback::from(move |e: FocusEvent| {
            *focus.borrow_mut() = item(&e).and_then(|el| {
                ["data-id", "data-lane", "data-seek"].iter().find_map(|a| {
                    el.get_attribute(a)
                        .map(|v| format!(".st-svg [{a}=\"{v}\"]"))
                })
            });
            show(&e)
        })
    };
    let onfocusout = {
        let focus = focus.clone();
        Callback::from(move |e: FocusEvent| {
            if e.related_target().is_some() {
                *focus.borrow_mut() = None;
            }
        })
    };

    html! {
        <svg class="st-svg" width={fmt(d.width)} height={fmt(d.height)}
             viewBox={format!("0 0 {} {}", fmt(d.width), fmt(d.height))}
             role="group" aria-label={format!("Space-time diagram, {} to {} ms", d.window.start, d.window.end)}
             {onclick} {onkeydown} {onmouseover} {onfocusin} {onfocusout}>
            { Html::from_html_unchecked(svg::markup(d, step).into()) }
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

/// The focused item of the drawing, as a selector (see [`use_keep_focus`]).
type Focus = Rc<std::cell::RefCell<Option<String>>>;

/// A redraw replaces the drawing's elements: give the focus back to the same item (same
/// message, lane or step) when it was lost with them.
#[hook]
fn use_keep_focus(focus: Focus) {
    use_effect(move || {
        let doc = web_sys::window().and_then(|w| w.document());
        // Cloned out: focusing fires `focusin`, which writes it.
        let sel = focus.borrow().clone();
        if let (Some(doc), Some(sel)) = (doc, sel) {
            let lost = doc.active_element().is_none_or(|a| a.tag_name() == "BODY");
            if let (true, Ok(Some(el))) = (lost, doc.query_selector(&sel)) {
                // `focus()` of an SVG element (web-sys types it on HTMLElement only).
                if let Ok(f) = js_sys::Reflect::get(&el, &"focus".into()) {
                    let _ = f.unchecked_into::<js_sys::Function>().call0(&el);
                }
            }
        }
    });
}
