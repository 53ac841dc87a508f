//! Offsets committed inside a transaction (R6.8, KIP-447; GroupMetadata.scala's pending
//! transactional offsets, GroupCoordinator#handleTxnCommitOffsets): pending until the marker
//! reaches the group's `__consumer_offsets` partition, discarded on ABORT.

use crate::vec_map::VecMap;

use super::{ControlKind, TxnError};
use crate::types::{Offset, TopicPartition};

/// A group's committed and pending transactional offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct GroupTxnOffsets {
    committed: VecMap<TopicPartition, Offset>,
    /// Pending offsets per producer id.
    pending: VecMap<i64, VecMap<TopicPartition, Offset>>,
}

/// The group identity a TxnOffsetCommit carries (consumerGroupMetadata()).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GroupIdentity {
    /// The member id, or empty for the pre-KIP-447 form.
    pub member_id: String,
    /// The generation, or -1 for the pre-KIP-447 form (no check).
    pub generation: i32,
}

impl GroupTxnOffsets {
    /// No offsets.
    pub fn new() -> Self {
        GroupTxnOffsets::default()
    }

    /// A plain (non-transactional) OffsetCommit.
    pub fn commit(&mut self, tp: TopicPartition, offset: Offset) {
        self.committed.insert(tp, offset);
    }

    /// TxnOffsetCommit (R6.8): fenced by member and generation (KIP-447:
    /// testTxnCommitOffsetWithIllegalGeneration), else the offsets wait for the marker.
    /// `members` and `generation` are the group's current ones.
    pub fn txn_offset_commit(
        &mut self,
        producer_id: i64,
        who: &GroupIdentity,
        members: &[String],
        generation: i32,
        offsets: &[(TopicPartition, Offset)],
    ) -> Result<(), TxnError> {
        if who.generation >= 0 {
            if !members.contains(&who.member_id) {
                return Err(TxnError::UnknownMemberId);
            }
            if who.generation != generation {
                return Err(TxnError::IllegalGeneration);
            }
        }
        for &(tp, o) in offsets {
            self.pend(producer_id, tp, o);
        }
        Ok(())
    }

    /// A transactional offset commit of `producer_id`, read back from the log: pending until its
    /// marker.
    pub fn pend(&mut self, producer_id: i64, tp: TopicPartition, offset: Offset) {
        self.pending
            .entry(producer_id)
            .or_default()
            .insert(tp, offset);
    }

    /// The committed offsets (pending ones excluded).
    pub fn committed(&self) -> &VecMap<TopicPartition, Offset> {
        &self.committed
    }

    /// The marker reached the offsets partition: COMMIT makes the producer's pending offsets
    /// committed, ABORT drops them (GroupMetadata#completePendingTxnOffsetCommit).
    pub fn complete(&mut self, producer_id: i64, kind: ControlKind) {
        if let Some(p) = self.pending.remove(&producer_id) {
            if kind == ControlKind::Commit {
                self.committed.extend(p);
            }
        }
    }

    /// OffsetFetch for one partition: the committed offset (`None` = -1); with `require_stable`,
    /// UNSTABLE_OFFSET_COMMIT while a transaction holds a pending offset for it (KIP-447,
    /// testFetchPendingTxnOffsetsWithCommit).
    pub fn fetch(
        &self,
        tp: TopicPartition,
        require_stable: bool,
    ) -> Result<Option<Offset>, TxnError> {
        if require_stable && self.pending.values().any(|p| p.contains_key(&tp)) {
            return Err(TxnError::UnstableOffsetCommit);
        }
        Ok(self.committed.get(&tp).copied())
    }

    /// Whether any offset is pending.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}
