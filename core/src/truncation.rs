//! Where a follower truncates its log after learning the leader's end offset for an epoch.
//!
//! Two protocol generations are modelled:
//! * KIP-279 (Kafka ≥ 2.0, current): [`offset_truncation_state`], KAFKA-SEMANTICS §R4.4,
//!   AbstractFetcherThread#getOffsetTruncationState. The leader's answer `(epoch, end offset)` comes
//!   from a `DivergingEpoch` in a fetch response (IBP ≥ 2.7, KAFKA-10554) or from an
//!   OffsetsForLeaderEpoch response; the leader side is [`EpochCache::end_offset_for`].
//! * KIP-101 version 0 (Kafka 0.11): [`offset_truncation_state_v0`], §R4.2; the leader side is
//!   [`EpochCache::end_offset_for_v0`].
//!
//! The caller applies the result as UnifiedLog#truncateTo does: when `offset` is below the LEO,
//! cut the log, call [`EpochCache::truncate_from_end`]`(offset)` and set `HW := min(HW, LEO)`;
//! otherwise keep the log but still call `truncate_from_end(LEO)`, which drops an epoch entry the
//! replica recorded as leader without writing to it (else that entry corrupts the cache when the
//! leader's older-epoch records arrive). When `done` is false, ask the leader again with the
//! follower's new latest epoch.

use crate::epoch_cache::EpochCache;
use crate::types::{Epoch, Offset, UNDEFINED_EPOCH, UNDEFINED_OFFSET};

/// A truncation decision (Kafka's `OffsetTruncationState`): truncate to `offset`; `done` is false
/// when another round with the leader is needed (multi-round KIP-279).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TruncationState {
    /// The offset to truncate to.
    pub offset: Offset,
    /// False when another round with the leader is needed.
    pub done: bool,
}

/// Given the leader's answer (epoch, end offset) — from a DivergingEpoch in a fetch response or an
/// OffsetsForLeaderEpoch response — compute where the follower truncates to.
/// `high_watermark` is the follower's initial fetch offset used when the answer is undefined.
pub fn offset_truncation_state(
    leader_epoch: Epoch,
    leader_end_offset: Offset,
    follower: &EpochCache,
    follower_leo: Offset,
    high_watermark: Offset,
) -> TruncationState {
    let done = |offset| TruncationState { offset, done: true };
    // R4.4: `O == -1` → truncate to the initial fetch offset (HW), done.
    if leader_end_offset == UNDEFINED_OFFSET {
        return done(high_watermark);
    }
    // R4.4: `E == -1` (v0 response) → `min(O, LEO)`, done.
    if leader_epoch == UNDEFINED_EPOCH {
        return done(leader_end_offset.min(follower_leo));
    }
    let (follower_epoch, follower_end) = follower.end_offset_for(leader_epoch, follower_leo);
    if follower_end == UNDEFINED_OFFSET {
        // R4.4: own lookup undefined → `min(O, LEO)` (the follower did not track that epoch).
        done(leader_end_offset.min(follower_leo))
    } else if follower_epoch != leader_epoch {
        // R4.4: `fE ≠ E` → `min(fO, LEO)`, not done; ask again with the new latest epoch
        // (KIP-279 multi-round).
        TruncationState {
            offset: follower_end.min(follower_leo),
            done: false,
        }
    } else {
        // R4.4: `fE == E` → `min(fO, O, LEO)`, done.
        done(follower_end.min(leader_end_offset).min(follower_leo))
    }
}

