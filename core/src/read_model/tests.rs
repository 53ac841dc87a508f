//! Tests of the projection: roles, the leader-only ISR view, message kinds, record status,
//! invariant ids, heartbeat flags, and that the snapshot is composed of the same parts.

use super::*;
use crate::cluster::Cluster;
use crate::command::Command;
use crate::config::{Acks, ClusterConfig, CommitMode};
use crate::ledger::{LedgerEntry, Stamp};
use crate::protocol::{ErrorCode, Message};
use crate::types::{NodeId, TopicPartition};

fn produce(c: &mut Cluster, value: &str) {
    c.apply(Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: value.into(),
        acks: None,
    })
    .unwrap();
}

/// Three brokers, one partition with three replicas, `a` committed everywhere.
fn replicated() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    c.run_until(100);
    produce(&mut c, "a");
    c.run_until(2_000);
    c
}

fn the_replica(c: &Cluster, broker: u32) -> ReplicaSummary {
    let mut r = c.replica_summaries(broker);
    assert_eq!(r.len(), 1);
    r.remove(0)
}

#[test]
fn the_leader_shows_its_isr_view_and_followers_show_none() {
    let c = replicated();
    let reg = &c.partition_registrations()[0];
    let leader = reg.leader.unwrap();
    let l = the_replica(&c, leader);
    assert_eq!(l.role, ReplicaRole::Leader);
    assert_eq!((l.topic.as_str(), l.partition), ("t", 0));
    assert_eq!(l.isr, reg.isr);
    assert_eq!(l.isr.len(), 3);
    let followers: Vec<u32> = l.followers.iter().map(|f| f.broker).collect();
    assert_eq!(followers.len(), 2);
    assert!(!followers.contains(&leader));
    assert!(l.followers.iter().all(|f| f.caught_up && f.leo == Some(1)));
    for b in c.broker_ids().filter(|b| *b != leader) {
        let f = the_replica(&c, b);
        assert_eq!(f.role, ReplicaRole::Follower);
        // The ISR view is the leader's: a follower's local copy of the ISR is not shown.
        assert!(f.isr.is_empty() && f.maximal_isr.is_empty() && f.followers.is_empty());
        assert_eq!(f.pending_isr, None);
        assert_eq!((f.leo, f.hw), (1, 1));
    }
}

#[test]
fn a_down_broker_has_no_role_and_no_isr_view() {
    let mut c = replicated();
    let leader = c.partition_registrations()[0].leader.unwrap();
    c.apply(Command::Crash {
        broker: leader,
        lose_unflushed: false,
    })
    .unwrap();
    let r = the_replica(&c, leader);
    assert_eq!(r.role, ReplicaRole::None);
    assert!(r.isr.is_empty() && r.followers.is_empty());
    // Its disk still holds the record.
    assert_eq!(r.leo, 1);
    let b = c.broker_summary(leader).unwrap();
    assert_eq!(b.state(), BrokerState::Crashed);
    assert_eq!(b.state().as_str(), "crashed");
    assert_eq!(b.incarnation, 1);
    c.apply(Command::Restart { broker: leader }).unwrap();
    assert_eq!(c.broker_summary(leader).unwrap().incarnation, 2);
    assert!(c.broker_summary(9).is_none());
}

#[test]
fn the_snapshot_is_composed_of_the_same_parts() {
    let c = replicated();
    let s = c.snapshot();
    assert_eq!(s.schema_version, SCHEMA_VERSION);
    for b in &s.brokers {
        let parts: Vec<ReplicaSummary> = b.replicas.iter().map(|r| r.summary.clone()).collect();
        assert_eq!(parts, c.replica_summaries(b.id));
        for r in &b.replicas {
            let tp = TopicPartition {
                topic: 0,
                partition: 0,
            };
            assert_eq!(r.records, c.replica_records(b.id, tp, 0, r.leo));
        }
    }
    assert_eq!(s.partitions, c.partition_registrations());
    assert_eq!(s.producers, c.producer_snapshots());
    assert_eq!(s.controller, c.controller_summary());
    // The flattened JSON keeps the old field names of a replica and a broker.
    let json = serde_json::to_value(&s).unwrap();
    let replica = &json["brokers"][0]["replicas"][0];
    for key in [
        "topic",
        "partition",
        "role",
        "leo",
        "hw",
        "isr",
        "records",
        "epoch_cache",
    ] {
        assert!(replica.get(key).is_some(), "{key}");
    }
    assert!(json["brokers"][0].get("broker_epoch").is_some());
    let back: crate::snapshot::Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
}

