//! Helpers shared by the integration tests (each test file includes this module).

use highwater_core::{Cluster, Command};

#[allow(dead_code)] // not every test file refuses commands
/// Applies a command that must be refused: the message must contain `words`, and neither the
/// state nor the history may change.
pub fn assert_refused(c: &mut Cluster, cmd: Command, words: &[&str]) {
    let hash = c.state_hash();
    let history = c.history().len();
    let e = c
        .apply(cmd.clone())
        .expect_err(&format!("{cmd:?} should be refused"));
    for w in words {
        assert!(
            e.0.contains(w),
            "{cmd:?}: message {:?} should mention {w:?}",
            e.0
        );
    }
    assert_eq!(e.to_string(), e.0);
    assert_eq!(
        c.state_hash(),
        hash,
        "{cmd:?} was refused but changed the state"
    );
    assert_eq!(
        c.history().len(),
        history,
        "{cmd:?} was refused but recorded"
    );
}

/// Producer 1 sends `value` (default topic, partitioner's choice, configured acks).
#[allow(dead_code)] // not every test file produces
pub fn produce(value: &str) -> Command {
    Command::Produce {
        producer: 1,
        topic: None,
        partition: None,
        key: None,
        value: value.into(),
        acks: None,
    }
}

/// The partition `t-0`'s leader and one other member of its ISR (the controller's view).
#[allow(dead_code)] // not every test file cuts a follower off
pub fn leader_and_follower(c: &Cluster) -> (u32, u32) {
    let reg = &c.partition_registrations()[0];
    let leader = reg.leader.expect("a leader");
    let follower = *reg.isr.iter().find(|&&b| b != leader).expect("a follower");
    (leader, follower)
}

/// Cuts the link between brokers `a` and `b`, both ways.
#[allow(dead_code)]
pub fn cut_both(a: u32, b: u32) -> Command {
    Command::Cut {
        from: highwater_core::types::NodeId::Broker(a),
        to: highwater_core::types::NodeId::Broker(b),
        both: true,
    }
}
