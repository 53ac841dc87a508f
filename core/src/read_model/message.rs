//! Messages on the wire as the read model shows them: every protocol message has a
//! [`MessageKind`] (its Kafka RPC name and a short label), so no face has to match strings.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cluster::{Cluster, Envelope};
use crate::protocol::Message;
use crate::types::{Millis, NodeId};

/// The kind of a protocol message: one per [`crate::protocol::Message`] variant. It serialises
/// as the RPC name the event log and scenario selectors use (`"Produce"`, `"Metadata"`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(missing_docs)] // Kafka's RPC names, see `name`.
pub enum MessageKind {
    Produce,
    ProduceResponse,
    #[serde(rename = "Metadata")]
    MetadataRequest,
    MetadataResponse,
    Fetch,
    FetchResponse,
    AlterPartition,
    AlterPartitionResponse,
    BrokerHeartbeat,
    HeartbeatResponse,
    MetadataUpdate,
    ConsumerFetch,
    ConsumerFetchResponse,
    FindCoordinator,
    FindCoordinatorResponse,
    JoinGroup,
    JoinGroupResponse,
    SyncGroup,
    SyncGroupResponse,
    GroupHeartbeat,
    GroupHeartbeatResponse,
    LeaveGroup,
    LeaveGroupResponse,
    OffsetCommit,
    OffsetCommitResponse,
    OffsetFetch,
    OffsetFetchResponse,
    OffsetsForLeaderEpoch,
    OffsetsForLeaderEpochResponse,
    InitProducerId,
    InitProducerIdResponse,
    AddPartitionsToTxn,
    AddPartitionsToTxnResponse,
    EndTxn,
    EndTxnResponse,
    TxnOffsetCommit,
    TxnOffsetCommitResponse,
    WriteTxnMarkers,
    WriteTxnMarkersResponse,
    ConnectionRefused,
    ConnectionClosed,
}

impl MessageKind {
    /// Every kind, in protocol order.
    pub const ALL: [MessageKind; 41] = [
        MessageKind::Produce,
        MessageKind::ProduceResponse,
        MessageKind::MetadataRequest,
        MessageKind::MetadataResponse,
        MessageKind::Fetch,
        MessageKind::FetchResponse,
        MessageKind::AlterPartition,
        MessageKind::AlterPartitionResponse,
        MessageKind::BrokerHeartbeat,
        MessageKind::HeartbeatResponse,
        MessageKind::MetadataUpdate,
        MessageKind::ConsumerFetch,
        MessageKind::ConsumerFetchResponse,
        MessageKind::FindCoordinator,
        MessageKind::FindCoordinatorResponse,
        MessageKind::JoinGroup,
        MessageKind::JoinGroupResponse,
        MessageKind::SyncGroup,
        MessageKind::SyncGroupResponse,
        MessageKind::GroupHeartbeat,
        MessageKind::GroupHeartbeatResponse,
        MessageKind::LeaveGroup,
        MessageKind::LeaveGroupResponse,
        MessageKind::OffsetCommit,
        MessageKind::OffsetCommitResponse,
        MessageKind::OffsetFetch,
        MessageKind::OffsetFetchResponse,
        MessageKind::OffsetsForLeaderEpoch,
        MessageKind::OffsetsForLeaderEpochResponse,
        MessageKind::InitProducerId,
        MessageKind::InitProducerIdResponse,
        MessageKind::AddPartitionsToTxn,
        MessageKind::AddPartitionsToTxnResponse,
        MessageKind::EndTxn,
        MessageKind::EndTxnResponse,
        MessageKind::TxnOffsetCommit,
        MessageKind::TxnOffsetCommitResponse,
        MessageKind::WriteTxnMarkers,
        MessageKind::WriteTxnMarkersResponse,
        MessageKind::ConnectionRefused,
        MessageKind::ConnectionClosed,
    ];