/// KIP-101 v0: truncate to min(leader_end_offset, LEO), done; undefined → HW.
pub fn offset_truncation_state_v0(
    leader_end_offset: Offset,
    follower_leo: Offset,
    high_watermark: Offset,
) -> TruncationState {
    // R4.2: "the follower truncates to min(returned, own LEO). If no epoch info → fall back to HW
    // truncation" (Kafka 0.11 ReplicaFetcherThread#maybeTruncate).
    let offset = if leader_end_offset == UNDEFINED_OFFSET {
        high_watermark
    } else {
        leader_end_offset.min(follower_leo)
    };
    TruncationState { offset, done: true }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(offset: Offset, done: bool) -> TruncationState {
        TruncationState { offset, done }
    }

    /// A replica reduced to what truncation needs: the epoch of each record (index = offset), the
    /// epoch cache, and the HW.
    #[derive(Clone, Debug)]
    struct Replica {
        log: Vec<Epoch>,
        cache: EpochCache,
        hw: Offset,
    }

    impl Replica {
        fn new() -> Self {
            Replica {
                log: Vec::new(),
                cache: EpochCache::new(),
                hw: 0,
            }
        }

        /// Appends `count` records of `epoch` (UnifiedLog append: assign per batch).
        fn append(&mut self, epoch: Epoch, count: usize) -> &mut Self {
            for _ in 0..count {
                let offset = self.leo();
                self.log.push(epoch);
                self.cache.assign(epoch, offset);
            }
            self
        }

        /// Becomes leader of `epoch`: records (epoch, LEO) with no records (R3.4, KAFKA-7415).
        fn elect(&mut self, epoch: Epoch) -> &mut Self {
            let leo = self.leo();
            self.cache.assign(epoch, leo);
            self
        }

        fn leo(&self) -> Offset {
            self.log.len() as Offset
        }

        /// UnifiedLog#truncateTo: below the LEO, cut the log, the epoch cache (truncateFromEnd)
        /// and the HW (R4.4 "After truncation"). At or above the LEO the log is kept but the cache
        /// is still truncated at the LEO ("Always truncate epoch cache since we may have a
        /// conflicting epoch entry at the end of the log from the leader").
        fn truncate_to(&mut self, offset: Offset) {
            if offset < self.leo() {
                self.log.truncate(offset.max(0) as usize);
                self.cache.truncate_from_end(offset);
            } else {
                self.cache.truncate_from_end(self.leo());
            }
            self.hw = self.hw.min(self.leo());
        }

        /// Fetches up to `max` records from `leader` starting at this replica's LEO.
        fn copy_from(&mut self, leader: &Replica, max: usize) {
            let start = self.log.len();
            for offset in start..leader.log.len().min(start.saturating_add(max)) {
                let epoch = leader.log[offset];
                self.log.push(epoch);
                self.cache.assign(epoch, offset as Offset);
            }
        }
    }

    /// Drives KIP-279 truncation to completion, as the fetcher does: send the follower's latest
    /// epoch (OffsetsForLeaderEpoch, or LastFetchedEpoch → DivergingEpoch), apply the answer, and
    /// repeat while not done (R4.4 multi-round; ReplicaFetcherThreadTest
    /// .shouldFetchLeaderEpochSecondTimeIfLeaderRepliesWithEpochNotKnownToFollower). A follower
    /// without epochs sends -1 and gets (-1, -1) → HW. Returns every round's decision.
    fn converge(leader: &Replica, follower: &mut Replica) -> Vec<TruncationState> {
        let mut rounds = Vec::new();
        loop {
            let requested = follower.cache.latest_epoch().unwrap_or(UNDEFINED_EPOCH);
            let (epoch, end) = leader.cache.end_offset_for(requested, leader.leo());
            let state =
                offset_truncation_state(epoch, end, &follower.cache, follower.leo(), follower.hw);
            follower.truncate_to(state.offset);
            rounds.push(state);
            if state.done {
                return rounds;
            }
            assert!(
                rounds.len() <= 64,
                "truncation does not converge: {rounds:?}"
            );
        }
    }

    /// KIP-101 v0: one OffsetsForLeaderEpoch(latest epoch) round (R4.2).
    fn converge_v0(leader: &Replica, follower: &mut Replica) -> TruncationState {
        let requested = follower.cache.latest_epoch().unwrap_or(UNDEFINED_EPOCH);
        let end = leader.cache.end_offset_for_v0(requested, leader.leo());
        let state = offset_truncation_state_v0(end, follower.leo(), follower.hw);
        follower.truncate_to(state.offset);
        state
    }

    #[test]
    fn r4_4_rows() {
        // (source, leader (E, O), follower cache, follower LEO, HW, expected)
        type Row = (
            &'static str,
            (Epoch, Offset),
            &'static [(Epoch, Offset)],
            Offset,
            Offset,
            TruncationState,
        );
        let rows: &[Row] = &[
            // R4.4: O == -1 → HW, done (whatever E is)
            (
                "undefined answer",
                (3, -1),
                &[(1, 0), (3, 10)],
                50,
                40,
                st(40, true),
            ),
            (
                "undefined answer, -1/-1",
                (-1, -1),
                &[(1, 0)],
                50,
                40,
                st(40, true),
            ),
            (
                "undefined answer, empty cache",
                (-1, -1),
                &[],
                0,
                0,
                st(0, true),
            ),
            // R4.4: E == -1 (v0 response) → min(O, LEO), done
            (
                "v0 answer below LEO",
                (-1, 30),
                &[(1, 0)],
                50,
                10,
                st(30, true),
            ),
            (
                "v0 answer above LEO",
                (-1, 70),
                &[(1, 0)],
                50,
                10,
                st(50, true),
            ),
            // R4.4: fE ≠ E → min(fO, LEO), not done. ReplicaFetcherThreadTest
            // .shouldFetchLeaderEpochSecondTimeIfLeaderRepliesWithEpochNotKnownToFollower round 1:
            // follower latest 5, own endOffsetFor(4) = (3, 120), leader says (4, 155) → 120.
            (
                "unknown epoch",
                (4, 155),
                &[(3, 50), (5, 120)],
                200,
                198,
                st(120, false),
            ),
            // same, the follower's end of the smaller epoch above its LEO → LEO
            (
                "unknown epoch, LEO smaller",
                (4, 155),
                &[(3, 50), (5, 120)],
                100,
                90,
                st(100, false),
            ),
            // R4.4: fE == E → min(fO, O, LEO), done. Same test, round 2: (3, 101) → 101.
            (
                "known epoch, O smallest",
                (3, 101),
                &[(3, 50), (5, 120)],
                200,
                198,
                st(101, true),
            ),
            (
                "known epoch, fO smallest",
                (3, 150),
                &[(3, 50), (5, 120)],
                200,
                198,
                st(120, true),
            ),
            // shouldTruncateIfLeaderRepliesWithDivergingEpochNotKnownToFollower loop 2: own
            // endOffsetForEpoch(4) = (4, 149), DivergingEpoch (4, 140) → 140.
            (
                "diverging epoch",
                (4, 140),
                &[(4, 130), (5, 149)],
                200,
                115,
                st(140, true),
            ),
            // follower's latest epoch: fO = LEO → min(LEO, O)
            (
                "latest epoch, O past LEO",
                (3, 100),
                &[(1, 0), (3, 50)],
                60,
                55,
                st(60, true),
            ),
            (
                "latest epoch, O before LEO",
                (3, 55),
                &[(1, 0), (3, 50)],
                60,
                55,
                st(55, true),
            ),
            // E older than every follower epoch: own endOffsetFor(E) = (E, first start) → same epoch
            (
                "older than follower cache",
                (2, 15),
                &[(3, 10), (5, 20)],
                30,
                0,
                st(10, true),
            ),
            // R4.4: own lookup undefined → min(O, LEO), done
            ("follower has no epochs", (2, 30), &[], 50, 0, st(30, true)),
            (
                "follower has no epochs, O > LEO",
                (2, 80),
                &[],
                50,
                0,
                st(50, true),
            ),
            (
                "E newer than follower's epochs",
                (4, 30),
                &[(1, 0)],
                50,
                0,
                st(30, true),
            ),
        ];
        for (name, (e, o), cache, leo, hw, expected) in rows {
            let cache = EpochCache::from_entries(cache);
            assert_eq!(
                offset_truncation_state(*e, *o, &cache, *leo, *hw),
                *expected,
                "{name}"
            );
        }
    }

    #[test]
    fn v0_rows() {
        // R4.2: (leader end offset, LEO, HW) → min(O, LEO), done; undefined → HW
        let rows: &[(Offset, Offset, Offset, TruncationState)] = &[
            (UNDEFINED_OFFSET, 50, 40, st(40, true)),
            (30, 50, 40, st(30, true)),
            (70, 50, 40, st(50, true)),
            (50, 50, 40, st(50, true)),
            (0, 50, 40, st(0, true)),
        ];
        for (o, leo, hw, expected) in rows {
            assert_eq!(
                offset_truncation_state_v0(*o, *leo, *hw),
                *expected,
                "{o} {leo} {hw}"
            );
        }
    }

    #[test]
    fn s4_acks1_loss_on_clean_failover() {
        // S4: 1 = [a@0/e0, b@1/e0], HW 1; 2 = [a], elected in epoch 1 → cache [(0,0),(1,1)].
        let mut old_leader = Replica::new();
        old_leader.append(0, 2).hw = 1;
        let mut new_leader = Replica::new();
        new_leader.append(0, 1).elect(1);
        assert_eq!(new_leader.cache.entries().len(), 2);
        // Leader answers endOffsetFor(0) = (0, 1); own (0, 2) → min(2, 1, 2) = 1.
        let mut epoch_mode = old_leader.clone();
        assert_eq!(converge(&new_leader, &mut epoch_mode), [st(1, true)]);
        assert_eq!(epoch_mode.log, [0], "acked b is lost");
        // "Epoch-mode and HW-mode agree here": HW truncation (R4.1) also gives 1; so does v0.
        let mut v0_mode = old_leader.clone();
        assert_eq!(converge_v0(&new_leader, &mut v0_mode), st(1, true));
        assert_eq!(
            offset_truncation_state(-1, -1, &old_leader.cache, 2, 1),
            st(1, true)
        );
    }

    #[test]
    fn s16_kip101_scenario1_epochs_keep_m2() {
        // S16: both [m1@0/e0, m2@1/e0], B leader LEO 2, A's HW 1 (it never saw HW 2).
        let mut b = Replica::new();
        b.append(0, 2).hw = 2;
        let mut a = Replica::new();
        a.append(0, 2).hw = 1;
        // Epoch mode: B endOffsetFor(0) = (0, 2) → truncate to 2 = no-op.
        let mut epoch_a = a.clone();
        assert_eq!(converge(&b, &mut epoch_a), [st(2, true)]);
        assert_eq!(epoch_a.log, [0, 0]);
        // KIP-101 v0: OffsetsForLeaderEpoch(0) → 2 → min(2, 2) = 2.
        let mut v0_a = a.clone();
        assert_eq!(converge_v0(&b, &mut v0_a), st(2, true));
        assert_eq!(v0_a.log, [0, 0]);
        // B fails, A elected in epoch 1: cache_A = [(0,0),(1,2)], m2 kept.
        epoch_a.elect(1);
        assert_eq!(epoch_a.cache, EpochCache::from_entries(&[(0, 0), (1, 2)]));
        // HW mode (R4.1) for contrast: A truncates to HW_A = 1 and loses committed m2.
        let mut hw_a = a.clone();
        hw_a.truncate_to(hw_a.hw);
        assert_eq!(hw_a.log, [0]);
    }

    #[test]
    fn s17_kip101_scenario2_no_divergence_in_epoch_mode() {
        // S17: A restarts with [m1] (lost unflushed m2), elected epoch 1, writes m3@1/e1.
        let mut a = Replica::new();
        a.append(0, 1).elect(1).append(1, 1);
        assert_eq!(a.cache, EpochCache::from_entries(&[(0, 0), (1, 1)]));
        // B returns with [m1, m2] (epoch 0), HW 2.
        let mut b = Replica::new();
        b.append(0, 2).hw = 2;
        // HW mode (R4.1) for contrast: B keeps m2 at offset 1 while A has m3 there.
        let mut hw_b = b.clone();
        hw_b.truncate_to(hw_b.hw);
        hw_b.copy_from(&a, usize::MAX);
        assert_ne!(hw_b.log, a.log, "permanent divergence at offset 1");
        // Epoch mode: A endOffsetFor(0) = (0, 1); B own (0, 2) → min(2, 1, 2) = 1; fetch m3.
        assert_eq!(converge(&a, &mut b), [st(1, true)]);
        assert_eq!(b.hw, 1, "HW := min(HW, new LEO)");
        b.copy_from(&a, usize::MAX);
        assert_eq!(b.log, a.log);
        assert_eq!(b.cache, a.cache, "identical epoch caches [(0,0),(1,1)]");
    }

    /// S18 setup: X = 0–10, Y = 11–20 in epoch 1 on B; A has X; A leads epoch 2 and writes Z
    /// (11..11+z); B leads epoch 3 and writes W (21–30).
    fn s18(z: usize) -> (Replica, Replica) {
        let mut b = Replica::new();
        b.append(1, 21);
        let mut a = Replica::new();
        a.append(1, 11).elect(2).append(2, z);
        b.elect(3).append(3, 10);
        (a, b)
    }

    #[test]
    fn s18_kip101_v0_diverges() {
        let (mut a, b) = s18(15);
        assert_eq!(a.cache, EpochCache::from_entries(&[(1, 0), (2, 11)]));
        assert_eq!(b.cache, EpochCache::from_entries(&[(1, 0), (3, 21)]));
        assert_eq!((a.leo(), b.leo()), (26, 31));
        // v0: B doesn't know epoch 2 → 21 → A truncates to min(21, 26) = 21, then fetches W.
        assert_eq!(converge_v0(&b, &mut a), st(21, true));
        a.copy_from(&b, usize::MAX);
        assert_eq!(a.leo(), b.leo());
        // Silent divergence: A keeps Z (epoch 2) at 11–20 where B has Y (epoch 1).
        assert!(a.log[11..21].iter().all(|&e| e == 2));
        assert!(b.log[11..21].iter().all(|&e| e == 1));
        assert_eq!(a.cache.epoch_for_offset(15), Some(2));
        assert_eq!(b.cache.epoch_for_offset(15), Some(1));
        // "If A's LEO were ≤ 21, A would not truncate at all": Z = 11–15, LEO 16.
        let (mut short_a, b) = s18(5);
        assert_eq!(converge_v0(&b, &mut short_a), st(16, true));
        assert_eq!(short_a.log[11..16], [2; 5]);
    }

    #[test]
    fn s18_kip279_converges() {
        let (mut a, b) = s18(15);
        // B replies (1, 21); A's own endOffsetFor(1) = (1, 11) → min(11, 21, 26) = 11.
        assert_eq!(b.cache.end_offset_for(2, b.leo()), (1, 21));
        assert_eq!(converge(&b, &mut a), [st(11, true)]);
        a.copy_from(&b, usize::MAX);
        // A = B = X, Y, W; Z lost.
        assert_eq!(a.log, b.log);
        assert_eq!(a.cache, b.cache);
    }

    #[test]
    fn s19_missed_epoch_change_fixed() {
        // S19: r1 = [id1@0/e2], cache [(2,0)]; r3 = [id0@0/e0], cache [(0,0)].
        let mut r1 = Replica::new();
        r1.elect(2).append(2, 1);
        assert_eq!(r1.cache, EpochCache::from_entries(&[(2, 0)]));
        let mut r3 = Replica::new();
        r3.append(0, 1);
        // r1 endOffsetFor(0) = (0, 0); r3 own (0, 1) → min(1, 0, 1) = 0; fetch id1.
        assert_eq!(r1.cache.end_offset_for(0, r1.leo()), (0, 0));
        assert_eq!(converge(&r1, &mut r3), [st(0, true)]);
        assert!(r3.cache.entries().is_empty());
        r3.copy_from(&r1, usize::MAX);
        assert_eq!(r3.log, [2]);
        assert_eq!(r3.cache, r1.cache);
    }

    #[test]
    fn multi_round_two_rounds() {
        // ReplicaFetcherThreadTest.shouldFetchLeaderEpochSecondTimeIfLeaderRepliesWithEpochNotKnownToFollower
        // with real caches: follower epochs 3, 5 (latest 5), LEO 200; the leader answers (4, 155)
        // then (3, 101).
        let mut leader = Replica::new();
        leader.append(3, 101).append(4, 54).append(6, 145);
        let mut follower = Replica::new();
        follower.append(3, 120).append(5, 80).hw = 198;
        assert_eq!(leader.cache.end_offset_for(5, leader.leo()), (4, 155));
        assert_eq!(leader.cache.end_offset_for(3, leader.leo()), (3, 101));
        assert_eq!(
            converge(&leader, &mut follower),
            [st(120, false), st(101, true)]
        );
        assert_eq!(follower.log[..], leader.log[..101]);
    }

    #[test]
    fn multi_round_four_rounds() {
        // S18 "Multi-round case": each answer names an epoch the follower lacks, so it truncates
        // to the end of its largest smaller epoch and asks again.
        let mut leader = Replica::new();
        leader
            .append(1, 5)
            .append(2, 3)
            .append(4, 7)
            .append(6, 10)
            .append(8, 5);
        let mut follower = Replica::new();
        follower
            .append(1, 10)
            .append(3, 10)
            .append(5, 10)
            .append(7, 10);
        let rounds = converge(&leader, &mut follower);
        assert_eq!(
            rounds,
            [st(30, false), st(20, false), st(10, false), st(5, true)]
        );
        assert_eq!(follower.log, [1; 5]);
        follower.copy_from(&leader, usize::MAX);
        assert_eq!(follower.log, leader.log);
        assert_eq!(follower.cache, leader.cache);
    }

    #[test]
    fn empty_leader_entry_dropped_when_truncation_is_a_no_op() {
        // UnifiedLog#truncateTo at/above the LEO still truncates the epoch cache at the LEO: "this
        // broker was a leader and inserted the first start offset entry, but then failed to append
        // any entries before another leader was elected".
        let mut x = Replica::new();
        x.append(1, 5).elect(2); // leader of epoch 2 at LEO 5, wrote nothing
        let mut y = Replica::new();
        y.append(1, 7).elect(3).append(3, 2); // Y had two more epoch-1 records
                                              // X asks for 2 → Y (1, 7); X's own (1, 5) → min(5, 7, 5) = 5 = LEO: no log truncation.
        assert_eq!(converge(&y, &mut x), [st(5, true)]);
        assert_eq!(
            x.cache,
            EpochCache::from_entries(&[(1, 0)]),
            "(2,5) dropped"
        );
        x.copy_from(&y, usize::MAX);
        assert_eq!(x.log, y.log);
        assert_eq!(x.cache, y.cache);
        // Without the cache truncation, Y's epoch-1 record at 5 would make assign(1, 5) remove
        // both (2,5) and (1,0).
        let mut stale = EpochCache::from_entries(&[(1, 0), (2, 5)]);
        stale.assign(1, 5);
        assert_eq!(stale, EpochCache::from_entries(&[(1, 5)]));
    }

    /// SplitMix64, for the deterministic randomized test below.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % n
        }
    }

    fn common_prefix(a: &[Epoch], b: &[Epoch]) -> usize {
        a.iter().zip(b).take_while(|(x, y)| x == y).count()
    }

    #[test]
    fn random_histories_truncate_to_the_divergence_point() {
        // §11 "Log matching": after truncation completes, the follower's log is a prefix of the
        // leader's. With one writer per epoch, (offset, epoch) identifies a record, so KIP-279
        // should stop exactly at the first offset where the epochs differ (TLA-HJ:Kip279.tla
        // "first non-matching offset from tail"). Histories mix appends, partial replication,
        // unclean crashes that lose a suffix, and elections of any replica (unclean allowed).
        for seed in 0..400 {
            let mut rng = Rng(seed);
            let mut replicas = vec![Replica::new(), Replica::new(), Replica::new()];
            let (mut leader, mut epoch) = (0usize, 0);
            replicas[leader].elect(epoch);
            for _ in 0..40 {
                match rng.below(10) {
                    0..=3 => {
                        let n = rng.below(4) as usize + 1;
                        replicas[leader].append(epoch, n);
                    }
                    4..=7 => {
                        let f = rng.below(3) as usize;
                        if f == leader {
                            continue;
                        }
                        let leader_copy = replicas[leader].clone();
                        let follower = &mut replicas[f];
                        let before = follower.log.clone();
                        let rounds = converge(&leader_copy, follower);
                        let expected = common_prefix(&before, &leader_copy.log);
                        assert_eq!(
                            follower.log.len(),
                            expected,
                            "seed {seed}: {rounds:?} {before:?} vs {leader_copy:?}"
                        );
                        assert_eq!(follower.log[..], leader_copy.log[..expected]);
                        let max = rng.below(8) as usize;
                        follower.copy_from(&leader_copy, max);
                    }
                    8 => {
                        // Unclean crash: an unflushed suffix is lost, then a new election.
                        let r = rng.below(3) as usize;
                        let cut = rng.below(replicas[r].leo() as u64 + 1) as Offset;
                        replicas[r].truncate_to(cut);
                        epoch += 1;
                        leader = rng.below(3) as usize;
                        replicas[leader].elect(epoch);
                    }
                    _ => {
                        epoch += 1;
                        leader = rng.below(3) as usize;
                        replicas[leader].elect(epoch);
                    }
                }
                for r in &replicas {
                    let entries = r.cache.entries();
                    assert!(entries
                        .windows(2)
                        .all(|w| w[0].epoch < w[1].epoch && w[0].start_offset < w[1].start_offset));
                    for (offset, &e) in r.log.iter().enumerate() {
                        assert_eq!(
                            r.cache.epoch_for_offset(offset as Offset),
                            Some(e),
                            "seed {seed}: offset {offset} of {r:?}"
                        );
                    }
                }
            }
        }
    }
}
