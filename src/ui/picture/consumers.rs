//! The consuming side of the picture (KAFKA-SEMANTICS.md §7): consumer boxes in the right-hand
//! column, their links to the group coordinator and to the leaders they fetch from, the
//! coordinator's badge on its broker (group, generation, state — R7.4), and on the leader's log
//! strip of each consumed partition the owner's position (▼, R7.2) and the group's committed
//! offset (◆). Drawn only in runs with consumers; the broker boxes are untouched.

use std::rc::Rc;

use highwater_core::types::NodeId;
use yew::prelude::*;

use super::broker::select_handlers;
use super::layout::Layout;
use crate::ui::format::fmt;
use crate::ui::group_view::{commit_label, ConsumerView, GroupView};
use crate::ui::state::Dispatch;
use crate::ui::view::{BrokerView, ControllerView, Topology};

#[derive(Properties, PartialEq)]
pub struct ConsumersProps {
    pub group: Rc<GroupView>,
    pub controller: Rc<ControllerView>,
    pub brokers: Vec<Rc<BrokerView>>,
    pub layout: Rc<Layout>,
    pub topology: Rc<Topology>,
    pub selected: Option<NodeId>,
    pub dispatch: Dispatch,
}

/// Short commit mode for the box (shorter still in the compact picture).
fn mode_short(k: &ConsumerView, compact: bool) -> &'static str {
    use highwater_core::config::CommitMode;
    match (k.pipeline, compact) {
        (Some("exactly_once_v2"), false) => return "EOS txn",
        (Some("exactly_once_v2"), true) => return "EOS",
        (Some(_), false) => return "flush, commit",
        (Some(_), true) => return "ALO",
        _ => {}
    }
    match (k.mode, compact) {
        (CommitMode::Auto, _) => "auto-commit",
        (CommitMode::AfterProcessing, false) => "commit after",
        (CommitMode::AfterProcessing, true) => "after",
        (CommitMode::BeforeProcessing, false) => "commit before",
        (CommitMode::BeforeProcessing, true) => "before",
    }
}

