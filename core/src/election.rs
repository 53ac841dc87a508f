//! Partition leader election at the controller (KAFKA-SEMANTICS §R3.1, §R3.2):
//! AK:metadata/.../PartitionChangeBuilder.java#electAnyLeader/#electPreferredLeader (KRaft) and
//! AK:core/.../controller/PartitionStateMachine.scala#PartitionLeaderElectionAlgorithms (ZK).
//!
//! Pure functions: the caller owns the partition registration, bumps `leaderEpoch` on every leader
//! change and `partitionEpoch` on every change (R3.1, R3.2), and sets `leaderRecoveryState =
//! RECOVERING` after an unclean election (KIP-704). With eligible leader replicas (KIP-966, R3.3;
//! on from 4.1) the ISR may become empty and an ELR member can then be elected cleanly
//! ([`elect_leader_with_elr`], [`target_elr`]); without them the ISR never becomes empty.

use crate::ordered;
use crate::types::BrokerId;

/// Why the controller elects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ElectionType {
    /// Leader offline, ISR changed, broker fenced, new partition (KRaft `ONLINE`/`UNCLEAN`, ZK
    /// `OfflinePartitionLeaderElectionStrategy`). Unclean only if `unclean_allowed`.
    Online,
    /// Preferred-replica election (`kafka-leader-election --election-type preferred`,
    /// `auto.leader.rebalance.enable`). Never unclean.
    Preferred,
    /// ZK `ControlledShutdownPartitionLeaderElectionStrategy`: move leadership off brokers that are
    /// shutting down. Never unclean. (KRaft runs an `Online` election for this.)
    ControlledShutdown,
}

/// The outcome of [`elect_leader`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ElectionResult {
    /// A leader: `unclean` when it was not in the target ISR; then the new ISR is just `[leader]` (and the partition is RECOVERING, KIP-704).
    Leader {
        /// The elected leader.
        leader: BrokerId,
        /// True if the leader came from outside the ISR (unclean election).
        unclean: bool,
        /// The ISR after the election.
        isr: Vec<BrokerId>,
    },
    /// No acceptable candidate: leader = -1, the ISR is kept as given (the last member is never removed, R2.3).
    NoLeader {
        /// The ISR, unchanged.
        isr: Vec<BrokerId>,
    },
}

/// Elects a leader (PartitionChangeBuilder#electLeader).
///
/// `replicas`: assignment order; `target_isr`: the ISR after removing fenced brokers (may be what the caller computed);
/// `current_leader`: kept for Online elections if still valid; `acceptable(b)`: broker is alive/unfenced and not shutting down;
/// `unclean_allowed`: unclean.leader.election.enable.
///
/// A broker is a *valid* (clean) leader when it is in `target_isr` and acceptable (R3.2
/// `isValidNewLeader`). Candidates are tried in this order:
/// * `Online` / `ControlledShutdown`: the current leader if valid, else the first valid replica in
///   assignment order; `Online` then falls back, if `unclean_allowed`, to the first acceptable
///   replica in assignment order (unclean).
/// * `Preferred`: `replicas[0]` if valid, else the current leader if valid, else the first valid
///   replica (KRaft; the ZK controller instead fails the election unless `replicas[0]` is valid).
///
/// A clean result keeps `target_isr` (order preserved) as the new ISR; for `ControlledShutdown`
/// pass a `target_isr` without the shutting-down brokers, e.g. from [`isr_without`] (R3.1).
pub fn elect_leader(
    kind: ElectionType,
    replicas: &[BrokerId],
    target_isr: &[BrokerId],
    current_leader: Option<BrokerId>,
    acceptable: &dyn Fn(BrokerId) -> bool,
    unclean_allowed: bool,
) -> ElectionResult {
    elect_leader_with_elr(
        kind,
        replicas,
        target_isr,
        &[],
        current_leader,
        acceptable,
        unclean_allowed,
    )
}

