//! The diagram's filters: message kinds in a few groups ([`WireGroup`]), and which groups are
//! shown ([`Shown`]; fetches and heartbeats hidden by default).

use crate::read_model::MessageKind;

/// Filter groups of message kinds (the diagram's "show" checkboxes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WireGroup {
    Produce,
    /// Replica fetches and OffsetsForLeaderEpoch.
    Fetch,
    ConsumerFetch,
    /// FindCoordinator, JoinGroup, SyncGroup, LeaveGroup, OffsetCommit, OffsetFetch.
    Group,
    /// Metadata, MetadataUpdate, AlterPartition.
    Control,
    /// Broker and group heartbeats ([`MessageKind::is_heartbeat`]).
    Heartbeat,
    /// Refused or closed connections.
    Connection,
    /// InitProducerId, AddPartitionsToTxn, EndTxn, TxnOffsetCommit, WriteTxnMarkers (R6).
    Transaction,
}

impl WireGroup {
    pub const ALL: [WireGroup; 8] = [
        WireGroup::Produce,
        WireGroup::Fetch,
        WireGroup::ConsumerFetch,
        WireGroup::Group,
        WireGroup::Control,
        WireGroup::Heartbeat,
        WireGroup::Connection,
        WireGroup::Transaction,
    ];

    /// The group of a message kind.
    pub fn of(kind: MessageKind) -> WireGroup {
        use MessageKind as K;
        if kind.is_heartbeat() {
            return WireGroup::Heartbeat;
        }
        match kind {
            K::Produce | K::ProduceResponse => WireGroup::Produce,
            K::Fetch
            | K::FetchResponse
            | K::OffsetsForLeaderEpoch
            | K::OffsetsForLeaderEpochResponse => WireGroup::Fetch,
            K::ConsumerFetch | K::ConsumerFetchResponse => WireGroup::ConsumerFetch,
            K::FindCoordinator
            | K::FindCoordinatorResponse
            | K::JoinGroup
            | K::JoinGroupResponse
            | K::SyncGroup
            | K::SyncGroupResponse
            | K::LeaveGroup
            | K::LeaveGroupResponse
            | K::OffsetCommit
            | K::OffsetCommitResponse
            | K::OffsetFetch
            | K::OffsetFetchResponse => WireGroup::Group,
            K::MetadataRequest
            | K::MetadataResponse
            | K::MetadataUpdate
            | K::AlterPartition
            | K::AlterPartitionResponse => WireGroup::Control,
            K::BrokerHeartbeat
            | K::HeartbeatResponse
            | K::GroupHeartbeat
            | K::GroupHeartbeatResponse => WireGroup::Heartbeat,
            K::ConnectionRefused | K::ConnectionClosed => WireGroup::Connection,
            K::InitProducerId
            | K::InitProducerIdResponse
            | K::AddPartitionsToTxn
            | K::AddPartitionsToTxnResponse
            | K::EndTxn
            | K::EndTxnResponse
            | K::TxnOffsetCommit
            | K::TxnOffsetCommitResponse
            | K::WriteTxnMarkers
            | K::WriteTxnMarkersResponse => WireGroup::Transaction,
        }
    }

    /// The checkbox's label.
    pub fn label(self) -> &'static str {
        match self {
            WireGroup::Produce => "produce",
            WireGroup::Fetch => "replica fetch",
            WireGroup::ConsumerFetch => "consumer fetch",
            WireGroup::Group => "group",
            WireGroup::Control => "metadata & ISR",
            WireGroup::Heartbeat => "heartbeats",
            WireGroup::Connection => "refused",
            WireGroup::Transaction => "transactions",
        }
    }

    /// The CSS class of its arrows.
    pub fn class(self) -> &'static str {
        match self {
            WireGroup::Produce => "w-produce",
            WireGroup::Fetch => "w-fetch",
            WireGroup::ConsumerFetch => "w-cfetch",
            WireGroup::Group => "w-group",
            WireGroup::Control => "w-control",
            WireGroup::Heartbeat => "w-hb",
            WireGroup::Connection => "w-conn",
            WireGroup::Transaction => "w-txn",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// Which message groups are shown (a set of [`WireGroup`]s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown(u8);

impl Default for Shown {
    /// Everything but replica and consumer fetches and heartbeats: a readable first view.
    fn default() -> Shown {
        Shown(0xff)
            .without(WireGroup::Fetch)
            .without(WireGroup::ConsumerFetch)
            .without(WireGroup::Heartbeat)
    }
}

impl Shown {
    pub fn contains(self, g: WireGroup) -> bool {
        self.0 & g.bit() != 0
    }
    pub fn with(self, g: WireGroup) -> Shown {
        Shown(self.0 | g.bit())
    }
    pub fn without(self, g: WireGroup) -> Shown {
        Shown(self.0 & !g.bit())
    }
    pub fn toggled(self, g: WireGroup) -> Shown {
        Shown(self.0 ^ g.bit())
    }
}
