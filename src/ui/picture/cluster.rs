//! The picture's root `<svg>`: links (cut ones dashed red), the controller with its partition
//! registry, the producers, the brokers and the messages in flight.

use std::rc::Rc;

use highwater_core::read_model::SilentBroker;
use highwater_core::types::{BrokerId, Millis, NodeId};
use highwater_core::vec_map::VecMap;
use yew::prelude::*;

use super::broker::{select_handlers, BrokerBox};
use super::consumers::ConsumersLayer;
use super::layout::Layout;
use super::marks::CROWN;
use super::messages::Messages;
use super::names;
use crate::ui::anim::Frames;
use crate::ui::countdown_view::seconds_left;
use crate::ui::format::{fmt, wrap_name};
use crate::ui::state::Dispatch;
use crate::ui::state::{Callout, Ghost, Msg, Playhead, Selection};
use crate::ui::view::{ControllerView, CutLink, ProducerView, Topology, View};

#[derive(Properties, PartialEq)]
pub struct PictureProps {
    pub view: Rc<View>,
    pub layout: Rc<Layout>,
    /// The animation layer's time and frames (only the messages move with them).
    pub playhead: Rc<Playhead>,
    pub frames: Rc<Frames>,
    pub show_heartbeats: bool,
    pub selection: Selection,
    pub ghosts: Rc<VecMap<BrokerId, Rc<Vec<Ghost>>>>,
    /// Big moments called out over the picture (`callouts.rs`).
    pub callouts: Rc<Vec<Callout>>,
    pub dispatch: Dispatch,
}

#[function_component(ClusterPicture)]
pub fn cluster_picture(props: &PictureProps) -> Html {
    let v = &*props.view;
    let l = &props.layout;
    let sel_node = match props.selection {
        Selection::Node(n) => Some(n),
        _ => None,
    };
    let sel_msg = match props.selection {
        Selection::Message(m) => Some(m),
        _ => None,
    };
    let enabled: Rc<Vec<u64>> = use_memo(v.enabled.clone(), |en| {
        en.iter()
            .filter_map(|e| match e.action {
                highwater_core::command::Action::Deliver { message } => Some(message),
                _ => None,
            })
            .collect()
    });
    let d = props.dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Msg::Select(Selection::None)));
    let leaders = v
        .controller
        .partitions
        .iter()
        .filter(|p| p.leader.is_some())
        .count();
    let summary = format!(
        "{} brokers, {} partitions ({} with a leader), {} messages in flight, event {}, time {} ms",
        v.brokers.len(),
        v.topology.partitions.len(),
        leaders,
        v.messages.len(),
        v.step,
        v.time
    );
    let view_box = format!("0 0 {} {}", fmt(l.width), fmt(l.height));
    // Two layers: the cluster, which changes when the simulation does, and the messages in
    // flight, which move every frame. The overlay is its own compositing layer, so moving a
    // message repaints neither the brokers nor their logs.
    html! {
        <div class="picture">
            <svg class="cluster-svg" viewBox={view_box.clone()}
                 role="group" aria-label={format!("Cluster picture: {summary}")}
                 preserveAspectRatio="xMidYMin meet" {onclick}
                 data-step={v.step.to_string()} data-time={v.time.to_string()}
                 data-end-step={v.end_step.to_string()}
                 data-hash={v.hash.map(|h| format!("{h:016x}")).unwrap_or_default()}>
                <defs>
                    <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="8" class="hatch-line" />
                    </pattern>
                </defs>
                <Links layout={l.clone()} cuts={v.cuts.clone()} />
                <ControllerBox controller={v.controller.clone()} now={v.picture_time} layout={l.clone()} topology={v.topology.clone()}
                               selected={sel_node == Some(NodeId::Controller)} dispatch={props.dispatch.clone()} />
                <Producers producers={v.producers.clone()} layout={l.clone()} selected={sel_node}
                           dispatch={props.dispatch.clone()} />
                { for v.brokers.iter().map(|b| html! {
                    <BrokerBox key={b.id} broker={b.clone()} layout={l.clone()} topology={v.topology.clone()}
                               selected={sel_node == Some(NodeId::Broker(b.id))}
                               ghosts={props.ghosts.get(&b.id).cloned()} dispatch={props.dispatch.clone()} />
                }) }
                if let Some(t) = &v.transactions {
                    <super::txn_badge::TxnBadge txn={t.clone()} layout={l.clone()} />
                }
                // Also draws the internal partitions' labels (`__transaction_state` without consumers).
                if !v.group.consumers.is_empty() || v.transactions.is_some() {
                    <ConsumersLayer group={v.group.clone()} controller={v.controller.clone()} brokers={v.brokers.clone()}
                                    layout={l.clone()} topology={v.topology.clone()} selected={sel_node}
                                    dispatch={props.dispatch.clone()} />
                }
            </svg>
            <svg class="messages-svg" viewBox={view_box} preserveAspectRatio="xMidYMin meet" aria-hidden="true">
                <Messages messages={v.messages.clone()} layout={l.clone()} playhead={props.playhead.clone()} frames={props.frames.clone()}
                          show_heartbeats={props.show_heartbeats} selected={sel_msg} enabled={enabled}
                          dispatch={props.dispatch.clone()} />
            </svg>
            <super::callouts::Callouts callouts={props.callouts.clone()} countdowns={v.countdowns.clone()}
                                       topology={v.topology.clone()} layout={l.clone()} now={v.picture_time} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    layout: Rc<Layout>,
    cuts: Rc<Vec<CutLink>>,
}