/// [`elect_leader`] with eligible leader replicas (KIP-966, R3.3): when the target ISR is empty,
/// an acceptable ELR member is a valid leader too (PartitionChangeBuilder#isValidNewLeader), and
/// the ISR becomes `[leader]` (a clean election).
pub fn elect_leader_with_elr(
    kind: ElectionType,
    replicas: &[BrokerId],
    target_isr: &[BrokerId],
    elr: &[BrokerId],
    current_leader: Option<BrokerId>,
    acceptable: &dyn Fn(BrokerId) -> bool,
    unclean_allowed: bool,
) -> ElectionResult {
    // R3.2: isValidNewLeader(r) ⇔ (r ∈ targetIsr ∨ (targetIsr = ∅ ∧ r ∈ ELR)) ∧ acceptable(r).
    let valid = |b: BrokerId| {
        (target_isr.contains(&b) || (target_isr.is_empty() && elr.contains(&b))) && acceptable(b)
    };
    let current = current_leader.filter(|&b| valid(b));
    // R3.1/R3.2: first valid replica *in assignment order* (not ISR order).
    let first_valid = || replicas.iter().copied().find(|&b| valid(b));
    let clean = match kind {
        // R3.2 PREFERRED: replicas[0] if valid, else keep current if valid, else next valid.
        ElectionType::Preferred => replicas
            .first()
            .copied()
            .filter(|&b| valid(b))
            .or(current)
            .or_else(first_valid),
        // R3.2 ONLINE: keep current leader if still valid; else first valid replica in order.
        // R3.1 controlled shutdown: first live ISR member, in assignment order, not shutting down.
        ElectionType::Online | ElectionType::ControlledShutdown => current.or_else(first_valid),
    };
    if let Some(leader) = clean {
        // R3.3: an ELR member elected from an empty ISR is moved into it.
        let isr = if target_isr.is_empty() {
            vec![leader]
        } else {
            target_isr.to_vec()
        };
        return ElectionResult::Leader {
            leader,
            unclean: false,
            isr,
        };
    }
    // R3.1/R3.2 UNCLEAN: first acceptable replica in assignment order → ISR := [leader], RECOVERING.
    if kind == ElectionType::Online && unclean_allowed {
        if let Some(leader) = replicas.iter().copied().find(|&b| acceptable(b)) {
            return ElectionResult::Leader {
                leader,
                unclean: true,
                isr: vec![leader],
            };
        }
    }
    // R3.2: NO_LEADER (-1); R2.3: the ISR keeps its members (never emptied without ELR).
    ElectionResult::NoLeader {
        isr: target_isr.to_vec(),
    }
}

/// The ISR the controller keeps when brokers are fenced: `isr` minus `fenced`, except that the last member is never removed (R2.3). Order preserved.
///
/// Kafka removes one broker at a time (ReplicaStateMachine#doRemoveReplicasFromIsr: `if
/// (leaderAndIsr.isr.size == 1) leaderAndIsr.isr`; ReplicationControlManager
/// #generateLeaderAndIsrUpdates per fenced broker). This function behaves like removing the fenced
/// members one at a time in ISR order, so when every member is fenced the last one in ISR order
/// stays. Call it once per fencing event to reproduce a specific fencing order.
pub fn isr_without(isr: &[BrokerId], fenced: &dyn Fn(BrokerId) -> bool) -> Vec<BrokerId> {
    let kept: Vec<BrokerId> = isr.iter().copied().filter(|&b| !fenced(b)).collect();
    match (kept.is_empty(), isr.last()) {
        (true, Some(&last)) => vec![last],
        _ => kept,
    }
}

/// The ELR after a change (R3.3; PartitionChangeBuilder#maybePopulateTargetElr): empty while the
/// new ISR has at least `min_isr` members; otherwise the members of the old ISR and ELR that left
/// the ISR, except brokers that restarted after an unclean shutdown — they may have lost records
/// that were committed while the ISR was below `min_isr` (the HW was frozen, R1.5). Order:
/// ascending broker id. An unclean election clears the ELR (the caller's job).
pub fn target_elr(
    old_isr: &[BrokerId],
    old_elr: &[BrokerId],
    new_isr: &[BrokerId],
    min_isr: u32,
    unclean_shutdown: &dyn Fn(BrokerId) -> bool,
) -> Vec<BrokerId> {
    if new_isr.len() >= min_isr as usize {
        return Vec::new();
    }
    let mut elr: Vec<BrokerId> = old_isr
        .iter()
        .chain(old_elr)
        .copied()
        .filter(|b| !new_isr.contains(b) && !unclean_shutdown(*b))
        .collect();
    ordered::sort(&mut elr);
    elr.dedup();
    elr
}

