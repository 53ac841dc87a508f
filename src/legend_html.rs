//! The legend's list (every symbol of the picture, drawn with the same CSS classes as the
//! picture) as HTML text. `build.rs` includes this file and writes the list to
//! `target/catalog/legend.html`, which the page fetches when the legend is first opened
//! (`ui/picture/legend.rs`): its words and drawings stay out of the page's wasm.

/// The file name under `catalog/` (next to the chapters' JSON).
pub const FILE: &str = "legend.html";

const CROWN_SWATCH: &str = concat!(
    r#"<path class="crown" transform="translate(12 5) scale(1.4)" d=""#,
    "M1 9.5L2 2.5L5 6L7 1L9 6L12 2.5L13 9.5Z",
    r#""/>"#
);

/// A message's pill in a swatch: its kind's class and its tag.
macro_rules! pill {
    ($kind:literal, $tag:literal) => {
        concat!(
            r#"<path class="msg "#,
            $kind,
            r#"" d="M14 3.5h15a8.5 8.5 0 0 1 0 17h-15a8.5 8.5 0 0 1 0-17z"/><text class="msg-tag" x="21.5" y="16">"#,
            $tag,
            "</text>"
        )
    };
}

/// (SVG content of a 44×24 swatch, explanation).
const ITEMS: &[(&str, &str)] = &[
    (
        r#"<rect class="cell ep0 committed" x="0" y="3" width="14" height="18" rx="2"/><rect class="cell ep1 committed" x="15" y="3" width="14" height="18" rx="2"/><rect class="cell ep2 committed" x="30" y="3" width="14" height="18" rx="2"/>"#,
        "Log record, coloured by the leader epoch that wrote it (epoch 0, 1, 2, …)",
    ),
    (
        r#"<rect class="cell ep0 committed" x="6" y="3" width="14" height="18" rx="2"/><rect class="cell ep0 uncommitted" x="22" y="3" width="14" height="18" rx="2"/>"#,
        "Solid: committed (below the high watermark). Faded: not committed yet",
    ),
    (
        r#"<rect class="cell ep0 committed" x="4" y="3" width="14" height="18" rx="2"/><line class="hw" x1="21" x2="21" y1="0" y2="24"/><rect class="cell ep0 uncommitted" x="24" y="3" width="14" height="18" rx="2"/>"#,
        "HW line: the high watermark; consumers read only below it",
    ),
    (
        r#"<rect class="cell ep0 committed" x="4" y="3" width="14" height="18" rx="2"/><rect class="cell ep0 uncommitted" x="19" y="3" width="14" height="18" rx="2"/><path class="leo" d="M35 17l4.5 5.5h-9z"/>"#,
        "LEO tick: the log end offset, where the next record goes",
    ),
    (
        r#"<rect class="cell ep0 committed" x="4" y="3" width="14" height="18" rx="2"/><line class="hw" x1="20" x2="20" y1="0" y2="24"/><rect class="cell ep0 uncommitted" x="21" y="3" width="14" height="18" rx="2"/><line class="leader-hw" x1="36" x2="36" y1="1" y2="23"/>"#,
        "Dotted line on a follower: the leader's HW (the follower learns it one fetch later)",
    ),
    (CROWN_SWATCH, "Crown: this replica is the partition leader"),
    (
        r#"<text class="part-label" x="2" y="16">t-0</text><text class="epoch-label" x="26" y="16">e2</text>"#,
        "Partition t-0 and e2, the leader epoch this replica knows (raised with each new leader of the partition)",
    ),
    (
        r#"<text class="node-sub" x="22" y="16" text-anchor="middle">ep. 5</text>"#,
        "Broker epoch (a broker's header, “broker epoch 5”): the controller's number for the broker's registration, new after each restart; not a leader epoch",
    ),
    (
        r#"<circle class="isr-dot in" cx="12" cy="12" r="5"/><circle class="isr-dot out" cx="30" cy="12" r="5"/>"#,
        "Filled dot: in the ISR (the controller's view). Hollow: out of the ISR",
    ),
    (
        r#"<rect class="cell ep0 uncommitted" x="14" y="3" width="14" height="18" rx="2"/><line class="unflushed-mark" x1="16" x2="26" y1="23" y2="23"/>"#,
        "Dotted underline: not flushed to disk yet — a power failure loses it",
    ),
    (
        r#"<rect class="cell ep0 committed lost" x="14" y="3" width="14" height="18" rx="2"/><path class="lost-mark" d="M17 6L25 18M25 6L17 18"/>"#,
        "Red cross: a lost record — acknowledged or committed, but a later leader does not have it",
    ),
    (
        r#"<rect class="cell ep0 committed" x="9" y="3" width="26" height="18" rx="2"/><text class="cell-label committed" x="22" y="16.5">fi…</text>"#,
        "fi…: a longer value cut short (hover the row for its full contents)",
    ),
    (
        r#"<rect class="cell ep1 committed dup" x="14" y="3" width="14" height="18" rx="2"/>"#,
        "Orange outline: a duplicate — the same record written twice (a retry after a lost ack)",
    ),
    (
        r#"<g class="ghost legend-ghost ep2"><rect x="14" y="3" width="14" height="18" rx="2"/></g>"#,
        "Fading record: truncated from this replica's log a moment ago",
    ),
    (
        r#"<text class="more-left" x="4" y="16">‹</text><rect class="cell ep0 committed" x="12" y="3" width="14" height="18" rx="2"/><rect class="cell ep0 committed" x="27" y="3" width="14" height="18" rx="2"/>"#,
        "‹ : older records lie left of the strip (hover a row for its full contents)",
    ),
    (
        r#"<text class="legend-ctrl" x="1" y="16">e0 {1,2}</text>"#,
        "Controller line: each partition's leader, leader epoch and ISR as the controller records them",
    ),
    (
        r#"<rect class="legend-box" x="2" y="3" width="40" height="18" rx="4"/><rect class="legend-box down-hatch" x="2" y="3" width="40" height="18" rx="4"/>"#,
        "Hatched broker: crashed or stopped (its disk survives). Amber dashed border: paused. Red border: fenced by the controller",
    ),
    (
        r#"<path class="link cut-link" d="M2 12H42"/><circle r="6" cx="22" cy="12" class="cut-badge"/><path d="M19 9L25 15M25 9L19 15" class="cut-x"/>"#,
        "Dashed red link: cut (messages on it are lost)",
    ),
    (pill!("k-produce", "Pr"), "Produce request (producer → leader). An idempotent producer's badge shows the batch's sequence number instead: s0, s1, … (KIP-98)"),
    (pill!("k-ack", "ack"), "ProduceResponse: acknowledged with an offset (err: an error)"),
    (pill!("k-fetch", "F"), "Fetch: a follower asks its leader for records from its LEO"),
    (pill!("k-fetchresp", "FR"), "FetchResponse: records plus the leader's HW"),
    (pill!("k-alter", "AP"), "AlterPartition: the leader asks the controller to change the ISR"),
    (pill!("k-meta", "MU"), "MetadataUpdate: the controller announces leaders, epochs and ISRs"),
    (
        r#"<path class="msg k-fetch" d="M14 3.5h15a8.5 8.5 0 0 1 0 17h-15a8.5 8.5 0 0 1 0-17z"/><path class="msg-ring enabled" d="M14 3.5h15a8.5 8.5 0 0 1 0 17h-15a8.5 8.5 0 0 1 0-17z"/><text class="msg-tag" x="21.5" y="16">F</text>"#,
        "Amber ring (manual mode): a message that may be delivered next",
    ),
    (
        r#"<path class="msg k-fetch" d="M6 3.5h15a8.5 8.5 0 0 1 0 17h-15a8.5 8.5 0 0 1 0-17zM30.5 7.5L36.5 12L30.5 16.5z"/><text class="msg-tag" x="13.5" y="16">F</text><path class="msg-route-head" d="M38 7L44 12L38 17z"/>"#,
        "Arrowhead: the way a message travels. Hover or click a message to follow it: its route to the receiver is drawn, the other messages fade",
    ),
    (
        r#"<path class="msg k-heartbeat" d="M19 12a3 3 0 1 0 6 0a3 3 0 1 0-6 0z"/>"#,
        "Heartbeat between a broker and the controller (hidden unless Heartbeats is on)",
    ),
    // The consuming side: only runs with consumers draw these.
    (
        r#"<text class="node-line" x="0" y="16"><tspan class="cons-record">b</tspan> <tspan class="cons-record twice">a ×2</tspan></text>"#,
        "On a consumer's card: the records its application processed; amber (a ×2): processed more than once, by it or by another member of its group",
    ),
    (
        r#"<rect class="legend-box" x="2" y="3" width="40" height="18" rx="4"/><text class="legend-ctrl" x="9" y="16">sink</text>"#,
        "Sink (consumers with dedup = true): what the application's output holds, and the duplicate writes it dropped",
    ),
    // Transactions (R6): only runs with a transactional.id draw these.
    (
        r#"<rect class="cell ep0 committed txn" x="4" y="3" width="14" height="18" rx="2"/><rect class="cell ep0 committed marker" x="21" y="3" width="14" height="18" rx="2"/><text class="cell-label committed" x="28" y="15.5">C</text>"#,
        "Transactions: outlined record written in a transaction; C / A: its COMMIT or ABORT marker (never handed to an application)",
    ),
    (
        r#"<rect class="cell ep0 committed aborted" x="4" y="3" width="14" height="18" rx="2"/><rect class="cell ep0 committed marker" x="21" y="3" width="14" height="18" rx="2"/><text class="cell-label committed" x="28" y="15.5">A</text>"#,
        "Pale, dashed: a record of an aborted transaction; read_committed consumers skip it",
    ),
    (
        r#"<rect class="cell ep0 committed txn" x="4" y="3" width="14" height="18" rx="2"/><path class="lso" d="M4 2l4 -5h-8z" transform="translate(0 3)"/><line class="hw" x1="21" x2="21" y1="0" y2="24"/>"#,
        "LSO tick: the last stable offset; read_committed consumers read only below it (shown when it holds them back from the HW)",
    ),
    (
        r#"<path class="msg k-txn" d="M16 5h12a7 7 0 0 1 0 14h-12a7 7 0 0 1 0-14z"/><text class="msg-tag" x="22" y="15.3">ET</text>"#,
        "Transaction RPCs: InitProducerId (IP), AddPartitionsToTxn (AT), EndTxn (ET), WriteTxnMarkers (WM)",
    ),
];

/// The legend's list: `<ul>` with one `<li>` per item (a swatch and its explanation).
pub fn legend_html() -> String {
    let mut s = String::from("<ul>");
    for (svg, text) in ITEMS {
        s.push_str(r#"<li><svg class="swatch" viewBox="0 0 44 24" width="44" height="24" aria-hidden="true" focusable="false">"#);
        s.push_str(svg);
        s.push_str("</svg><span>");
        s.push_str(text);
        s.push_str("</span></li>");
    }
    s.push_str("</ul>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_a_list_entry_with_its_swatch() {
        let html = legend_html();
        assert!(html.starts_with("<ul><li>") && html.ends_with("</li></ul>"));
        assert_eq!(html.matches("<li>").count(), ITEMS.len());
        assert_eq!(html.matches(r#"<svg class="swatch""#).count(), ITEMS.len());
        for (svg, text) in ITEMS {
            assert!(
                html.contains(&format!("{svg}</svg><span>{text}</span>")),
                "{text}"
            );
        }
    }
}