#[function_component(ConsumersLayer)]
pub fn consumers_layer(props: &ConsumersProps) -> Html {
    let g = &*props.group;
    let l = &*props.layout;
    let topo = &*props.topology;
    if g.consumers.is_empty() && !topo.partitions.iter().any(|p| p.label.starts_with("__")) {
        return html! {};
    }
    let label = |part: usize| topo.partitions.get(part).map_or("?", |p| p.label.as_str());
    let leader_of = |part: usize| props.controller.partitions.get(part).and_then(|p| p.leader);

    // Links: each running consumer to its coordinator and to the leaders of its partitions.
    let mut links = Vec::new();
    for k in g.consumers.iter().filter(|k| k.is_up()) {
        let mut peers: Vec<u32> = g
            .group
            .as_ref()
            .map(|x| x.coordinator)
            .into_iter()
            .collect();
        peers.extend(k.assigned.iter().filter_map(|a| leader_of(a.part)));
        peers.sort_unstable();
        peers.dedup();
        for b in peers {
            if let Some(p) = l.link(NodeId::Broker(b), NodeId::Consumer(k.id)) {
                links.push(html! { <path class="link cons-link" d={p.d()} /> });
            }
        }
    }

    // The coordinator's badge, in the middle of its broker's header.
    let badge = g.group.as_ref().and_then(|x| {
        let (_, r) = l.broker(x.coordinator)?;
        let text = if l.compact {
            format!("coord. {} gen {} · {}", x.group, x.generation, x.state.name())
        } else {
            format!("coordinator · {} gen {} · {}", x.group, x.generation, x.state.name())
        };
        // About the width of a character of the badge's bold 11.5 (compact 10.5) units.
        let w = text.chars().count() as f64 * if l.compact { 6.4 } else { 7.0 } + 12.0;
        let x0 = r.x + if l.compact { 118.0 } else { 150.0 };
        Some(html! {
            <g class={classes!("coord-badge", format!("gs-{}", x.state.name()))}
               transform={format!("translate({} {})", fmt(x0), fmt(r.y + 5.0))}
               data-coordinator={x.coordinator.to_string()} data-generation={x.generation.to_string()}
               data-group-state={x.state.name()}>
                <title>{ format!("b{} is the group coordinator of {} (it leads __consumer_offsets): generation {}, {}, {} members",
                    x.coordinator, x.group, x.generation, x.state.name(), x.members) }</title>
                <rect width={fmt(w)} height="16" rx="8" />
                <text x="6" y="12">{ text }</text>
            </g>
        })
    });

    // Markers on the leader's strip of every partition a consumer owns or the group committed:
    // ▼ above the strip at the owner's position, ◆ on the cell boundary of the committed offset
    // (mid-height, clear of the LEO tick below).
    let mut markers = Vec::new();
    for p in &g.parts {
        let Some(lb) = leader_of(p.part) else {
            continue;
        };
        let (Some((_, r)), Some(b)) = (l.broker(lb), props.brokers.iter().find(|b| b.id == lb))
        else {
            continue;
        };
        let Some(row) = b.replicas.iter().position(|x| x.part == p.part) else {
            continue;
        };
        let rep = &b.replicas[row];
        let first = l.first_offset(rep.win_hi);
        let y0 = r.y + l.header_h + row as f64 * l.row_h + 6.0;
        let x_at = |o: i64| r.x + l.cell_x(o.max(first), rep.win_hi) - 1.0;
        let visible = |o: i64| o >= first && o <= rep.win_hi;
        if let Some(c) = p.committed.filter(|o| visible(*o)) {
            let x = x_at(c);
            markers.push(html! {
                <path class="committed-mark" data-partition={label(p.part).to_string()} data-committed={c.to_string()}
                      d={format!("M{} {}l4.5 4.5l-4.5 4.5l-4.5 -4.5z", fmt(x), fmt(y0 + l.cell_h / 2.0 - 4.5))}>
                    <title>{ format!("{}: the group's committed offset {c} (where a new owner resumes)", label(p.part)) }</title>
                </path>
            });
        }
        for (n, (cid, generation)) in p.owners.iter().enumerate() {
            let pos = g
                .consumer(*cid)
                .and_then(|k| k.assigned.iter().find(|a| a.part == p.part))
                .and_then(|a| a.position)
                .filter(|o| *o >= 0);
            let Some(pos) = pos.filter(|o| visible(*o)) else {
                continue;
            };
            let x = x_at(pos) + n as f64 * 3.0;
            markers.push(html! {
                <path class={classes!("position-mark", (n > 0).then_some("zombie"))}
                      data-partition={label(p.part).to_string()} data-consumer={cid.to_string()}
                      data-position={pos.to_string()}
                      d={format!("M{} {}l-5 -7h10z", fmt(x), fmt(y0 + 1.0))}>
                    <title>{ format!("{}: c{cid}'s position {pos} (generation {generation}): the next offset its poll() returns", label(p.part)) }</title>
                </path>
            });
        }
    }

    // The internal partition's rows: "offsets / internal" on two lines replaces the hidden label
    // (CSS); the full name is the tooltip. It ends before the ISR dot.
    let internal: Vec<Html> = topo
        .partitions
        .iter()
        .enumerate()
        .filter(|(_, p)| p.label.starts_with("__"))
        .flat_map(|(i, p)| {
            props.brokers.iter().filter_map(move |b| {
                let (_, r) = l.broker(b.id)?;
                let row = b.replicas.iter().position(|x| x.part == i)?;
                let y = r.y + l.header_h + row as f64 * l.row_h + 6.0;
                // `__consumer_offsets-0` / `__transaction_state-0`: two short lines.
                let txn = p.label.starts_with("__transaction");
                let (a, z) = (if txn { "txn state" } else { "offsets" }, "internal");
                Some(html! {
                    <text class="internal-label" x={fmt(r.x + 24.0)} y={fmt(y + 6.0)}>
                        <title>{ if txn {
                            format!("{}: internal topic (the transaction coordinator's state: one record per change)", p.label)
                        } else {
                            format!("{}: internal topic (offset commits and group generations)", p.label)
                        } }</title>
                        <tspan>{ a.to_string() }</tspan>
                        <tspan x={fmt(r.x + 24.0)} dy="11">{ z.to_string() }</tspan>
                    </text>
                })
            })
        })
        .collect();

    let boxes = g.consumers.iter().filter_map(|k| {
        let r = l.consumer(k.id)?;
        let node = NodeId::Consumer(k.id);
        let (onclick, onkeydown) = select_handlers(&props.dispatch, node);
        let class = classes!(
            "consumer",
            format!("cs-{}", k.state_text()),
            k.paused.then_some("paused"),
            (!k.is_up()).then_some("down"),
            (props.selected == Some(node)).then_some("selected")
        );
        let owned: Vec<String> = k
            .assigned
            .iter()
            .map(|a| match a.position.filter(|o| *o >= 0) {
                Some(pos) => format!("{}@{pos}", label(a.part)),
                None => label(a.part).to_string(),
            })
            .collect();
        let owned = if owned.is_empty() { "no partitions".to_string() } else { owned.join(" ") };
        let gen = if k.generation >= 0 { format!("gen {}", k.generation) } else { "no generation".to_string() };
        let mode = mode_short(k, l.compact);
        let line4 = if k.processing > 0 {
            format!("{} done · {} in hand", k.processed, k.processing)
        } else {
            format!("{} processed", k.processed)
        };
        let aria = format!(
            "Consumer c{}: {}, {gen}, {}, owns {owned}, {line4}. Press Enter for actions.",
            k.id,
            k.state_text(),
            commit_label(k)
        );
        Some(html! {
            <g key={k.id} class={class} transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
               role="button" tabindex="0" aria-label={aria} {onclick} {onkeydown}
               data-consumer={k.id.to_string()} data-state={k.state_text()}
               data-generation={k.generation.to_string()} data-owns={k.assigned.iter().map(|a| label(a.part)).collect::<Vec<_>>().join(",")}
               data-processed={k.processed.to_string()}>
                <rect class="box" width={fmt(r.w)} height={fmt(r.h)} rx="7" />
                <text class="node-name" x="9" y="17">{ format!("c{}", k.id) }</text>
                <text class="node-sub cons-state" x={fmt(r.w - 8.0)} y="17" text-anchor="end">{ k.state_text() }</text>
                // The generation and the commit mode on lines of their own: together they
                // overflowed the card ("no generation · commit after").
                <text class="node-line" x="9" y="31">{ gen.clone() }</text>
                <text class="node-line" x="9" y="44">{ mode }</text>
                <text class="node-line cons-owned" x="9" y="57">{ owned }</text>
                <text class="node-line" x="9" y="70">{ line4 }</text>
            </g>
        })
    });

    let group_label = g.group.as_ref().and_then(|x| {
        let (_, r) = l.consumers.first()?;
        Some(html! {
            <text class="group-label" x={fmt(r.right())} y={fmt(r.y - 8.0)} text-anchor="end">
                { format!("group {} · gen {} · {}", x.group, x.generation, x.state.name()) }
            </text>
        })
    });

    html! {
        <g class="consumers-layer" aria-label="Consumers">
            <g class="links">{ for links }</g>
            { for badge }
            <g class="consumer-marks">{ for markers }</g>
            <g class="internal-labels" aria-hidden="true">{ for internal }</g>
            { for group_label }
            <g class="consumers">{ for boxes }</g>
        </g>
    }
}
