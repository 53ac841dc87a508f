//! The transaction coordinator as a broker hosts it (TransactionCoordinator with its
//! TransactionStateManager and TransactionMarkerChannelManager): active while the broker leads
//! `__transaction_state`; replies and markers wait until the records that justify them are
//! committed (the coordinator appends with acks=all and answers from the append callback, R6.4);
//! markers are sent to each partition's leader and retried until written (R6.5).

use crate::vec_map::VecMap;

use super::coordinator::{TxnCoordinator, WriteTxnMarker};
use crate::protocol::Message;
use crate::types::{Millis, NodeId, Offset};

/// `transaction.abort.timed.out.transaction.cleanup.interval.ms` (default 10000): how often the
/// coordinator looks for transactions past their timeout (R6.4).
pub const ABORT_TIMED_OUT_INTERVAL_MS: Millis = 10_000;

/// Back-off before a marker is sent again after a failure (the marker channel's retry; Kafka
/// retries on the next send loop after a metadata refresh, `retry.backoff.ms`-like).
pub const MARKER_RETRY_MS: Millis = 100;

/// The answer a client waits for, and the one it gets if the coordinator steps down first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    /// The client.
    pub to: NodeId,
    /// The answer once the records are committed.
    pub ok: Message,
    /// NOT_COORDINATOR, if this broker stops leading `__transaction_state` before that.
    pub not_coordinator: Message,
}

/// A reply, or markers, held until `__transaction_state` is committed up to `offset`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Waiting {
    /// The last record the change wrote.
    pub offset: Offset,
    /// The client's answer, if a request is waiting.
    pub reply: Option<Reply>,
    /// Markers to send once the record is committed.
    pub markers: Vec<WriteTxnMarker>,
}

/// A broker's transaction coordinator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TxnHost {
    /// True while this broker leads `__transaction_state` (in memory: a restart starts afresh).
    pub active: bool,
    /// The coordinator's state, loaded from the partition on activation.
    pub coordinator: TxnCoordinator,
    /// Changes waiting for their records to be committed, oldest first.
    pub waiting: Vec<Waiting>,
    /// Markers sent and not yet answered, by request id, with when they were sent.
    pub markers_in_flight: VecMap<u64, (WriteTxnMarker, Millis)>,
    /// Markers to send (new, or after a failure).
    pub markers_to_send: Vec<WriteTxnMarker>,
    /// Due time of the marker retry timer, if set.
    pub retry_at: Option<Millis>,
    next_request_id: u64,
}

impl TxnHost {
    /// A fresh request id for a WriteTxnMarkers (in the broker's own id space).
    pub fn next_request_id(&mut self, broker_base: u64) -> u64 {
        self.next_request_id += 1;
        broker_base | self.next_request_id
    }

    /// Markers unanswered for `timeout` go back to be sent again (the marker channel's request
    /// timeout); returns when the oldest one left times out.
    pub fn expire_markers(&mut self, now: Millis, timeout: Millis) -> Option<Millis> {
        let expired: Vec<u64> = self
            .markers_in_flight
            .iter()
            .filter(|(_, (_, at))| at + timeout <= now)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            if let Some((m, _)) = self.markers_in_flight.remove(&id) {
                self.markers_to_send.push(m);
            }
        }
        self.markers_in_flight
            .values()
            .map(|(_, at)| at + timeout)
            .min()
    }
}
