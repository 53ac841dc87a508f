//! The timers map's key: a node and a kind of timer, ordered exactly as the pair
//! `(NodeId, TimerKind)` is but compared as one integer. Setting a timer searches the map, and
//! the derived comparison of the two enums cost about 300 instructions a search in
//! `highwater bench`.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::node::TimerKind;
use crate::types::NodeId;

/// A pending timer's key (see the module's doc).
#[derive(Clone, Copy, Debug)]
pub(super) struct TimerKey {
    /// The pair's place in `(NodeId, TimerKind)` order, as one number.
    rank: u128,
    pub(super) node: NodeId,
    pub(super) kind: TimerKind,
}

impl TimerKey {
    pub(super) fn new(node: NodeId, kind: TimerKind) -> Self {
        let (variant, payload) = kind_rank(kind);
        let node_rank = node_rank(node);
        TimerKey {
            rank: u128::from(node_rank) << 72 | u128::from(variant) << 64 | u128::from(payload),
            node,
            kind,
        }
    }
}

/// A node's place in `NodeId` order: the variant above the number (34 bits).
fn node_rank(node: NodeId) -> u64 {
    let (variant, id) = match node {
        NodeId::Controller => (0, 0),
        NodeId::Broker(b) => (1, b),
        NodeId::Producer(p) => (2, p),
        NodeId::Consumer(c) => (3, c),
    };
    variant << 32 | u64::from(id)
}

/// A kind's place in `TimerKind` order: its variant's index (in declaration order, as the derived
/// `Ord` has it) and its payload.
fn kind_rank(kind: TimerKind) -> (u8, u64) {
    use TimerKind::*;
    match kind {
        Heartbeat => (0, 0),
        FetchBackoff(b) => (1, u64::from(b)),
        FetchTimeout(b) => (2, u64::from(b)),
        IsrExpiration => (3, 0),
        DelayedFetch(id) => (4, id),
        DelayedProduce(id) => (5, id),
        Flush => (6, 0),
        AlterPartitionRetry(tp) => (7, u64::from(tp.topic) << 16 | u64::from(tp.partition)),
        SessionCheck => (8, 0),
        RequestTimeout(id) => (9, id),
        ProducerWakeup => (10, 0),
        MetadataRetry => (11, 0),
        AutoProduce => (12, 0),
        ShutdownTimeout => (13, 0),
        ConsumerWakeup => (14, 0),
        ProcessRecord => (15, 0),
        GroupHeartbeat => (16, 0),
        ConsumerRequestTimeout(id) => (17, id),
        GroupSessionCheck => (18, 0),
        RetentionCheck => (19, 0),
        TxnMarkerRetry => (20, 0),
        TxnTimeoutCheck => (21, 0),
        TxnRetry => (22, 0),
    }
}

impl PartialEq for TimerKey {
    fn eq(&self, other: &Self) -> bool {
        self.rank == other.rank
    }
}

impl Eq for TimerKey {}

impl PartialOrd for TimerKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimerKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank.cmp(&other.rank)
    }
}

/// Hashes as the pair does, so the state hash is the one the pair gave.
impl Hash for TimerKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.node, self.kind).hash(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::TopicPartition;

    /// Every kind, each payload at its edges.
    fn kinds() -> Vec<TimerKind> {
        use TimerKind::*;
        let tp = |topic, partition| TopicPartition { topic, partition };
        let mut out = vec![
            Heartbeat,
            IsrExpiration,
            Flush,
            SessionCheck,
            ProducerWakeup,
            MetadataRetry,
            AutoProduce,
            ShutdownTimeout,
            ConsumerWakeup,
            ProcessRecord,
            GroupHeartbeat,
            GroupSessionCheck,
            RetentionCheck,
            TxnMarkerRetry,
            TxnTimeoutCheck,
            TxnRetry,
        ];
        for b in [0, 1, 2, u32::MAX] {
            out.extend([FetchBackoff(b), FetchTimeout(b)]);
        }
        for id in [0, 1, 7, u64::MAX - 1, u64::MAX] {
            out.extend([
                DelayedFetch(id),
                DelayedProduce(id),
                RequestTimeout(id),
                ConsumerRequestTimeout(id),
            ]);
        }
        for (t, p) in [(0, 0), (0, 1), (1, 0), (u16::MAX, u16::MAX)] {
            out.push(AlterPartitionRetry(tp(t, p)));
        }
        // A new kind must be added above (and to `kind_rank`): this match stops compiling.
        for k in &out {
            match k {
                Heartbeat
                | FetchBackoff(_)
                | FetchTimeout(_)
                | IsrExpiration
                | DelayedFetch(_)
                | DelayedProduce(_)
                | Flush
                | AlterPartitionRetry(_)
                | SessionCheck
                | RequestTimeout(_)
                | ProducerWakeup
                | MetadataRetry
                | AutoProduce
                | ShutdownTimeout
                | ConsumerWakeup
                | ProcessRecord
                | GroupHeartbeat
                | ConsumerRequestTimeout(_)
                | GroupSessionCheck
                | RetentionCheck
                | TxnMarkerRetry
                | TxnTimeoutCheck
                | TxnRetry => {}
            }
        }
        out
    }

    fn nodes() -> Vec<NodeId> {
        let mut out = vec![NodeId::Controller];
        for n in [0, 1, 2, 999_999, u32::MAX] {
            out.extend([NodeId::Broker(n), NodeId::Producer(n), NodeId::Consumer(n)]);
        }
        out
    }

    #[test]
    fn orders_and_compares_as_the_pair_does() {
        let pairs: Vec<(NodeId, TimerKind)> = nodes()
            .into_iter()
            .flat_map(|n| kinds().into_iter().map(move |k| (n, k)))
            .collect();
        for a in &pairs {
            for b in &pairs {
                let (ka, kb) = (TimerKey::new(a.0, a.1), TimerKey::new(b.0, b.1));
                assert_eq!(ka.cmp(&kb), a.cmp(b), "{a:?} vs {b:?}");
                assert_eq!(ka == kb, a == b, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn hashes_as_the_pair_does() {
        let of = |v: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            v(&mut h);
            h.finish()
        };
        for n in nodes() {
            for k in kinds() {
                assert_eq!(
                    of(&|h| TimerKey::new(n, k).hash(h)),
                    of(&|h| (n, k).hash(h))
                );
            }
        }
    }
}
