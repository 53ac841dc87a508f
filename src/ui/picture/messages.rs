//! Messages in flight, each drawn at the fraction of its flight that virtual time has covered:
//! `u = (vt − sent_at) / (deliver_at − sent_at)` along its link. This is the only part of the
//! picture that redraws on every animation frame.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::layout::Layout;
use super::log_strip::fmt;
use crate::ui::state::{Msg, Selection};
use crate::ui::view::MsgView;
use crate::ui::Dispatch;

/// Short tag drawn on a message, and the CSS class of its kind.
pub fn tag(m: &MsgView) -> (&'static str, &'static str) {
    match m.kind {
        "Produce" => ("Pr", "k-produce"),
        "ProduceResponse" if is_error(m) => ("err", "k-error"),
        "ProduceResponse" => ("ack", "k-ack"),
        "Fetch" => ("F", "k-fetch"),
        "FetchResponse" if is_error(m) => ("FR!", "k-error"),
        "FetchResponse" => ("FR", "k-fetchresp"),
        "AlterPartition" => ("AP", "k-alter"),
        "AlterPartitionResponse" => ("AP✓", "k-alter"),
        "MetadataUpdate" => ("MU", "k-meta"),
        "Metadata" => ("M?", "k-meta"),
        "MetadataResponse" => ("M", "k-meta"),
        "ConnectionRefused" => ("✗", "k-error"),
        // The consuming side (consumer ↔ broker, §7).
        "ConsumerFetch" => ("CF", "k-fetch"),
        "ConsumerFetchResponse" if is_error(m) => ("CF!", "k-error"),
        "ConsumerFetchResponse" => ("CFR", "k-fetchresp"),
        "FindCoordinator" => ("FC?", "k-meta"),
        "FindCoordinatorResponse" => ("FC", "k-meta"),
        "JoinGroup" => ("JG", "k-group"),
        "JoinGroupResponse" => ("JG✓", "k-group"),
        "SyncGroup" => ("SG", "k-group"),
        "SyncGroupResponse" => ("SG✓", "k-group"),
        "LeaveGroup" => ("LG", "k-group"),
        "LeaveGroupResponse" => ("LG✓", "k-group"),
        "OffsetCommit" => ("OC", "k-commit"),
        "OffsetCommitResponse" if is_error(m) => ("OC!", "k-error"),
        "OffsetCommitResponse" => ("OC✓", "k-commit"),
        "OffsetFetch" => ("OF", "k-commit"),
        "OffsetFetchResponse" => ("OF✓", "k-commit"),
        _ if m.heartbeat => ("", "k-heartbeat"),
        _ => ("?", "k-other"),
    }
}

fn is_error(m: &MsgView) -> bool {
    m.summary.contains("NOT_")
        || m.summary.contains("FENCED")
        || m.summary.contains("UNKNOWN")
        || m.summary.contains("TIMED_OUT")
        || m.summary.contains("OUT_OF")
        || m.summary.contains("INVALID")
        || m.summary.contains("STALE")
        || m.summary.contains("EXCEPTION")
}

/// Most messages drawn at once.
pub const MAX_DRAWN: usize = 80;

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub messages: Rc<Vec<MsgView>>,
    pub layout: Rc<Layout>,
    /// Display time, in virtual ms.
    pub vt: f64,
    pub show_heartbeats: bool,
    pub selected: Option<u64>,
    /// Manual mode: the messages that may be delivered next.
    pub enabled: Rc<Vec<u64>>,
    pub dispatch: Dispatch,
}

// Messages are not keyed: most of them move every frame anyway, and unkeyed elements are reused
// for the next message (attributes and text change) instead of being removed and created.
#[function_component(Messages)]
pub fn messages(props: &MessagesProps) -> Html {
    let l = &*props.layout;
    let items = props
        .messages
        .iter()
        .filter(|m| props.show_heartbeats || !m.heartbeat)
        // Beyond this many, pills only pile up on each other: the busiest runs draw the first.
        .take(MAX_DRAWN)
        .filter_map(|m| {
            let span = m.deliver_at.saturating_sub(m.sent_at) as f64;
            let u = if span <= 0.0 {
                1.0
            } else {
                ((props.vt - m.sent_at as f64) / span).clamp(0.0, 1.0)
            };
            let p = l.message_point(m.from, m.to, u)?;
            let (text, kind) = tag(m);
            let selected = props.selected == Some(m.id);
            let class = classes!(
                "msg",
                kind,
                selected.then_some("selected"),
                props.enabled.contains(&m.id).then_some("enabled"),
            );
            Some(html! {
                <g class={class} transform={format!("translate({} {})", fmt(p.x), fmt(p.y))}
                   data-msg-id={m.id.to_string()} data-kind={m.kind}>
                    if m.heartbeat {
                        <circle r="3" />
                    } else {
                        <rect x="-13" y="-7" width="26" height="14" rx="7" />
                        <text y="3.3">{ text }</text>
                    }
                </g>
            })
        });
    // One click handler for the whole layer (not one closure per message per frame): the
    // message is the clicked element's `[data-msg-id]` ancestor.
    let d = props.dispatch.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-msg-id]").ok().flatten())
            .and_then(|el| el.get_attribute("data-msg-id"))
            .and_then(|v| v.parse::<u64>().ok());
        if let Some(id) = id {
            e.stop_propagation();
            d.dispatch(Msg::Select(Selection::Message(id)));
        }
    });
    html! { <g class="messages" {onclick}>{ for items }</g> }
}
