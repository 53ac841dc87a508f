//! The legend: every symbol of the picture, drawn with the same CSS classes as the picture.

use yew::prelude::*;

use super::CROWN;

fn swatch(body: Html) -> Html {
    html! {
        <svg class="swatch" viewBox="0 0 44 24" width="44" height="24" aria-hidden="true" focusable="false">
            { body }
        </svg>
    }
}

fn cell(x: f64, epoch: u8, class: &'static str) -> Html {
    html! {
        <g class={classes!("cell", format!("ep{epoch}"), class)}>
            <rect x={x.to_string()} y="3" width="14" height="18" rx="2" />
        </g>
    }
}

fn item(symbol: Html, text: &'static str) -> Html {
    html! {
        <li>{ symbol }<span>{ text }</span></li>
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Starts open (closed on narrow screens, where it would push the panels far down).
    pub open: bool,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let msg = |tag: &'static str, class: &'static str| {
        html! {
            <g class={classes!("msg", class)} transform="translate(22 12)">
                <rect x="-13" y="-7" width="26" height="14" rx="7" />
                <text y="3.3">{ tag }</text>
            </g>
        }
    };
    html! {
        <details class="legend" open={props.open}>
            <summary>{ "Legend" }</summary>
            <ul>
                { item(swatch(html! { <>{ cell(0.0, 0, "committed") }{ cell(15.0, 1, "committed") }{ cell(30.0, 2, "committed") }</> }),
                    "Log record, coloured by the leader epoch that wrote it (epoch 0, 1, 2, …)") }
                { item(swatch(html! { <>{ cell(6.0, 0, "committed") }{ cell(22.0, 0, "uncommitted") }</> }),
                    "Solid: committed (below the high watermark). Faded: not committed yet") }
                { item(swatch(html! { <>{ cell(4.0, 0, "committed") }<line class="hw" x1="21" x2="21" y1="0" y2="24" />{ cell(24.0, 0, "uncommitted") }</> }),
                    "HW line: the high watermark; consumers read only below it") }
                { item(swatch(html! { <>{ cell(4.0, 0, "committed") }{ cell(19.0, 0, "uncommitted") }<path class="leo" d="M35 17l4.5 5.5h-9z" /></> }),
                    "LEO tick: the log end offset, where the next record goes") }
                { item(swatch(html! { <>{ cell(4.0, 0, "committed") }<line class="hw" x1="20" x2="20" y1="0" y2="24" /><line class="leader-hw" x1="36" x2="36" y1="1" y2="23" />{ cell(21.0, 0, "uncommitted") }</> }),
                    "Dotted line on a follower: the leader's HW (the follower learns it one fetch later)") }
                { item(swatch(html! { <path class="crown" d={CROWN} transform="translate(12 5) scale(1.4)" /> }),
                    "Crown: this replica is the partition leader") }
                { item(swatch(html! { <><text class="part-label" x="2" y="16">{ "t-0" }</text><text class="epoch-label" x="26" y="16">{ "e2" }</text></> }),
                    "Partition t-0 and the leader epoch this replica knows") }
                { item(swatch(html! { <><circle class="isr-dot in" cx="12" cy="12" r="5" /><circle class="isr-dot out" cx="30" cy="12" r="5" /></> }),
                    "Filled dot: in the ISR (the controller's view). Hollow: out of the ISR") }
                { item(swatch(html! { <>{ cell(14.0, 0, "uncommitted unflushed") }<line class="unflushed-mark" x1="16" x2="26" y1="23" y2="23" /></> }),
                    "Dotted underline: not flushed to disk yet — a power failure loses it") }
                { item(swatch(html! { <g class="cell ep0 committed lost"><rect x="14" y="3" width="14" height="18" rx="2" /><path class="lost-mark" d="M17 6L25 18M25 6L17 18" /></g> }),
                    "Red cross: a lost record — acknowledged or committed, but a later leader does not have it") }
                { item(swatch(html! { <g class="cell ep1 committed dup"><rect x="14" y="3" width="14" height="18" rx="2" /></g> }),
                    "Orange outline: a duplicate — the same record written twice (a retry after a lost ack)") }
                { item(swatch(html! { <g class="ghost legend-ghost ep2"><rect x="14" y="3" width="14" height="18" rx="2" /></g> }),
                    "Fading record: truncated from this replica's log a moment ago") }
                { item(swatch(html! { <><text class="more-left" x="4" y="16">{ "‹" }</text>{ cell(12.0, 0, "committed") }{ cell(27.0, 0, "committed") }</> }),
                    "‹ : older records lie left of the strip (hover a row for its full contents)") }
                { item(swatch(html! { <text class="legend-ctrl" x="1" y="16">{ "e0 {1,2}" }</text> }),
                    "Controller line: each partition's leader, leader epoch and ISR as the controller records them") }
                { item(swatch(html! { <><rect class="legend-box" x="2" y="3" width="40" height="18" rx="4" /><rect class="legend-box down-hatch" x="2" y="3" width="40" height="18" rx="4" /></> }),
                    "Hatched broker: crashed or stopped (its disk survives). Amber dashed border: paused. Red border: fenced by the controller") }
                { item(swatch(html! { <><path class="link cut-link" d="M2 12H42" /><circle r="6" cx="22" cy="12" class="cut-badge" /><path d="M19 9L25 15M25 9L19 15" class="cut-x" /></> }),
                    "Dashed red link: cut (messages on it are lost)") }
                { item(swatch(msg("Pr", "k-produce")), "Produce request (producer → leader)") }
                { item(swatch(msg("ack", "k-ack")), "ProduceResponse: acknowledged with an offset (err: an error)") }
                { item(swatch(msg("F", "k-fetch")), "Fetch: a follower asks its leader for records from its LEO") }
                { item(swatch(msg("FR", "k-fetchresp")), "FetchResponse: records plus the leader's HW") }
                { item(swatch(msg("AP", "k-alter")), "AlterPartition: the leader asks the controller to change the ISR") }
                { item(swatch(msg("MU", "k-meta")), "MetadataUpdate: the controller announces leaders, epochs and ISRs") }
                { item(swatch(html! { <g class="msg k-fetch enabled" transform="translate(22 12)"><rect x="-13" y="-7" width="26" height="14" rx="7" /><text y="3.3">{ "F" }</text></g> }),
                    "Amber ring (manual mode): a message that may be delivered next") }
                { item(swatch(html! { <g class="msg k-heartbeat" transform="translate(22 12)"><circle r="3" /></g> }),
                    "Heartbeat between a broker and the controller (hidden unless Heartbeats is on)") }
            </ul>
        </details>
    }
}
