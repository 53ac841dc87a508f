//! The consuming side end to end: fetch below the HW, commit modes, crash and restart from the
//! committed offset, groups and rebalances (R7.1–R7.4).

#![allow(clippy::field_reassign_with_default)]

use std::collections::{BTreeMap, BTreeSet};

use highwater_core::assignor::Strategy;
use highwater_core::command::Command;
use highwater_core::config::{Assignors, ClusterConfig, CommitMode, OffsetReset};
use highwater_core::coordinator::GroupState;
use highwater_core::invariants::names;
use highwater_core::types::NodeId;
use highwater_core::Cluster;

fn config(consumers: u32, mode: CommitMode) -> ClusterConfig {
    let mut c = ClusterConfig::default();
    c.consumers = consumers;
    c.consumer.commit = mode;
    c.consumer.session_timeout_ms = 6_000;
    c.consumer.heartbeat_interval_ms = 1_000;
    c.consumer.auto_commit_interval_ms = 1_000;
    // The tests produce before the group has positions and expect it to read from the start.
    c.consumer.auto_offset_reset = OffsetReset::Earliest;
    // Written before group.initial.rebalance.delay.ms (KIP-134): the group forms at once.
    c.broker.group_initial_rebalance_delay_ms = Some(0);
    c
}

fn produce(c: &mut Cluster, values: &[&str]) {
    for v in values {
        c.apply(Command::Produce {
            producer: 1,
            topic: None,
            partition: None,
            key: None,
            value: v.to_string(),
            acks: None,
        })
        .unwrap();
    }
}