#[cfg(test)]
mod tests {
    use super::*;
    use ElectionType::{ControlledShutdown, Online, Preferred};

    fn leader(leader: BrokerId, unclean: bool, isr: &[BrokerId]) -> ElectionResult {
        ElectionResult::Leader {
            leader,
            unclean,
            isr: isr.to_vec(),
        }
    }

    fn none(isr: &[BrokerId]) -> ElectionResult {
        ElectionResult::NoLeader { isr: isr.to_vec() }
    }

    struct Row {
        source: &'static str,
        kind: ElectionType,
        replicas: &'static [BrokerId],
        target_isr: &'static [BrokerId],
        current: Option<BrokerId>,
        /// Brokers for which `acceptable` is false (offline, fenced or shutting down).
        unacceptable: &'static [BrokerId],
        unclean: bool,
        expected: ElectionResult,
    }

    fn check(rows: &[Row]) {
        for row in rows {
            let acceptable = |b: BrokerId| !row.unacceptable.contains(&b);
            let got = elect_leader(
                row.kind,
                row.replicas,
                row.target_isr,
                row.current,
                &acceptable,
                row.unclean,
            );
            assert_eq!(got, row.expected, "{}", row.source);
        }
    }

    #[test]
    fn s12_partition_change_builder_rows() {
        // S12 / PartitionChangeBuilderTest.testElectLeader: FOO replicas [2,1,3], ISR {2,1,3},
        // leader 1, broker 3 offline. Election.UNCLEAN = Online + unclean_allowed.
        let foo = |source, kind, target_isr, replicas, unclean, expected| Row {
            source,
            kind,
            replicas,
            target_isr,
            current: Some(1),
            unacceptable: &[3],
            unclean,
            expected,
        };
        check(&[
            foo(
                "PREFERRED → 2",
                Preferred,
                &[2, 1, 3],
                &[2, 1, 3],
                false,
                leader(2, false, &[2, 1, 3]),
            ),
            foo(
                "ONLINE → 1 (current kept)",
                Online,
                &[2, 1, 3],
                &[2, 1, 3],
                false,
                leader(1, false, &[2, 1, 3]),
            ),
            foo(
                "UNCLEAN → 1 (no need to be unclean)",
                Online,
                &[2, 1, 3],
                &[2, 1, 3],
                true,
                leader(1, false, &[2, 1, 3]),
            ),
            foo(
                "targetISR {1,3} → 1",
                Online,
                &[1, 3],
                &[2, 1, 3],
                false,
                leader(1, false, &[1, 3]),
            ),
            foo(
                "UNCLEAN + targetISR {1,3} → 1",
                Online,
                &[1, 3],
                &[2, 1, 3],
                true,
                leader(1, false, &[1, 3]),
            ),
            foo(
                "targetISR {3} → NO_LEADER",
                Online,
                &[3],
                &[2, 1, 3],
                false,
                none(&[3]),
            ),
            // testUncleanLeaderElection: ISR [2], RECOVERING
            foo(
                "UNCLEAN + targetISR {3} → 2 unclean",
                Online,
                &[3],
                &[2, 1, 3],
                true,
                leader(2, true, &[2]),
            ),
            foo(
                "UNCLEAN + targetISR {4}, replicas [2,1,3,4] → 4 clean",
                Online,
                &[4],
                &[2, 1, 3, 4],
                true,
                leader(4, false, &[4]),
            ),
            // testIsrChangeAndLeaderBump: target ISR [2,1] keeps leader 1
            foo(
                "testIsrChangeAndLeaderBump",
                Online,
                &[2, 1],
                &[2, 1, 3],
                false,
                leader(1, false, &[2, 1]),
            ),
            // testIsrChangeAndLeaderChange: target ISR [2,3] → leader 2
            foo(
                "testIsrChangeAndLeaderChange",
                Online,
                &[2, 3],
                &[2, 1, 3],
                false,
                leader(2, false, &[2, 3]),
            ),
        ]);
        // testElectLeader BAZ: replicas [2,1,3], ISR [1,3], leader 3, everyone acceptable.
        let baz = |source, kind, unclean| Row {
            source,
            kind,
            replicas: &[2, 1, 3],
            target_isr: &[1, 3],
            current: Some(3),
            unacceptable: &[],
            unclean,
            expected: leader(3, false, &[1, 3]),
        };
        check(&[
            baz(
                "BAZ PREFERRED → 3 (2 not in ISR, current kept)",
                Preferred,
                false,
            ),
            baz("BAZ ONLINE → 3", Online, false),
            baz("BAZ UNCLEAN → 3", Online, true),
        ]);
        // testUncleanLeaderElection OFFLINE: replicas [2,1,3], ISR [3], no leader, only 1 acceptable.
        let offline = |source, target_isr| Row {
            source,
            kind: Online,
            replicas: &[2, 1, 3],
            target_isr,
            current: None,
            unacceptable: &[2, 3],
            unclean: true,
            expected: leader(1, true, &[1]),
        };
        check(&[
            offline("OFFLINE UNCLEAN → 1", &[3]),
            offline("OFFLINE UNCLEAN + targetISR [2] → 1", &[2]),
        ]);
        // testUncleanSetsLeaderRecoveringState: replicas [1,2,3], ISR [2,3], only 1 acceptable.
        check(&[Row {
            source: "testUncleanSetsLeaderRecoveringState",
            kind: Online,
            replicas: &[1, 2, 3],
            target_isr: &[2, 3],
            current: None,
            unacceptable: &[2, 3],
            unclean: true,
            expected: leader(1, true, &[1]),
        }]);
    }

