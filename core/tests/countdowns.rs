//! Countdowns to timeouts the user caused (read model `lagging_followers` and `producer_waits`,
//! issue 16 item 5), checked against what the simulator then does: the follower leaves the ISR
//! at the check the countdown names (R2.1, R2.3), the request times out when the countdown ends
//! (R5.3).

mod common;

use common::{cut_both, leader_and_follower};
use highwater_core::config::ClusterConfig;
use highwater_core::types::NodeId;
use highwater_core::{Cluster, Command};

fn produce(c: &mut Cluster, value: &str) {
    c.apply(common::produce(value)).unwrap();
}

#[test]
fn a_follower_that_stops_fetching_counts_down_to_the_isr_check_that_drops_it() {
    let cfg = ClusterConfig::default();
    let (lag, quiet) = (
        cfg.broker.replica_lag_time_max_ms,
        cfg.broker.replica_fetch_wait_max_ms,
    );
    let mut c = Cluster::new(cfg, 1).unwrap();
    c.run_until(2_000);
    produce(&mut c, "a");
    c.run_until(4_000);
    assert!(c.lagging_followers().is_empty(), "every follower caught up");
    let (leader, follower) = leader_and_follower(&c);
    c.apply(cut_both(follower, leader)).unwrap();
    produce(&mut c, "b");
    // Behind, but not for longer than a fetch round yet.
    c.run_until(c.now() + quiet / 2);
    assert!(
        c.lagging_followers().is_empty(),
        "{:?}",
        c.lagging_followers()
    );
    c.run_until(c.now() + 2 * quiet);
    let w = c.lagging_followers();
    assert_eq!(w.len(), 1, "{w:?}");
    let w = w[0].clone();
    assert_eq!((w.leader, w.follower), (leader, follower));
    assert_eq!(w.out_of_sync_at, w.last_caught_up + lag + 1);
    let shrink_at = w.shrink_at.expect("the leader's check is pending");
    assert!(shrink_at >= w.out_of_sync_at && shrink_at < w.out_of_sync_at + lag / 2 + 1);
    // While it waits, the countdown's target stays put, so the time left only goes down.
    let mut left = shrink_at - c.now();
    while c.now() + 1_000 < shrink_at {
        c.run_until(c.now() + 1_000);
        let now = c.lagging_followers();
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].shrink_at, Some(shrink_at));
        let l = shrink_at - c.now();
        assert!(l < left);
        left = l;
    }
    // Just before the check the follower is still in the ISR; the check proposes it out and
    // the controller commits the shrink.
    c.run_until(shrink_at - 1);
    assert!(c.partition_registrations()[0].isr.contains(&follower));
    c.run_until(shrink_at + 1_000);
    assert!(!c.partition_registrations()[0].isr.contains(&follower));
    assert!(
        c.lagging_followers().is_empty(),
        "out of the ISR: no countdown"
    );
}

#[test]
fn a_produce_request_with_no_answer_counts_down_to_its_request_timeout() {
    let cfg = ClusterConfig::default();
    let timeout = cfg.producer.request_timeout_ms;
    let mut c = Cluster::new(cfg, 1).unwrap();
    c.run_until(2_000);
    let leader = c.partition_registrations()[0].leader.unwrap();
    assert!(c.producer_waits().is_empty());
    // The answer cannot come back: the request waits for request.timeout.ms.
    c.apply(Command::Cut {
        from: NodeId::Broker(leader),
        to: NodeId::Producer(1),
        both: false,
    })
    .unwrap();
    produce(&mut c, "a");
    let sent = c.now();
    c.run_until(sent + 100);
    assert!(c.producer_waits().is_empty(), "not waiting long yet");
    c.run_until(sent + 3_000);
    let w = c.producer_waits();
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!((w[0].producer, w[0].broker), (1, leader));
    assert!(w[0].sent_at >= sent && w[0].sent_at < sent + 100, "{w:?}");
    assert_eq!(w[0].times_out_at, w[0].sent_at + timeout);
    assert!(!w[0].fails, "retried: delivery.timeout.ms is far");
    let due = w[0].times_out_at;
    c.run_until(due - 1);
    assert_eq!(c.producer_waits()[0].times_out_at, due);
    c.run_until(due);
    assert!(
        c.producer_waits().iter().all(|x| x.times_out_at != due),
        "timed out at the countdown's end: {:?}",
        c.producer_waits()
    );
    assert!(c
        .events()
        .iter()
        .any(|e| e.time == due && e.text.contains("request-timeout")));
}
