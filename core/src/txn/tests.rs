//! Unit tables for the transaction models: S29 (LSO), S30 (read_committed), S31 (fencing), S32
//! (coordinator state machine), S33 (commit before markers), S34 (pending offsets), S35 (zombie
//! coordinator), plus coordinator failover, timeouts and the client's refusals.

use super::client::{ClientCall, ClientTxnState};
use super::coordinator::TxnCoordinator;
use super::isolation::{deliver, FetchedRecord, IsolationLevel};
use super::markers::{PartitionTxns, TxnAppend};
use super::offsets::{GroupIdentity, GroupTxnOffsets};
use super::state::TxnState;
use super::*;
use crate::types::TopicPartition;

const TP: TopicPartition = TopicPartition {
    topic: 0,
    partition: 0,
};
const TP1: TopicPartition = TopicPartition {
    topic: 0,
    partition: 1,
};

fn data(offset: i64, pid: i64, transactional: bool) -> TxnAppend {
    TxnAppend::Data {
        offset,
        producer_id: pid,
        producer_epoch: 0,
        transactional,
    }
}

fn marker(
    offset: i64,
    pid: i64,
    epoch: i16,
    coordinator_epoch: i32,
    kind: ControlKind,
) -> TxnAppend {
    TxnAppend::Marker {
        offset,
        producer_id: pid,
        producer_epoch: epoch,
        coordinator_epoch,
        kind,
    }
}

#[test]
fn partition_for_is_javas_string_hash() {
    // "hello".hashCode() == 99162322; "polygenelubricants".hashCode() == Integer.MIN_VALUE,
    // which Utils.abs maps to 0.
    assert_eq!(java_string_hash("hello"), 99_162_322);
    assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
    assert_eq!(partition_for("hello", 50), 99_162_322 % 50);
    assert_eq!(partition_for("polygenelubricants", 50), 0);
    assert_eq!(partition_for("anything", 1), 0);
}

/// S29, UnifiedLogTest.testFetchUpToLastStableOffset.
#[test]
fn s29_lso_with_mixed_producers() {
    let (p1, p2, plain) = (1, 2, 3);
    let mut s = PartitionTxns::new();
    let mut offset = 0;
    let mut write = |s: &mut PartitionTxns, pid: i64, txn: bool, n: i64| {
        for _ in 0..n {
            s.append(data(offset, pid, txn)).unwrap();
            offset += 1;
        }
    };
    write(&mut s, p1, true, 5); // 0–4
    write(&mut s, plain, false, 3); // 5–7
    write(&mut s, p2, true, 2); // 8–9
    write(&mut s, p1, true, 4); // 10–13
    write(&mut s, plain, false, 2); // 14–15
    write(&mut s, p1, true, 10); // 16–25
                                 // LSO = 0 throughout, even with HW = LEO.
    for hw in [0, 10, 26] {
        s.on_high_watermark(hw);
        assert_eq!(s.last_stable_offset(hw), 0, "hw {hw}");
    }
    s.append(marker(26, p1, 0, 0, ControlKind::Commit)).unwrap();
    s.on_high_watermark(26);
    assert_eq!(
        s.last_stable_offset(26),
        0,
        "the COMMIT at 26 is not below the HW yet"
    );
    s.on_high_watermark(27);
    assert_eq!(s.last_stable_offset(27), 8, "P2's first offset");
    s.append(marker(27, p2, 0, 0, ControlKind::Abort)).unwrap();
    s.on_high_watermark(27);
    assert_eq!(s.last_stable_offset(27), 8);
    s.on_high_watermark(28);
    assert_eq!(s.last_stable_offset(28), 28, "= LEO");
    assert_eq!(s.first_unstable_offset(), None);
    // read_committed serves below the LSO only.
    assert_eq!(IsolationLevel::ReadCommitted.fetch_upper_bound(27, 8), 8);
    assert_eq!(IsolationLevel::ReadUncommitted.fetch_upper_bound(27, 8), 27);
}

