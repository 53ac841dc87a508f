//! What a message in flight is called on the picture: its short tag and the CSS class of its
//! kind. Plain functions of the message's kind, below the view model and the message layer.

/// Short tag drawn on a message, and the CSS class of its kind.
pub fn tag(kind: &str, summary: &str, heartbeat: bool) -> (&'static str, &'static str) {
    let error = is_error(summary);
    match kind {
        "Produce" => ("Pr", "k-produce"),
        "ProduceResponse" if error => ("err", "k-error"),
        "ProduceResponse" => ("ack", "k-ack"),
        "Fetch" => ("F", "k-fetch"),
        "FetchResponse" if error => ("FR!", "k-error"),
        "FetchResponse" => ("FR", "k-fetchresp"),
        "AlterPartition" => ("AP", "k-alter"),
        "AlterPartitionResponse" => ("AP✓", "k-alter"),
        "MetadataUpdate" => ("MU", "k-meta"),
        "Metadata" => ("M?", "k-meta"),
        "MetadataResponse" => ("M", "k-meta"),
        "ConnectionRefused" => ("✗", "k-error"),
        // The consuming side (consumer ↔ broker, §7).
        "ConsumerFetch" => ("CF", "k-fetch"),
        "ConsumerFetchResponse" if error => ("CF!", "k-error"),
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
        "OffsetCommitResponse" if error => ("OC!", "k-error"),
        "OffsetCommitResponse" => ("OC✓", "k-commit"),
        "OffsetFetch" => ("OF", "k-commit"),
        "OffsetFetchResponse" => ("OF✓", "k-commit"),
        _ if heartbeat => ("", HEARTBEAT),
        _ => ("?", "k-other"),
    }
}

fn is_error(summary: &str) -> bool {
    [
        "NOT_",
        "FENCED",
        "UNKNOWN",
        "TIMED_OUT",
        "OUT_OF",
        "INVALID",
        "STALE",
        "EXCEPTION",
    ]
    .iter()
    .any(|e| summary.contains(e))
}

const HEARTBEAT: &str = "k-heartbeat";

/// Every kind class, in drawing order (later kinds on top). Heartbeats lie underneath.
pub const KINDS: [&str; 11] = [
    HEARTBEAT,
    "k-other",
    "k-meta",
    "k-alter",
    "k-group",
    "k-commit",
    "k-fetch",
    "k-fetchresp",
    "k-produce",
    "k-ack",
    "k-error",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_get_their_own_tag() {
        assert_eq!(tag("Produce", "", false), ("Pr", "k-produce"));
        assert_eq!(
            tag("ProduceResponse", "NOT_LEADER_OR_FOLLOWER", false),
            ("err", "k-error")
        );
        assert_eq!(tag("BrokerHeartbeat", "", true), ("", HEARTBEAT));
        assert!(KINDS.contains(&tag("OffsetCommit", "", false).1));
    }
}
