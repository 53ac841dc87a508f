//! Unit tests of the consumer client: commit disciplines, auto-commit timing, offset reset.

use super::*;
use crate::config::OffsetReset;
use crate::node::Effect;
use crate::protocol::{FetchedPartition, JoinResult, MemberSubscription};

const TP: TopicPartition = TopicPartition {
    topic: 0,
    partition: 0,
};
const B1: NodeId = NodeId::Broker(1);

fn cfg(mode: CommitMode) -> ClusterConfig {
    let mut c = ClusterConfig::default();
    c.consumers = 1;
    c.consumer.commit = mode;
    c.consumer.processing_ms = 0;
    c.consumer.auto_commit_interval_ms = 1_000;
    // These tests start without a committed offset and read from the log's start.
    c.consumer.auto_offset_reset = OffsetReset::Earliest;
    c
}

fn sent(out: &Out) -> Vec<Message> {
    out.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { msg, .. } => Some(msg.clone()),
            _ => None,
        })
        .collect()
}

fn consumed(out: &Out) -> Vec<Offset> {
    out.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Observe(Observation::Consumed { offset, .. }) => Some(*offset),
            _ => None,
        })
        .collect()
}

fn record(offset: Offset) -> Record {
    Record {
        offset,
        epoch: 0,
        id: offset as u32,
        producer: crate::log::ProducerFields::NONE,
        txn: Default::default(),
        timestamp: 0,
    }
}

/// Drives a consumer through FindCoordinator, JoinGroup (as leader), SyncGroup and
/// OffsetFetch (committed offset `committed`); returns it and the request id of its fetch.
fn stable(cfg: &ClusterConfig, committed: Option<Offset>) -> (Consumer, u64) {
    let metadata = [(TP, (Some(1), 0))].into_iter().collect();
    let mut c = Consumer::new(1, 0, cfg, metadata);
    let mut out = Out::default();
    c.on_start(0, cfg, &mut out);
    let Some(Message::FindCoordinator { request_id, .. }) = sent(&out).pop() else {
        panic!("{:?}", out.effects)
    };
    let mut out = Out::default();
    let result = Ok(1);
    c.handle_message(
        1,
        cfg,
        B1,
        Message::FindCoordinatorResponse { request_id, result },
        &mut out,
    );
    let Some(Message::JoinGroup {
        request_id,
        member_id,
        ..
    }) = sent(&out).pop()
    else {
        panic!("{:?}", out.effects)
    };
    assert!(member_id.is_empty(), "a new member");
    let join = JoinResult {
        generation: 1,
        member_id: "c1-1".into(),
        leader: "c1-1".into(),
        members: vec![MemberSubscription {
            member_id: "c1-1".into(),
            topics: vec!["t".into()],
            owned: vec![],
            generation: -1,
        }],
    };
    let mut out = Out::default();
    let msg = Message::JoinGroupResponse {
        request_id,
        result: Ok(join),
    };
    c.handle_message(2, cfg, B1, msg, &mut out);
    let Some(Message::SyncGroup {
        request_id,
        assignments,
        ..
    }) = sent(&out).pop()
    else {
        panic!("{:?}", out.effects)
    };
    assert_eq!(
        assignments,
        vec![("c1-1".to_string(), vec![TP])],
        "the leader assigns"
    );
    let mut out = Out::default();
    let msg = Message::SyncGroupResponse {
        request_id,
        result: Ok(vec![TP]),
    };
    c.handle_message(3, cfg, B1, msg, &mut out);
    let Some(Message::OffsetFetch { request_id, .. }) = sent(&out).pop() else {
        panic!("{:?}", out.effects)
    };
    let mut out = Out::default();
    let msg = Message::OffsetFetchResponse {
        request_id,
        result: Ok(vec![(TP, committed)]),
    };
    c.handle_message(4, cfg, B1, msg, &mut out);
    let Some(Message::ConsumerFetch {
        request_id,
        partitions,
        ..
    }) = sent(&out).pop()
    else {
        panic!("{:?}", out.effects)
    };
    assert_eq!(
        partitions,
        vec![(TP, committed.unwrap_or(0))],
        "R7.2: from the committed offset"
    );
    (c, request_id)
}

fn fetched(request_id: u64, records: Vec<Record>, hw: Offset) -> Message {
    Message::ConsumerFetchResponse {
        request_id,
        partitions: vec![FetchedPartition {
            aborted: Vec::new(),
            tp: TP,
            error: None,
            high_watermark: hw,
            log_start_offset: 0,
            leader_log_end_offset: hw,
            diverging_epoch: None,
            records,
        }],
    }
}

