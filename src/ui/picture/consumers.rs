//! The consuming side of the picture (KAFKA-SEMANTICS.md §7): consumer boxes in the right-hand
//! column, their links to the group coordinator and to the leaders they fetch from, the
//! coordinator's badge on its broker (group, generation, state — R7.4), and on the leader's log
//! strip of each consumed partition the owner's position (▼, R7.2) and the group's committed
//! offset (◆). Drawn only in runs with consumers; the broker boxes are untouched.

use std::rc::Rc;

use highwater_core::ordered;
use highwater_core::types::NodeId;
use yew::prelude::*;

use super::broker::select_handlers;
use super::layout::{Layout, Rect};
use super::names;
use crate::ui::format::fmt;
use crate::ui::group_view::{commit_label, ConsumerView, GroupView, RecordCount, SinkView};
use crate::ui::state::Dispatch;
use crate::ui::view::{BrokerView, ControllerView, Topology};
use highwater_core::read_model::short_label;

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
        // Integers: the stable sort's order is the unstable one's.
        ordered::sort(&mut peers);
        peers.dedup();
        for b in peers {
            if let Some(p) = l.link(NodeId::Broker(b), NodeId::Consumer(k.id)) {
                links.push(html! { <path class="link cons-link" d={p.d()} /> });
            }
        }
    }

    // The coordinator's badge, in its broker's header after "broker epoch N", inside the box.
    let badge = g.group.as_ref().and_then(|x| {
        let (_, r) = l.broker(x.coordinator)?;
        // The badge's bold 11.5 (compact 10.5) units; 6 of padding each side.
        let (left, px) = if l.compact { (118.0, 10.5) } else { (150.0, 11.5) };
        let room = r.w - left - 8.0 - 12.0;
        let text = badge_text(&x.group, x.generation, x.state.name(), l.compact, |t| {
            names::bold_sans_width(t, px) <= room
        });
        let w = names::bold_sans_width(&text, px) + 12.0;
        let x0 = r.x + left;
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
        .filter(|(_, p)| p.internal)
        .flat_map(|(i, p)| {
            props.brokers.iter().filter_map(move |b| {
                let (_, r) = l.broker(b.id)?;
                let row = b.replicas.iter().position(|x| x.part == i)?;
                let y = r.y + l.header_h + row as f64 * l.row_h + 6.0;
                // `__consumer_offsets-0` / `__transaction_state-0`: two short lines.
                let txn = names::is_transaction_state(&p.label);
                let (a, z) = names::internal_label(&p.label);
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
        let assigned: Vec<(&str, Option<i64>)> = k
            .assigned
            .iter()
            .map(|a| (label(a.part), a.position.filter(|o| *o >= 0)))
            .collect();
        // The aria label lists them all; the card's line what fits in it.
        let owned = if assigned.is_empty() { "no partitions".to_string() } else {
            assigned.iter().map(|(l, p)| owned_text(l, *p)).collect::<Vec<_>>().join(" ")
        };
        let advance = if l.compact { names::node_line_advance_compact } else { names::node_line_advance };
        let owned_shown = if assigned.is_empty() { owned.clone() } else { owned_line(&assigned, r.w - 18.0, advance) };
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
                <text class="node-line cons-owned" x="9" y="57">{ owned_shown }</text>
                <text class="node-line" x="9" y="70">{ line4 }</text>
                { records_line(k, if l.compact { 15 } else { 20 }) }
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

    let sink = g.sink.as_ref().zip(l.sink).map(|(s, r)| sink_box(s, r, l));

    html! {
        <g class="consumers-layer" aria-label="Consumers">
            <g class="links">{ for links }</g>
            { for badge }
            <g class="consumer-marks">{ for markers }</g>
            <g class="internal-labels" aria-hidden="true">{ for internal }</g>
            { for group_label }
            <g class="consumers">{ for boxes }</g>
            { for sink }
        </g>
    }
}

/// The coordinator badge's text, the first of these that `fits`: `coordinator · g gen 1 ·
/// Stable` (wide pictures only), `coord. g gen 1 · Stable`, `coord. g gen 1` (the group's label
/// over the consumers and the badge's colour still say the state), `g gen 1`, then the group id
/// shortened (`ord… gen 1`). The badge's tooltip names everything in full.
fn badge_text(
    group: &str,
    generation: i32,
    state: &str,
    compact: bool,
    fits: impl Fn(&str) -> bool,
) -> String {
    let gen = format!(" gen {generation}");
    let whole = [
        format!("coordinator · {group}{gen} · {state}"),
        format!("coord. {group}{gen} · {state}"),
        format!("coord. {group}{gen}"),
        format!("{group}{gen}"),
    ];
    if let Some(t) = whole
        .into_iter()
        .skip(usize::from(compact))
        .find(|t| fits(t))
    {
        return t;
    }
    let mut head: String = group.chars().collect();
    while head.pop().is_some() {
        let t = format!("{head}…{gen}");
        if fits(&t) {
            return t;
        }
    }
    format!("…{gen}")
}

/// An assigned partition as its consumer's card writes it: `t-0@3` (where `poll()` continues),
/// or `t-0` before the consumer has a position.
fn owned_text(label: &str, position: Option<i64>) -> String {
    match position {
        Some(pos) => format!("{label}@{pos}"),
        None => label.to_string(),
    }
}

/// A consumer's assigned partitions as they fit on one line of its card (`room` units, drawn
/// with `advance`): all of them, or the first ones and `+N` for the rest; a name too long even
/// alone keeps its head and its partition number (`names::fit`).
fn owned_line(assigned: &[(&str, Option<i64>)], room: f64, advance: fn(char) -> f64) -> String {
    let n = assigned.len();
    let more = |rest: usize| {
        if rest > 0 {
            format!(" +{rest}")
        } else {
            String::new()
        }
    };
    let mut line = String::new();
    for (i, (label, position)) in assigned.iter().enumerate() {
        let sep = if line.is_empty() { "" } else { " " };
        let longer = format!("{line}{sep}{}", owned_text(label, *position));
        if names::width(&format!("{longer}{}", more(n - i - 1)), advance) <= room {
            line = longer;
            continue;
        }
        if !line.is_empty() {
            return format!("{line}{}", more(n - i));
        }
        // The first one alone does not fit: its name shortened, room kept for what follows.
        let tail = format!("{}{}", owned_text("", *position), more(n - 1));
        let name = names::fit(label, room - names::width(&tail, advance), advance);
        return format!("{name}{tail}");
    }
    line
}

/// A record as a card shows it: its short label, `×n` when processed more than once.
fn record_text(r: &RecordCount) -> String {
    let label = short_label(&r.value);
    if r.times > 1 {
        format!("{label} ×{}", r.times)
    } else {
        label
    }
}

/// Which records fit on a card's last line of `budget` characters: every record processed more
/// than once first (what the chapters point at), then the newest; shown oldest first, with `…`
/// when some are left out.
fn records_to_show(records: &[RecordCount], budget: usize) -> (Vec<&RecordCount>, bool) {
    let stands_out = |i: &usize| records[*i].times > 1 || records[*i].twice;
    let mut order: Vec<usize> = (0..records.len()).filter(stands_out).collect();
    order.extend((0..records.len()).rev().filter(|i| !stands_out(i)));
    let mut used = 2; // room for the leading "… "
    let mut keep = Vec::new();
    for i in order {
        let w = record_text(&records[i]).chars().count() + 1;
        if used + w > budget + 1 {
            continue;
        }
        used += w;
        keep.push(i);
    }
    ordered::sort(&mut keep);
    let omitted = keep.len() < records.len();
    (keep.into_iter().map(|i| &records[i]).collect(), omitted)
}

/// The card's last line: the records its application processed, `a ×2` in the warning colour
/// when the group's processing of it took effect twice (R7.3), in italics when the sink dropped
/// a write of it.
fn records_line(k: &ConsumerView, budget: usize) -> Html {
    if k.records.is_empty() {
        return html! { <text class="node-line cons-records none" x="9" y="83">{ "nothing processed" }</text> };
    }
    let (shown, omitted) = records_to_show(&k.records, budget);
    let spans = shown.into_iter().enumerate().map(|(i, r)| {
        let class = classes!(
            "cons-record",
            r.twice.then_some("twice"),
            (r.dropped > 0).then_some("deduped")
        );
        let tip = match (r.times, r.dropped) {
            (1, _) => format!("c{} processed {} once", k.id, r.value),
            (n, 0) => format!("c{} processed {} {n} times", k.id, r.value),
            (n, d) => format!(
                "c{} processed {} {n} times; the sink dropped {d} of those writes",
                k.id, r.value
            ),
        };
        html! {
            <tspan class={class} data-record={r.value.clone()} data-times={r.times.to_string()}
                   data-dropped={r.dropped.to_string()}>
                { if i > 0 || omitted { " " } else { "" } }{ record_text(r) }<title>{ tip }</title>
            </tspan>
        }
    });
    html! {
        <text class="node-line cons-records" x="9" y="83">
            if omitted { <tspan class="cons-more">{ "…" }</tspan> }
            { for spans }
        </text>
    }
}

/// The newest of `items` (written `text`) that fit in `budget` characters on one line after a
/// leading `…`, and whether some were left out.
fn newest_that_fit<T>(items: &[T], text: impl Fn(&T) -> String, budget: usize) -> (&[T], bool) {
    let mut used = 0;
    let mut start = items.len();
    while start > 0 {
        let w = text(&items[start - 1]).chars().count() + 1;
        if used + w > budget.saturating_sub(2) && start < items.len() {
            break;
        }
        used += w;
        start -= 1;
    }
    (&items[start..], start > 0)
}

/// The sink box under the consumers: the records it holds and, in the warning colour, the
/// duplicate writes it dropped (an application keyed by record id; not a Kafka component).
fn sink_box(s: &SinkView, r: Rect, l: &Layout) -> Html {
    let budget = if l.compact { 15 } else { 20 } - 6; // after "holds " / "dropped"
    let (kept, kept_more) = newest_that_fit(&s.kept, |v| short_label(v), budget);
    let dropped_text = |(v, n): &(String, u32)| {
        let label = short_label(v);
        if *n > 1 {
            format!("{label} ×{n}")
        } else {
            label
        }
    };
    let (dropped, dropped_more) = newest_that_fit(&s.dropped, dropped_text, budget - 2);
    let link = l.consumers.last().map(|(_, c)| {
        let x = fmt(c.x + c.w / 2.0);
        html! { <path class="link sink-link" d={format!("M{x} {}V{}", fmt(c.bottom()), fmt(r.y))} /> }
    });
    let aria = format!(
        "Sink deduplicating by record id: holds {} records{}",
        s.kept.len(),
        if s.dropped.is_empty() {
            String::new()
        } else {
            format!(
                ", dropped repeated writes of {}",
                s.dropped
                    .iter()
                    .map(dropped_text)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let more = |on: bool| on.then(|| html! { <tspan class="cons-more">{ "… " }</tspan> });
    html! {
        <g class="sink-layer">
            { for link }
            <g class="sink" transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
               role="img" aria-label={aria} data-sink="dedup">
                <rect class="box" width={fmt(r.w)} height={fmt(r.h)} rx="7" />
                <text class="node-name" x="9" y="17">{ "sink" }</text>
                <text class="node-sub" x={fmt(r.w - 8.0)} y="17" text-anchor="end">{ if l.compact { "dedup" } else { "dedup by id" } }</text>
                <text class="node-line sink-kept" x="9" y="33">
                    { "holds " }
                    { for more(kept_more) }
                    { for kept.iter().enumerate().map(|(i, v)| html! {
                        <tspan data-kept={v.clone()}>{ if i > 0 { " " } else { "" } }{ short_label(v) }</tspan>
                    }) }
                    if s.kept.is_empty() { { "nothing" } }
                </text>
                <text class="node-line sink-dropped" x="9" y="48">
                    if s.dropped.is_empty() {
                        { "dropped none" }
                    } else {
                        { "dropped " }
                        { for more(dropped_more) }
                        { for dropped.iter().enumerate().map(|(i, d)| html! {
                            <tspan class="twice" data-dropped={d.0.clone()} data-times={d.1.to_string()}>
                                { if i > 0 { " " } else { "" } }{ dropped_text(d) }
                                <title>{ format!("the sink already held {}: it dropped {} repeated write(s)", d.0, d.1) }</title>
                            </tspan>
                        }) }
                    }
                </text>
            </g>
        </g>
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_consumers_partitions_fit_on_its_card() {
        let adv = names::node_line_advance;
        let short = [("t-0", Some(3)), ("t-1", None)];
        assert_eq!(owned_line(&short, 132.0, adv), "t-0@3 t-1");
        let long = "customer-orders-from-the-web-shop";
        let (l0, l1) = (format!("{long}-0"), format!("{long}-1"));
        let two = [(l0.as_str(), Some(1)), (l1.as_str(), Some(0))];
        for room in [132.0, 94.0] {
            let line = owned_line(&two, room, adv);
            assert!(names::width(&line, adv) <= room, "{line}");
            assert!(
                line.starts_with("cust") && line.ends_with("…-0@1 +1"),
                "{line}"
            );
        }
        // Many short ones: the first that fit, and how many more.
        let many: Vec<String> = (0..12).map(|p| format!("t-{p}")).collect();
        let many: Vec<(&str, Option<i64>)> = many.iter().map(|l| (l.as_str(), Some(10))).collect();
        let line = owned_line(&many, 132.0, adv);
        assert!(
            names::width(&line, adv) <= 132.0 && line.starts_with("t-0@10 t-1@10"),
            "{line}"
        );
        let shown = line.split(' ').filter(|w| w.contains('@')).count();
        assert!(line.ends_with(&format!("+{}", 12 - shown)), "{line}");
    }

    #[test]
    fn the_coordinator_badge_says_less_before_it_leaves_its_box() {
        let room = |n: usize| move |t: &str| t.chars().count() <= n;
        let text =
            |group, compact, n| badge_text(group, 1, "CompletingRebalance", compact, room(n));
        assert_eq!(
            text("g", false, 60),
            "coordinator · g gen 1 · CompletingRebalance"
        );
        assert_eq!(text("g", true, 60), "coord. g gen 1 · CompletingRebalance");
        assert_eq!(text("g", false, 36), "coord. g gen 1 · CompletingRebalance");
        assert_eq!(text("g", false, 20), "coord. g gen 1");
        assert_eq!(text("g", true, 7), "g gen 1");
        assert_eq!(text("orders-app", false, 10), "ord… gen 1");
        assert_eq!(text("orders-app", false, 3), "… gen 1");
    }
    use super::*;

    fn rec(value: &str, times: u32) -> RecordCount {
        RecordCount {
            value: value.to_string(),
            times,
            dropped: 0,
            twice: times > 1,
        }
    }

    #[test]
    fn a_record_processed_twice_stays_on_a_full_card() {
        let mut records: Vec<RecordCount> = ('a'..='z').map(|c| rec(&c.to_string(), 1)).collect();
        records[1].times = 2; // b
        records[1].twice = true;
        let (shown, omitted) = records_to_show(&records, 20);
        assert!(omitted);
        assert!(shown.iter().any(|r| r.value == "b" && r.times == 2));
        // The newest come next, in record order, within the line's budget.
        assert_eq!(shown.last().unwrap().value, "z");
        let line: usize = shown
            .iter()
            .map(|r| record_text(r).chars().count() + 1)
            .sum();
        assert!(line + 2 <= 21, "{line}");
        // A short list is shown whole.
        let (all, omitted) = records_to_show(&records[..3], 20);
        assert!(!omitted);
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn the_sink_shows_its_newest_records_that_fit() {
        let kept: Vec<String> = (0..30).map(|i| format!("r{i}")).collect();
        let (shown, more) = newest_that_fit(&kept, |v| short_label(v), 14);
        assert!(more);
        assert_eq!(shown.last().unwrap(), "r29");
        assert!(shown.iter().map(|v| v.len() + 1).sum::<usize>() <= 12);
        let (shown, more) = newest_that_fit(&kept[..3], |v| short_label(v), 14);
        assert!(!more);
        assert_eq!(shown.len(), 3);
    }
}
