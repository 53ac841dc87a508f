//! How a message in flight looks on the picture: the path (and CSS class) of its kind. A plain
//! function of the read model's typed [`MessageKind`] (its short label comes from the read model
//! too, [`MessageKind::label`]), below the view model and the message layer. The match is
//! exhaustive: a new protocol message cannot be drawn without a look.

use highwater_core::read_model::MessageKind;

/// The look of a message, in drawing order (later looks on top; heartbeats lie underneath).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Heartbeat,
    Meta,
    Alter,
    Group,
    Commit,
    /// Transaction RPCs and markers (R6).
    Txn,
    Fetch,
    FetchResponse,
    Produce,
    Ack,
    Error,
}

/// The CSS class of every [`Look`], by its index.
pub const KINDS: [&str; 11] = [
    "k-heartbeat",
    "k-meta",
    "k-alter",
    "k-group",
    "k-commit",
    "k-txn",
    "k-fetch",
    "k-fetchresp",
    "k-produce",
    "k-ack",
    "k-error",
];

impl Look {
    /// Its index into [`KINDS`] (and the message layer's paths).
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The look of a message of kind `kind`; `error`: it carries an error code.
pub fn look(kind: MessageKind, error: bool) -> Look {
    use MessageKind as K;
    // Heartbeats are dots underneath everything, even a heartbeat answered with an error.
    if error && !kind.is_heartbeat() {
        return Look::Error;
    }
    match kind {
        K::Produce => Look::Produce,
        K::ProduceResponse => Look::Ack,
        K::Fetch | K::ConsumerFetch => Look::Fetch,
        K::FetchResponse | K::ConsumerFetchResponse => Look::FetchResponse,
        K::AlterPartition | K::AlterPartitionResponse => Look::Alter,
        K::MetadataUpdate
        | K::MetadataRequest
        | K::MetadataResponse
        | K::FindCoordinator
        | K::FindCoordinatorResponse => Look::Meta,
        // A consumer validating its position after a leader change (KIP-320): metadata-like.
        K::OffsetsForLeaderEpoch | K::OffsetsForLeaderEpochResponse => Look::Meta,
        K::JoinGroup
        | K::JoinGroupResponse
        | K::SyncGroup
        | K::SyncGroupResponse
        | K::LeaveGroup
        | K::LeaveGroupResponse => Look::Group,
        K::OffsetCommit | K::OffsetCommitResponse | K::OffsetFetch | K::OffsetFetchResponse => {
            Look::Commit
        }
        K::BrokerHeartbeat
        | K::HeartbeatResponse
        | K::GroupHeartbeat
        | K::GroupHeartbeatResponse => Look::Heartbeat,
        K::ConnectionRefused | K::ConnectionClosed => Look::Error,
        K::InitProducerId
        | K::InitProducerIdResponse
        | K::AddPartitionsToTxn
        | K::AddPartitionsToTxnResponse
        | K::EndTxn
        | K::EndTxnResponse
        | K::TxnOffsetCommit
        | K::TxnOffsetCommitResponse
        | K::WriteTxnMarkers
        | K::WriteTxnMarkersResponse => Look::Txn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_look_and_a_label() {
        for k in MessageKind::ALL {
            for error in [false, true] {
                let l = look(k, error);
                assert!(KINDS[l.index()].starts_with("k-"));
                assert_ne!(k.label(error), "?");
            }
            // Heartbeats, and only they, are drawn as dots.
            for error in [false, true] {
                assert_eq!(look(k, error) == Look::Heartbeat, k.is_heartbeat(), "{k}");
            }
        }
        assert_eq!(look(MessageKind::Produce, false), Look::Produce);
        assert_eq!(look(MessageKind::ProduceResponse, true), Look::Error);
        assert_eq!(KINDS[Look::Error.index()], "k-error");
        assert_eq!(KINDS[Look::Heartbeat.index()], "k-heartbeat");
    }
}