#[function_component(Links)]
fn links(props: &LinksProps) -> Html {
    let l = &*props.layout;
    let mut base = Vec::new();
    for (b, _) in &l.brokers {
        if let Some(p) = l.link(NodeId::Controller, NodeId::Broker(*b)) {
            base.push(html! { <path class="link ctrl-link" d={p.d()} /> });
        }
        for (pid, _) in &l.producers {
            if let Some(p) = l.link(NodeId::Broker(*b), NodeId::Producer(*pid)) {
                base.push(html! { <path class="link prod-link" d={p.d()} /> });
            }
        }
    }
    for (a, b) in &l.broker_pairs {
        if let Some(p) = l.link(NodeId::Broker(*a), NodeId::Broker(*b)) {
            base.push(html! { <path class="link broker-link" d={p.d()} /> });
        }
    }
    let cuts = props.cuts.iter().filter_map(|c| {
        let p = l.link(c.a, c.b)?;
        let m = p.at(0.5);
        let dir = match (c.a_to_b, c.b_to_a) {
            (true, true) => format!("{} ↔ {}", c.a, c.b),
            (true, false) => format!("{} → {}", c.a, c.b),
            _ => format!("{} → {}", c.b, c.a),
        };
        Some(html! {
            <g class="cut" data-cut={dir.clone()}>
                <title>{ format!("link cut: {dir}") }</title>
                <path class="link cut-link" d={p.d()} />
                <g transform={format!("translate({} {})", fmt(m.x), fmt(m.y))}>
                    <circle r="7" class="cut-badge" />
                    <path d="M-3 -3L3 3M3 -3L-3 3" class="cut-x" />
                </g>
            </g>
        })
    });
    html! {
        <g class="links">
            { for base }
            { for cuts }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct ControllerProps {
    controller: Rc<ControllerView>,
    /// The simulated time (for the session-timeout countdown).
    now: Millis,
    layout: Rc<Layout>,
    topology: Rc<Topology>,
    selected: bool,
    dispatch: Dispatch,
}

#[function_component(ControllerBox)]
fn controller_box(props: &ControllerProps) -> Html {
    let l = &*props.layout;
    let c = &*props.controller;
    let r = l.controller;
    let (onclick, onkeydown) = select_handlers(&props.dispatch, NodeId::Controller);
    // Internal topics' entries are drawn but hidden (CSS): the coordinator's badge stands for
    // them. The others take the slots in order.
    let mut slot = 0;
    let entries = c.partitions.iter().map(|p| {
        let info = props.topology.partitions.get(p.part);
        let label = info.map_or("?", |x| x.label.as_str());
        let i = slot;
        slot += usize::from(!info.is_some_and(|x| x.internal));
        let col = i % l.ctrl_per_row;
        let row = i / l.ctrl_per_row;
        let x = 12.0 + col as f64 * l.ctrl_entry_w;
        let y = 38.0 + row as f64 * 17.0;
        let leader = p.leader.map_or("none".to_string(), |b| format!("b{b}"));
        // The crown, the leader, the epoch and the ISR after the longest name (`layout.rs`).
        let n = l.ctrl_name_w;
        let isr = p.isr.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",");
        let elr = p.elr.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",");
        html! {
            <g class={classes!("ctrl-part", p.leader.is_none().then_some("offline"))}
               transform={format!("translate({} {})", fmt(x), fmt(y))}
               data-partition={label.to_string()}
               data-leader={p.leader.map(|b| b.to_string()).unwrap_or_default()}
               data-epoch={p.leader_epoch.to_string()} data-isr={isr.clone()} data-elr={elr.clone()}>
                <title>{ format!("{label}: leader {leader}, leader epoch {}, ISR {{{isr}}}{}{}", p.leader_epoch,
                    if elr.is_empty() { String::new() } else { format!(", eligible leader replicas (KIP-966) {{{elr}}}") },
                    if p.recovering { " (recovering from an unclean election)" } else { "" }) }</title>
                <text class="ctrl-label" x="0" y="0">{ names::fit(label, l.ctrl_name_w - 3.0, names::ctrl_advance).into_owned() }</text>
                <g transform={format!("translate({} 0)", fmt(n))}>
                    if p.leader.is_some() {
                        <path class="crown small" d={CROWN} transform="translate(3 -9) scale(0.8)" />
                    }
                    <text x="16" y="0">{ leader }</text>
                    // "none" is two characters longer than a leader's `b1`: what follows moves over.
                    <text class="ctrl-epoch" x={if p.leader.is_some() { "38" } else { "52" }} y="0">{ format!("e{}", p.leader_epoch.max(0)) }</text>
                    <text x={if p.leader.is_some() { "64" } else { "78" }} y="0">{ if elr.is_empty() { format!("ISR {{{isr}}}") } else { format!("ISR {{{isr}}} ELR {{{elr}}}") } }</text>
                </g>
            </g>
        }
    });
    let class = classes!(
        "controller",
        c.paused.then_some("paused"),
        props.selected.then_some("selected")
    );
    let status = if c.paused { " · paused" } else { "" };
    html! {
        <g class={class} transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
           role="button" tabindex="0"
           aria-label={format!("Controller{status}: {} election{} so far. Press Enter for actions.", c.elections, if c.elections == 1 { "" } else { "s" })}
           {onclick} {onkeydown} data-node="controller">
            <rect class="box" width={fmt(r.w)} height={fmt(r.h)} rx="7" />
            <text class="node-name" x="11" y="18">{ "controller" }</text>
            if let Some(wait) = waiting(&c.silent, props.now) {
                // Waiting out a session timeout the user caused: a countdown (issue 16 item 5).
                <text class="node-sub ctrl-wait" x="86" y="18" data-silent={wait.0.to_string()}>
                    <title>{ "The controller fences a broker whose heartbeats stop for broker.session.timeout.ms, then moves its leaderships." }</title>
                    { wait.1 }
                </text>
            } else {
                <text class="node-sub" x="86" y="18">{ format!("KRaft · {} election{}{}{}", c.elections, if c.elections == 1 { "" } else { "s" },
                    if c.unclean_elections > 0 { format!(" ({} unclean)", c.unclean_elections) } else { String::new() },
                    status) }</text>
            }
            { for entries }
        </g>
    }
}

