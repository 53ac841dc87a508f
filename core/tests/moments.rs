//! The big moments a face calls out (read model `Moment` on events, issue 16 item 5): an
//! election after a leader's crash, the fencing before it, the ISR shrink, a truncation and a
//! lost acknowledged record, each typed and worded with the picture's names.

mod common;

use common::{cut_both, leader_and_follower};
use highwater_core::config::{Acks, ClusterConfig};
use highwater_core::read_model::{Moment, MomentKind};
use highwater_core::types::NodeId;
use highwater_core::{Cluster, Command};

fn moments(c: &Cluster) -> Vec<(u64, Moment)> {
    c.events()
        .iter()
        .filter_map(|e| e.moment.as_deref().map(|m| (e.step, m.clone())))
        .collect()
}

fn produce(c: &mut Cluster, value: &str, acks: Option<Acks>) {
    let mut cmd = common::produce(value);
    if let Command::Produce { acks: a, .. } = &mut cmd {
        *a = acks;
    }
    c.apply(cmd).unwrap();
}

fn crash(c: &mut Cluster, broker: u32) {
    c.apply(Command::Crash {
        broker,
        lose_unflushed: false,
    })
    .unwrap();
}

#[test]
fn a_crashed_leader_is_fenced_then_replaced_and_each_moment_is_typed() {
    let mut c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    c.run_until(3_000);
    assert!(moments(&c).is_empty(), "a calm start has no big moment");
    let leader = c.partition_registrations()[0].leader.expect("a leader");
    crash(&mut c, leader);
    c.run_until(c.now() + 20_000);
    let ms = moments(&c);
    let fenced = ms
        .iter()
        .find(|(_, m)| m.kind == MomentKind::Fencing)
        .expect("the controller fenced the crashed leader");
    assert_eq!(fenced.1.broker, Some(leader));
    assert_eq!(fenced.1.text, format!("b{leader} fenced by the controller"));
    let reg = &c.partition_registrations()[0];
    let new = reg.leader.expect("a new leader");
    assert_ne!(new, leader);
    let elected = ms
        .iter()
        .find(|(_, m)| m.kind == MomentKind::Election)
        .expect("an election moment");
    assert_eq!(elected.1.broker, Some(new));
    assert_eq!(
        elected.1.text,
        format!(
            "b{new} elected leader of t-0 (leader epoch {})",
            reg.leader_epoch
        )
    );
    assert!(fenced.0 <= elected.0, "fenced, then elected: {ms:?}");
    // The moment rides on the controller's election event (the scrubber's marker).
    let e = c
        .events()
        .iter()
        .find(|e| e.moment.as_deref() == Some(&elected.1))
        .unwrap();
    assert_eq!(e.node, Some(NodeId::Controller));
    assert_eq!(e.kind, highwater_core::event::EventKind::Election);
}

#[test]
fn a_follower_cut_off_from_its_leader_leaves_the_isr_as_a_shrink_moment() {
    let mut c = Cluster::new(ClusterConfig::default(), 1).unwrap();
    c.run_until(2_000);
    let (leader, follower) = leader_and_follower(&c);
    c.apply(cut_both(leader, follower)).unwrap();
    produce(&mut c, "a", None);
    c.run_until(c.now() + 60_000);
    let shrink = moments(&c)
        .into_iter()
        .find(|(_, m)| m.kind == MomentKind::IsrShrink)
        .expect("an ISR shrink moment");
    assert_eq!(shrink.1.broker, Some(leader));
    assert_eq!(shrink.1.text, format!("ISR of t-0 shrank: b{follower} out"));
    // Healing lets it catch up and rejoin (once its lost fetch times out,
    // replica.socket.timeout.ms): an expansion.
    c.apply(Command::Heal { node: None }).unwrap();
    c.run_until(c.now() + 60_000);
    let grow = moments(&c)
        .into_iter()
        .find(|(_, m)| m.kind == MomentKind::IsrExpand)
        .expect("an ISR expansion moment");
    assert_eq!(grow.1.text, format!("ISR of t-0 grew: b{follower} back in"));
}

#[test]
fn an_acks1_loss_and_the_old_leaders_truncation_are_called_out() {
    // S4: acks=1, the leader crashes with a record its follower never fetched.
    let mut cfg = ClusterConfig {
        brokers: 2,
        ..ClusterConfig::default()
    };
    cfg.topics[0].replication_factor = 2;
    let mut c = Cluster::new(cfg, 1).unwrap();
    c.run_until(2_000);
    let leader = c.partition_registrations()[0].leader.unwrap();
    let follower = 3 - leader;
    c.apply(Command::Cut {
        from: NodeId::Broker(leader),
        to: NodeId::Broker(follower),
        both: false,
    })
    .unwrap();
    produce(&mut c, "m2", Some(Acks::Leader));
    c.run_until(c.now() + 100);
    crash(&mut c, leader);
    c.apply(Command::Heal { node: None }).unwrap();
    c.run_until(c.now() + 20_000);
    let ms = moments(&c);
    let lost = ms
        .iter()
        .find(|(_, m)| m.kind == MomentKind::Loss)
        .expect("a loss moment");
    assert_eq!(lost.1.text, "acked m2 lost from t-0");
    assert_eq!(lost.1.broker, Some(follower));
    c.apply(Command::Restart { broker: leader }).unwrap();
    c.run_until(c.now() + 10_000);
    let cut = moments(&c)
        .into_iter()
        .find(|(_, m)| m.kind == MomentKind::Truncation)
        .expect("the old leader truncates m2 away");
    assert_eq!(cut.1.broker, Some(leader));
    assert_eq!(cut.1.text, format!("b{leader} truncated t-0 to offset 0"));
}
