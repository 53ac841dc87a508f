//! Replica placement for new topics, as Kafka's rack-unaware assignment does it
//! (AdminUtils.assignReplicasToBrokers / StripedReplicaPlacer), with the start index fixed at 0
//! instead of random so that runs are reproducible.

use crate::types::BrokerId;

/// Replica lists for `partitions` partitions over brokers `1..=brokers`.
pub fn assign_replicas(
    brokers: u32,
    partitions: u32,
    replication_factor: u32,
) -> Vec<Vec<BrokerId>> {
    let n = brokers as usize;
    let ids: Vec<BrokerId> = (1..=brokers).collect();
    let start_index = 0usize;
    let mut next_replica_shift = start_index;
    let mut out = Vec::with_capacity(partitions as usize);
    for p in 0..partitions as usize {
        if p > 0 && p % n == 0 {
            next_replica_shift += 1;
        }
        let first = (p + start_index) % n;
        let mut replicas = vec![ids[first]];
        for j in 0..replication_factor.saturating_sub(1) as usize {
            let shift = if n > 1 {
                1 + (next_replica_shift + j) % (n - 1)
            } else {
                0
            };
            replicas.push(ids[(first + shift) % n]);
        }
        out.push(replicas);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders_spread_and_replicas_distinct() {
        // AdminUtilsTest-style expectations with start index 0: leaders rotate over the brokers,
        // the follower shift grows after each full round.
        let a = assign_replicas(5, 10, 3);
        assert_eq!(a[0], vec![1, 2, 3]);
        assert_eq!(a[1], vec![2, 3, 4]);
        assert_eq!(a[4], vec![5, 1, 2]);
        assert_eq!(
            a[5],
            vec![1, 3, 4],
            "second round shifts followers by one more"
        );
        for r in &a {
            let mut s = r.clone();
            s.sort();
            s.dedup();
            assert_eq!(s.len(), 3);
        }
        let leaders: Vec<u32> = a.iter().map(|r| r[0]).collect();
        assert_eq!(leaders, vec![1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn single_broker() {
        assert_eq!(assign_replicas(1, 2, 1), vec![vec![1], vec![1]]);
    }
}