/// The countdown of the first broker the controller is waiting on: its id and
/// "b1 silent · fenced in 2.4 s".
fn waiting(silent: &[SilentBroker], now: Millis) -> Option<(BrokerId, String)> {
    let s = silent.iter().min_by_key(|s| s.fenced_at)?;
    let more = if silent.len() > 1 {
        format!(" (+{} more)", silent.len() - 1)
    } else {
        String::new()
    };
    Some((
        s.broker,
        format!(
            "b{} silent · fenced in {}{more}",
            s.broker,
            seconds_left(s.fenced_at, now)
        ),
    ))
}

#[derive(Properties, PartialEq)]
struct ProducersProps {
    producers: Rc<Vec<ProducerView>>,
    layout: Rc<Layout>,
    selected: Option<NodeId>,
    dispatch: Dispatch,
}

#[function_component(Producers)]
fn producers(props: &ProducersProps) -> Html {
    let l = &*props.layout;
    let items = props.producers.iter().filter_map(|p| {
        let r = l.producer(p.id)?;
        let node = NodeId::Producer(p.id);
        let (onclick, onkeydown) = select_handlers(&props.dispatch, node);
        let class = classes!(
            "producer",
            p.paused.then_some("paused"),
            (props.selected == Some(node)).then_some("selected")
        );
        let line2 = format!("acks={}{}", p.acks.as_str(), if p.auto { " · auto" } else { "" });
        let line3 = format!("{} queued · {} sent", p.queued, p.in_flight);
        let line4 = if p.lost > 0 {
            format!("{} acked · {} lost", p.acked, p.lost)
        } else {
            format!("{} acked", p.acked)
        };
        // The last error, under the counts: its name in monospace (0.6 em of 11.5 or 10.5
        // units), broken after underscores to fit the card; the card grows to hold it.
        let error_lines = p.last_error.map_or_else(Vec::new, |e| {
            let em = if l.compact { 10.5 } else { 11.5 };
            wrap_name(e, ((r.w - 18.0) / (0.6 * em)).floor() as usize)
        });
        // An idempotent producer's numbering (R5.2, KIP-98): the producer id and epoch it
        // stamps on every batch, and the sequence its next record gets per partition.
        let idem = p.idempotence.as_ref().map(|i| {
            // One partition: its number; several: each named as the picture names it (`t-0:4`),
            // as many as the card holds, the rest in the tooltip.
            let next = match i.sequences.as_slice() {
                [] => "0".to_string(),
                [one] => one.next.to_string(),
                several => {
                    let room = if l.compact { 1 } else { 2 };
                    let shown: Vec<String> = several
                        .iter()
                        .take(room)
                        .map(|s| format!("{}-{}:{}", s.topic, s.partition, s.next))
                        .collect();
                    let more = if several.len() > room { "…" } else { "" };
                    format!("{}{more}", shown.join(" "))
                }
            };
            let tip = format!(
                "p{}: producer id {}, producer epoch {}; next sequence {}",
                p.id,
                i.producer_id,
                i.epoch,
                if i.sequences.is_empty() {
                    "0 (nothing sent yet)".to_string()
                } else {
                    i.sequences
                        .iter()
                        .map(|s| format!("{} on {}-{}", s.next, s.topic, s.partition))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
            let first = i.sequences.first().map_or(0, |s| s.next);
            // The narrow card: one fact per line.
            let lines = if l.compact {
                // "next seq t-0:4…" is wider than the narrow card: "seq t-0:4…".
                let word = if i.sequences.len() > 1 { "seq" } else { "next seq" };
                vec![format!("pid {}", i.producer_id), format!("epoch {}", i.epoch), format!("{word} {next}")]
            } else {
                vec![format!("pid {} · epoch {}", i.producer_id, i.epoch), format!("next seq {next}")]
            };
            (lines, tip, i.epoch, first)
        });
        let base_y = if l.compact { 67.0 } else { 56.0 };
        let last_y = base_y + idem.as_ref().map_or(0.0, |(lines, ..)| 12.0 * lines.len() as f64);
        let box_h = if p.last_error.is_some() {
            r.h + 12.0 * (error_lines.len() + 1) as f64
        } else {
            r.h
        };
        Some(html! {
            <g key={p.id} class={class} transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
               role="button" tabindex="0"
               aria-label={format!("Producer p{}: {line2}, {line3}, {line4}{}. Press Enter for actions.", p.id,
                   p.last_error.map_or(String::new(), |e| format!(", last error {e}")))}
               {onclick} {onkeydown} data-producer={p.id.to_string()}
               data-last-error={p.last_error.unwrap_or_default()}>
                <rect class="box" width={fmt(r.w)} height={fmt(box_h)} rx="7" />
                <text class="node-name" x="9" y="17">{ format!("p{}", p.id) }</text>
                if p.paused {
                    <text class="node-sub" x={fmt(r.w - 8.0)} y="17" text-anchor="end">{ "paused" }</text>
                } else if p.auto && l.compact {
                    <text class="node-sub" x={fmt(r.w - 8.0)} y="17" text-anchor="end">{ "auto" }</text>
                }
                if l.compact {
                    // The narrow card: one fact per line, nothing cut off.
                    <text class="node-line" x="9" y="31">{ format!("acks={}", p.acks.as_str()) }</text>
                    <text class="node-line" x="9" y="43">{ format!("{} queued", p.queued) }</text>
                    <text class="node-line" x="9" y="55">{ format!("{} sent", p.in_flight) }</text>
                    <text class={classes!("node-line", (p.lost > 0).then_some("bad"))} x="9" y="67">{ line4 }</text>
                } else {
                    <text class="node-line" x="9" y="32">{ line2 }</text>
                    <text class="node-line" x="9" y="44">{ line3 }</text>
                    <text class={classes!("node-line", (p.lost > 0).then_some("bad"))} x="9" y="56">{ line4 }</text>
                }
                if let Some((lines, tip, epoch, next)) = idem {
                    <g class="idempotence" data-epoch={epoch.to_string()} data-next-sequence={next.to_string()}>
                        <title>{ tip }</title>
                        { for lines.into_iter().enumerate().map(|(n, line)| html! {
                            <text class="node-line" x="9" y={fmt(base_y + 12.0 * (n + 1) as f64)}>{ line }</text>
                        }) }
                    </g>
                }
                if p.last_error.is_some() {
                    <text class="node-line bad last-error" x="9" y={fmt(last_y + 12.0)}>{ "last error:" }</text>
                    <text class="node-line bad err-name">
                        { for error_lines.iter().enumerate().map(|(i, line)| html! {
                            <tspan x="9" y={fmt(last_y + 24.0 + 12.0 * i as f64)}>{ line.clone() }</tspan>
                        }) }
                    </text>
                }
            </g>
        })
    });
    html! { <g class="producers">{ for items }</g> }
}