    #[test]
    fn assignment_order_rows() {
        let row =
            |source, kind, replicas, target_isr, current, unacceptable, unclean, expected| Row {
                source,
                kind,
                replicas,
                target_isr,
                current,
                unacceptable,
                unclean,
                expected,
            };
        check(&[
            // R3.1: "first replica in assignment order that is live and in ISR" (not ISR order)
            row(
                "assignment order, not ISR order",
                Online,
                &[3, 1, 2],
                &[2, 1],
                None,
                &[],
                false,
                leader(1, false, &[2, 1]),
            ),
            row(
                "skip offline ISR member",
                Online,
                &[3, 1, 2],
                &[1, 2],
                None,
                &[1],
                false,
                leader(2, false, &[1, 2]),
            ),
            row(
                "skip non-ISR live replica",
                Online,
                &[3, 1, 2],
                &[2],
                None,
                &[],
                false,
                leader(2, false, &[2]),
            ),
            // R3.2: a current leader outside the target ISR is not kept
            row(
                "current leader removed from ISR",
                Online,
                &[1, 2, 3],
                &[2, 3],
                Some(1),
                &[],
                false,
                leader(2, false, &[2, 3]),
            ),
            // R3.2: an unacceptable current leader is not kept
            row(
                "current leader fenced",
                Online,
                &[1, 2, 3],
                &[1, 2, 3],
                Some(1),
                &[1],
                false,
                leader(2, false, &[1, 2, 3]),
            ),
            row(
                "current leader kept over earlier replicas",
                Online,
                &[1, 2, 3],
                &[1, 2, 3],
                Some(3),
                &[],
                false,
                leader(3, false, &[1, 2, 3]),
            ),
            // R3.1 unclean: "first live replica in assignment order"
            row(
                "unclean: first live replica",
                Online,
                &[3, 1, 2],
                &[4],
                None,
                &[3],
                true,
                leader(1, true, &[1]),
            ),
            row(
                "unclean: nobody acceptable",
                Online,
                &[1, 2],
                &[1],
                None,
                &[1, 2],
                true,
                none(&[1]),
            ),
            row("no replicas", Online, &[], &[], None, &[], true, none(&[])),
            // R3.2 PREFERRED: replicas[0] wins over a valid current leader
            row(
                "preferred replaces current",
                Preferred,
                &[1, 2, 3],
                &[1, 2, 3],
                Some(2),
                &[],
                false,
                leader(1, false, &[1, 2, 3]),
            ),
            row(
                "preferred offline → current kept",
                Preferred,
                &[1, 2, 3],
                &[1, 2, 3],
                Some(3),
                &[1],
                false,
                leader(3, false, &[1, 2, 3]),
            ),
            row(
                "preferred offline, no current → next valid",
                Preferred,
                &[1, 2, 3],
                &[1, 3],
                None,
                &[1],
                false,
                leader(3, false, &[1, 3]),
            ),
            // electPreferredLeader has no unclean branch
            row(
                "preferred never unclean",
                Preferred,
                &[2, 1, 3],
                &[3],
                None,
                &[3],
                true,
                none(&[3]),
            ),
        ]);
    }