    /// The RPC name: what the event log prints, scenario selectors (`deliver = { kind = … }`)
    /// match, and the JSON carries.
    pub fn name(self) -> &'static str {
        use MessageKind as K;
        match self {
            K::Produce => "Produce",
            K::ProduceResponse => "ProduceResponse",
            K::MetadataRequest => "Metadata",
            K::MetadataResponse => "MetadataResponse",
            K::Fetch => "Fetch",
            K::FetchResponse => "FetchResponse",
            K::AlterPartition => "AlterPartition",
            K::AlterPartitionResponse => "AlterPartitionResponse",
            K::BrokerHeartbeat => "BrokerHeartbeat",
            K::HeartbeatResponse => "HeartbeatResponse",
            K::MetadataUpdate => "MetadataUpdate",
            K::ConsumerFetch => "ConsumerFetch",
            K::ConsumerFetchResponse => "ConsumerFetchResponse",
            K::FindCoordinator => "FindCoordinator",
            K::FindCoordinatorResponse => "FindCoordinatorResponse",
            K::JoinGroup => "JoinGroup",
            K::JoinGroupResponse => "JoinGroupResponse",
            K::SyncGroup => "SyncGroup",
            K::SyncGroupResponse => "SyncGroupResponse",
            K::GroupHeartbeat => "GroupHeartbeat",
            K::GroupHeartbeatResponse => "GroupHeartbeatResponse",
            K::LeaveGroup => "LeaveGroup",
            K::LeaveGroupResponse => "LeaveGroupResponse",
            K::OffsetCommit => "OffsetCommit",
            K::OffsetCommitResponse => "OffsetCommitResponse",
            K::OffsetFetch => "OffsetFetch",
            K::OffsetFetchResponse => "OffsetFetchResponse",
            K::OffsetsForLeaderEpoch => "OffsetsForLeaderEpoch",
            K::OffsetsForLeaderEpochResponse => "OffsetsForLeaderEpochResponse",
            K::InitProducerId => "InitProducerId",
            K::InitProducerIdResponse => "InitProducerIdResponse",
            K::AddPartitionsToTxn => "AddPartitionsToTxn",
            K::AddPartitionsToTxnResponse => "AddPartitionsToTxnResponse",
            K::EndTxn => "EndTxn",
            K::EndTxnResponse => "EndTxnResponse",
            K::TxnOffsetCommit => "TxnOffsetCommit",
            K::TxnOffsetCommitResponse => "TxnOffsetCommitResponse",
            K::WriteTxnMarkers => "WriteTxnMarkers",
            K::WriteTxnMarkersResponse => "WriteTxnMarkersResponse",
            K::ConnectionRefused => "ConnectionRefused",
            K::ConnectionClosed => "ConnectionClosed",
        }
    }

    /// A short label (at most three characters) for a message drawn on the wire; `error`: the
    /// message carries an error code (a response's `!` instead of its `✓`).
    pub fn label(self, error: bool) -> &'static str {
        use MessageKind as K;
        match (self, error) {
            (K::Produce, _) => "Pr",
            (K::ProduceResponse, false) => "ack",
            (K::ProduceResponse, true) => "err",
            (K::MetadataRequest, _) => "M?",
            (K::MetadataResponse, _) => "M",
            (K::Fetch, _) => "F",
            (K::FetchResponse, false) => "FR",
            (K::FetchResponse, true) => "FR!",
            (K::AlterPartition, _) => "AP",
            (K::AlterPartitionResponse, false) => "AP✓",
            (K::AlterPartitionResponse, true) => "AP!",
            (K::BrokerHeartbeat, _) => "HB",
            (K::HeartbeatResponse, _) => "HB✓",
            (K::MetadataUpdate, _) => "MU",
            (K::ConsumerFetch, _) => "CF",
            (K::ConsumerFetchResponse, false) => "CFR",
            (K::ConsumerFetchResponse, true) => "CF!",
            (K::FindCoordinator, _) => "FC?",
            (K::FindCoordinatorResponse, false) => "FC",
            (K::FindCoordinatorResponse, true) => "FC!",
            (K::JoinGroup, _) => "JG",
            (K::JoinGroupResponse, false) => "JG✓",
            (K::JoinGroupResponse, true) => "JG!",
            (K::SyncGroup, _) => "SG",
            (K::SyncGroupResponse, false) => "SG✓",
            (K::SyncGroupResponse, true) => "SG!",
            (K::GroupHeartbeat, _) => "GH",
            (K::GroupHeartbeatResponse, false) => "GH✓",
            (K::GroupHeartbeatResponse, true) => "GH!",
            (K::LeaveGroup, _) => "LG",
            (K::LeaveGroupResponse, _) => "LG✓",
            (K::OffsetCommit, _) => "OC",
            (K::OffsetCommitResponse, false) => "OC✓",
            (K::OffsetCommitResponse, true) => "OC!",
            (K::OffsetFetch, _) => "OF",
            (K::OffsetFetchResponse, false) => "OF✓",
            (K::OffsetFetchResponse, true) => "OF!",
            (K::OffsetsForLeaderEpoch, _) => "OE",
            (K::OffsetsForLeaderEpochResponse, false) => "OE✓",
            (K::OffsetsForLeaderEpochResponse, true) => "OE!",
            (K::InitProducerId, _) => "IP",
            (K::InitProducerIdResponse, false) => "IP✓",
            (K::InitProducerIdResponse, true) => "IP!",
            (K::AddPartitionsToTxn, _) => "AT",
            (K::AddPartitionsToTxnResponse, false) => "AT✓",
            (K::AddPartitionsToTxnResponse, true) => "AT!",
            (K::EndTxn, _) => "ET",
            (K::EndTxnResponse, false) => "ET✓",
            (K::EndTxnResponse, true) => "ET!",
            (K::TxnOffsetCommit, _) => "TO",
            (K::TxnOffsetCommitResponse, false) => "TO✓",
            (K::TxnOffsetCommitResponse, true) => "TO!",
            (K::WriteTxnMarkers, _) => "WM",
            (K::WriteTxnMarkersResponse, false) => "WM✓",
            (K::WriteTxnMarkersResponse, true) => "WM!",
            (K::ConnectionRefused | K::ConnectionClosed, _) => "✗",
        }
    }

    /// Background chatter that a picture may hide: broker and group heartbeats and their
    /// responses.
    pub fn is_heartbeat(self) -> bool {
        matches!(
            self,
            MessageKind::BrokerHeartbeat
                | MessageKind::HeartbeatResponse
                | MessageKind::GroupHeartbeat
                | MessageKind::GroupHeartbeatResponse
        )
    }
}

