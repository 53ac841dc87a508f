//! The inspector: the actions of the selected broker, controller or producer (crash, power
//! failure, controlled shutdown, restart, pause/resume, isolate, cut/heal links), or the fields of
//! the selected message with a "Drop" button.

use std::rc::Rc;

use highwater_core::command::Command;
use highwater_core::config::OFFSETS_TOPIC;
use highwater_core::types::NodeId;
use yew::prelude::*;

use super::format::seconds;
use super::state::Dispatch;
use super::state::{Msg, Selection};
use super::view::{BrokerView, CutLink, MsgView, ProducerView, ReplicaRole, Topology};
use super::widgets::button;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub selection: Selection,
    pub broker: Option<Rc<BrokerView>>,
    pub producer: Option<ProducerView>,
    /// The selected consumer, if a consumer is selected.
    #[prop_or_default]
    pub consumer: Option<super::group_view::ConsumerView>,
    pub message: Option<MsgView>,
    pub controller_paused: bool,
    /// The `unclean.leader.election.enable` the controller's elections use now.
    #[prop_or_default]
    pub unclean_election: bool,
    pub cuts: Rc<Vec<CutLink>>,
    pub topology: Rc<Topology>,
    /// Display time (whole virtual ms), for "delivers in …".
    pub now: u64,
    /// While paused: the messages in flight, listed so that they can be chosen by keyboard.
    pub in_flight: Option<Rc<Vec<MsgView>>>,
    pub show_heartbeats: bool,
    pub dispatch: Dispatch,
}

/// The admin client's DeleteRecords (KIP-107) for each user partition this broker leads: the
/// log start moves to the HW (`offset = -1`). `None` when it leads none.
fn delete_records_buttons(
    d: &Dispatch,
    props: &InspectorProps,
    b: &BrokerView,
    up: bool,
) -> Option<Html> {
    let buttons: Vec<Html> = b
        .replicas
        .iter()
        .filter(|r| r.role == ReplicaRole::Leader)
        .filter_map(|r| {
            let p = props.topology.partitions.get(r.part)?;
            (p.topic != OFFSETS_TOPIC).then(|| {
                button(
                    d,
                    &format!("Delete {} below HW {}", p.label, r.hw),
                    "DeleteRecords (KIP-107): the leader moves its log start to its HW and followers follow; a consumer behind it is reset by auto.offset.reset and never sees those records",
                    Command::DeleteRecords {
                        topic: Some(p.topic.clone()),
                        partition: u32::from(p.tp.partition),
                        offset: -1,
                    },
                    up && r.hw > r.log_start_offset,
                )
            })
        })
        .collect();
    (!buttons.is_empty()).then(|| html! { <>{ for buttons }</> })
}

fn links_section(props: &InspectorProps, node: NodeId) -> Html {
    let d = &props.dispatch;
    let mut peers = vec![NodeId::Controller];
    peers.extend(props.topology.brokers.iter().map(|b| NodeId::Broker(*b)));
    peers.extend(
        props
            .topology
            .producers
            .iter()
            .map(|p| NodeId::Producer(*p)),
    );
    peers.retain(|p| *p != node);
    let rows = peers.into_iter().map(|peer| {
        let state = props
            .cuts
            .iter()
            .find(|c| (c.a == node && c.b == peer) || (c.b == node && c.a == peer))
            .map(|c| {
                let (out, inn) = if c.a == node {
                    (c.a_to_b, c.b_to_a)
                } else {
                    (c.b_to_a, c.a_to_b)
                };
                match (out, inn) {
                    (true, true) => "cut both ways",
                    (true, false) => "cut outgoing",
                    _ => "cut incoming",
                }
            });
        html! {
            <li key={peer.to_string()}>
                <span class={classes!("link-name", state.is_some().then_some("bad"))}>
                    { format!("{node} ↔ {peer}") }
                    if let Some(s) = state { <small>{ format!(" · {s}") }</small> }
                </span>
                { button(d, "Cut", &format!("Cut the link between {node} and {peer} (both ways)"),
                    Command::Cut { from: node, to: peer, both: true }, true) }
                { button(d, "Cut →", &format!("Cut only {node} → {peer}"),
                    Command::Cut { from: node, to: peer, both: false }, true) }
            </li>
        }
    });
    let any_cut = props.cuts.iter().any(|c| c.a == node || c.b == node);
    html! {
        <div class="links-section">
            <h3>{ "Links" }</h3>
            <ul class="link-list">{ for rows }</ul>
            <div class="actions">
                { button(d, &format!("Heal {node}'s links"), "Restore every link of this node", Command::Heal { node: Some(node) }, any_cut) }
                { button(d, "Heal all links", "Restore every link of the cluster", Command::Heal { node: None }, !props.cuts.is_empty()) }
            </div>
        </div>
    }
}