/// Values processed by consumer `id`, in order (dedup-skipped ones excluded).
fn consumed_by(c: &Cluster, id: u32) -> Vec<String> {
    let mut v: Vec<(u64, String)> = c
        .ledger()
        .entries
        .iter()
        .flat_map(|e| {
            e.consumed
                .iter()
                .filter(move |x| x.consumer == id && !x.skipped)
                .map(move |x| (x.at.step, e.value.clone()))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn one_consumer_reads_every_committed_record_once() {
    let mut c = Cluster::new(config(1, CommitMode::AfterProcessing), 1).unwrap();
    produce(&mut c, &["a", "b", "c"]);
    c.run_until(10_000);
    let dump: Vec<String> = c.events().iter().map(|e| e.to_string()).collect();
    assert_eq!(consumed_by(&c, 1), ["a", "b", "c"], "{}", dump.join("\n"));
    let tp = c.partitions().next().unwrap();
    assert_eq!(c.group_committed().get(&tp), Some(&3));
    assert!(c.invariants().iter().all(|s| s.holds()));
    assert!(c
        .invariants()
        .iter()
        .any(|s| s.name == names::ONE_OWNER_PER_GENERATION));
}

/// Steps until `done` holds (at most `limit` virtual ms).
fn run_until(c: &mut Cluster, limit: u64, done: impl Fn(&Cluster) -> bool) {
    while !done(c) {
        assert!(c.now() <= limit, "not reached by t={limit}");
        assert!(c.step(), "nothing left to do");
    }
}

fn value_ids(c: &Cluster, ids: Vec<u32>) -> Vec<String> {
    ids.into_iter()
        .map(|id| c.ledger().get(id).unwrap().value.clone())
        .collect()
}

fn processed(c: &Cluster, value: &str) -> usize {
    let e = c.ledger().find_by_value(value).unwrap();
    c.ledger().processed_count(e.id)
}

#[test]
fn the_consumer_never_reads_above_the_high_watermark() {
    // R7.1: a record on the leader that the ISR has not replicated is invisible to consumers.
    let mut cfg = config(1, CommitMode::Auto);
    cfg.producer.acks = Some(highwater_core::config::Acks::Leader);
    let mut c = Cluster::new(cfg, 3).unwrap();
    produce(&mut c, &["a"]);
    c.run_until(2_000);
    assert_eq!(consumed_by(&c, 1), ["a"]);
    for f in [2, 3] {
        c.apply(Command::Cut {
            from: highwater_core::types::NodeId::Broker(f),
            to: highwater_core::types::NodeId::Broker(1),
            both: true,
        })
        .unwrap();
    }
    produce(&mut c, &["b"]);
    c.run_until(6_000);
    assert!(c.ledger().find_by_value("b").unwrap().acked.is_some());
    assert!(c.ledger().find_by_value("b").unwrap().committed.is_none());
    assert_eq!(consumed_by(&c, 1), ["a"], "b is above the HW");
}

#[test]
fn at_least_once_reprocesses_what_a_crash_left_uncommitted() {
    // R7.3: commit after processing; a crash mid-batch replays the batch from the committed
    // offset — duplicates, nothing lost.
    let mut cfg = config(1, CommitMode::AfterProcessing);
    cfg.consumer.processing_ms = 1_000;
    let mut c = Cluster::new(cfg, 4).unwrap();
    produce(&mut c, &["a", "b", "c"]);
    run_until(&mut c, 20_000, |c| processed(c, "a") == 1);
    c.apply(Command::CrashConsumer { consumer: 1 }).unwrap();
    c.apply(Command::RestartConsumer { consumer: 1 }).unwrap();
    c.run_until(c.now() + 15_000);
    assert_eq!(consumed_by(&c, 1), ["a", "a", "b", "c"]);
    assert_eq!(value_ids(&c, c.ledger().consumer_duplicates()), ["a"]);
    assert!(c.ledger().consumer_lost().is_empty());
    let tp = c.partitions().next().unwrap();
    assert_eq!(c.group_committed().get(&tp), Some(&3));
}

#[test]
fn at_most_once_loses_what_a_crash_left_unprocessed() {
    // R7.3: commit before processing; a crash mid-batch skips the rest of the batch.
    let mut cfg = config(1, CommitMode::BeforeProcessing);
    cfg.consumer.processing_ms = 1_000;
    let mut c = Cluster::new(cfg, 5).unwrap();
    produce(&mut c, &["a", "b", "c"]);
    run_until(&mut c, 20_000, |c| processed(c, "a") == 1);
    c.apply(Command::CrashConsumer { consumer: 1 }).unwrap();
    c.apply(Command::RestartConsumer { consumer: 1 }).unwrap();
    produce(&mut c, &["d"]);
    c.run_until(c.now() + 15_000);
    assert_eq!(consumed_by(&c, 1), ["a", "d"]);
    assert_eq!(value_ids(&c, c.ledger().consumer_lost()), ["b", "c"]);
    assert!(c.ledger().consumer_duplicates().is_empty());
}

#[test]
fn dedup_turns_replays_into_skips() {
    let mut cfg = config(1, CommitMode::AfterProcessing);
    cfg.consumer.processing_ms = 1_000;
    cfg.consumer.dedup = true;
    let mut c = Cluster::new(cfg, 4).unwrap();
    produce(&mut c, &["a", "b", "c"]);
    run_until(&mut c, 20_000, |c| processed(c, "a") == 1);
    c.apply(Command::CrashConsumer { consumer: 1 }).unwrap();
    c.apply(Command::RestartConsumer { consumer: 1 }).unwrap();
    c.run_until(c.now() + 15_000);
    assert_eq!(consumed_by(&c, 1), ["a", "b", "c"]);
    assert!(c.ledger().consumer_duplicates().is_empty());
    assert_eq!(value_ids(&c, c.ledger().dedup_skipped()), ["a"]);
}

fn two_partitions(consumers: u32) -> ClusterConfig {
    let mut cfg = config(consumers, CommitMode::AfterProcessing);
    cfg.topics[0].partitions = 2;
    cfg
}

fn produce_to(c: &mut Cluster, partition: u32, values: &[&str]) {
    for v in values {
        c.apply(Command::Produce {
            producer: 1,
            topic: None,
            partition: Some(partition),
            key: None,
            value: v.to_string(),
            acks: None,
        })
        .unwrap();
    }
}

fn owners(c: &Cluster) -> Vec<(u32, Vec<u16>)> {
    c.consumers()
        .iter()
        .map(|s| {
            (
                s.consumer.id,
                s.consumer.assigned.iter().map(|tp| tp.partition).collect(),
            )
        })
        .collect()
}

#[test]
fn a_crashed_member_s_partitions_move_after_its_session_expires() {
    // R7.4: no heartbeat for session.timeout.ms ⇒ member removed ⇒ rebalance.
    let mut c = Cluster::new(two_partitions(2), 6).unwrap();
    produce_to(&mut c, 0, &["a0"]);
    produce_to(&mut c, 1, &["a1"]);
    c.run_until(5_000);
    let mut o = owners(&c);
    o.sort_by_key(|x| x.1.clone());
    assert_eq!(o.iter().map(|x| x.1.len()).collect::<Vec<_>>(), [1, 1]);
    let generation = c.group_coordinator().unwrap().1.generation;
    c.apply(Command::CrashConsumer { consumer: 1 }).unwrap();
    produce_to(&mut c, 0, &["b0"]);
    produce_to(&mut c, 1, &["b1"]);
    c.run_until(c.now() + 15_000);
    assert_eq!(c.consumer(2).unwrap().consumer.assigned.len(), 2);
    assert!(c.group_coordinator().unwrap().1.generation > generation);
    for v in ["a0", "a1", "b0", "b1"] {
        assert!(processed(&c, v) >= 1, "{v} processed");
    }
    assert!(c.invariants().iter().all(|s| s.holds()));
}

#[test]
fn a_new_coordinator_rebuilds_committed_offsets_from_its_log() {
    // The coordinator's broker fails: the new leader of __consumer_offsets coordinates, members
    // find it, rejoin in a later generation and resume from the committed offsets.
    let mut c = Cluster::new(two_partitions(2), 7).unwrap();
    produce_to(&mut c, 0, &["a0", "b0"]);
    produce_to(&mut c, 1, &["a1"]);
    c.run_until(5_000);
    let (old, g) = c.group_coordinator().unwrap();
    let generation = g.generation;
    let committed = c.group_committed();
    assert_eq!(committed.values().copied().collect::<Vec<_>>(), [2, 1]);
    c.apply(Command::Crash {
        broker: old,
        lose_unflushed: false,
    })
    .unwrap();
    produce_to(&mut c, 0, &["c0"]);
    c.run_until(c.now() + 30_000);
    let (new, g) = c.group_coordinator().expect("a new coordinator");
    assert_ne!(new, old);
    assert_eq!(
        g.generation, generation,
        "the new coordinator loads the members: no rebalance"
    );
    assert_eq!(g.state, highwater_core::coordinator::GroupState::Stable);
    assert_eq!(
        c.group_committed().values().copied().collect::<Vec<_>>(),
        [3, 1]
    );
    for v in ["a0", "b0", "a1"] {
        assert_eq!(processed(&c, v), 1, "{v} was committed before the failover");
    }
    assert_eq!(processed(&c, "c0"), 1);
    assert!(c.invariants().iter().all(|s| s.holds()));
}

#[test]
fn s37_a_zombie_member_processes_the_batch_again_and_its_commit_is_fenced() {
    // S37: c1 stalls past session.timeout.ms while processing; c2 takes the partition over and
    // processes the same records; c1 wakes up, finishes them too, and its commit fails.
    let mut cfg = config(2, CommitMode::AfterProcessing);
    cfg.consumer.processing_ms = 500;
    let mut c = Cluster::new(cfg, 8).unwrap();
    c.run_until(3_000);
    let owner = c
        .consumers()
        .iter()
        .find(|s| !s.consumer.assigned.is_empty())
        .unwrap()
        .consumer
        .id;
    let other = 3 - owner;
    produce(&mut c, &["a", "b", "c"]);
    run_until(&mut c, 20_000, |c| processed(c, "a") == 1);
    let zombie = highwater_core::types::NodeId::consumer(owner);
    c.apply(Command::Pause { node: zombie }).unwrap();
    c.run_until(c.now() + 10_000);
    assert_eq!(c.consumer(other).unwrap().consumer.assigned.len(), 1);
    c.apply(Command::Resume { node: zombie }).unwrap();
    c.run_until(c.now() + 10_000);
    for v in ["a", "b", "c"] {
        assert_eq!(processed(&c, v), 2, "{v} processed twice");
    }
    let errors = &c.ledger().consumer_errors;
    assert!(
        errors.contains(&highwater_core::protocol::ErrorCode::UnknownMemberId)
            || errors.contains(&highwater_core::protocol::ErrorCode::IllegalGeneration),
        "{errors:?}"
    );
    let tp = c.partitions().next().unwrap();
    assert_eq!(c.group_committed().get(&tp), Some(&3));
    assert!(c.invariants().iter().all(|s| s.holds()));
}

#[test]
fn auto_commit_commits_positions_at_a_later_poll() {
    // R7.3: auto-commit runs at the start of poll() once auto.commit.interval.ms has elapsed.
    let mut c = Cluster::new(config(1, CommitMode::Auto), 9).unwrap();
    produce(&mut c, &["a", "b"]);
    run_until(&mut c, 10_000, |c| processed(c, "b") == 1);
    let tp = c.partitions().next().unwrap();
    assert_eq!(c.consumer(1).unwrap().consumer.positions.get(&tp), Some(&2));
    assert_ne!(c.group_committed().get(&tp), Some(&2), "not yet committed");
    c.run_until(c.now() + 3_000);
    assert_eq!(c.group_committed().get(&tp), Some(&2));
}

#[test]
fn a_member_that_does_not_poll_in_time_leaves_the_group() {
    // R7.4: max.poll.interval.ms expires while processing ⇒ the heartbeat thread sends
    // LeaveGroup; the other member takes the partition.
    let mut cfg = config(2, CommitMode::AfterProcessing);
    cfg.consumer.processing_ms = 1_500;
    cfg.consumer.max_poll_interval_ms = 2_000;
    let mut c = Cluster::new(cfg, 10).unwrap();
    c.run_until(2_000);
    produce(&mut c, &["a", "b", "c"]);
    c.run_until(c.now() + 20_000);
    assert!(c.events().iter().any(|e| e.text.contains("did not poll")));
    assert!(c.events().iter().any(|e| e.text.starts_with("LeaveGroup")));
    for v in ["a", "b", "c"] {
        assert!(processed(&c, v) >= 1);
    }
    assert!(c.invariants().iter().all(|s| s.holds()));
}

#[test]
fn removing_a_consumer_hands_its_partitions_over_at_once() {
    let mut c = Cluster::new(two_partitions(2), 11).unwrap();
    c.run_until(3_000);
    c.apply(Command::RemoveConsumer { consumer: 1 }).unwrap();
    c.run_until(c.now() + 1_000);
    assert_eq!(c.consumer(2).unwrap().consumer.assigned.len(), 2);
    c.apply(Command::AddConsumer).unwrap();
    c.run_until(c.now() + 2_000);
    assert_eq!(c.consumers().len(), 3);
    assert_eq!(c.consumer(3).unwrap().consumer.assigned.len(), 1);
}

#[test]
fn the_snapshot_shows_consumers_the_group_and_the_internal_topic() {
    let mut c = Cluster::new(config(1, CommitMode::AfterProcessing), 12).unwrap();
    produce(&mut c, &["a", "b"]);
    c.run_until(5_000);
    let s = c.snapshot();
    assert_eq!(s.consumers.len(), 1);
    let c1 = &s.consumers[0];
    assert_eq!(c1.node.to_string(), "c1");
    assert_eq!(c1.generation, 1);
    assert_eq!(c1.partitions[0].position, Some(2));
    assert_eq!(c1.partitions[0].committed, Some(2));
    assert_eq!(c1.processed, 2);
    let g = s.group.as_ref().expect("a coordinator");
    assert_eq!(g.state, highwater_core::coordinator::GroupState::Stable);
    assert_eq!(g.members.len(), 1);
    assert_eq!(g.members[0].assignment, ["t-0"]);
    assert_eq!(g.committed[0].offset, 2);
    let internal: Vec<_> = s.partitions.iter().filter(|p| p.internal).collect();
    assert_eq!(internal.len(), 1);
    assert_eq!(internal[0].topic, "__consumer_offsets");
    let leader = s
        .brokers
        .iter()
        .flat_map(|b| &b.replicas)
        .find(|r| r.internal && r.role == highwater_core::read_model::ReplicaRole::Leader)
        .unwrap();
    assert_eq!(
        leader
            .records
            .iter()
            .map(|r| r.value.as_str())
            .collect::<Vec<_>>(),
        ["generation 1", "member c1-2", "commit t-0=2"]
    );
    assert!(
        s.record_replicas.keys().all(|id| *id < 2),
        "ledger ids only"
    );
    let json = serde_json::to_string(&s).unwrap();
    let back: highwater_core::snapshot::Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
}

#[test]
fn runs_without_consumers_have_no_internal_topic() {
    let c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    let s = c.snapshot();
    assert!(s.consumers.is_empty() && s.group.is_none());
    assert!(s.partitions.iter().all(|p| !p.internal));
    assert!(c
        .invariants()
        .iter()
        .all(|s| s.name != names::ONE_OWNER_PER_GENERATION));
}

/// A group of `consumers` on one topic of `partitions` partitions with one assignor.
fn group_with(consumers: u32, partitions: u32, strategy: Strategy) -> ClusterConfig {
    let mut cfg = config(consumers, CommitMode::AfterProcessing);
    cfg.topics[0].partitions = partitions;
    cfg.consumer.partition_assignment_strategy = Some(Assignors::new(&[strategy]).unwrap());
    cfg
}

/// Each live consumer's assigned partitions, by consumer index.
fn layout(c: &Cluster) -> BTreeMap<u32, BTreeSet<u16>> {
    c.consumers()
        .iter()
        .filter(|s| !s.consumer.closed)
        .map(|s| {
            let ps = s.consumer.assigned.iter().map(|tp| tp.partition).collect();
            (s.consumer.id, ps)
        })
        .collect()
}

#[test]
fn sticky_keeps_the_others_partitions_when_a_member_leaves() {
    // Members send what they own (the eager StickyAssignor's user data, KIP-341), so the
    // assignor keeps it: as AbstractStickyAssignorTest#testReassignmentAfterOneConsumerLeaves and
    // #testAddRemoveConsumerOneTopic expect, the members that stay keep all their partitions and
    // only the leaver's move. Without owned partitions the sticky assignor deals every partition
    // afresh and the layout is reshuffled.
    let mut c = Cluster::new(group_with(3, 6, Strategy::Sticky), 21).unwrap();
    run_until(&mut c, 20_000, |c| {
        layout(c).values().map(BTreeSet::len).collect::<Vec<_>>() == [2, 2, 2]
    });
    let before = layout(&c);
    c.apply(Command::RemoveConsumer { consumer: 2 }).unwrap();
    let limit = c.now() + 20_000;
    run_until(&mut c, limit, |c| {
        layout(c).values().map(BTreeSet::len).collect::<Vec<_>>() == [3, 3]
    });
    let after = layout(&c);
    for id in [1, 3] {
        assert!(
            after[&id].is_superset(&before[&id]),
            "c{id} kept its partitions: {before:?} → {after:?}"
        );
    }
}

/// The first generation in which partitions were assigned, and how many members it had.
fn first_assigning_generation(c: &Cluster) -> (i32, usize) {
    let mut by_generation: BTreeMap<i32, usize> = BTreeMap::new();
    for e in c.events() {
        if let Some((_, g)) = e.text.split_once(" in generation ") {
            if e.text.contains(" is assigned [") {
                *by_generation.entry(g.parse().unwrap()).or_default() += 1;
            }
        }
    }
    by_generation.into_iter().next().expect("an assignment")
}

#[test]
fn consumers_starting_together_form_generation_1_in_one_go() {
    // group.initial.rebalance.delay.ms (KIP-134, default 3000): the coordinator waits for the
    // members that start together, so generation 1 has all three
    // (GroupCoordinatorTest#shouldResetRebalanceDelayWhenNewMemberJoinsGroupInInitialRebalance).
    let mut cfg = group_with(3, 6, Strategy::Range);
    cfg.broker.group_initial_rebalance_delay_ms = None;
    assert_eq!(cfg.group_initial_rebalance_delay_ms(), 3_000);
    let mut c = Cluster::new(cfg.clone(), 22).unwrap();
    c.run_until(10_000);
    assert_eq!(first_assigning_generation(&c), (1, 3));
    // Without the delay the first member to join starts generation 1 alone and the others
    // need another generation.
    cfg.broker.group_initial_rebalance_delay_ms = Some(0);
    let mut c = Cluster::new(cfg, 22).unwrap();
    c.run_until(10_000);
    assert_ne!(first_assigning_generation(&c), (1, 3));
}

/// Partitions named in an event text's first `[...]` ("revokes [t-0, t-2]").
fn listed(text: &str) -> BTreeSet<u16> {
    let inner = text.split_once('[').and_then(|(_, r)| r.split_once(']'));
    inner.map_or_else(BTreeSet::new, |(ps, _)| {
        ps.split(", ")
            .filter_map(|p| p.rsplit_once('-')?.1.parse().ok())
            .collect()
    })
}

#[test]
fn cooperative_rebalancing_moves_only_what_moves_in_two_generations() {
    // KIP-429: members keep what they own through the join; the assignor withholds the partitions
    // that change owner (CooperativeStickyAssignor#adjustAssignment); after SyncGroup their owners
    // revoke only those (ConsumerCoordinator#onJoinComplete) and rejoin at once; the follow-up
    // generation gives them to the new member. Layouts as in AbstractStickyAssignorTest
    // #testAddRemoveConsumerOneTopic run for CooperativeStickyAssignorTest (the moving partition
    // is in partitionsTransferringOwnership, then assigned); revoked = owned minus assigned as in
    // ConsumerCoordinatorTest#testNormalJoinGroupFollower under the COOPERATIVE protocol.
    let mut c = Cluster::new(group_with(2, 6, Strategy::CooperativeSticky), 23).unwrap();
    let stable = |c: &Cluster, sizes: &[usize]| {
        c.group_coordinator()
            .is_some_and(|(_, g)| g.state == GroupState::Stable)
            && layout(c).values().map(BTreeSet::len).collect::<Vec<_>>() == sizes
            && c.consumers().iter().all(|s| !s.consumer.needs_rejoin)
    };
    run_until(&mut c, 20_000, |c| stable(c, &[3, 3]));
    let before = layout(&c);
    let generation = c.group_coordinator().unwrap().1.generation;
    let mark = c.events().len();
    c.apply(Command::AddConsumer).unwrap();
    let limit = c.now() + 20_000;
    run_until(&mut c, limit, |c| stable(c, &[2, 2, 2]));
    let after = layout(&c);
    assert_eq!(
        c.group_coordinator().unwrap().1.generation,
        generation + 2,
        "a generation that withholds the moving partitions, then one that assigns them"
    );
    let events = &c.events()[mark..];
    for id in [1, 2] {
        assert!(after[&id].is_subset(&before[&id]), "{before:?} → {after:?}");
        let revoked: BTreeSet<u16> = events
            .iter()
            .filter(|e| e.node == Some(NodeId::consumer(id)) && e.text.starts_with("revokes"))
            .flat_map(|e| listed(&e.text))
            .collect();
        let moved: BTreeSet<u16> = before[&id].difference(&after[&id]).copied().collect();
        assert_eq!(revoked, moved, "c{id} revokes only what moves");
        assert_eq!(moved.len(), 1);
    }
    // c3 gets nothing in the first generation (the partitions are still owned) and both moved
    // partitions in the second.
    let c3: Vec<(String, BTreeSet<u16>)> = events
        .iter()
        .filter(|e| e.node == Some(NodeId::consumer(3)) && e.text.contains(" is assigned ["))
        .map(|e| {
            (
                e.text.rsplit(' ').next().unwrap().to_string(),
                listed(&e.text),
            )
        })
        .collect();
    let (g1, g2) = ((generation + 1).to_string(), (generation + 2).to_string());
    assert_eq!(c3, [(g1, BTreeSet::new()), (g2, after[&3].clone())]);
}

#[test]
fn the_read_model_shows_each_member_s_revoked_and_new_partitions_per_generation() {
    // Cooperative (KIP-429): in the generation that withholds, a keeper revokes one partition and
    // gets nothing new; in the follow-up the newcomer gets both. Eager: everything revoked, all new.
    let names = |v: &BTreeSet<u16>| v.iter().map(|p| format!("t-{p}")).collect::<Vec<_>>();
    for strategy in [Strategy::CooperativeSticky, Strategy::Sticky] {
        let mut c = Cluster::new(group_with(2, 4, strategy), 24).unwrap();
        run_until(&mut c, 20_000, |c| {
            layout(c).values().map(BTreeSet::len).collect::<Vec<_>>() == [2, 2]
        });
        let before = layout(&c);
        let generation = c.group_coordinator().unwrap().1.generation;
        c.apply(Command::AddConsumer).unwrap();
        let limit = c.now() + 20_000;
        run_until(&mut c, limit, |c| {
            let done = |id| {
                c.consumer_snapshot(id)
                    .and_then(|k| k.rebalances.last().map(|r| r.generation))
                    .unwrap_or(0)
            };
            let mut sizes: Vec<usize> = layout(c).values().map(BTreeSet::len).collect();
            sizes.sort_unstable();
            sizes == [1, 1, 2]
                && (1..=3).all(|id| done(id) == c.group_coordinator().unwrap().1.generation)
        });
        let after = layout(&c);
        // The member that gave a partition to c3.
        let giver = [1, 2]
            .into_iter()
            .find(|id| after[id] != before[id])
            .unwrap();
        let k1 = c.consumer_snapshot(giver).unwrap();
        let k3 = c.consumer_snapshot(3).unwrap();
        let last1 = k1.rebalances.last().unwrap();
        let last3 = k3.rebalances.last().unwrap();
        let moved: BTreeSet<u16> = before[&giver].difference(&after[&giver]).copied().collect();
        if strategy == Strategy::CooperativeSticky {
            let withheld = &k1.rebalances[k1.rebalances.len() - 2];
            assert_eq!(withheld.generation, generation + 1);
            assert_eq!(withheld.revoked, names(&moved), "{k1:?}");
            assert!(withheld.added.is_empty());
            assert_eq!((last1.revoked.len(), last1.added.len()), (0, 0));
            assert_eq!(last3.generation, generation + 2);
        } else {
            assert_eq!(last1.revoked, names(&before[&giver]), "{k1:?}");
            assert_eq!(last1.added, names(&after[&giver]));
            assert_eq!(last3.generation, generation + 1);
        }
        assert!(last3.revoked.is_empty());
        assert_eq!(last3.added, names(&after[&3]));
    }
}