#[test]
fn records_carry_their_ledger_verdicts_and_labels() {
    let c = replicated();
    let tp = TopicPartition {
        topic: 0,
        partition: 0,
    };
    let r = &c.replica_records(1, tp, 0, 10)[0];
    assert_eq!(
        (r.offset, r.value.as_str(), r.label.as_str()),
        (0, "a", "a")
    );
    assert!(!r.lost && !r.duplicated);
    assert!(c.replica_records(9, tp, 0, 10).is_empty());
    let row = c.ledger_record(r.id).unwrap();
    assert_eq!(row.status, RecordStatus::AckedCommitted);
    assert_eq!((row.topic, row.partition), ("t", 0));
    let counts = c.ledger_counts();
    assert_eq!((counts.produced, counts.acked, counts.committed), (1, 1, 1));
    let p1 = &c.producer_snapshots()[0];
    assert_eq!((p1.acked, p1.lost, p1.auto_produce), (1, 0, false));
}

#[test]
fn record_status_follows_the_furthest_state() {
    let at = Stamp { step: 1, time: 1 };
    let mut e = LedgerEntry {
        id: 0,
        producer: 1,
        tp: TopicPartition {
            topic: 0,
            partition: 0,
        },
        key: None,
        value: "a".into(),
        acks: Acks::All,
        produced: at,
        attempts: 0,
        acked: None,
        failed: None,
        errors: vec![],
        committed: None,
        lost: None,
        duplicated: None,
        appends: vec![],
        consumed: vec![],
        offset_committed: None,
        deleted: None,
        aborted: None,
        history: vec![],
        txn_committed: None,
        source: None,
        external_writes: 0,
        outputs: vec![],
    };
    let mut seen = vec![RecordStatus::of(&e)];
    e.attempts = 1;
    seen.push(RecordStatus::of(&e));
    e.committed = Some(at);
    seen.push(RecordStatus::of(&e));
    e.acked = Some((at, Some(0)));
    seen.push(RecordStatus::of(&e));
    e.acked = None;
    e.failed = Some((at, ErrorCode::RequestTimedOut));
    seen.push(RecordStatus::of(&e));
    e.lost = Some(at);
    seen.push(RecordStatus::of(&e));
    let names: Vec<&str> = seen.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "queued",
            "in flight",
            "committed",
            "acked + committed",
            "failed but committed",
            "lost"
        ]
    );
    // The JSON value is the same word.
    for s in seen {
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
}

#[test]
fn invariant_ids_name_every_invariant() {
    let e = serde_json::from_str::<InvariantId>("\"?\"")
        .unwrap_err()
        .to_string();
    let variants: Vec<&str> = e.split('`').skip(3).step_by(2).collect();
    assert_eq!(variants.len(), InvariantId::ALL.len(), "ALL lists every id");
    for id in InvariantId::ALL {
        assert_eq!(InvariantId::from_name(id.name()), Some(id));
    }
    let mut cfg = ClusterConfig::default();
    cfg.consumers = 1;
    cfg.producer.transactional_id = Some("app".into());
    let mut out = cfg.topics[0].clone();
    out.name = "out".into();
    cfg.topics.push(out);
    cfg.pipeline = Some(crate::pipeline::PipelineConfig {
        input: "t".into(),
        output: "out".into(),
        ..Default::default()
    });
    let c = Cluster::new(cfg, 1).unwrap();
    let ids: Vec<InvariantId> = c.invariants().iter().map(|s| s.id).collect();
    assert_eq!(ids, InvariantId::ALL);
    assert!(c.invariants().iter().all(|s| s.name == s.id.name()));
}

#[test]
fn errors_are_read_from_the_message_not_its_text() {
    let tp = TopicPartition {
        topic: 0,
        partition: 0,
    };
    let err = Message::ProduceResponse {
        request_id: 1,
        tp,
        result: Err(ErrorCode::NotLeaderOrFollower),
    };
    assert!(err.carries_error());
    assert_eq!(err.kind().label(err.carries_error()), "err");
    let ok = Message::ProduceResponse {
        request_id: 1,
        tp,
        result: Ok(0),
    };
    assert!(!ok.carries_error());
    assert_eq!(ok.kind().label(false), "ack");
    let refused = Message::ConnectionRefused {
        original: Box::new(ok),
    };
    assert!(refused.carries_error());
    assert_eq!(refused.kind(), MessageKind::ConnectionRefused);
}

#[test]
fn messages_events_and_enabled_actions_carry_typed_kinds_and_heartbeat_flags() {
    let mut cfg = ClusterConfig::default();
    cfg.consumers = 1;
    cfg.consumer.commit = CommitMode::AfterProcessing;
    // Written before group.initial.rebalance.delay.ms: the group forms at once.
    cfg.broker.group_initial_rebalance_delay_ms = Some(0);
    let mut c = Cluster::new(cfg, 3).unwrap();
    let mut kinds = crate::vec_map::VecSet::new();
    for t in (0..6_000).step_by(7) {
        if t == 700 {
            produce(&mut c, "a");
        }
        c.run_until(t);
        for m in c.messages() {
            let s = m.snapshot();
            assert_eq!(s.kind, m.kind());
            assert_eq!(s.heartbeat, s.kind.is_heartbeat());
            assert_eq!(s.label, s.kind.label(s.error));
            kinds.insert(s.kind);
        }
    }
    for k in [
        MessageKind::Produce,
        MessageKind::Fetch,
        MessageKind::BrokerHeartbeat,
        MessageKind::JoinGroup,
        MessageKind::OffsetCommit,
    ] {
        assert!(kinds.contains(&k), "{k} seen");
    }
    let events = c.events();
    let wire = |e: &&Event| e.kind == EventKind::Send && e.peer == Some(NodeId::Controller);
    assert!(events
        .iter()
        .filter(wire)
        .all(|e| e.heartbeat == e.text.contains("Heartbeat")));
    assert!(events
        .iter()
        .any(|e| e.heartbeat && e.kind == EventKind::Timer));
    assert!(events
        .iter()
        .any(|e| !e.heartbeat && e.kind == EventKind::Deliver));
    let enabled = c.enabled();
    assert!(enabled.iter().any(|e| e.heartbeat));
    assert!(enabled.iter().any(|e| !e.heartbeat));
}

