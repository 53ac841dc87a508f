//! The leader-epoch cache of one replica: the ordered list of `(epoch, start offset)` pairs that
//! Kafka keeps in `leader-epoch-checkpoint` (KIP-101), and the lookups used for truncation.
//!
//! Behaviour follows KAFKA-SEMANTICS §R4.3 (AK:storage/.../epoch/LeaderEpochFileCache.java) for
//! the current rules and §R4.2 (KIP-101, Kafka 0.11) for the version-0 lookup.

use crate::types::{Epoch, Offset, UNDEFINED_EPOCH, UNDEFINED_OFFSET};

/// One cache entry: leader epoch `epoch` starts at `start_offset` (the first offset written in it,
/// or the leader's LEO when it was elected, KAFKA-7415).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct EpochEntry {
    /// The leader epoch.
    pub epoch: Epoch,
    /// The first offset written in that epoch.
    pub start_offset: Offset,
}

/// A replica's leader-epoch cache (Kafka's `LeaderEpochFileCache`).
///
/// Invariant (KAFKA-SEMANTICS §11, "Epoch cache"): epochs and start offsets are both strictly
/// increasing. Every mutator keeps it; [`EpochCache::assign`] enforces it by dropping entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct EpochCache {
    entries: Vec<EpochEntry>,
}