/// S29, testLastStableOffsetWithMixedProducerData and testFirstUnstableOffsetWithTransactionalData.
#[test]
fn s29_first_unstable_offset_table() {
    let mut s = PartitionTxns::new();
    for o in 0..3 {
        s.append(data(o, 1, true)).unwrap();
    }
    for o in 3..6 {
        s.append(data(o, 3, false)).unwrap();
    }
    for o in 6..9 {
        s.append(data(o, 2, true)).unwrap();
    }
    // (step, hw, expected first unstable offset, expected LSO)
    assert_eq!(s.first_unstable_offset(), Some(0));
    s.append(marker(9, 1, 0, 0, ControlKind::Abort)).unwrap();
    s.on_high_watermark(9);
    assert_eq!(
        s.first_unstable_offset(),
        Some(0),
        "marker not below the HW"
    );
    s.on_high_watermark(10);
    assert_eq!(s.first_unstable_offset(), Some(6));
    s.append(marker(10, 2, 0, 0, ControlKind::Commit)).unwrap();
    s.on_high_watermark(11);
    assert_eq!(s.first_unstable_offset(), None);
    assert_eq!(s.last_stable_offset(11), 11);
    // The aborted index holds P1's transaction; the LSO after its marker was P2's first offset.
    let idx = s.aborted_index();
    assert_eq!(idx.len(), 1);
    assert_eq!(
        (idx[0].producer_id, idx[0].first_offset, idx[0].last_offset),
        (1, 0, 9)
    );
    assert_eq!(idx[0].last_stable_offset, 6);
}

#[test]
fn lso_never_exceeds_hw_and_non_transactional_data_never_holds_it() {
    let mut s = PartitionTxns::new();
    for o in 0..5 {
        s.append(data(o, 7, false)).unwrap();
    }
    for hw in 0..=5 {
        assert_eq!(s.last_stable_offset(hw), hw);
    }
    s.append(data(5, 8, true)).unwrap();
    for hw in 0..=6 {
        assert!(s.last_stable_offset(hw) <= hw);
        assert_eq!(s.last_stable_offset(hw), hw.min(5));
    }
}

fn fetched(offset: i64, pid: i64, txn: bool, control: Option<ControlKind>) -> FetchedRecord {
    FetchedRecord {
        offset,
        producer_id: pid,
        transactional: txn,
        control,
    }
}

/// S30, ReplicaManagerTest.testDelayedFetchIncludesAbortedTransactions.
#[test]
fn s30_read_committed_drops_an_aborted_transaction() {
    let pid = 234;
    let mut s = PartitionTxns::new();
    for o in 0..3 {
        s.append(TxnAppend::Data {
            offset: o,
            producer_id: pid,
            producer_epoch: 5,
            transactional: true,
        })
        .unwrap();
    }
    s.append(marker(3, pid, 5, 0, ControlKind::Abort)).unwrap();
    s.on_high_watermark(4);
    assert_eq!(s.last_stable_offset(4), 4);
    let aborted = s.aborted_transactions(0, 4);
    assert_eq!(aborted, vec![(pid, 0)]);
    let batch: Vec<FetchedRecord> = (0..3)
        .map(|o| fetched(o, pid, true, None))
        .chain([fetched(3, pid, true, Some(ControlKind::Abort))])
        .collect();
    // (level, delivered, position)
    let table = [
        (IsolationLevel::ReadCommitted, vec![], 4),
        (IsolationLevel::ReadUncommitted, vec![0, 1, 2], 4),
    ];
    for (level, want, pos) in table {
        let d = deliver(level, &batch, &aborted);
        assert_eq!(d.delivered, want, "{level:?}");
        assert_eq!(d.next_position, Some(pos), "position moves past the marker");
    }
    assert!(s.is_aborted(pid, 1));
}