/// The dynamic broker config `unclean.leader.election.enable`, changed as the admin client's
/// `incrementalAlterConfigs` does (command `unclean-leader-election`).
fn unclean_election_switch(props: &InspectorProps) -> Html {
    let d = props.dispatch.clone();
    let on = props.unclean_election;
    let onchange = Callback::from(move |e: Event| {
        let (_, enable) = super::widgets::target_value(&e);
        d.dispatch(Msg::Command(Command::UncleanLeaderElection { enable }));
    });
    let hint = if props.controller_paused {
        "the controller is paused: resume it to change its configuration"
    } else if on {
        "a partition with no live ISR member elects any live replica: committed records may be lost"
    } else {
        "a partition with no live ISR member waits for one (no loss, no availability); switched on, the controller elects at once"
    };
    html! {
        <>
            <h3>{ "Dynamic config" }</h3>
            <label class="field-check unclean-switch"
                   title="admin.incrementalAlterConfigs: a cluster-wide dynamic broker config (KIP-226)">
                <input type="checkbox" checked={on} disabled={props.controller_paused} {onchange} />
                <span class="name">{ "unclean.leader.election.enable" }</span>
                <span class="hint">{ hint }</span>
            </label>
        </>
    }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let d = &props.dispatch;
    let close = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Select(Selection::None)))
    };
    let body = match props.selection {
        Selection::None => {
            let msgs: Vec<Html> = props
                .in_flight
                .iter()
                .flat_map(|v| v.iter())
                .filter(|m| props.show_heartbeats || !m.heartbeat)
                .take(12)
                .map(|m| {
                    let (d, id) = (d.clone(), m.id);
                    html! {
                        <li key={m.id}>
                            <button type="button" class="msg-pick"
                                    onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Select(Selection::Message(id))))}>
                                { format!("{} {} → {}", m.kind, m.from, m.to) }
                            </button>
                        </li>
                    }
                })
                .collect();
            html! {
                <>
                    <p class="hint">
                        { "Click a broker, the controller, a producer or a moving message to act on it. " }
                        { "Press Play to run, or Step to advance one event at a time." }
                    </p>
                    if !msgs.is_empty() {
                        <h3>{ "Messages in flight" }</h3>
                        <ul class="msg-picks">{ for msgs }</ul>
                    }
                </>
            }
        }
        Selection::Node(NodeId::Broker(id)) => match &props.broker {
            None => html! { <p>{ format!("There is no broker {id}.") }</p> },
            Some(b) => {
                let node = NodeId::Broker(id);
                let up = b.is_up();
                let roles: Vec<Html> = b
                    .replicas
                    .iter()
                    .map(|r| {
                        let label = props.topology.partitions.get(r.part).map_or("?", |p| p.label.as_str());
                        let role = match r.role {
                            ReplicaRole::Leader => "leader",
                            ReplicaRole::Follower => "follower",
                            ReplicaRole::None => "no role",
                        };
                        let isr = if r.in_isr { "in ISR" } else { "out of ISR" };
                        let lag = match (r.role, r.leader_hw) {
                            (ReplicaRole::Follower, Some(l)) if l > r.hw => format!(", leader's HW {l}"),
                            _ => String::new(),
                        };
                        let followers = if r.role == ReplicaRole::Leader && !r.followers.is_empty() {
                            let f: Vec<String> = r
                                .followers
                                .iter()
                                .map(|f| {
                                    format!(
                                        "b{} LEO {}{}",
                                        f.broker,
                                        f.leo.map_or("?".to_string(), |o| o.to_string()),
                                        if f.caught_up { "" } else { " (lagging)" }
                                    )
                                })
                                .collect();
                            format!("; sees {}", f.join(", "))
                        } else {
                            String::new()
                        };
                        let pending = r
                            .pending_isr
                            .as_ref()
                            .map(|p| format!("; AlterPartition pending: ISR {p:?}"))
                            .unwrap_or_default();
                        html! {
                            <li>{ format!("{label}: {role} in leader epoch {}, HW {}, LEO {}, {isr}{lag}{followers}{pending}",
                                r.leader_epoch, r.hw, r.leo) }</li>
                        }
                    })
                    .collect();
                html! {
                    <>
                        <p class="status">{ format!("Status: {}", b.status_text()) }</p>
                        <ul class="roles">{ for roles }</ul>
                        <div class="actions">
                            { button(d, "Crash (kill -9)", "The process dies; its disk (and the OS page cache) survive",
                                Command::Crash { broker: id, lose_unflushed: false }, up) }
                            { button(d, "Power failure", "The machine loses power: records not yet flushed to disk are lost",
                                Command::Crash { broker: id, lose_unflushed: true }, up) }
                            { button(d, "Controlled shutdown", "Leadership moves away first; nothing is lost",
                                Command::Shutdown { broker: id }, up && !b.shutting_down) }
                            { button(d, "Restart", "Start the broker again from its disk",
                                Command::Restart { broker: id }, !up) }
                            if b.paused {
                                { button(d, &format!("Resume {node}"), "Continue the paused process", Command::Resume { node }, true) }
                            } else {
                                { button(d, &format!("Pause {node}"), "Freeze the process (like SIGSTOP or a long GC pause)", Command::Pause { node }, up) }
                            }
                            { button(d, "Isolate", "Cut every link to and from this broker", Command::Isolate { node }, true) }
                            { button(d, "Flush", "Write its dirty pages to disk now", Command::Flush { broker: id }, up) }
                        </div>
                        if let Some(deletes) = delete_records_buttons(d, props, b, up) {
                            <h3>{ "Admin" }</h3>
                            <div class="actions">{ deletes }</div>
                        }
                        { links_section(props, node) }
                    </>
                }
            }
        },
        Selection::Node(NodeId::Controller) => {
            let node = NodeId::Controller;
            html! {
                <>
                    <p class="status">{ "The KRaft controller quorum, modelled as one node that never crashes. It can be paused or cut off." }</p>
                    <div class="actions">
                        if props.controller_paused {
                            { button(d, "Resume controller", "Continue the controller", Command::Resume { node }, true) }
                        } else {
                            { button(d, "Pause controller", "Freeze the controller", Command::Pause { node }, true) }
                        }
                        { button(d, "Isolate", "Cut every link to and from the controller", Command::Isolate { node }, true) }
                    </div>
                    { unclean_election_switch(props) }
                    { links_section(props, node) }
                </>
            }
        }
        Selection::Node(NodeId::Producer(id)) => {
            let node = NodeId::Producer(id);
            let paused = props.producer.as_ref().is_some_and(|p| p.paused);
            html! {
                <>
                    if let Some(p) = &props.producer {
                        <p class="status">{ format!("acks={}, {} queued, {} in flight, {} acknowledged, {} lost{}",
                            p.acks.as_str(), p.queued, p.in_flight, p.acked, p.lost,
                            if p.auto { ", auto-producing" } else { "" }) }</p>
                        if let Some(e) = p.last_error {
                            <p class="status last-error">{ format!("Last error: {e}{}",
                                p.last_error_at.map_or(String::new(), |t| format!(" at t = {}", seconds(t)))) }</p>
                        }
                        if let Some(t) = &p.txn {
                            { super::txn_actions::producer_txn_section(d, id, t) }
                        }
                    }
                    <div class="actions">
                        if paused {
                            { button(d, &format!("Resume {node}"), "Continue the producer", Command::Resume { node }, true) }
                        } else {
                            { button(d, &format!("Pause {node}"), "Freeze the producer client", Command::Pause { node }, true) }
                        }
                        { button(d, "Isolate", "Cut the producer off the network", Command::Isolate { node }, true) }
                        { button(d, "Stop auto-produce", "Stop sending a record every few hundred ms",
                            Command::AutoProduce { producer: id, interval_ms: 0, topic: None, acks: None },
                            props.producer.as_ref().is_some_and(|p| p.auto)) }
                    </div>
                    { links_section(props, node) }
                </>
            }
        }
        Selection::Node(NodeId::Consumer(c)) => html! {
            <>
                { super::consumer_actions::consumer_body(d, c, props.consumer.as_ref(), &props.topology) }
                { links_section(props, NodeId::Consumer(c)) }
            </>
        },
        Selection::Message(id) => match &props.message {
            None => html! { <p>{ format!("Message {id} has been delivered or dropped.") }</p> },
            Some(m) => {
                let eta = m.deliver_at.saturating_sub(props.now);
                html! {
                    <>
                        <dl class="fields">
                            <dt>{ "id" }</dt><dd>{ m.id }</dd>
                            <dt>{ "kind" }</dt><dd>{ m.kind.name() }</dd>
                            <dt>{ "from → to" }</dt><dd>{ format!("{} → {}", m.from, m.to) }</dd>
                            <dt>{ "content" }</dt><dd>{ m.summary.clone() }</dd>
                            <dt>{ "sent at" }</dt><dd>{ format!("{} ms", m.sent_at) }</dd>
                            <dt>{ "arrives at" }</dt><dd>{ format!("{} ms (in {eta} ms)", m.deliver_at) }</dd>
                        </dl>
                        <div class="actions">
                            { button(d, "Drop", "Lose this message on the wire", Command::Drop { message: id }, true) }
                        </div>
                    </>
                }
            }
        },
    };
    let title = match props.selection {
        Selection::None => "Inspector".to_string(),
        Selection::Node(NodeId::Broker(b)) => format!("Broker b{b}"),
        Selection::Node(NodeId::Controller) => "Controller".to_string(),
        Selection::Node(NodeId::Producer(p)) => format!("Producer p{p}"),
        Selection::Node(NodeId::Consumer(c)) => format!("Consumer c{c}"),
        Selection::Message(_) => match &props.message {
            Some(m) => format!("Message: {}", m.kind),
            None => "Message".to_string(),
        },
    };
    html! {
        <section class="panel inspector" aria-labelledby="inspector-title">
            <div class="panel-head">
                <h2 id="inspector-title">{ title }</h2>
                if props.selection != Selection::None {
                    <button type="button" class="ghost-btn" aria-label="Close the inspector" onclick={close}>{ "✕" }</button>
                }
            </div>
            <div class="panel-body">{ body }</div>
        </section>
    }
}
