//! Manual mode accepts exactly the events it offers: `act` fires an action if and only if
//! `enabled` lists it (the head message of each link, any timer of a node that is not paused),
//! through deliveries, crashes, restarts, pauses and resumes.

mod common;

use highwater_core::command::Action;
use highwater_core::rng::Rng;
use highwater_core::types::NodeId;
use highwater_core::{Cluster, ClusterConfig, Command};

/// Every message in flight (first on its link or not, live or parked) and every pending timer,
/// as the action that would fire it.
fn candidates(c: &Cluster) -> Vec<Action> {
    let mut out: Vec<Action> = c
        .in_flight()
        .map(|e| Action::Deliver { message: e.id })
        .collect();
    out.extend(
        c.pending_timers()
            .map(|(node, timer, _)| Action::Fire { node, timer }),
    );
    out
}

#[test]
fn act_accepts_exactly_the_enabled_actions() {
    let mut rng = Rng::new(42);
    let mut checked = (0, 0);
    for seed in 0..6 {
        let mut c = Cluster::new(ClusterConfig::default(), seed).unwrap();
        c.apply(common::produce("a")).unwrap();
        for _ in 0..150 {
            let enabled: Vec<Action> = c.enabled().into_iter().map(|e| e.action).collect();
            for a in candidates(&c) {
                let mut copy = c.clone();
                let hash = copy.state_hash();
                let result = copy.act(a.clone());
                assert_eq!(result.is_ok(), enabled.contains(&a), "{a:?}: {result:?}");
                if result.is_err() {
                    assert_eq!(
                        copy.state_hash(),
                        hash,
                        "{a:?} was refused but changed the state"
                    );
                    checked.1 += 1;
                } else {
                    checked.0 += 1;
                }
            }
            // Move on: mostly an enabled event, sometimes a fault, a pause or a resume.
            let b = 1 + rng.below(3) as u32;
            let cmd = match rng.below(20) {
                0 => Some(Command::Crash {
                    broker: b,
                    lose_unflushed: false,
                }),
                1 => Some(Command::Restart { broker: b }),
                2 => Some(Command::Pause {
                    node: NodeId::Broker(b),
                }),
                3 => Some(Command::Resume {
                    node: NodeId::Broker(b),
                }),
                4 => Some(common::produce("b")),
                _ => None,
            };
            if let Some(cmd) = cmd {
                let _ = c.apply(cmd);
            } else if !enabled.is_empty() {
                let a = enabled[rng.below(enabled.len() as u64) as usize].clone();
                c.act(a).unwrap();
            }
        }
    }
    // Both answers were exercised many times.
    assert!(
        checked.0 > 500 && checked.1 > 500,
        "accepted, refused: {checked:?}"
    );
}