#[test]
fn read_committed_keeps_committed_and_other_producers_records() {
    // P1 aborted (0,2 + marker 4), P2 committed (1,3 + marker 5), plain record 6.
    let recs = [
        fetched(0, 1, true, None),
        fetched(1, 2, true, None),
        fetched(2, 1, true, None),
        fetched(3, 2, true, None),
        fetched(4, 1, true, Some(ControlKind::Abort)),
        fetched(5, 2, true, Some(ControlKind::Commit)),
        fetched(6, 9, false, None),
    ];
    let d = deliver(IsolationLevel::ReadCommitted, &recs, &[(1, 0)]);
    assert_eq!(d.delivered, vec![1, 3, 6]);
    assert_eq!(d.dropped_aborted, vec![0, 2]);
    assert_eq!(d.next_position, Some(7));
    let u = deliver(IsolationLevel::ReadUncommitted, &recs, &[]);
    assert_eq!(
        u.delivered,
        vec![0, 1, 2, 3, 6],
        "control records never reach the application"
    );
}

/// S31: fencing by transactional.id, coordinator and partition together.
#[test]
fn s31_zombie_producer_is_fenced() {
    let mut c = TxnCoordinator::new(3);
    let mut part = PartitionTxns::new();
    // 1. A: (P, 0).
    let a = c.init_producer_id("t", DEFAULT_TRANSACTION_TIMEOUT_MS, 1000);
    assert_eq!(a.reply, Ok((1000, 0)));
    // 2. A begins and writes x at offset 0.
    assert_eq!(c.add_partitions("t", 1000, 0, &[TP], 10).reply, Ok(()));
    assert_eq!(c.get("t").unwrap().state, TxnState::Ongoing);
    part.append(data(0, 1000, true)).unwrap();
    // 3. A' with the same id: CONCURRENT_TRANSACTIONS, PrepareAbort with epoch 1, ABORT markers.
    let fence = c.init_producer_id("t", DEFAULT_TRANSACTION_TIMEOUT_MS, 2000);
    assert_eq!(fence.reply, Err(TxnError::ConcurrentTransactions));
    let log = fence.log.unwrap();
    assert_eq!((log.state, log.producer_epoch), (TxnState::PrepareAbort, 1));
    assert_eq!(fence.markers.len(), 1);
    let m = &fence.markers[0];
    assert_eq!(
        (m.kind, m.producer_epoch, m.coordinator_epoch),
        (ControlKind::Abort, 1, 3)
    );
    part.append(m.append_at(1)).unwrap();
    let done = c.marker_written("t", TP).unwrap();
    assert_eq!(done.state, TxnState::CompleteAbort);
    // A' retries: (P, 2).
    assert_eq!(
        c.init_producer_id("t", DEFAULT_TRANSACTION_TIMEOUT_MS, 2000)
            .reply,
        Ok((1000, 2))
    );
    // 4. Zombie A, epoch 0.
    assert_eq!(
        part.append(data(2, 1000, true)),
        Err(TxnError::InvalidProducerEpoch)
    );
    let end = c.end_txn("t", 1000, 0, TxnResult::Commit);
    assert_eq!(end.reply, Err(TxnError::ProducerFenced));
    assert!(
        end.log.is_none() && end.markers.is_empty(),
        "a fenced producer never commits"
    );
    assert_eq!(
        c.add_partitions("t", 1000, 0, &[TP], 20).reply,
        Err(TxnError::ProducerFenced)
    );
    assert_eq!(
        ClientTxnState::InTransaction.on_error(TxnError::ProducerFenced),
        Some(ClientTxnState::FatalError)
    );
    // x is aborted: read_committed never sees it.
    assert!(part.is_aborted(1000, 0));
    // A' proceeds.
    assert_eq!(c.add_partitions("t", 1000, 2, &[TP], 30).reply, Ok(()));
}

/// Builds a coordinator with id "t" (pid 1, epoch 0) in `state`, with partitions TP and TP1.
fn coordinator_in(state: TxnState) -> TxnCoordinator {
    let mut c = TxnCoordinator::new(0);
    c.init_producer_id("t", 60_000, 1);
    if state == TxnState::Empty {
        return c;
    }
    c.add_partitions("t", 1, 0, &[TP, TP1], 0);
    let result = match state {
        TxnState::Ongoing => return c,
        TxnState::PrepareCommit | TxnState::CompleteCommit => TxnResult::Commit,
        _ => TxnResult::Abort,
    };
    c.end_txn("t", 1, 0, result);
    if matches!(state, TxnState::CompleteCommit | TxnState::CompleteAbort) {
        c.marker_written("t", TP);
        c.marker_written("t", TP1);
    }
    assert_eq!(c.get("t").unwrap().state, state);
    c
}