#[test]
fn event_kind_names_are_their_json_values() {
    for k in EventKind::ALL {
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.name())
        );
    }
    let e = serde_json::from_str::<EventKind>("\"?\"")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e.split('`').skip(3).step_by(2).count(),
        EventKind::ALL.len()
    );
}

#[test]
fn consumers_and_the_group_are_projected() {
    let mut cfg = ClusterConfig::default();
    cfg.consumers = 1;
    cfg.consumer.commit = CommitMode::AfterProcessing;
    // Reads what was produced before the group formed (Kafka's default is "latest").
    cfg.consumer.auto_offset_reset = crate::config::OffsetReset::Earliest;
    let mut c = Cluster::new(cfg, 12).unwrap();
    produce(&mut c, "a");
    c.run_until(5_000);
    let k = &c.consumer_snapshots()[0];
    assert!(k.is_up());
    assert_eq!(
        k.display_state(),
        ConsumerState::Member(crate::consumer::MemberState::Stable)
    );
    assert_eq!(k.display_state().as_str(), "stable");
    assert_eq!(k.partitions[0].position, Some(1));
    let g = c.group_snapshot().unwrap();
    assert_eq!(g.members.len(), 1);
    assert_eq!(g.committed[0].offset, 1);
    let v = c.consumer_verdicts();
    assert_eq!(v.processed, 1);
    assert!(v.lost.is_empty() && v.twice.is_empty());
    assert_eq!(c.consumer_ids().collect::<Vec<_>>(), [1]);
}

#[test]
fn without_transactions_the_lso_is_the_hw_and_records_are_plain_data() {
    // R6.6: non-transactional data never holds the LSO back.
    let c = replicated();
    for b in c.broker_ids() {
        let r = the_replica(&c, b);
        assert_eq!(r.last_stable_offset, r.hw, "broker {b}");
        let tp = TopicPartition {
            topic: 0,
            partition: 0,
        };
        for v in c.replica_records(b, tp, 0, r.leo) {
            assert_eq!((v.control, v.transactional), (None, false));
        }
    }
}

#[test]
fn a_producer_shows_its_last_error() {
    // S2: with min.insync.replicas = 2 and the followers shut down, the leader refuses acks=all
    // writes with NOT_ENOUGH_REPLICAS, and the producer retries.
    let mut cfg = ClusterConfig::default();
    cfg.broker.min_insync_replicas = 2;
    let mut c = Cluster::new(cfg, 1).unwrap();
    c.run_until(100);
    produce(&mut c, "a");
    c.run_until(2_000);
    let p = &c.producer_snapshots()[0];
    assert_eq!((p.acked, p.last_error, p.last_error_at_ms), (1, None, None));
    for broker in [2, 3] {
        c.apply(Command::Shutdown { broker }).unwrap();
    }
    c.run_until(20_000);
    assert_eq!(c.partition_registrations()[0].isr, vec![1]);
    let before = c.now();
    produce(&mut c, "b");
    c.run_until(before + 2_000);
    let p = &c.producer_snapshots()[0];
    assert_eq!(p.last_error, Some(ErrorCode::NotEnoughReplicas));
    let at = p.last_error_at_ms.expect("a time with the error");
    assert!(at > before && at <= c.now(), "{at}");
    // When the record then expires (delivery.timeout.ms), the card keeps the cause.
    c.run_until(before + 130_000);
    let p = &c.producer_snapshots()[0];
    assert!(p.queued.is_empty() && p.in_flight.is_empty(), "{p:?}");
    assert_eq!(p.last_error, Some(ErrorCode::NotEnoughReplicas));
    assert!(p.last_error_at_ms > Some(at));
    // Kafka's name in the JSON.
    let json = serde_json::to_value(p).unwrap();
    assert_eq!(json["last_error"], "NOT_ENOUGH_REPLICAS");
    // A display fact, not state: the state hash does not see it.
    let mut cleared = c.clone();
    cleared.producers[0].last_error = crate::producer::LastError::default();
    assert_eq!(cleared.state_hash(), c.state_hash());
    assert_ne!(cleared.producer_snapshots(), c.producer_snapshots());
}