    #[test]
    fn controlled_shutdown_rows() {
        // R3.1 controlled shutdown: first live ISR member not shutting down (assignment order);
        // shutting-down brokers removed from the ISR. `unacceptable` = shutting down or dead.
        let shutdown = |source,
                        replicas,
                        isr: &'static [BrokerId],
                        current,
                        down: &'static [BrokerId],
                        unclean,
                        expected| {
            let target: Vec<BrokerId> = isr_without(isr, &|b| down.contains(&b));
            let got = elect_leader(
                ControlledShutdown,
                replicas,
                &target,
                current,
                &|b| !down.contains(&b),
                unclean,
            );
            assert_eq!(got, expected, "{source}");
        };
        shutdown(
            "leader 1 shuts down",
            &[1, 2, 3],
            &[1, 2, 3],
            Some(1),
            &[1],
            false,
            leader(2, false, &[2, 3]),
        );
        shutdown(
            "assignment order",
            &[1, 3, 2],
            &[1, 2, 3],
            Some(1),
            &[1],
            false,
            leader(3, false, &[2, 3]),
        );
        shutdown(
            "two shutting down",
            &[1, 2, 3],
            &[1, 3, 2],
            Some(1),
            &[1, 2],
            false,
            leader(3, false, &[3]),
        );
        shutdown(
            "follower shuts down, leader kept",
            &[1, 2, 3],
            &[1, 2, 3],
            Some(1),
            &[2],
            false,
            leader(1, false, &[1, 3]),
        );
        // Never unclean: the last ISR member shutting down stays, no leader.
        shutdown(
            "sole ISR member",
            &[1, 2],
            &[1],
            Some(1),
            &[1],
            true,
            none(&[1]),
        );
    }

    #[test]
    fn isr_without_rows() {
        // R2.3: remove fenced members; the last member is never removed; order preserved.
        type Ids = &'static [BrokerId];
        let rows: &[(&str, Ids, Ids, Ids)] = &[
            ("nothing fenced", &[1, 2, 3], &[], &[1, 2, 3]),
            ("one fenced", &[1, 2, 3], &[2], &[1, 3]),
            ("order preserved", &[3, 1, 2], &[1], &[3, 2]),
            ("non-member fenced", &[1, 2], &[4], &[1, 2]),
            // ReplicaStateMachine#doRemoveReplicasFromIsr: isr.size == 1 → unchanged
            ("last member kept", &[3], &[3], &[3]),
            (
                "all fenced: last in ISR order kept",
                &[1, 2, 3],
                &[1, 2, 3],
                &[3],
            ),
            ("all fenced, other order", &[3, 1, 2], &[1, 2, 3], &[2]),
            ("empty", &[], &[1], &[]),
        ];
        for (source, isr, fenced, expected) in rows {
            assert_eq!(
                isr_without(isr, &|b| fenced.contains(&b)),
                *expected,
                "{source}"
            );
        }
        // One fencing event at a time reproduces Kafka's order: {1,3}, fence 1 then 3 → [3].
        let step1 = isr_without(&[1, 3], &|b| b == 1);
        assert_eq!(isr_without(&step1, &|b| b == 3), [3]);
        // ... fence 3 then 1 → [1].
        let step1 = isr_without(&[1, 3], &|b| b == 3);
        assert_eq!(isr_without(&step1, &|b| b == 1), [1]);
    }