/// S32: the EndTxn state table (TransactionCoordinatorTest).
#[test]
fn s32_end_txn_state_table() {
    use TxnResult::{Abort, Commit};
    use TxnState::*;
    let cc = Err(TxnError::ConcurrentTransactions);
    let invalid = Err(TxnError::InvalidTxnState);
    // (state, request, reply, state after, markers sent)
    let table = [
        (Ongoing, Commit, Ok(()), PrepareCommit, 2),
        (Ongoing, Abort, Ok(()), PrepareAbort, 2),
        (CompleteCommit, Commit, Ok(()), CompleteCommit, 0),
        (CompleteAbort, Abort, Ok(()), CompleteAbort, 0),
        (CompleteCommit, Abort, invalid, CompleteCommit, 0),
        (CompleteAbort, Commit, invalid, CompleteAbort, 0),
        (PrepareCommit, Commit, cc, PrepareCommit, 0),
        (PrepareAbort, Abort, cc, PrepareAbort, 0),
        (PrepareAbort, Commit, invalid, PrepareAbort, 0),
        (PrepareCommit, Abort, invalid, PrepareCommit, 0),
        (Empty, Commit, invalid, Empty, 0),
        (Empty, Abort, invalid, Empty, 0),
    ];
    for (state, req, reply, after, markers) in table {
        let mut c = coordinator_in(state);
        let out = c.end_txn("t", 1, 0, req);
        assert_eq!(out.reply, reply, "{state:?} + {req:?}");
        assert_eq!(c.get("t").unwrap().state, after, "{state:?} + {req:?}");
        assert_eq!(out.markers.len(), markers, "{state:?} + {req:?}");
        assert_eq!(
            out.log.is_some(),
            markers > 0,
            "{state:?} + {req:?}: logged iff state changed"
        );
        // Any state, wrong epoch → PRODUCER_FENCED; wrong producer id → INVALID_PRODUCER_ID_MAPPING.
        let mut c = coordinator_in(state);
        assert_eq!(
            c.end_txn("t", 1, 7, req).reply,
            Err(TxnError::ProducerFenced)
        );
        assert_eq!(
            c.end_txn("t", 9, 0, req).reply,
            Err(TxnError::InvalidProducerIdMapping)
        );
        assert_eq!(
            c.end_txn("u", 1, 0, req).reply,
            Err(TxnError::InvalidProducerIdMapping)
        );
    }
    // AddPartitions in PrepareCommit/PrepareAbort → CONCURRENT_TRANSACTIONS.
    for state in [PrepareCommit, PrepareAbort] {
        let mut c = coordinator_in(state);
        assert_eq!(c.add_partitions("t", 1, 0, &[TP], 5).reply, cc);
        // InitProducerId waits for the markers too (R6.2).
        assert_eq!(
            c.init_producer_id("t", 60_000, 2).reply,
            Err(TxnError::ConcurrentTransactions)
        );
    }
}

#[test]
fn s32_state_machine_transitions() {
    use TxnState::*;
    let all = TxnState::ALL;
    // (from, to) pairs R6.1 allows; everything else is refused.
    let allowed = [
        (Empty, Empty),
        (CompleteCommit, Empty),
        (CompleteAbort, Empty),
        (Empty, Ongoing),
        (Ongoing, Ongoing),
        (CompleteCommit, Ongoing),
        (CompleteAbort, Ongoing),
        (Ongoing, PrepareCommit),
        (Ongoing, PrepareAbort),
        (PrepareEpochFence, PrepareAbort),
        (PrepareCommit, CompleteCommit),
        (PrepareAbort, CompleteAbort),
        (Empty, Dead),
        (CompleteCommit, Dead),
        (CompleteAbort, Dead),
        (Ongoing, PrepareEpochFence),
    ];
    for from in all {
        for to in all {
            assert_eq!(
                to.can_follow(from),
                allowed.contains(&(from, to)),
                "{from:?} → {to:?}"
            );
        }
    }
}