impl EpochCache {
    /// An empty cache (a new replica, or a log written before message format v2).
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a cache by calling [`EpochCache::assign`] on each pair in order, so the result obeys
    /// the same rules as a cache built by appends (for tests and scenario files).
    pub fn from_entries(entries: &[(Epoch, Offset)]) -> Self {
        let mut cache = Self::new();
        for &(epoch, start_offset) in entries {
            cache.assign(epoch, start_offset);
        }
        cache
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[EpochEntry] {
        &self.entries
    }

    /// The largest epoch in the cache, `None` when empty (LeaderEpochFileCache#latestEpoch).
    pub fn latest_epoch(&self) -> Option<Epoch> {
        self.entries.last().map(|e| e.epoch)
    }

    /// Records that `epoch` starts at `start_offset` (LeaderEpochFileCache#assign), called for every
    /// appended batch and by a new leader with its LEO (R3.4).
    ///
    /// * No-op when `epoch` is the latest epoch and `start_offset` is not below its start.
    /// * Otherwise every trailing entry with `epoch >= epoch` or `start_offset >= start_offset` is
    ///   removed, then the new entry is appended, so epochs and offsets stay monotone.
    /// * Negative epochs or offsets are ignored (Kafka throws `IllegalArgumentException`).
    pub fn assign(&mut self, epoch: Epoch, start_offset: Offset) {
        // LeaderEpochFileCache#assign rejects undefined values; the simulator ignores them.
        if epoch < 0 || start_offset < 0 {
            return;
        }
        // R4.3: "ignored if e equals the latest epoch and off ≥ its start" (isUpdateNeeded).
        if let Some(last) = self.entries.last() {
            if last.epoch == epoch && start_offset >= last.start_offset {
                return;
            }
        }
        // R4.3: "removes trailing entries with epoch ≥ e or startOffset ≥ off, then appends"
        // (maybeTruncateNonMonotonicEntries).
        while let Some(last) = self.entries.last() {
            if last.epoch >= epoch || last.start_offset >= start_offset {
                self.entries.pop();
            } else {
                break;
            }
        }
        self.entries.push(EpochEntry {
            epoch,
            start_offset,
        });
    }

    /// The leader's answer to "where does epoch `requested` end?" (LeaderEpochFileCache#endOffsetFor,
    /// KIP-279): `(largest epoch ≤ requested, start offset of the first epoch > requested)`, or
    /// `(requested, log_end_offset)` for the latest epoch. `(UNDEFINED_EPOCH, UNDEFINED_OFFSET)`
    /// when `requested` is undefined or no epoch is larger than it.
    pub fn end_offset_for(&self, requested: Epoch, log_end_offset: Offset) -> (Epoch, Offset) {
        const UNDEFINED: (Epoch, Offset) = (UNDEFINED_EPOCH, UNDEFINED_OFFSET);
        // R4.3: `req == UNDEFINED(-1)` → `(-1, -1)`.
        if requested == UNDEFINED_EPOCH {
            return UNDEFINED;
        }
        // R4.3: `req == latestEpoch` → `(req, LEO)`.
        if self.latest_epoch() == Some(requested) {
            return (requested, log_end_offset);
        }
        // R4.3: no entry with epoch > req → `(-1, -1)`.
        let Some(higher) = self.entries.iter().find(|e| e.epoch > requested) else {
            return UNDEFINED;
        };
        match self.entries.iter().rev().find(|e| e.epoch <= requested) {
            // R4.3: req older than the whole cache → `(req, startOffset of first entry > req)`.
            None => (requested, higher.start_offset),
            // R4.3: else → `(floorEntry(req).epoch, startOffset of first entry > req)`.
            Some(floor) => (floor.epoch, higher.start_offset),
        }
    }

    /// The KIP-101 version-0 answer (Kafka 0.11 `LeaderEpochFileCache#endOffsetFor`, R4.2): an end
    /// offset only. `log_end_offset` if `requested` is the latest epoch; else the start offset of
    /// the first epoch larger than `requested`; `UNDEFINED_OFFSET` when `requested` is undefined,
    /// older than the first cached epoch, or no epoch is larger (the follower then falls back to
    /// HW truncation).
    pub fn end_offset_for_v0(&self, requested: Epoch, log_end_offset: Offset) -> Offset {
        // Guard present in the pre-KIP-279 code after 0.11.0 ("bootstrapping follower sends a
        // request with undefined epoch"); in 0.11.0 itself the follower never sent -1.
        if requested == UNDEFINED_EPOCH {
            return UNDEFINED_OFFSET;
        }
        // R4.2: "LEO if it is the leader's current epoch".
        if self.latest_epoch() == Some(requested) {
            return log_end_offset;
        }
        // Kafka 0.11.0 endOffsetFor: "if requestedEpoch is < the first epoch cached,
        // UNSUPPORTED_EPOCH_OFFSET will be returned so that the follower falls back to High Water
        // Mark".
        match self.entries.first() {
            Some(first) if requested >= first.epoch => {}
            _ => return UNDEFINED_OFFSET,
        }
        // R4.2: "else the start offset of the first larger epoch"; none → undefined.
        self.entries
            .iter()
            .find(|e| e.epoch > requested)
            .map_or(UNDEFINED_OFFSET, |e| e.start_offset)
    }

    /// Drops every entry with `start_offset >= end_offset` (LeaderEpochFileCache#truncateFromEnd),
    /// called when the log is truncated to `end_offset`. A negative `end_offset` is ignored.
    pub fn truncate_from_end(&mut self, end_offset: Offset) {
        // LeaderEpochFileCacheTest.shouldNotResetEpochHistoryTailIfUndefinedPassed.
        if end_offset < 0 {
            return;
        }
        while self
            .entries
            .last()
            .is_some_and(|e| e.start_offset >= end_offset)
        {
            self.entries.pop();
        }
    }

    /// Removes history below a new log start offset (LeaderEpochFileCache#truncateFromStart):
    /// entries that start at or before `start_offset` are dropped, except that the last of them
    /// (the epoch covering `start_offset`) is kept with its start moved up to `start_offset`.
    /// A negative `start_offset` is ignored.
    pub fn truncate_from_start(&mut self, start_offset: Offset) {
        // LeaderEpochFileCacheTest.shouldNotResetEpochHistoryHeadIfUndefinedPassed.
        if start_offset < 0 {
            return;
        }
        let covered = self
            .entries
            .iter()
            .take_while(|e| e.start_offset <= start_offset)
            .count();
        if covered == 0 {
            return;
        }
        let epoch = self.entries[covered - 1].epoch;
        self.entries.drain(..covered - 1);
        self.entries[0] = EpochEntry {
            epoch,
            start_offset,
        };
    }

    /// The epoch of the entry covering `offset` (the last entry starting at or before it), `None`
    /// for offsets before the first entry (LeaderEpochFileCache#epochForOffset). Offsets past the
    /// LEO map to the latest epoch.
    pub fn epoch_for_offset(&self, offset: Offset) -> Option<Epoch> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.start_offset <= offset)
            .map(|e| e.epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const U: (Epoch, Offset) = (UNDEFINED_EPOCH, UNDEFINED_OFFSET);

    /// Cache contents as `(epoch, start offset)` pairs, in table rows.
    type Pairs = &'static [(Epoch, Offset)];

    fn pairs(cache: &EpochCache) -> Vec<(Epoch, Offset)> {
        cache
            .entries()
            .iter()
            .map(|e| (e.epoch, e.start_offset))
            .collect()
    }

    /// Monotonicity invariant of §11 ("strictly increasing epochs and start offsets").
    fn assert_monotone(cache: &EpochCache) {
        for w in cache.entries().windows(2) {
            assert!(w[0].epoch < w[1].epoch, "{cache:?}");
            assert!(w[0].start_offset < w[1].start_offset, "{cache:?}");
        }
    }

    #[test]
    fn assign_table() {
        // (source, assigns in order, expected entries)
        let rows: &[(&str, Pairs, Pairs)] = &[
            // LeaderEpochFileCacheTest.shouldAddEpochAndMessageOffsetToCache
            ("first entry", &[(2, 10)], &[(2, 10)]),
            // shouldNotOverwriteLogEndOffsetForALeaderEpochOnceItHasBeenAssigned
            ("same epoch, later offset", &[(2, 9), (2, 10)], &[(2, 9)]),
            // shouldNotOverwriteOffsetForALeaderEpochOnceItHasBeenAssigned
            ("same epoch, later offset 2", &[(2, 6), (2, 10)], &[(2, 6)]),
            // shouldNotUpdateEpochAndStartOffsetIfItDidNotChange
            (
                "same epoch, same offset",
                &[(2, 6), (2, 6), (2, 7)],
                &[(2, 6)],
            ),
            // R4.3: same latest epoch with an earlier start replaces it
            ("same epoch, earlier offset", &[(0, 5), (0, 3)], &[(0, 3)]),
            // shouldEnforceMonotonicallyIncreasingStartOffsets
            ("new epoch, same offset", &[(2, 9), (3, 9)], &[(3, 9)]),
            // shouldEnforceOffsetsIncreaseMonotonically
            ("new epoch, smaller offset", &[(2, 6), (3, 5)], &[(3, 5)]),
            // shouldEnforceMonotonicallyIncreasingEpochs
            (
                "older epoch, later offset",
                &[(1, 5), (2, 6), (1, 7)],
                &[(1, 7)],
            ),
            // shouldTruncateIfMatchingEpochButEarlierStartingOffset
            (
                "latest epoch moves back over an older one",
                &[(5, 11), (6, 12), (7, 13), (7, 12)],
                &[(5, 11), (7, 12)],
            ),
            // R4.3: a larger epoch at a larger offset is appended
            (
                "normal append",
                &[(0, 0), (1, 5), (2, 8)],
                &[(0, 0), (1, 5), (2, 8)],
            ),
            // R4.3: only the trailing non-monotone entries are removed
            (
                "drop one trailing entry",
                &[(0, 0), (1, 5), (2, 3)],
                &[(0, 0), (2, 3)],
            ),
            (
                "drop by epoch",
                &[(0, 0), (2, 5), (1, 7)],
                &[(0, 0), (1, 7)],
            ),
            (
                "drop by epoch, equal offset",
                &[(0, 0), (2, 5), (1, 5)],
                &[(0, 0), (1, 5)],
            ),
            (
                "older epoch resets the head",
                &[(0, 0), (1, 5), (0, 2)],
                &[(0, 2)],
            ),
            // shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes: (0,0) then (1,0)
            (
                "epoch with no records replaced",
                &[(0, 0), (1, 0)],
                &[(1, 0)],
            ),
            // shouldIncreaseAndTrackEpochsAsFollowerReceivesManyMessages (one assign per record)
            (
                "per-record assigns",
                &[
                    (0, 0),
                    (0, 1),
                    (0, 2),
                    (1, 3),
                    (1, 4),
                    (1, 5),
                    (2, 6),
                    (2, 7),
                    (2, 8),
                ],
                &[(0, 0), (1, 3), (2, 6)],
            ),
            // Kafka throws IllegalArgumentException; the simulator ignores undefined values.
            ("negative epoch ignored", &[(0, 0), (-1, 5)], &[(0, 0)]),
            ("negative offset ignored", &[(0, 0), (1, -1)], &[(0, 0)]),
        ];
        for (name, assigns, expected) in rows {
            let cache = EpochCache::from_entries(assigns);
            assert_eq!(pairs(&cache), *expected, "{name}");
            assert_monotone(&cache);
        }
    }

    #[test]
    fn latest_epoch() {
        // LeaderEpochFileCacheTest.shouldFetchLatestEpochOfEmptyCache
        assert_eq!(EpochCache::new().latest_epoch(), None);
        // shouldEnforceMonotonicallyIncreasingEpochs: latest is 1 after (1,5),(2,6),(1,7)
        let cache = EpochCache::from_entries(&[(1, 5), (2, 6), (1, 7)]);
        assert_eq!(cache.latest_epoch(), Some(1));
        assert_eq!(
            EpochCache::from_entries(&[(0, 0), (3, 4)]).latest_epoch(),
            Some(3)
        );
    }

    #[test]
    fn end_offset_for_table() {
        // (source, cache, requested epoch, LEO, expected (epoch, end offset))
        type Row = (&'static str, Pairs, Epoch, Offset, (Epoch, Offset));
        let rows: &[Row] = &[
            // R4.3 bullet 1; shouldReturnUndefinedOffsetIfUndefinedEpochRequested
            (
                "undefined requested",
                &[(2, 11), (3, 12)],
                UNDEFINED_EPOCH,
                0,
                U,
            ),
            // shouldReturnUnsupportedIfNoEpochRecordedAndUndefinedEpochRequested
            ("undefined requested, empty", &[], UNDEFINED_EPOCH, 73, U),
            // shouldReturnUnsupportedIfNoEpochRecorded; shouldFetchEndOffsetOfEmptyCache
            ("empty cache", &[], 0, 0, U),
            ("empty cache 2", &[], 7, 0, U),
            // R4.3 bullet 2; shouldAddEpochAndMessageOffsetToCache
            ("latest epoch → LEO", &[(2, 10)], 2, 11, (2, 11)),
            // shouldReturnLogEndOffsetIfLatestEpochRequested
            ("latest epoch → LEO 2", &[(2, 11), (2, 12)], 2, 14, (2, 14)),
            // R4.3 bullet 3; shouldReturnInvalidOffsetIfEpochIsRequestedWhichIsNotCurrentlyTracked
            ("newer than latest", &[(2, 100)], 3, 100, U),
            // R4.3 bullet 4; shouldReturnFirstEpochIfRequestedEpochLessThanFirstEpoch
            (
                "older than cache",
                &[(5, 11), (6, 12), (7, 13)],
                4,
                0,
                (4, 11),
            ),
            // R4.3 bullet 5; shouldReturnNextAvailableEpochIfThereIsNoExactEpochForTheOneRequested
            ("gap 1", &[(0, 10), (2, 13), (4, 17)], 1, 0, (0, 13)),
            ("exact 2", &[(0, 10), (2, 13), (4, 17)], 2, 0, (2, 17)),
            ("gap 3", &[(0, 10), (2, 13), (4, 17)], 3, 0, (2, 17)),
            // shouldGetFirstOffsetOfSubsequentEpochWhenOffsetRequestedForPreviousEpoch
            (
                "previous epoch",
                &[(1, 11), (1, 12), (2, 13), (2, 14), (3, 15), (3, 16)],
                2,
                17,
                (2, 15),
            ),
            // shouldTruncateIfMatchingEpochButEarlierStartingOffset
            (
                "after reassign 5",
                &[(5, 11), (6, 12), (7, 13), (7, 12)],
                5,
                0,
                (5, 12),
            ),
            (
                "after reassign 6",
                &[(5, 11), (6, 12), (7, 13), (7, 12)],
                6,
                0,
                (5, 12),
            ),
            // shouldEnforceMonotonicallyIncreasingEpochs: epoch 2 was removed
            ("removed epoch", &[(1, 5), (2, 6), (1, 7)], 2, 8, U),
            ("kept epoch", &[(1, 5), (2, 6), (1, 7)], 1, 8, (1, 8)),
            // shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes
            ("many leaders 2", &[(0, 0), (1, 0), (2, 5)], 2, 10, (2, 10)),
            ("many leaders 1", &[(0, 0), (1, 0), (2, 5)], 1, 10, (1, 5)),
            ("many leaders 0", &[(0, 0), (1, 0), (2, 5)], 0, 10, (0, 0)),
            // S4 step 3: new leader 2, cache [(0,0),(1,1)], LEO 1
            ("S4 leader", &[(0, 0), (1, 1)], 0, 1, (0, 1)),
            // S16 step 4: B still in epoch 0
            ("S16 leader", &[(0, 0)], 0, 2, (0, 2)),
            // S17 step 3: A = [(0,0),(1,1)], LEO 2
            ("S17 leader", &[(0, 0), (1, 1)], 0, 2, (0, 1)),
            // S18 step 3 (KIP-279): B = [(1,0),(3,21)], LEO 31, asked for 2 → (1, 21)
            ("S18 leader", &[(1, 0), (3, 21)], 2, 31, (1, 21)),
            // S18: A's own lookup for epoch 1 → (1, 11)
            ("S18 follower", &[(1, 0), (2, 11)], 1, 26, (1, 11)),
            // S19 fixed: r1 = [(2,0)], asked for 0 → (0, 0)
            ("S19 leader", &[(2, 0)], 0, 1, (0, 0)),
        ];
        for (name, entries, requested, leo, expected) in rows {
            let cache = EpochCache::from_entries(entries);
            assert_eq!(cache.end_offset_for(*requested, *leo), *expected, "{name}");
        }
    }

    #[test]
    fn end_offset_for_v0_table() {
        // (source, cache, requested epoch, LEO, expected end offset)
        let rows: &[(&str, Pairs, Epoch, Offset, Offset)] = &[
            // R4.2: LEO for the leader's current epoch
            ("latest → LEO", &[(0, 0), (1, 5)], 1, 9, 9),
            // R4.2: start offset of the first larger epoch
            ("exact older epoch", &[(0, 0), (1, 5)], 0, 9, 5),
            ("gap", &[(0, 0), (2, 5), (4, 8)], 1, 9, 5),
            ("gap 3", &[(0, 0), (2, 5), (4, 8)], 3, 9, 8),
            // no larger epoch → undefined (follower falls back to HW)
            (
                "newer than latest",
                &[(0, 0), (1, 5)],
                2,
                9,
                UNDEFINED_OFFSET,
            ),
            ("empty", &[], 0, 9, UNDEFINED_OFFSET),
            // Kafka 0.11.0 endOffsetFor: requested < first cached epoch → undefined
            ("older than cache", &[(2, 0)], 0, 1, UNDEFINED_OFFSET),
            (
                "undefined requested",
                &[(0, 0)],
                UNDEFINED_EPOCH,
                9,
                UNDEFINED_OFFSET,
            ),
            // S16 v0: B answers OffsetsForLeaderEpoch(0) with 2
            ("S16", &[(0, 0)], 0, 2, 2),
            // S18 v0: B doesn't know epoch 2 → start of the first epoch > 2 = 21
            ("S18", &[(1, 0), (3, 21)], 2, 31, 21),
        ];
        for (name, entries, requested, leo, expected) in rows {
            let cache = EpochCache::from_entries(entries);
            assert_eq!(
                cache.end_offset_for_v0(*requested, *leo),
                *expected,
                "{name}"
            );
        }
    }

    #[test]
    fn truncate_from_end_table() {
        let base: Pairs = &[(2, 6), (3, 8), (4, 11)];
        // (source, end offset, expected)
        let rows: &[(&str, Offset, Pairs)] = &[
            // LeaderEpochFileCacheTest.shouldDropEntriesOnEpochBoundaryWhenRemovingLatestEntries
            ("on boundary", 8, &[(2, 6)]),
            // shouldDropEntriesBetweenEpochBoundaryWhenRemovingNewest
            ("between boundaries", 9, &[(2, 6), (3, 8)]),
            // shouldWriteCheckpointOnTruncation (first half)
            ("at last start", 11, &[(2, 6), (3, 8)]),
            ("past the last start", 12, &[(2, 6), (3, 8), (4, 11)]),
            ("everything", 6, &[]),
            ("below everything", 0, &[]),
            // shouldNotResetEpochHistoryTailIfUndefinedPassed
            ("undefined", UNDEFINED_OFFSET, &[(2, 6), (3, 8), (4, 11)]),
        ];
        for (name, end, expected) in rows {
            let mut cache = EpochCache::from_entries(base);
            cache.truncate_from_end(*end);
            assert_eq!(pairs(&cache), *expected, "{name}");
        }
        // shouldClearLatestOnEmptyCache
        let mut empty = EpochCache::new();
        empty.truncate_from_end(7);
        assert!(empty.entries().is_empty());
    }

    #[test]
    fn truncate_from_start_table() {
        let base: Pairs = &[(2, 6), (3, 8), (4, 11)];
        // (source, new start offset, expected)
        let rows: &[(&str, Offset, Pairs)] = &[
            // LeaderEpochFileCacheTest.shouldPreserveResetOffsetOnClearEarliestIfOneExists
            ("on boundary", 8, &[(3, 8), (4, 11)]),
            // shouldNotClearAnythingIfOffsetTooEarly
            ("too early", 1, &[(2, 6), (3, 8), (4, 11)]),
            // shouldNotClearAnythingIfOffsetIsFirstOffset
            ("first offset", 6, &[(2, 6), (3, 8), (4, 11)]),
            // shouldRetainLatestEpochOnClearAllEarliest
            ("last start", 11, &[(4, 11)]),
            // shouldUpdateOffsetBetweenEpochBoundariesOnClearEarliest
            ("between boundaries", 9, &[(3, 9), (4, 11)]),
            // shouldRetainLatestEpochOnClearAllEarliestAndUpdateItsOffset
            ("past the last start", 15, &[(4, 15)]),
            // shouldNotResetEpochHistoryHeadIfUndefinedPassed
            ("undefined", UNDEFINED_OFFSET, &[(2, 6), (3, 8), (4, 11)]),
        ];
        for (name, start, expected) in rows {
            let mut cache = EpochCache::from_entries(base);
            cache.truncate_from_start(*start);
            assert_eq!(pairs(&cache), *expected, "{name}");
            assert_monotone(&cache);
        }
        // shouldUpdateOffsetBetweenFirstTwoEpochBoundariesOnClearEarliest
        let mut cache = EpochCache::from_entries(&[(0, 0), (1, 7), (2, 10)]);
        cache.truncate_from_start(5);
        assert_eq!(pairs(&cache), [(0, 5), (1, 7), (2, 10)]);
        // shouldClearEarliestOnEmptyCache
        let mut empty = EpochCache::new();
        empty.truncate_from_start(7);
        assert!(empty.entries().is_empty());
        // shouldWriteCheckpointOnTruncation: truncateFromEnd(11) then truncateFromStart(8)
        let mut cache = EpochCache::from_entries(base);
        cache.truncate_from_end(11);
        cache.truncate_from_start(8);
        assert_eq!(pairs(&cache), [(3, 8)]);
    }

    #[test]
    fn epoch_for_offset_table() {
        // LeaderEpochFileCacheTest.shouldFetchEpochForGivenOffset
        let cache = EpochCache::from_entries(&[(0, 10), (1, 20), (5, 30)]);
        let rows: &[(Offset, Option<Epoch>)] = &[
            (25, Some(1)),
            (20, Some(1)),
            (30, Some(5)),
            (50, Some(5)),
            (5, None),
            (10, Some(0)),
            (19, Some(0)),
            (29, Some(1)),
        ];
        for (offset, expected) in rows {
            assert_eq!(
                cache.epoch_for_offset(*offset),
                *expected,
                "offset {offset}"
            );
        }
        assert_eq!(EpochCache::new().epoch_for_offset(0), None);
    }

    #[test]
    fn leader_election_records_epoch_at_leo() {
        // R3.4 / KAFKA-7415: the new leader assigns (newEpoch, LEO) even with no records;
        // S16 step 5: cache_A = [(0,0),(1,2)].
        let mut cache = EpochCache::from_entries(&[(0, 0)]);
        cache.assign(1, 2);
        assert_eq!(pairs(&cache), [(0, 0), (1, 2)]);
        // Its first record in epoch 1 (offset 2) does not change the entry.
        cache.assign(1, 2);
        assert_eq!(pairs(&cache), [(0, 0), (1, 2)]);
        // An epoch with no records is replaced by the next epoch starting at the same offset.
        cache.assign(2, 2);
        assert_eq!(pairs(&cache), [(0, 0), (2, 2)]);
    }
}
