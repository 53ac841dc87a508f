//! The consumer group panel (runs with consumers only): the group as its coordinator sees it
//! (state, generation — R7.4), each partition's owner and committed offset (R7.2), an "Add a
//! consumer" button, the assignment of each generation (what moved in each rebalance, R7.5), each consumer's revoked and newly assigned partitions in its last generation (R7.4, KIP-429), the consumer verdicts of the ledger (consumed by whom, how many times; lost,
//! processed twice, out of order — R7.3) and the legend of the consumer symbols.

use std::rc::Rc;

use highwater_core::command::Command;
use yew::prelude::*;

use crate::ui::group_view::GroupView;
use crate::ui::state::Dispatch;
use crate::ui::state::Msg;
use crate::ui::view::Topology;

#[derive(Properties, PartialEq)]
pub struct GroupProps {
    pub group: Rc<GroupView>,
    pub topology: Rc<Topology>,
    pub dispatch: Dispatch,
}

#[function_component(GroupPanel)]
pub fn group_panel(props: &GroupProps) -> Html {
    let g = &*props.group;
    let label = |part: usize| {
        props
            .topology
            .partitions
            .get(part)
            .map_or("?".to_string(), |p| p.label.clone())
    };
    let add = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Command(Command::AddConsumer)))
    };
    let head = match &g.group {
        Some(x) => format!(
            "group {} · coordinator b{} · generation {} · {} · {} member{}",
            x.group,
            x.coordinator,
            x.generation,
            x.state.name(),
            x.members,
            if x.members == 1 { "" } else { "s" }
        ),
        None => "no coordinator yet".to_string(),
    };
    let owners = g.parts.iter().map(|p| {
        let owner = if p.owners.is_empty() {
            "none".to_string()
        } else {
            p.owners
                .iter()
                .map(|(c, gen)| format!("c{c} (gen {gen})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        html! {
            <tr key={p.part} data-partition={label(p.part)} data-owner={p.owners.iter().map(|(c, _)| format!("c{c}")).collect::<Vec<_>>().join(",")}>
                <td>{ label(p.part) }</td>
                <td class={classes!((p.owners.len() > 1).then_some("warn"))}>{ owner }</td>
                <td class="mono">{ p.committed.map_or("none".to_string(), |o| o.to_string()) }</td>
            </tr>
        }
    });
    // A cell whose owner differs from the generation before moved in that rebalance.
    let generations = g.generations.iter().enumerate().map(|(i, row)| {
        let before = i.checked_sub(1).map(|j| &g.generations[j]);
        let cells = row.owners.iter().enumerate().map(|(k, owner)| {
            let moved = before.is_some_and(|b| b.owners[k] != *owner);
            html! {
                <td class={classes!("mono", moved.then_some("moved"))}
                    title={moved.then_some("moved in this rebalance")}>
                    { owner.map_or("—".to_string(), |c| format!("c{c}")) }
                </td>
            }
        });
        html! {
            <tr data-generation={row.generation.to_string()}>
                <th scope="row">{ row.generation }</th>
                { for cells }
            </tr>
        }
    });
    // The last generation's changes per consumer: revoked struck through, new ones marked.
    let changes = g.consumers.iter().filter_map(|k| {
        let r = k.last_rebalance.as_ref()?;
        Some(html! {
            <li data-consumer={format!("c{}", k.id)} data-generation={r.generation.to_string()}>
                { format!("c{} · gen {}: ", k.id, r.generation) }
                { for r.revoked.iter().map(|p| html! { <del class="revoked" title="revoked">{ label(*p) }</del> }) }
                { for r.added.iter().map(|p| html! { <ins class="added" title="newly assigned">{ label(*p) }</ins> }) }
                if r.revoked.is_empty() && r.added.is_empty() { { "unchanged" } }
            </li>
        })
    });
    let rows = g.rows.iter().enumerate().map(|(i, r)| {
        let by = if r.by.is_empty() {
            "—".to_string()
        } else {
            r.by
                .iter()
                .map(|(c, skipped)| if *skipped { format!("c{c} (dedup skip)") } else { format!("c{c}") })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let times = r.by.iter().filter(|(_, s)| !s).count();
        html! {
            <tr key={i} data-value={r.value.clone()} data-times={times.to_string()}
                class={classes!(r.lost.then_some("lost"), r.twice.then_some("dup"))}>
                <td class="mono">{ r.value.clone() }</td>
                <td>{ r.part.clone() }</td>
                <td>{ by }</td>
                <td>{ times }</td>
                <td>
                    if r.lost { <span class="flag bad" title="committed past by the group but never processed (at-most-once)">{ "LOST" }</span> }
                    if r.twice { <span class="flag warn" title="processed more than once (at-least-once replay)">{ "TWICE" }</span> }
                    if r.out_of_order { <span class="flag warn" title="first processed after a record its producer sent later">{ "ORDER" }</span> }
                </td>
            </tr>
        }
    });
    html! {
        <section class="panel group-panel" aria-labelledby="group-title">
            <div class="panel-head">
                <h2 id="group-title">{ "Consumer group" }</h2>
                <button type="button" class="add-consumer" onclick={add}
                        title="Start one more consumer in the group: every member rejoins">{ "Add a consumer" }</button>
            </div>
            <div class="panel-body scroll">
                <p class="group-head" data-testid="group-head">{ head }</p>
                <table class="owners">
                    <thead><tr><th scope="col">{ "partition" }</th><th scope="col">{ "owner" }</th><th scope="col">{ "committed" }</th></tr></thead>
                    <tbody>{ for owners }</tbody>
                </table>
                if !g.generations.is_empty() {
                    <table class="generations" aria-label="Assignment per generation">
                        <caption>{ "assignment per generation (highlighted: moved in that rebalance)" }</caption>
                        <thead><tr>
                            <th scope="col">{ "gen" }</th>
                            { for g.parts.iter().map(|p| html! { <th scope="col">{ label(p.part) }</th> }) }
                        </tr></thead>
                        <tbody>{ for generations }</tbody>
                    </table>
                }
                if g.consumers.iter().any(|k| k.last_rebalance.is_some()) {
                    <ul class="rebalance-changes" aria-label="Last rebalance per consumer">
                        { for changes }
                    </ul>
                }
                <p class="panel-note">
                    { format!("{} processed", g.processed) }
                    if g.lost > 0 { <span class="bad">{ format!(" · {} lost by the consumers", g.lost) }</span> }
                    if g.twice > 0 { <span class="warn">{ format!(" · {} processed twice", g.twice) }</span> }
                    if g.out_of_order > 0 { <span class="warn">{ format!(" · {} out of order", g.out_of_order) }</span> }
                    if g.dedup_skipped > 0 { { format!(" · {} dedup-skipped", g.dedup_skipped) } }
                    if g.deleted_unread > 0 { <span class="bad" title="committed records deleted by retention or DeleteRecords before the group read them; auto.offset.reset moved the consumer past them">{ format!(" · {} deleted before read", g.deleted_unread) }</span> }
                </p>
                if !g.rows.is_empty() {
                    <table class="consumed">
                        <thead><tr>
                            <th scope="col">{ "record" }</th><th scope="col">{ "partition" }</th>
                            <th scope="col">{ "consumed by" }</th><th scope="col">{ "times" }</th><th scope="col">{ "verdict" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                }
                <ul class="cons-legend" aria-label="Consumer symbols">
                    <li><svg width="14" height="10" aria-hidden="true"><path class="position-mark" d="M7 8l-4.5 -6h9z" /></svg>{ " a consumer's position: the next offset its poll() returns" }</li>
                    <li><svg width="14" height="10" aria-hidden="true"><path class="position-mark zombie" d="M7 8l-4.5 -6h9z" /></svg>{ " a second consumer that still believes it owns the partition (a zombie of an older generation)" }</li>
                    <li><svg width="14" height="10" aria-hidden="true"><path class="committed-mark" d="M7 1l4 4l-4 4l-4 -4z" /></svg>{ " the group's committed offset: where a new owner resumes" }</li>
                    <li><span class="leg-tag">{ "coordinator · g gen 2 · Stable" }</span>{ " badge on the broker that leads __consumer_offsets: the group, its generation and state (Empty, PreparingRebalance, CompletingRebalance, Stable)" }</li>
                    <li><span class="leg-tag">{ "JG SG" }</span>{ " JoinGroup, SyncGroup · " }<span class="leg-tag">{ "OC OF" }</span>{ " OffsetCommit, OffsetFetch · " }<span class="leg-tag">{ "CF" }</span>{ " consumer fetch · " }<span class="leg-tag">{ "FC" }</span>{ " FindCoordinator" }</li>
                    <li>{ "The __consumer_offsets strip (muted) holds commits and generations, written by the coordinator." }</li>
                </ul>
            </div>
        </section>
    }
}