/// A coordinator (epoch 0) where id "t" (pid 1, epoch 0) has a transaction on TP open since `start`.
fn ongoing(timeout_ms: u64, start: u64) -> TxnCoordinator {
    let mut c = TxnCoordinator::new(0);
    c.init_producer_id("t", timeout_ms, 1);
    c.add_partitions("t", 1, 0, &[TP], start);
    c
}

/// S32 last row: an Ongoing transaction past transaction.timeout.ms is aborted with epoch+1.
#[test]
fn s32_timeout_aborts_and_bumps_the_epoch() {
    let mut c = ongoing(1_000, 500);
    assert!(c.expire(1_499).is_empty(), "not yet expired");
    let out = c.expire(1_500);
    assert_eq!(out.len(), 1);
    let log = out[0].log.clone().unwrap();
    assert_eq!((log.state, log.producer_epoch), (TxnState::PrepareAbort, 1));
    assert_eq!(out[0].markers[0].producer_epoch, 1);
    assert_eq!(out[0].markers[0].kind, ControlKind::Abort);
    // The producer's late commit is fenced.
    assert_eq!(
        c.end_txn("t", 1, 0, TxnResult::Commit).reply,
        Err(TxnError::ProducerFenced)
    );
    assert_eq!(TxnError::ProducerFenced.handling(), ErrorHandling::Fatal);
}

#[test]
fn init_producer_id_bumps_epoch_and_rolls_over_an_exhausted_one() {
    let mut c = TxnCoordinator::new(0);
    assert_eq!(c.init_producer_id("t", 60_000, 5).reply, Ok((5, 0)));
    assert_eq!(c.init_producer_id("t", 60_000, 6).reply, Ok((5, 1)));
    assert_eq!(
        c.init_producer_id("t", MAX_TRANSACTION_TIMEOUT_MS + 1, 6)
            .reply,
        Err(TxnError::InvalidTransactionTimeout)
    );
    let (mut c2, _) = TxnCoordinator::load(
        1,
        &[state::TxnMetadata {
            producer_epoch: i16::MAX - 1,
            ..c.get("t").unwrap().clone()
        }],
    );
    assert_eq!(
        c2.init_producer_id("t", 60_000, 7).reply,
        Ok((7, 0)),
        "new producer id"
    );
}

/// S33: EndTxn is answered once PrepareCommit is logged; the data becomes readable to
/// read_committed only when the marker is below the HW.
#[test]
fn s33_commit_returns_before_markers_are_visible() {
    let mut c = ongoing(60_000, 0);
    let mut part = PartitionTxns::new();
    part.append(data(0, 9, false)).unwrap();
    part.append(data(1, 1, true)).unwrap(); // t at offset 1
    part.on_high_watermark(2);
    let out = c.end_txn("t", 1, 0, TxnResult::Commit);
    assert_eq!(out.reply, Ok(()), "answered after PrepareCommit");
    assert_eq!(out.log.unwrap().state, TxnState::PrepareCommit);
    assert_eq!(c.pending_markers("t"), vec![TP]);
    // The marker has not landed: read_committed stops before t.
    assert!(part.last_stable_offset(2) <= 1);
    let m = &out.markers[0];
    part.append(m.append_at(2)).unwrap();
    part.on_high_watermark(2);
    assert_eq!(
        part.last_stable_offset(2),
        1,
        "marker written but not below the HW"
    );
    part.on_high_watermark(3);
    assert_eq!(part.last_stable_offset(3), 3, "LSO jumps past t");
    assert_eq!(
        c.marker_written("t", TP).unwrap().state,
        TxnState::CompleteCommit
    );
}

