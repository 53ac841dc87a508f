//! The inspector's body for a selected consumer: its state and its actions (crash, restart,
//! close, pause / resume, isolate, commit mode — R7.3), as commands of the core.

use highwater_core::command::Command;
use highwater_core::config::CommitMode;
use highwater_core::txn::isolation::IsolationLevel;
use highwater_core::types::NodeId;
use yew::prelude::*;

use super::group_view::{commit_label, ConsumerView};
use super::state::Dispatch;
use super::state::Msg;
use super::view::Topology;
use super::widgets::button;

/// Status line and actions of consumer `id` (`None`: it does not exist in this run).
pub fn consumer_body(d: &Dispatch, id: u32, k: Option<&ConsumerView>, topo: &Topology) -> Html {
    let Some(k) = k else {
        return html! { <p>{ format!("There is no consumer c{id}.") }</p> };
    };
    let node = NodeId::Consumer(id);
    let up = k.is_up();
    let parts: Vec<Html> = k
        .assigned
        .iter()
        .map(|a| {
            let pos = a
                .position
                .filter(|o| *o >= 0)
                .map_or("?".to_string(), |o| o.to_string());
            let com = a.committed.map_or("none".to_string(), |o| o.to_string());
            let label = topo
                .partitions
                .get(a.part)
                .map_or("?", |p| p.label.as_str());
            html! { <li>{ format!("{label}: position {pos}, last commit seen {com}") }</li> }
        })
        .collect();
    let modes = [
        (
            CommitMode::Auto,
            "Auto-commit",
            "enable.auto.commit: commit the position every auto.commit.interval.ms, at poll()",
        ),
        (
            CommitMode::AfterProcessing,
            "Commit after processing",
            "commitSync() after processing a poll's records: at-least-once",
        ),
        (
            CommitMode::BeforeProcessing,
            "Commit before processing",
            "commitSync() right after poll(), before processing: at-most-once",
        ),
    ];
    html! {
        <>
            <p class="status">{ format!("Status: {}; generation {}; {}; {} processed, {} in hand",
                k.state_text(), k.generation, commit_label(k), k.processed, k.processing) }</p>
            if !parts.is_empty() {
                <ul class="roles">{ for parts }</ul>
            }
            <div class="actions">
                { button(d, "Crash (kill -9)", "The process dies: what it was processing and its uncommitted position are lost",
                    Command::CrashConsumer { consumer: id }, up) }
                { button(d, "Restart", "Start it again: it joins as a new member and resumes from the committed offsets",
                    Command::RestartConsumer { consumer: id }, !up) }
                { button(d, "Leave group (close)", "close(): commit (with auto-commit), LeaveGroup, stop",
                    Command::RemoveConsumer { consumer: id }, up) }
                if k.paused {
                    { button(d, &format!("Resume {node}"), "Continue the paused consumer", Command::Resume { node }, true) }
                } else {
                    { button(d, &format!("Pause {node}"), "Freeze the consumer (like SIGSTOP or a long GC pause): no heartbeats", Command::Pause { node }, up) }
                }
                { button(d, "Isolate", "Cut the consumer off the network", Command::Isolate { node }, true) }
            </div>
            <h3>{ "When to commit" }</h3>
            <div class="actions commit-modes" role="group" aria-label={format!("Commit mode of {node}")}>
                { for modes.iter().map(|(m, label, title)| {
                    let d = d.clone();
                    let cmd = Command::CommitMode { consumer: id, mode: *m };
                    html! {
                        <button type="button" title={title.to_string()} aria-pressed={(k.mode == *m).to_string()}
                                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Command(cmd.clone())))}>
                            { label.to_string() }
                        </button>
                    }
                }) }
            </div>
            <h3>{ "isolation.level" }</h3>
            <div class="actions isolation-levels" role="group" aria-label={format!("Isolation level of {node}")}>
                { for [
                    (IsolationLevel::ReadUncommitted, "read_uncommitted", "reads up to the HW, aborted transactions included (Kafka's default)"),
                    (IsolationLevel::ReadCommitted, "read_committed", "reads up to the last stable offset and skips aborted transactions (R6.7)"),
                ].into_iter().map(|(level, label, title)| {
                    let d = d.clone();
                    let cmd = Command::IsolationLevel { consumer: id, level };
                    html! {
                        <button type="button" title={title} aria-pressed={(k.isolation == level).to_string()}
                                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Msg::Command(cmd.clone())))}>
                            { label }
                        </button>
                    }
                }) }
            </div>
        </>
    }
}