#[test]
fn after_processing_commits_the_position_once_the_batch_is_processed() {
    let cfg = cfg(CommitMode::AfterProcessing);
    let (mut c, fetch) = stable(&cfg, Some(5));
    let mut out = Out::default();
    c.handle_message(
        10,
        &cfg,
        B1,
        fetched(fetch, vec![record(5), record(6)], 7),
        &mut out,
    );
    assert_eq!(consumed(&out), [5, 6]);
    let commit = sent(&out).into_iter().find_map(|m| match m {
        Message::OffsetCommit {
            offsets,
            generation,
            member_id,
            ..
        } => Some((offsets, generation, member_id)),
        _ => None,
    });
    assert_eq!(commit, Some((vec![(TP, 7)], 1, "c1-1".to_string())));
    let i = out.effects.iter().position(|e| {
        matches!(
            e,
            Effect::Send {
                msg: Message::OffsetCommit { .. },
                ..
            }
        )
    });
    let last_consumed = out
        .effects
        .iter()
        .rposition(|e| matches!(e, Effect::Observe(Observation::Consumed { .. })));
    assert!(i > last_consumed, "the commit follows the processing");
}

#[test]
fn before_processing_processes_only_after_the_commit_succeeded() {
    let cfg = cfg(CommitMode::BeforeProcessing);
    let (mut c, fetch) = stable(&cfg, None);
    let mut out = Out::default();
    c.handle_message(
        10,
        &cfg,
        B1,
        fetched(fetch, vec![record(0), record(1)], 2),
        &mut out,
    );
    assert!(
        consumed(&out).is_empty(),
        "nothing processed before the commit"
    );
    let Some(Message::OffsetCommit {
        request_id,
        offsets,
        ..
    }) = sent(&out).pop()
    else {
        panic!("{:?}", out.effects)
    };
    assert_eq!(offsets, vec![(TP, 2)]);
    let mut out = Out::default();
    let msg = Message::OffsetCommitResponse {
        request_id,
        result: Ok(()),
    };
    c.handle_message(20, &cfg, B1, msg, &mut out);
    assert_eq!(consumed(&out), [0, 1]);
    assert_eq!(c.committed.get(&TP), Some(&2));
}

#[test]
fn a_fenced_before_processing_commit_skips_the_batch() {
    // ConsumerCoordinatorTest.testCommitOffsetIllegalGeneration: CommitFailedException.
    let cfg = cfg(CommitMode::BeforeProcessing);
    let (mut c, fetch) = stable(&cfg, None);
    let mut out = Out::default();
    c.handle_message(10, &cfg, B1, fetched(fetch, vec![record(0)], 1), &mut out);
    let Some(Message::OffsetCommit { request_id, .. }) = sent(&out).pop() else {
        panic!()
    };
    let mut out = Out::default();
    let msg = Message::OffsetCommitResponse {
        request_id,
        result: Err(ErrorCode::IllegalGeneration),
    };
    c.handle_message(20, &cfg, B1, msg, &mut out);
    assert!(consumed(&out).is_empty());
    assert!(
        sent(&out)
            .iter()
            .any(|m| matches!(m, Message::JoinGroup { .. })),
        "rejoins"
    );
    assert!(c.assigned.is_empty(), "revoked before rejoining");
}

#[test]
fn auto_commit_runs_at_the_start_of_a_poll_once_the_interval_elapsed() {
    // R7.3, ConsumerCoordinatorTest.testAutoCommitDynamicAssignment.
    let cfg = cfg(CommitMode::Auto);
    let (mut c, fetch) = stable(&cfg, Some(100));
    let mut out = Out::default();
    c.handle_message(
        10,
        &cfg,
        B1,
        fetched(fetch, vec![record(100)], 101),
        &mut out,
    );
    assert_eq!(consumed(&out), [100]);
    assert!(
        !sent(&out)
            .iter()
            .any(|m| matches!(m, Message::OffsetCommit { .. })),
        "interval not elapsed"
    );
    let mut out = Out::default();
    c.handle_timer(1_000, &cfg, TimerKind::ConsumerWakeup, &mut out);
    let commit = sent(&out).into_iter().find_map(|m| match m {
        Message::OffsetCommit { offsets, .. } => Some(offsets),
        _ => None,
    });
    assert_eq!(commit, Some(vec![(TP, 101)]), "the position");
}

#[test]
fn out_of_range_positions_follow_auto_offset_reset() {
    for (reset, want) in [
        (OffsetReset::Earliest, Some(0)),
        (OffsetReset::Latest, Some(9)),
        (OffsetReset::None, None),
    ] {
        let mut cfg = cfg(CommitMode::AfterProcessing);
        cfg.consumer.auto_offset_reset = reset;
        let (mut c, fetch) = stable(&cfg, Some(50));
        let mut out = Out::default();
        let msg = Message::ConsumerFetchResponse {
            request_id: fetch,
            partitions: vec![FetchedPartition {
                aborted: Vec::new(),
                tp: TP,
                error: Some(ErrorCode::OffsetOutOfRange),
                high_watermark: 9,
                log_start_offset: 0,
                leader_log_end_offset: 10,
                diverging_epoch: None,
                records: vec![],
            }],
        };
        c.handle_message(10, &cfg, B1, msg, &mut out);
        assert_eq!(c.positions.get(&TP).copied(), want, "{reset:?}");
    }
}