impl fmt::Display for MessageKind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSnapshot {
    /// Unique per run; what `drop` and manual `deliver` name.
    pub id: u64,
    /// Sender.
    pub from: NodeId,
    /// Destination.
    pub to: NodeId,
    /// The RPC.
    pub kind: MessageKind,
    /// One line for the event log and the inspector.
    pub summary: String,
    /// Virtual time it left its sender.
    pub sent_at: Millis,
    /// Virtual time it is due at its destination.
    pub deliver_at: Millis,
    /// Heartbeat chatter ([`MessageKind::is_heartbeat`]).
    pub heartbeat: bool,
    /// A response carrying an error code, or a refused / closed connection.
    #[serde(default)]
    pub error: bool,
    /// Short label: [`MessageKind::label`].
    #[serde(default)]
    pub label: String,
    /// An idempotent (or transactional) producer's Produce request: the batch's sequence number
    /// (KIP-98, R5.2; the picture's badge reads `s0`); `None` for every other message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<i32>,
}

/// A message on the wire, read lazily: its id and kind are free, its [`MessageSnapshot`] (with
/// the formatted summary) is built only when asked for.
#[derive(Clone, Copy, Debug)]
pub struct WireMessage<'a>(&'a Envelope, &'a Cluster);

impl WireMessage<'_> {
    /// The message's id.
    pub fn id(&self) -> u64 {
        self.0.id
    }
    /// The message's kind.
    pub fn kind(&self) -> MessageKind {
        self.0.msg.kind()
    }
    /// The whole message as plain data.
    pub fn snapshot(&self) -> MessageSnapshot {
        let e = self.0;
        let kind = e.msg.kind();
        let error = e.msg.carries_error();
        let sequence = match &*e.msg {
            Message::Produce { producer, .. } if producer.sequence >= 0 => Some(producer.sequence),
            _ => None,
        };
        MessageSnapshot {
            id: e.id,
            from: e.from,
            to: e.to,
            kind,
            summary: self.1.message_summary(&e.msg),
            sent_at: e.sent_at,
            deliver_at: e.deliver_at,
            heartbeat: kind.is_heartbeat(),
            error,
            label: kind.label(error).to_string(),
            sequence,
        }
    }
}

impl Cluster {
    /// The messages on the wire, in delivery order.
    pub fn messages(&self) -> impl Iterator<Item = WireMessage<'_>> {
        self.in_flight().map(move |e| WireMessage(e, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name_and_a_label() {
        let mut names: Vec<&str> = MessageKind::ALL.iter().map(|k| k.name()).collect();
        for k in MessageKind::ALL {
            for error in [false, true] {
                let label = k.label(error);
                assert!(!label.is_empty() && label != "?", "{k:?}");
                assert!(label.chars().count() <= 3, "{k:?}: {label}");
            }
            // The JSON name is the RPC name.
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
            let back: MessageKind = serde_json::from_str(&format!("\"{}\"", k.name())).unwrap();
            assert_eq!(back, k);
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), MessageKind::ALL.len(), "names are unique");
        // `ALL` lists every variant: serde's list of the enum's variants (from its error for
        // an unknown name) is exactly `ALL`'s names.
        let e = serde_json::from_str::<MessageKind>("\"?\"")
            .unwrap_err()
            .to_string();
        let mut variants: Vec<&str> = e.split('`').skip(3).step_by(2).collect();
        variants.sort_unstable();
        assert_eq!(variants, names);
    }
}
