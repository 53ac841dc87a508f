//! A broker box: name, status (crashed, stopped, paused, fenced, shutting down), one log strip per
//! replica, and the ghosts of records truncated a moment ago. Clicking it (or Enter) selects it,
//! which opens its actions in the inspector.

use std::rc::Rc;

use highwater_core::types::NodeId;
use yew::prelude::*;

use super::layout::Layout;
use super::log_strip::LogStrip;
use super::marks::epoch_class;
use crate::ui::format::fmt;
use crate::ui::state::Dispatch;
use crate::ui::state::{Ghost, Msg, Selection};
use crate::ui::view::{BrokerView, ReplicaRole, Topology};

#[derive(Properties, PartialEq)]
pub struct BrokerProps {
    pub broker: Rc<BrokerView>,
    pub layout: Rc<Layout>,
    pub topology: Rc<Topology>,
    pub selected: bool,
    pub ghosts: Option<Rc<Vec<Ghost>>>,
    pub dispatch: Dispatch,
}

/// Activates a node on click, Enter or Space.
pub fn select_handlers(
    dispatch: &Dispatch,
    node: NodeId,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let d = dispatch.clone();
    let click = Callback::from(move |e: MouseEvent| {
        e.stop_propagation();
        d.dispatch(Msg::Select(Selection::Node(node)));
    });
    let d = dispatch.clone();
    let key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            e.stop_propagation();
            d.dispatch(Msg::Select(Selection::Node(node)));
        }
    });
    (click, key)
}

#[function_component(BrokerBox)]
pub fn broker_box(props: &BrokerProps) -> Html {
    let b = &*props.broker;
    let l = &*props.layout;
    let Some((_, r)) = l.broker(b.id) else {
        return html! {};
    };
    let (onclick, onkeydown) = select_handlers(&props.dispatch, NodeId::Broker(b.id));
    let status = b.status_text();
    // Every condition at once: a paused broker is usually fenced too.
    let mut flags: Vec<&str> = Vec::new();
    if !b.is_up() {
        flags.push(status);
    }
    if b.paused {
        flags.push("paused");
    }
    if b.shutting_down {
        flags.push("shutting down");
    }
    if b.fenced {
        flags.push("fenced");
    }
    let badge = flags.join(" · ");
    // About a character of the badge's bold 11.5 (compact 10.5) units, plus the rounded ends.
    let badge_w = badge.chars().count() as f64 * if l.compact { 6.4 } else { 7.0 } + 12.0;
    let roles: Vec<String> = b
        .replicas
        .iter()
        .filter_map(|rep| {
            let label = &props.topology.partitions.get(rep.part)?.label;
            Some(match rep.role {
                ReplicaRole::Leader => {
                    format!("leader of {label} (HW {}, LEO {})", rep.hw, rep.leo)
                }
                ReplicaRole::Follower => {
                    format!("follower of {label} (HW {}, LEO {})", rep.hw, rep.leo)
                }
                ReplicaRole::None => format!("replica of {label} (LEO {})", rep.leo),
            })
        })
        .collect();
    let aria = format!(
        "Broker b{}, {}; {}. Press Enter for actions.",
        b.id,
        if badge.is_empty() {
            "up"
        } else {
            badge.as_str()
        },
        roles.join("; ")
    );
    let class = classes!(
        "broker",
        format!("status-{}", status.replace(' ', "-")),
        b.paused.then_some("paused"),
        b.fenced.then_some("fenced"),
        props.selected.then_some("selected"),
    );

    let ghosts = props.ghosts.as_ref().map(|gs| {
        gs.iter()
            .filter_map(|g| {
                let row = b.replicas.iter().position(|rep| rep.part == g.part)?;
                let rep = &b.replicas[row];
                if g.offset < l.first_offset(rep.win_hi.max(g.offset + 1)) {
                    return None;
                }
                let hi = rep.win_hi.max(g.offset + 1);
                let x = l.cell_x(g.offset, hi);
                let y = l.header_h + row as f64 * l.row_h + 6.0;
                Some(html! {
                    <g key={g.key} class={classes!("ghost", epoch_class(g.epoch), g.lost.then_some("lost"))}
                       transform={format!("translate({} {})", fmt(x), fmt(y))}>
                        <g class="ghost-inner">
                            <rect width={fmt(l.cell_w)} height={fmt(l.cell_h)} rx="2" />
                            <text x={fmt(l.cell_w / 2.0)} y={fmt(l.cell_h / 2.0 + 3.5)} class="cell-label">{ g.label.clone() }</text>
                        </g>
                    </g>
                })
            })
            .collect::<Html>()
    });

    html! {
        <g class={class} transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
           role="button" tabindex="0" aria-label={aria} {onclick} {onkeydown}
           data-broker={b.id.to_string()} data-status={status}>
            <rect class="box" width={fmt(r.w)} height={fmt(r.h)} rx="7" />
            if !b.is_up() {
                <rect class="down-hatch" width={fmt(r.w)} height={fmt(r.h)} rx="7" />
            }
            <text class="node-name" x="11" y="18">{ format!("b{}", b.id) }</text>
            <text class="node-sub" x="36" y="18">{ format!("broker epoch {}", b.broker_epoch) }</text>
            if !badge.is_empty() {
                <g class="badge" transform={format!("translate({} 5)", fmt(r.w - 8.0))}>
                    <rect x={fmt(-badge_w)} width={fmt(badge_w)} height="16" rx="8" />
                    <text x="-6" y="12" text-anchor="end">{ badge.clone() }</text>
                </g>
            }
            { for (0..b.replicas.len()).map(|i| html! {
                <LogStrip key={b.replicas[i].part} broker={props.broker.clone()} index={i}
                          layout={props.layout.clone()} topology={props.topology.clone()} />
            }) }
            <g class="ghosts">{ ghosts.unwrap_or_default() }</g>
        </g>
    }
}