/// Coordinator failover between PrepareCommit and the markers: the new coordinator loads the
/// log, sends the markers again with its epoch, and the old one's markers are refused.
#[test]
fn failover_completes_prepare_commit_and_fences_the_old_coordinator() {
    let mut old = TxnCoordinator::new(4);
    let mut records = Vec::new();
    records.extend(old.init_producer_id("t", 60_000, 1).log);
    records.extend(old.add_partitions("t", 1, 0, &[TP, TP1], 0).log);
    let end = old.end_txn("t", 1, 0, TxnResult::Commit);
    records.extend(end.log.clone());
    let mut part = PartitionTxns::new();
    part.append(data(0, 1, true)).unwrap();
    // The old leader dies before sending markers; the new leader (epoch 5) loads the log.
    let (mut new, markers) = TxnCoordinator::load(5, &records);
    assert_eq!(new.get("t").unwrap().state, TxnState::PrepareCommit);
    assert_eq!(markers.len(), 2);
    assert!(markers
        .iter()
        .all(|m| m.coordinator_epoch == 5 && m.kind == ControlKind::Commit));
    part.append(marker(1, 1, 0, 5, ControlKind::Commit))
        .unwrap();
    new.marker_written("t", TP);
    assert_eq!(
        new.marker_written("t", TP1).unwrap().state,
        TxnState::CompleteCommit
    );
    // A late marker from the zombie coordinator (epoch 4) is refused.
    let stale = &end.markers[0];
    assert_eq!(stale.coordinator_epoch, 4);
    assert_eq!(
        part.append(marker(2, 1, 0, stale.coordinator_epoch, stale.kind)),
        Err(TxnError::TransactionCoordinatorFenced)
    );
    // The producer's retried commit is answered NONE by the new coordinator.
    assert_eq!(new.end_txn("t", 1, 0, TxnResult::Commit).reply, Ok(()));
}

/// S34: transactional offset commits are pending until the marker (GroupCoordinatorTest).
#[test]
fn s34_pending_transactional_offsets() {
    let tp = TP;
    let members = vec!["m1".to_string()];
    let who = GroupIdentity {
        member_id: "m1".into(),
        generation: 3,
    };
    // (marker, plain fetch after, stable fetch before the marker, stable fetch after)
    let table = [(ControlKind::Commit, Some(25)), (ControlKind::Abort, None)];
    for (kind, after) in table {
        let mut g = GroupTxnOffsets::new();
        g.txn_offset_commit(1000, &who, &members, 3, &[(tp, 25)])
            .unwrap();
        assert_eq!(
            g.fetch(tp, false),
            Ok(None),
            "pending offsets are invisible (-1)"
        );
        assert_eq!(g.fetch(tp, true), Err(TxnError::UnstableOffsetCommit));
        g.complete(1000, kind);
        assert_eq!(g.fetch(tp, false), Ok(after), "{kind:?}");
        assert_eq!(g.fetch(tp, true), Ok(after), "{kind:?}");
        assert!(!g.has_pending());
    }
    // testTxnCommitOffsetWithIllegalGeneration, and an unknown member.
    let mut g = GroupTxnOffsets::new();
    let stale = GroupIdentity {
        member_id: "m1".into(),
        generation: 2,
    };
    assert_eq!(
        g.txn_offset_commit(1000, &stale, &members, 3, &[(tp, 5)]),
        Err(TxnError::IllegalGeneration)
    );
    let stranger = GroupIdentity {
        member_id: "m9".into(),
        generation: 3,
    };
    assert_eq!(
        g.txn_offset_commit(1000, &stranger, &members, 3, &[(tp, 5)]),
        Err(TxnError::UnknownMemberId)
    );
    assert!(!g.has_pending(), "a fenced commit leaves nothing pending");
    assert_eq!(
        TxnError::IllegalGeneration.handling(),
        ErrorHandling::Abortable
    );
}