    #[test]
    fn s13_s14_unclean_disabled_vs_enabled() {
        // S13/S14 (UncleanLeaderElectionTest): RF=2 {L=1, F=2}. F shut down → ISR {1}; L shut
        // down → ISR stays {1}, leader -1; F restarts.
        let isr = isr_without(&[1, 2], &|b| b == 2);
        assert_eq!(isr, [1]);
        let isr = isr_without(&isr, &|b| b == 1);
        assert_eq!(isr, [1]);
        let only_f = |b: BrokerId| b == 2;
        // S13: unclean disabled → NO_LEADER, ISR {L}.
        assert_eq!(
            elect_leader(Online, &[1, 2], &isr, None, &only_f, false),
            none(&[1])
        );
        // S13 step 4: L restarts → L leader again.
        assert_eq!(
            elect_leader(Online, &[1, 2], &isr, None, &|_| true, false),
            leader(1, false, &[1])
        );
        // S14: unclean enabled → F elected uncleanly, ISR {F}.
        assert_eq!(
            elect_leader(Online, &[1, 2], &isr, None, &only_f, true),
            leader(2, true, &[2])
        );
    }

    #[test]
    fn s15_last_replica_standing_without_elr() {
        // S15 without ELR: ISR {0,1,2} → 0 then 1 partitioned → ISR {2}; 2 crashes → ISR {2},
        // leader -1; 2 restarts (with a shorter log) and is elected cleanly.
        let mut isr = vec![0, 1, 2];
        for fenced in [0, 1, 2] {
            isr = isr_without(&isr, &|b| b == fenced);
        }
        assert_eq!(isr, [2]);
        assert_eq!(
            elect_leader(Online, &[0, 1, 2], &isr, None, &|_| false, false),
            none(&[2])
        );
        assert_eq!(
            elect_leader(Online, &[0, 1, 2], &isr, None, &|b| b == 2, false),
            leader(2, false, &[2])
        );
    }

    // PartitionChangeBuilderTest#testEligibleLeaderReplicas_IsrShrinkBelowMinISR: replicas 1–4,
    // min ISR 3, ISR {1,2,3,4} → {1,2} ⇒ ELR {3,4}; back to ≥ 3 members ⇒ ELR ∅.
    #[test]
    fn elr_takes_the_replicas_that_leave_an_isr_below_min_isr() {
        let never = |_: BrokerId| false;
        assert_eq!(
            target_elr(&[1, 2, 3, 4], &[], &[1, 2], 3, &never),
            vec![3, 4]
        );
        assert!(target_elr(&[1, 2], &[3, 4], &[1, 2, 3], 3, &never).is_empty());
        // A broker back from an unclean shutdown is not eligible (handleBrokerUncleanShutdown).
        assert_eq!(target_elr(&[1, 2], &[3], &[1], 3, &|b| b == 3), vec![2]);
    }

    // testEligibleLeaderReplicas_ElrCanBeElected: ISR {1}, ELR {3}, 1 offline ⇒ target ISR ∅ ⇒
    // leader 3, ISR {3}, and ELR {1}.
    #[test]
    fn an_elr_member_is_elected_cleanly_from_an_empty_isr() {
        let up = |b: BrokerId| b != 1;
        let got = elect_leader_with_elr(Online, &[1, 2, 3, 4], &[], &[3], Some(1), &up, false);
        assert_eq!(got, leader(3, false, &[3]));
        assert_eq!(target_elr(&[1], &[3], &[3], 3, &|_| false), vec![1]);
        // Without ELR the same empty target has no clean candidate.
        let got = elect_leader(Online, &[1, 2, 3, 4], &[], Some(1), &up, false);
        assert_eq!(got, none(&[]));
    }

    // testEligibleLeaderReplicas_IsrCanShrinkToZero: every replica offline ⇒ ISR ∅, no leader,
    // ELR {1,2,3,4}.
    #[test]
    fn with_elr_the_isr_can_shrink_to_nothing() {
        let down = |_: BrokerId| false;
        let got = elect_leader_with_elr(Online, &[1, 2, 3, 4], &[], &[], Some(1), &down, false);
        assert_eq!(got, none(&[]));
        assert_eq!(
            target_elr(&[1, 2, 3, 4], &[], &[], 3, &|_| false),
            vec![1, 2, 3, 4]
        );
    }
}
