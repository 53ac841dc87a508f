//! Dynamic broker configs changed mid-run, as the admin client's `incrementalAlterConfigs` does
//! (KIP-226): `unclean.leader.election.enable` switched on while a partition is offline.

mod common;

use highwater_core::config::ClusterConfig;
use highwater_core::{Cluster, Command};

/// S13's setup (two replicas, unclean election off): `first` on both, `second` committed on b1
/// alone, then b1 stops and b2 — out of the ISR — is the only live replica: no leader.
fn offline_partition() -> Cluster {
    let cfg: ClusterConfig = serde_json::from_value(serde_json::json!({
        // Before eligible leader replicas (KIP-966): the last ISR member stays in the ISR.
        "kafka.version": "4.0",
        "brokers": 2,
        "topics": [{ "name": "t", "partitions": 1, "replication_factor": 2 }],
        "broker": {
            "unclean.leader.election.enable": false,
            "broker.session.timeout.ms": 3000,
            "broker.heartbeat.interval.ms": 1000
        },
        "producer": { "acks": "all", "request.timeout.ms": 2000, "delivery.timeout.ms": 5000 }
    }))
    .unwrap();
    let mut c = Cluster::new(cfg, 15).unwrap();
    c.run_until(100);
    c.apply(common::produce("first")).unwrap();
    c.run_until(1_000);
    c.apply(Command::Shutdown { broker: 2 }).unwrap();
    c.run_until(5_000);
    c.apply(common::produce("second")).unwrap();
    c.run_until(6_000);
    assert!(c
        .ledger()
        .find_by_value("second")
        .unwrap()
        .committed
        .is_some());
    c.apply(Command::Shutdown { broker: 1 }).unwrap();
    c.run_until(10_000);
    c.apply(Command::Restart { broker: 2 }).unwrap();
    c.run_until(20_000);
    c
}

fn leader(c: &Cluster) -> Option<u32> {
    c.controller().partitions.values().next().unwrap().leader
}

#[test]
fn switching_unclean_election_on_elects_a_leader_for_an_offline_partition() {
    let mut c = offline_partition();
    // S13: with unclean election off, the partition waits for its last ISR member.
    let reg = c.controller().partitions.values().next().unwrap().clone();
    assert_eq!((reg.leader, reg.isr.clone()), (None, vec![1]), "offline");
    c.run_until(40_000);
    assert_eq!(leader(&c), None, "still offline: nothing elects b2");
    assert_eq!(c.controller().unclean_elections, 0);

    // The admin switches it on: the controller elects b2 uncleanly at once (KAFKA-6526).
    common::assert_refused(
        &mut c,
        Command::UncleanLeaderElection { enable: false },
        &["unclean.leader.election.enable is already false"],
    );
    c.apply(Command::UncleanLeaderElection { enable: true })
        .unwrap();
    assert_eq!(leader(&c), Some(2), "elected on the config change");
    assert_eq!(c.controller().unclean_elections, 1);
    let reg = c.controller().partitions.values().next().unwrap();
    assert_eq!(reg.isr, vec![2]);
    assert!(reg.recovering, "KIP-704: an unclean leader recovers");
    assert!(c
        .events()
        .iter()
        .any(|e| e.text.contains("UNCLEAN election")
            && e.text
                .contains("unclean.leader.election.enable was switched on")));
    assert!(c.events().iter().any(|e| e
        .text
        .contains("admin.incrementalAlterConfigs(unclean.leader.election.enable=true)")));
    c.run_until(45_000);
    // S14: the committed `second` is gone; the clean-election promise no longer applies.
    let lost = c.ledger().find_by_value("second").unwrap();
    assert!(lost.lost.is_some(), "second is lost");
    let completeness = c
        .invariants()
        .iter()
        .find(|i| i.name == "no committed record lost")
        .unwrap();
    assert!(!completeness.promised, "unclean elections void the promise");

    // The run replays from its inputs to the same state.
    let again = Cluster::replay(c.config().clone(), c.seed(), c.history()).unwrap();
    assert_eq!(again.state_hash(), c.state_hash());
    assert_eq!(leader(&again), Some(2));
}

#[test]
fn a_paused_controller_refuses_the_change_and_it_can_be_switched_off_again() {
    let mut c = offline_partition();
    c.apply(Command::Pause {
        node: highwater_core::types::NodeId::Controller,
    })
    .unwrap();
    common::assert_refused(
        &mut c,
        Command::UncleanLeaderElection { enable: true },
        &["the controller is paused"],
    );
    c.apply(Command::Resume {
        node: highwater_core::types::NodeId::Controller,
    })
    .unwrap();
    c.apply(Command::UncleanLeaderElection { enable: true })
        .unwrap();
    c.apply(Command::UncleanLeaderElection { enable: false })
        .unwrap();
    assert!(!c.controller().unclean_leader_election_enable(c.config()));
    assert!(
        !c.config().unclean_leader_election_enable(),
        "the run's configuration is untouched: a replay starts from it"
    );
    common::assert_refused(
        &mut c,
        Command::UncleanLeaderElection { enable: false },
        &["already false"],
    );
}