/// S35: UnifiedLogTest.testZombieCoordinatorFenced and testEndTxnWithFencedProducerEpoch.
#[test]
fn s35_zombie_coordinator_and_stale_marker_epochs() {
    let mut s = PartitionTxns::new();
    for o in 0..10 {
        s.append(data(o, 1, true)).unwrap();
    }
    s.append(marker(10, 1, 0, 1, ControlKind::Abort)).unwrap();
    for o in 11..16 {
        s.append(data(o, 1, true)).unwrap();
    }
    s.append(marker(16, 1, 0, 2, ControlKind::Commit)).unwrap();
    assert_eq!(
        s.append(marker(17, 1, 0, 1, ControlKind::Abort)),
        Err(TxnError::TransactionCoordinatorFenced)
    );
    let mut s = PartitionTxns::new();
    s.append(data(0, 1, true)).unwrap();
    s.append(marker(1, 1, 5, 0, ControlKind::Abort)).unwrap();
    assert_eq!(
        s.producer_epoch(1),
        Some(5),
        "the ABORT bumped the partition's epoch"
    );
    assert_eq!(
        s.append(marker(2, 1, 4, 0, ControlKind::Commit)),
        Err(TxnError::InvalidProducerEpoch)
    );
}

#[test]
fn mixing_non_transactional_writes_into_an_open_transaction_is_refused() {
    let mut s = PartitionTxns::new();
    s.append(data(0, 1, true)).unwrap();
    assert_eq!(s.append(data(1, 1, false)), Err(TxnError::InvalidTxnState));
}

#[test]
fn rebuild_matches_incremental_state() {
    let appends = [
        data(0, 1, true),
        data(1, 2, true),
        marker(2, 1, 0, 0, ControlKind::Abort),
        data(3, 3, false),
    ];
    let mut s = PartitionTxns::new();
    for a in appends {
        s.append(a).unwrap();
    }
    s.on_high_watermark(3);
    assert_eq!(PartitionTxns::rebuild(appends, 3), s);
    assert_eq!(s.last_stable_offset(4), 1);
}

#[test]
fn kip890_verification_refuses_a_partition_not_in_the_transaction() {
    let c = ongoing(60_000, 0);
    assert_eq!(c.verify_partition(1, 0, TP), Ok(()));
    assert_eq!(
        c.verify_partition(1, 0, TP1),
        Err(TxnError::InvalidTxnState)
    );
}

/// The client's refusals: commit with no transaction open, send before init, anything after a
/// fatal error; and what each error does to its state.
#[test]
fn client_refusals_and_error_handling() {
    use ClientCall::*;
    use ClientTxnState::*;
    // (state, call, allowed → next state)
    let table = [
        (Uninitialized, InitTransactions, Some(Initializing)),
        (Uninitialized, Begin, None),
        (Uninitialized, Send, None),
        (Ready, Commit, None),
        (Ready, Abort, None),
        (Ready, Send, None),
        (Ready, Begin, Some(InTransaction)),
        (InTransaction, Send, Some(InTransaction)),
        (InTransaction, SendOffsets, Some(InTransaction)),
        (InTransaction, Commit, Some(CommittingTransaction)),
        (InTransaction, Abort, Some(AbortingTransaction)),
        (InTransaction, Begin, None),
        (AbortableError, Commit, None),
        (AbortableError, Abort, Some(AbortingTransaction)),
        (FatalError, Abort, None),
        (FatalError, Begin, None),
    ];
    for (state, call, want) in table {
        let got = state.call(call, "t");
        assert_eq!(
            got.as_ref().ok().copied(),
            want,
            "{state:?} {call:?}: {got:?}"
        );
        if let Err(r) = got {
            assert!(
                r.0.contains("transactional.id t"),
                "refusal names the id: {r}"
            );
        }
    }
    // (error, next state; None = retried)
    let errors = [
        (TxnError::ProducerFenced, Some(FatalError)),
        (TxnError::InvalidProducerEpoch, Some(FatalError)),
        (TxnError::InvalidTxnState, Some(FatalError)),
        (TxnError::ConcurrentTransactions, None),
        (TxnError::NotCoordinator, None),
        (TxnError::InvalidProducerIdMapping, Some(AbortableError)),
    ];
    for (e, want) in errors {
        assert_eq!(InTransaction.on_error(e), want, "{e}");
    }
}
