//! Client-side partition assignors of the classic consumer group protocol (KAFKA-SEMANTICS §R7.5,
//! §R7.4): the group leader runs one of these on every member's subscription and sends the result
//! in SyncGroup. Behaviour follows the javadoc of AK:clients/.../consumer/RangeAssignor.java,
//! RoundRobinAssignor.java, StickyAssignor.java and CooperativeStickyAssignor.java, and the tests
//! listed in scenario S38.
//!
//! Pure and deterministic: members are ordered by member id (Kafka orders by `group.instance.id`
//! for static members; not modelled), topics by name, partitions by number. Topics missing from
//! `partitions_per_topic` are ignored, as Kafka ignores topics without metadata. Rack awareness
//! (KIP-881) is not modelled. Owned partitions count only from the highest generation reported
//! (KIP-341, AbstractStickyAssignor#allSubscriptionsEqual). Member ids are expected to
//! be unique; if one repeats, its last subscription counts.

use std::cmp::Reverse;

use crate::ordered;
use crate::vec_map::{VecMap, VecSet};

/// A consumer's `member.id`.
pub type MemberId = String;

/// A partition by topic name (Kafka's `TopicPartition`). Displays as Kafka does: `topic-partition`.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct TopicPartitionName {
    /// The topic's name.
    pub topic: String,
    /// The partition's index within the topic.
    pub partition: u32,
}

impl TopicPartitionName {
    /// A topic-partition by topic name and index.
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        TopicPartitionName {
            topic: topic.into(),
            partition,
        }
    }
}

impl std::fmt::Display for TopicPartitionName {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// One member's JoinGroup metadata (ConsumerPartitionAssignor.Subscription).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subscription {
    /// The member that subscribes.
    pub member: MemberId,
    /// The topics the member subscribes to, by name.
    pub topics: Vec<String>,
    /// The partitions the member owns now (`ownedPartitions`, or the sticky user data); only the
    /// sticky assignors read it.
    pub owned: Vec<TopicPartitionName>,
    /// The generation `owned` is from (ConsumerProtocolSubscription `generationId`, KIP-792; the
    /// sticky user data's generation, KIP-341); `None` is Kafka's DEFAULT_GENERATION (-1).
    #[serde(default)]
    pub generation: Option<i32>,
}

/// `partition.assignment.strategy`. Serialized in kebab-case; Kafka's own name `roundrobin` is
/// accepted too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// `RangeAssignor`: each topic's partitions split into contiguous ranges, in member order.
    Range,
    /// `RoundRobinAssignor`: all partitions dealt to members one at a time.
    #[serde(alias = "roundrobin")]
    RoundRobin,
    /// `StickyAssignor`: balanced, keeping as many previous owners as possible (eager protocol).
    Sticky,
    /// `CooperativeStickyAssignor`: sticky, revoking moved partitions in a second rebalance (KIP-429).
    CooperativeSticky,
}

impl Strategy {
    /// The assignor's name in Kafka (`ConsumerPartitionAssignor#name`).
    pub fn kafka_name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::RoundRobin => "roundrobin",
            Strategy::Sticky => "sticky",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }
}

/// The leader's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assignment {
    /// Every member (also those that get nothing), with its partitions sorted by (topic, partition).
    pub owned: VecMap<MemberId, Vec<TopicPartitionName>>,
    /// Cooperative only: partitions that move between owners and are withheld this round, each with
    /// the member that gets it in the follow-up rebalance, once its current owner has revoked it
    /// (R7.4, `partitionsTransferringOwnership`). Empty for the eager strategies.
    pub transferring: VecMap<TopicPartitionName, MemberId>,
}

/// Assigns the partitions of every subscribed topic (R7.5).
///
/// * [`Strategy::Range`], per topic: its subscribers in member-id order; with `n` partitions and `c`
///   subscribers each gets `n / c` consecutive partitions and the first `n % c` one more.
/// * [`Strategy::RoundRobin`]: all partitions sorted by (topic, partition) are dealt in turn over the
///   members in id order; a member not subscribed to the partition's topic is skipped, and the
///   turn moves on past the member that got it.
/// * [`Strategy::Sticky`]: balanced — no member could take a partition of its topics from a member
///   that has at least two more — and otherwise keeps as much of the previous ownership as it can
///   (the four steps are documented on the private `fn sticky` below).
/// * [`Strategy::CooperativeSticky`]: the sticky result, except that a partition another member
///   still owns is withheld and listed in [`Assignment::transferring`] (R7.4).
pub fn assign(
    strategy: Strategy,
    partitions_per_topic: &VecMap<String, u32>,
    subscriptions: &[Subscription],
) -> Assignment {
    let group = Group::new(partitions_per_topic, subscriptions);
    let mut load = match strategy {
        Strategy::Range => range(&group),
        Strategy::RoundRobin => round_robin(&group),
        Strategy::Sticky | Strategy::CooperativeSticky => sticky(&group),
    };
    let mut transferring = VecMap::new();
    if strategy == Strategy::CooperativeSticky {
        transferring = withhold_transfers(&group, &mut load);
    }
    Assignment {
        owned: load
            .into_iter()
            .map(|(member, set)| (member.to_string(), set.into_iter().collect()))
            .collect(),
        transferring,
    }
}

/// Partitions per member while an assignment is built.
type Load<'a> = VecMap<&'a str, VecSet<TopicPartitionName>>;

/// The subscriptions, indexed by member id.
struct Group<'a> {
    partitions_per_topic: &'a VecMap<String, u32>,
    /// Each member's subscribed topics that exist.
    topics: VecMap<&'a str, VecSet<&'a str>>,
    /// Each member's owned partitions as it reported them.
    owned: VecMap<&'a str, &'a [TopicPartitionName]>,
}

impl<'a> Group<'a> {
    fn new(partitions_per_topic: &'a VecMap<String, u32>, subs: &'a [Subscription]) -> Self {
        let mut topics = VecMap::new();
        let mut owned = VecMap::new();
        // KIP-341: only the claims of the highest generation count (DEFAULT_GENERATION = -1).
        let generation = |s: &Subscription| s.generation.unwrap_or(-1);
        let newest = subs.iter().map(generation).max().unwrap_or(-1);
        for s in subs {
            let existing = s.topics.iter().map(String::as_str);
            let existing = existing.filter(|t| partitions_per_topic.contains_key(*t));
            topics.insert(s.member.as_str(), existing.collect());
            let claims: &[TopicPartitionName] = if generation(s) == newest {
                &s.owned
            } else {
                &[]
            };
            owned.insert(s.member.as_str(), claims);
        }
        Group {
            partitions_per_topic,
            topics,
            owned,
        }
    }

    fn subscribes(&self, member: &str, topic: &str) -> bool {
        self.topics.get(member).is_some_and(|t| t.contains(topic))
    }

    /// The subscribers of `topic`, in member-id order.
    fn subscribers<'s>(&'s self, topic: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.topics
            .iter()
            .filter(move |(_, t)| t.contains(topic))
            .map(|(m, _)| *m)
    }

    /// Every member with nothing assigned yet.
    fn empty_load(&self) -> Load<'a> {
        self.topics.keys().map(|m| (*m, VecSet::new())).collect()
    }

    /// Every partition of a topic that has a subscriber, sorted.
    fn subscribed_partitions(&self) -> impl Iterator<Item = TopicPartitionName> + '_ {
        self.partitions_per_topic
            .iter()
            .filter(|(t, _)| self.subscribers(t).next().is_some())
            .flat_map(|(t, &n)| (0..n).map(move |p| TopicPartitionName::new(t.as_str(), p)))
    }

    /// All members subscribe to the same (existing) topics: Kafka's `allSubscriptionsEqual`,
    /// which selects its `constrainedAssign`.
    fn uniform(&self) -> bool {
        let mut sets = self.topics.values();
        let first = sets.next();
        sets.all(|s| Some(s) == first)
    }
}

fn add<'a>(load: &mut Load<'a>, member: &'a str, tp: TopicPartitionName) {
    load.entry(member).or_default().insert(tp);
}

/// RangeAssignor (R7.5; javadoc: "For each topic, we lay out the available partitions in numeric
/// order and the consumers in lexicographic order").
fn range<'a>(group: &Group<'a>) -> Load<'a> {
    let mut load = group.empty_load();
    for (topic, &n) in group.partitions_per_topic {
        let members: Vec<&str> = group.subscribers(topic).collect();
        if members.is_empty() {
            continue;
        }
        let c = members.len() as u32;
        let mut next = 0;
        for (i, member) in members.into_iter().enumerate() {
            let count = n / c + u32::from((i as u32) < n % c);
            for p in next..next + count {
                add(
                    &mut load,
                    member,
                    TopicPartitionName::new(topic.as_str(), p),
                );
            }
            next += count;
        }
    }
    load
}

/// RoundRobinAssignor (R7.5): a circular turn over the members in id order.
fn round_robin<'a>(group: &Group<'a>) -> Load<'a> {
    let mut load = group.empty_load();
    let members: Vec<&str> = group.topics.keys().copied().collect();
    let mut turn = 0;
    for tp in group.subscribed_partitions().collect::<Vec<_>>() {
        // Some member subscribes to the topic, so this stops within one lap.
        while !group.subscribes(members[turn], &tp.topic) {
            turn = (turn + 1) % members.len();
        }
        add(&mut load, members[turn], tp);
        turn = (turn + 1) % members.len();
    }
    load
}

/// The sticky assignment (StickyAssignor javadoc; AbstractStickyAssignor), in four steps:
///
/// 1. **Keep** every reported owned partition that still exists and whose topic the member still
///    subscribes to, but only from the members that report the highest generation: older claims
///    are stale (AbstractStickyAssignor#allSubscriptionsEqual, "membersWithOldGeneration";
///    AbstractStickyAssignorTest#testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration).
///    A partition claimed twice in that generation stays with the first in id order (simplified:
///    Kafka logs an error and invalidates the claim).
/// 2. **Fill**: each other partition, those with the fewest possible owners first (then by topic,
///    partition), goes to the eligible member with the fewest partitions (ties: lowest id).
/// 3. **Balance**: while some member `b` could take a partition from a member `a` with at least two
///    more, move one: `b` is the least loaded such member (ties: lowest id), `a` the most loaded
///    (ties: lowest id), and the partition is `a`'s highest one that `b` may take, preferring one
///    `a` did not keep in step 1. Every move lowers the sum of squared counts, so this ends; when all
///    members subscribe to the same topics it ends with counts that differ by at most 1.
/// 4. When all members subscribe to the same topics, the partitions that change hands (new ones
///    and those moved in step 3) are dealt again in (topic, partition) order to the least loaded
///    member that still gets one (ties: lowest id). Counts and kept partitions do not change; only
///    which receiver gets which moving partition. Like Kafka's `constrainedAssign`, this first
///    settles what each member keeps and then deals the rest in order.
///
/// Steps 2–4 reproduce the StickyAssignor javadoc examples; the general case is balanced in the
/// sense of AbstractStickyAssignorTest#verifyValidityAndBalance.
fn sticky<'a>(group: &Group<'a>) -> Load<'a> {
    // 1. Keep.
    let mut kept = group.empty_load();
    let mut claimed = VecSet::new();
    for (&member, owned) in &group.owned {
        for tp in owned.iter() {
            let exists = group
                .partitions_per_topic
                .get(&tp.topic)
                .is_some_and(|&n| tp.partition < n);
            if exists && group.subscribes(member, &tp.topic) && claimed.insert(tp.clone()) {
                add(&mut kept, member, tp.clone());
            }
        }
    }
    let mut load = kept.clone();

    // 2. Fill.
    let mut unowned: Vec<(usize, TopicPartitionName)> = group
        .subscribed_partitions()
        .filter(|tp| !claimed.contains(tp))
        .map(|tp| (group.subscribers(&tp.topic).count(), tp))
        .collect();
    ordered::sort(&mut unowned);
    for (_, tp) in unowned {
        let member = group
            .subscribers(&tp.topic)
            .min_by_key(|m| (load[m].len(), *m))
            .expect("only partitions of subscribed topics");
        add(&mut load, member, tp);
    }

    // 3. Balance.
    while let Some((from, to, tp)) = next_move(group, &load, &kept) {
        load.entry(from).or_default().remove(&tp);
        add(&mut load, to, tp);
    }

    // 4. Deal the moving partitions again (uniform subscriptions only).
    if group.uniform() {
        redeal(&mut load, &kept);
    }
    load
}

/// Step 3 of [`sticky`]: the next `(from, to, partition)` move, if the assignment is unbalanced.
fn next_move<'a>(
    group: &Group<'a>,
    load: &Load<'a>,
    kept: &Load<'a>,
) -> Option<(&'a str, &'a str, TopicPartitionName)> {
    let mut least: Vec<&str> = load.keys().copied().collect();
    ordered::sort_by_key(&mut least, |m| (load[m].len(), *m));
    let mut most = least.clone();
    ordered::sort_by_key(&mut most, |m| (Reverse(load[m].len()), *m));
    for &to in &least {
        for &from in &most {
            if load[from].len() < load[to].len() + 2 {
                break;
            }
            let movable = || {
                load[from]
                    .iter()
                    .rev()
                    .filter(|tp| group.subscribes(to, &tp.topic))
            };
            let pick = movable()
                .find(|tp| !kept[from].contains(*tp))
                .or_else(|| movable().next());
            if let Some(tp) = pick {
                return Some((from, to, tp.clone()));
            }
        }
    }
    None
}

/// Step 4 of [`sticky`]: each member keeps what it kept in step 1 and still has; the rest is dealt
/// in sorted order to the least loaded member with room left (its step-3 count).
fn redeal<'a>(load: &mut Load<'a>, kept: &Load<'a>) {
    let mut room: VecMap<&str, usize> = VecMap::new();
    let mut pool = VecSet::new();
    for (&member, set) in load.iter_mut() {
        let (stay, moving): (VecSet<_>, VecSet<_>) = std::mem::take(set)
            .into_iter()
            .partition(|tp| kept[member].contains(tp));
        room.insert(member, moving.len());
        pool.extend(moving);
        *set = stay;
    }
    for tp in pool {
        let member = room
            .iter()
            .filter(|(_, &left)| left > 0)
            .map(|(&m, _)| m)
            .min_by_key(|m| (load[m].len(), *m))
            .expect("room equals the pool size");
        *room.entry(member).or_default() -= 1;
        add(load, member, tp);
    }
}

/// CooperativeStickyAssignor#adjustAssignment (R7.4): a partition assigned to one member while
/// another member still reports owning it is withheld; its owner revokes it after this round and the
/// follow-up rebalance assigns it.
fn withhold_transfers<'a>(
    group: &Group<'a>,
    load: &mut Load<'a>,
) -> VecMap<TopicPartitionName, MemberId> {
    let mut owners: VecMap<&TopicPartitionName, VecSet<&str>> = VecMap::new();
    for (&member, owned) in &group.owned {
        for tp in owned.iter() {
            owners.entry(tp).or_default().insert(member);
        }
    }
    let mut transferring = VecMap::new();
    for (&member, set) in load.iter_mut() {
        set.retain(|tp| {
            let taken_from_other = owners
                .get(tp)
                .is_some_and(|o| o.iter().any(|&m| m != member));
            if taken_from_other {
                transferring.insert(tp.clone(), member.to_string());
            }
            !taken_from_other
        });
    }
    transferring
}

#[cfg(test)]
mod tests {
    use super::*;
    use Strategy::{CooperativeSticky, Range, RoundRobin, Sticky};

    /// `"t0-0 t1-1"` → partitions, as Kafka prints them (sorted, since assignments are).
    fn tps(s: &str) -> Vec<TopicPartitionName> {
        let mut v: Vec<TopicPartitionName> = s
            .split_whitespace()
            .map(|tp| {
                let (t, p) = tp.rsplit_once('-').expect("topic-partition");
                TopicPartitionName::new(t, p.parse().expect("partition number"))
            })
            .collect();
        v.sort();
        v
    }

    fn topics(spec: &[(&str, u32)]) -> VecMap<String, u32> {
        spec.iter().map(|&(t, n)| (t.to_string(), n)).collect()
    }

    /// `(member, "t0 t1", "owned partitions")`.
    fn subs(spec: &[(&str, &str, &str)]) -> Vec<Subscription> {
        spec.iter()
            .map(|&(m, t, owned)| Subscription {
                member: m.to_string(),
                topics: t.split_whitespace().map(str::to_string).collect(),
                owned: tps(owned),
                generation: None,
            })
            .collect()
    }

    struct Row {
        source: &'static str,
        strategy: Strategy,
        topics: &'static [(&'static str, u32)],
        /// `(member, subscribed topics, owned partitions)`.
        members: &'static [(&'static str, &'static str, &'static str)],
        /// `(member, assigned partitions)` for every member.
        expected: &'static [(&'static str, &'static str)],
        /// `(partition, new owner)`.
        transferring: &'static [(&'static str, &'static str)],
    }

    fn check(rows: &[Row]) {
        for row in rows {
            let got = assign(row.strategy, &topics(row.topics), &subs(row.members));
            let expected = Assignment {
                owned: row
                    .expected
                    .iter()
                    .map(|&(m, p)| (m.to_string(), tps(p)))
                    .collect(),
                transferring: row
                    .transferring
                    .iter()
                    .map(|&(tp, m)| (tps(tp).remove(0), m.to_string()))
                    .collect(),
            };
            assert_eq!(got, expected, "{} ({:?})", row.source, row.strategy);
        }
    }

    #[test]
    fn s38_range() {
        check(&[
            Row {
                source: "RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions",
                strategy: Range,
                topics: &[("t1", 3), ("t2", 3)],
                members: &[("C1", "t1 t2", ""), ("C2", "t1 t2", "")],
                expected: &[("C1", "t1-0 t1-1 t2-0 t2-1"), ("C2", "t1-2 t2-2")],
                transferring: &[],
            },
            Row {
                source: "RangeAssignorTest.testMultipleConsumersMixedTopics",
                strategy: Range,
                topics: &[("t1", 3), ("t2", 2)],
                members: &[("C1", "t1", ""), ("C2", "t1 t2", ""), ("C3", "t1", "")],
                expected: &[("C1", "t1-0"), ("C2", "t1-1 t2-0 t2-1"), ("C3", "t1-2")],
                transferring: &[],
            },
            Row {
                // RangeAssignor javadoc: n/c each, the first n % c one more, per topic.
                source: "RangeAssignor javadoc (C0, C1; t0, t1 with 3 partitions)",
                strategy: Range,
                topics: &[("t0", 3), ("t1", 3)],
                members: &[("C0", "t0 t1", ""), ("C1", "t0 t1", "")],
                expected: &[("C0", "t0-0 t0-1 t1-0 t1-1"), ("C1", "t0-2 t1-2")],
                transferring: &[],
            },
            Row {
                // RangeAssignorTest.testOneConsumerNonexistentTopic / testOneConsumerNoTopic.
                source: "RangeAssignorTest.testOneConsumerNonexistentTopic",
                strategy: Range,
                topics: &[],
                members: &[("C", "t", ""), ("D", "", "")],
                expected: &[("C", ""), ("D", "")],
                transferring: &[],
            },
        ]);
    }

    #[test]
    fn s38_round_robin() {
        check(&[
            Row {
                source: "RoundRobinAssignorTest.testTwoDynamicConsumersTwoTopicsSixPartitions",
                strategy: RoundRobin,
                topics: &[("t1", 3), ("t2", 3)],
                members: &[("C1", "t1 t2", ""), ("C2", "t1 t2", "")],
                expected: &[("C1", "t1-0 t1-2 t2-1"), ("C2", "t1-1 t2-0 t2-2")],
                transferring: &[],
            },
            Row {
                source: "RoundRobinAssignorTest.testMultipleConsumersMixedTopics",
                strategy: RoundRobin,
                topics: &[("t1", 3), ("t2", 2)],
                members: &[("C1", "t1", ""), ("C2", "t1 t2", ""), ("C3", "t1", "")],
                expected: &[("C1", "t1-0"), ("C2", "t1-1 t2-0 t2-1"), ("C3", "t1-2")],
                transferring: &[],
            },
            Row {
                source: "RoundRobinAssignor javadoc, unequal subscriptions",
                strategy: RoundRobin,
                topics: &[("t0", 1), ("t1", 2), ("t2", 3)],
                members: &[
                    ("C0", "t0", ""),
                    ("C1", "t0 t1", ""),
                    ("C2", "t0 t1 t2", ""),
                ],
                expected: &[
                    ("C0", "t0-0"),
                    ("C1", "t1-0"),
                    ("C2", "t1-1 t2-0 t2-1 t2-2"),
                ],
                transferring: &[],
            },
            Row {
                source: "StickyAssignor javadoc, unequal subscriptions, C0 removed (round robin)",
                strategy: RoundRobin,
                topics: &[("t0", 1), ("t1", 2), ("t2", 3)],
                members: &[("C1", "t0 t1", "t1-0"), ("C2", "t0 t1 t2", "")],
                expected: &[("C1", "t0-0 t1-1"), ("C2", "t1-0 t2-0 t2-1 t2-2")],
                transferring: &[],
            },
            Row {
                source: "StickyAssignor javadoc Example 1, C1 removed (round robin)",
                strategy: RoundRobin,
                topics: &[("t0", 2), ("t1", 2), ("t2", 2), ("t3", 2)],
                members: &[("C0", "t0 t1 t2 t3", ""), ("C2", "t0 t1 t2 t3", "")],
                expected: &[("C0", "t0-0 t1-0 t2-0 t3-0"), ("C2", "t0-1 t1-1 t2-1 t3-1")],
                transferring: &[],
            },
        ]);
    }

    #[test]
    fn s38_sticky_javadoc() {
        const ALL: &str = "t0 t1 t2 t3";
        check(&[
            Row {
                source: "StickyAssignor javadoc Example 1",
                strategy: Sticky,
                topics: &[("t0", 2), ("t1", 2), ("t2", 2), ("t3", 2)],
                members: &[("C0", ALL, ""), ("C1", ALL, ""), ("C2", ALL, "")],
                expected: &[
                    ("C0", "t0-0 t1-1 t3-0"),
                    ("C1", "t0-1 t2-0 t3-1"),
                    ("C2", "t1-0 t2-1"),
                ],
                transferring: &[],
            },
            Row {
                source: "StickyAssignor javadoc Example 1, C1 removed",
                strategy: Sticky,
                topics: &[("t0", 2), ("t1", 2), ("t2", 2), ("t3", 2)],
                members: &[("C0", ALL, "t0-0 t1-1 t3-0"), ("C2", ALL, "t1-0 t2-1")],
                expected: &[("C0", "t0-0 t1-1 t3-0 t2-0"), ("C2", "t1-0 t2-1 t0-1 t3-1")],
                transferring: &[],
            },
            Row {
                source: "StickyAssignor javadoc Example 2 (unequal subscriptions)",
                strategy: Sticky,
                topics: &[("t0", 1), ("t1", 2), ("t2", 3)],
                members: &[
                    ("C0", "t0", ""),
                    ("C1", "t0 t1", ""),
                    ("C2", "t0 t1 t2", ""),
                ],
                expected: &[
                    ("C0", "t0-0"),
                    ("C1", "t1-0 t1-1"),
                    ("C2", "t2-0 t2-1 t2-2"),
                ],
                transferring: &[],
            },
            Row {
                source: "StickyAssignor javadoc Example 2, C0 removed",
                strategy: Sticky,
                topics: &[("t0", 1), ("t1", 2), ("t2", 3)],
                members: &[
                    ("C1", "t0 t1", "t1-0 t1-1"),
                    ("C2", "t0 t1 t2", "t2-0 t2-1 t2-2"),
                ],
                expected: &[("C1", "t1-0 t1-1 t0-0"), ("C2", "t2-0 t2-1 t2-2")],
                transferring: &[],
            },
        ]);
    }

    #[test]
    fn s38_add_remove_consumer_one_topic() {
        // AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic: 3 partitions, C1 alone; add C2;
        // remove C1. Cooperative withholds p2 in round 2 and assigns it in the follow-up round.
        let t = &[("t", 3)];
        check(&[
            Row {
                source: "C1 alone",
                strategy: Sticky,
                topics: t,
                members: &[("C1", "t", "")],
                expected: &[("C1", "t-0 t-1 t-2")],
                transferring: &[],
            },
            Row {
                source: "C1 alone",
                strategy: CooperativeSticky,
                topics: t,
                members: &[("C1", "t", "")],
                expected: &[("C1", "t-0 t-1 t-2")],
                transferring: &[],
            },
            Row {
                source: "add C2 (eager: p2 moves at once)",
                strategy: Sticky,
                topics: t,
                members: &[("C1", "t", "t-0 t-1 t-2"), ("C2", "t", "")],
                expected: &[("C1", "t-0 t-1"), ("C2", "t-2")],
                transferring: &[],
            },
            Row {
                source: "add C2 (cooperative: p2 revoked by C1, withheld from C2)",
                strategy: CooperativeSticky,
                topics: t,
                members: &[("C1", "t", "t-0 t-1 t-2"), ("C2", "t", "")],
                expected: &[("C1", "t-0 t-1"), ("C2", "")],
                transferring: &[("t-2", "C2")],
            },
            Row {
                source: "follow-up rebalance after C1 revoked p2",
                strategy: CooperativeSticky,
                topics: t,
                members: &[("C1", "t", "t-0 t-1"), ("C2", "t", "")],
                expected: &[("C1", "t-0 t-1"), ("C2", "t-2")],
                transferring: &[],
            },
            Row {
                source: "remove C1",
                strategy: CooperativeSticky,
                topics: t,
                members: &[("C2", "t", "t-2")],
                expected: &[("C2", "t-0 t-1 t-2")],
                transferring: &[],
            },
            Row {
                source: "remove C1",
                strategy: Sticky,
                topics: t,
                members: &[("C2", "t", "t-2")],
                expected: &[("C2", "t-0 t-1 t-2")],
                transferring: &[],
            },
        ]);
    }

    /// Checks a Sticky row, then the same group as CooperativeSticky: the same target, except that
    /// `withheld` partitions are listed as transferring instead of assigned.
    fn both(row: Row, withheld: &[(&str, &str)]) {
        check(std::slice::from_ref(&row));
        let transferring: VecMap<TopicPartitionName, MemberId> = withheld
            .iter()
            .map(|&(tp, m)| (tps(tp).remove(0), m.to_string()))
            .collect();
        let owned = row
            .expected
            .iter()
            .map(|&(m, p)| {
                let p = tps(p)
                    .into_iter()
                    .filter(|tp| !transferring.contains_key(tp));
                (m.to_string(), p.collect())
            })
            .collect();
        let got = assign(CooperativeSticky, &topics(row.topics), &subs(row.members));
        assert_eq!(
            got,
            Assignment {
                owned,
                transferring
            },
            "{} (CooperativeSticky)",
            row.source
        );
    }

    #[test]
    fn abstract_sticky_assignor_test_rows() {
        // More AbstractStickyAssignorTest cases whose expected assignments do not depend on Java
        // HashMap order; run as Sticky and as CooperativeSticky (same target, moves withheld).
        both(
            Row {
                source: "testTwoConsumersTwoTopicsSixPartitions",
                strategy: Sticky,
                topics: &[("t1", 3), ("t2", 3)],
                members: &[("C1", "t1 t2", ""), ("C2", "t1 t2", "")],
                expected: &[("C1", "t1-0 t1-2 t2-1"), ("C2", "t1-1 t2-0 t2-2")],
                transferring: &[],
            },
            &[],
        );
        both(
            Row {
                source: "testMultipleConsumersMixedTopicSubscriptions",
                strategy: Sticky,
                topics: &[("t1", 3), ("t2", 2)],
                members: &[("C1", "t1", ""), ("C2", "t1 t2", ""), ("C3", "t1", "")],
                expected: &[("C1", "t1-0 t1-2"), ("C2", "t2-0 t2-1"), ("C3", "t1-1")],
                transferring: &[],
            },
            &[],
        );
        both(
            Row {
                source: "testOnlyAssignsPartitionsFromSubscribedTopics",
                strategy: Sticky,
                topics: &[("t", 2)],
                members: &[("C", "t", "t-0 t-1 other-0 other-1")],
                expected: &[("C", "t-0 t-1")],
                transferring: &[],
            },
            &[],
        );
        both(
            Row {
                source: "testConsumerOwningMinQuotaExpectedMaxQuota",
                strategy: Sticky,
                topics: &[("t1", 2), ("t2", 3)],
                members: &[("C1", "t1 t2", "t1-0 t2-1"), ("C2", "t1 t2", "t1-1 t2-2")],
                expected: &[("C1", "t1-0 t2-1 t2-0"), ("C2", "t1-1 t2-2")],
                transferring: &[],
            },
            &[],
        );
        both(
            Row {
                source: "testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers",
                strategy: Sticky,
                topics: &[("t1", 2), ("t2", 2)],
                members: &[
                    ("C1", "t1 t2", "t1-0 t2-0"),
                    ("C2", "t1 t2", "t1-1 t2-1"),
                    ("C3", "t1 t2", ""),
                ],
                expected: &[("C1", "t1-0"), ("C2", "t1-1 t2-1"), ("C3", "t2-0")],
                transferring: &[],
            },
            &[("t2-0", "C3")],
        );
        both(
            Row {
                source: "testAllConsumersAreUnderMinQuota",
                strategy: Sticky,
                topics: &[("t1", 2), ("t2", 3)],
                members: &[
                    ("C1", "t1 t2", "t1-0"),
                    ("C2", "t1 t2", "t1-1"),
                    ("C3", "t1 t2", ""),
                ],
                expected: &[("C1", "t1-0 t2-1"), ("C2", "t1-1 t2-2"), ("C3", "t2-0")],
                transferring: &[],
            },
            &[],
        );
        // testAddRemoveTwoConsumersTwoTopics, rounds 1 and 2.
        both(
            Row {
                source: "testAddRemoveTwoConsumersTwoTopics (2 consumers)",
                strategy: Sticky,
                topics: &[("t1", 3), ("t2", 4)],
                members: &[("C1", "t1 t2", ""), ("C2", "t1 t2", "")],
                expected: &[("C1", "t1-0 t1-2 t2-1 t2-3"), ("C2", "t1-1 t2-0 t2-2")],
                transferring: &[],
            },
            &[],
        );
        both(
            Row {
                source: "testAddRemoveTwoConsumersTwoTopics (add C3, C4)",
                strategy: Sticky,
                topics: &[("t1", 3), ("t2", 4)],
                members: &[
                    ("C1", "t1 t2", "t1-0 t1-2 t2-1 t2-3"),
                    ("C2", "t1 t2", "t1-1 t2-0 t2-2"),
                    ("C3", "t1 t2", ""),
                    ("C4", "t1 t2", ""),
                ],
                expected: &[
                    ("C1", "t1-0 t1-2"),
                    ("C2", "t1-1 t2-0"),
                    ("C3", "t2-1 t2-3"),
                    ("C4", "t2-2"),
                ],
                transferring: &[],
            },
            &[("t2-1", "C3"), ("t2-3", "C3"), ("t2-2", "C4")],
        );
        // Round 3 (remove C1, C2): Kafka gets C3 +[t1-0, t2-0], C4 +[t1-1, t1-2] by filling
        // round-robin up to the minimum quota; we deal to the least loaded (which the javadoc's
        // Example 1 requires), so C3 +[t1-1, t2-0], C4 +[t1-0, t1-2]: same counts, same kept.
        let got = assign(
            Sticky,
            &topics(&[("t1", 3), ("t2", 4)]),
            &subs(&[("C3", "t1 t2", "t2-1 t2-3"), ("C4", "t1 t2", "t2-2")]),
        );
        assert_eq!(got.owned["C3"], tps("t2-1 t2-3 t1-1 t2-0"));
        assert_eq!(got.owned["C4"], tps("t2-2 t1-0 t1-2"));
    }

    #[test]
    fn claims_of_an_older_generation_do_not_count() {
        // AbstractStickyAssignorTest#testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration
        // (KIP-341), with the members' names swapped so that the stale claim comes first in id
        // order: C2 (generation 10) keeps what it claims, C1's claim from generation 9 is void.
        let t = topics(&[("t", 3), ("t2", 3)]);
        let mut s = subs(&[
            ("C1", "t t2", "t-0 t-2 t2-1"),
            ("C2", "t t2", "t-0 t-2 t2-1"),
        ]);
        s[0].generation = Some(9);
        s[1].generation = Some(10);
        for strategy in [Sticky, CooperativeSticky] {
            let got = assign(strategy, &t, &s);
            assert_eq!(got.owned["C2"], tps("t-0 t-2 t2-1"), "{strategy:?}");
            assert_eq!(got.owned["C1"], tps("t-1 t2-0 t2-2"), "{strategy:?}");
            assert!(got.transferring.is_empty());
        }
    }

    #[test]
    fn double_claims_and_input_order() {
        // Two members claim t-0 (no generations here): the lower id keeps it, then balance moves
        // A's highest partition to B. Cooperative withholds both: each is still claimed by the
        // other member. Order of subscriptions, topics and owned partitions does not matter.
        let t = topics(&[("t", 2)]);
        let a = subs(&[("B", "t", "t-0"), ("A", "t", "t-1 t-0")]);
        let got = assign(Sticky, &t, &a);
        assert_eq!(got.owned["A"], tps("t-0"));
        assert_eq!(got.owned["B"], tps("t-1"));
        let coop = assign(CooperativeSticky, &t, &a);
        assert_eq!(coop.owned["A"], tps(""));
        assert_eq!(coop.owned["B"], tps(""));
        let moving = |tp: &str, m: &str| (tps(tp).remove(0), m.to_string());
        assert_eq!(
            coop.transferring,
            [moving("t-0", "A"), moving("t-1", "B")].into()
        );
        for s in [Range, RoundRobin, Sticky, CooperativeSticky] {
            let mut b = a.clone();
            b.reverse();
            assert_eq!(assign(s, &t, &b), assign(s, &t, &a), "{s:?}");
        }
    }

    #[test]
    fn strategy_names() {
        #[derive(serde::Deserialize)]
        struct C {
            s: Vec<Strategy>,
        }
        let c: C = serde_json::from_str(
            r#"{"s": ["range", "round-robin", "roundrobin", "sticky", "cooperative-sticky"]}"#,
        )
        .expect("parses");
        assert_eq!(
            c.s,
            [Range, RoundRobin, RoundRobin, Sticky, CooperativeSticky]
        );
        assert_eq!(RoundRobin.kafka_name(), "roundrobin");
        assert_eq!(
            TopicPartitionName::new("my-topic", 3).to_string(),
            "my-topic-3"
        );
        assert_eq!(tps("my-topic-3"), [TopicPartitionName::new("my-topic", 3)]);
    }

    // ---- properties over seeded random groups ----

    /// Tiny SplitMix64 (the simulator's own generator lives in `crate::rng`; this keeps the test self-contained).
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// Random topics (0–7 partitions each), and members subscribed to all of them (`uniform`) or to
    /// a random non-empty subset.
    fn random_group(rng: &mut SplitMix, uniform: bool) -> (VecMap<String, u32>, Vec<Subscription>) {
        let names: Vec<String> = (0..1 + rng.below(4)).map(|i| format!("t{i}")).collect();
        let ppt = names
            .iter()
            .map(|t| (t.clone(), rng.below(8) as u32))
            .collect();
        let subs = (0..1 + rng.below(6))
            .map(|i| Subscription {
                member: format!("c{}", i * 7 % 11),
                topics: random_topics(rng, &names, uniform),
                owned: Vec::new(),
                generation: None,
            })
            .collect();
        (ppt, subs)
    }

    fn random_topics(rng: &mut SplitMix, names: &[String], uniform: bool) -> Vec<String> {
        if uniform {
            return names.to_vec();
        }
        let mask = 1 + rng.below((1 << names.len()) - 1);
        (0..names.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| names[i].clone())
            .collect()
    }

    /// The next generation: some members leave, some join, topics may grow, subscriptions may change;
    /// everyone reports the partitions it owns now (plus, rarely, a stale or foreign claim).
    fn next_round(
        rng: &mut SplitMix,
        ppt: &VecMap<String, u32>,
        subs: &[Subscription],
        prev: &Assignment,
        uniform: bool,
    ) -> (VecMap<String, u32>, Vec<Subscription>) {
        let mut ppt = ppt.clone();
        for n in ppt.values_mut() {
            if rng.chance(20) {
                *n += rng.below(3) as u32;
            }
        }
        let names: Vec<String> = ppt.keys().cloned().collect();
        let mut next = Vec::new();
        for s in subs {
            if !rng.chance(75) {
                continue;
            }
            let mut s = s.clone();
            s.owned = prev.owned[&s.member].clone();
            if !uniform && rng.chance(20) {
                s.topics = random_topics(rng, &names, false);
            }
            if rng.chance(5) {
                s.owned.push(TopicPartitionName::new("gone", 0));
            }
            next.push(s);
        }
        for i in 0..rng.below(3) {
            next.push(Subscription {
                member: format!("n{i}"),
                topics: random_topics(rng, &names, uniform),
                owned: Vec::new(),
                generation: None,
            });
        }
        if next.len() > 1 && rng.chance(5) {
            // A stale claim: someone else's partition.
            if let Some(tp) = next[0].owned.first().cloned() {
                next[1].owned.push(tp);
            }
        }
        if next.is_empty() {
            next.push(subs[0].clone());
        }
        (ppt, next)
    }

    /// What step 1 of [`sticky`] keeps, recomputed independently: valid claims, first claim wins.
    fn valid_claims(
        ppt: &VecMap<String, u32>,
        subs: &[Subscription],
    ) -> VecMap<String, VecSet<TopicPartitionName>> {
        let mut sorted: Vec<&Subscription> = subs.iter().collect();
        sorted.sort_by(|a, b| a.member.cmp(&b.member));
        let mut seen = VecSet::new();
        sorted
            .into_iter()
            .map(|s| {
                let valid = s.owned.iter().filter(|tp| {
                    s.topics.contains(&tp.topic)
                        && ppt.get(&tp.topic).is_some_and(|&n| tp.partition < n)
                        && seen.insert((*tp).clone())
                });
                (s.member.clone(), valid.cloned().collect())
            })
            .collect()
    }

    /// Every partition of a subscribed topic is assigned exactly once (or transferring), only to a
    /// subscriber, and every member appears.
    fn check_valid(ppt: &VecMap<String, u32>, subs: &[Subscription], a: &Assignment, ctx: &str) {
        let topics_of = |m: &str| &subs.iter().find(|s| s.member == m).expect(ctx).topics;
        assert_eq!(a.owned.len(), subs.len(), "{ctx}: every member listed");
        let mut seen = VecSet::new();
        for (m, list) in &a.owned {
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{ctx}: {m}'s list sorted"
            );
            for tp in list {
                assert!(topics_of(m).contains(&tp.topic), "{ctx}: {m} got {tp}");
                assert!(seen.insert(tp.clone()), "{ctx}: {tp} assigned twice");
            }
        }
        for (tp, m) in &a.transferring {
            assert!(topics_of(m).contains(&tp.topic), "{ctx}: {tp} to {m}");
            assert!(seen.insert(tp.clone()), "{ctx}: {tp} also transferring");
        }
        let expected: VecSet<TopicPartitionName> = ppt
            .iter()
            .filter(|(t, _)| subs.iter().any(|s| s.topics.contains(t)))
            .flat_map(|(t, &n)| (0..n).map(move |p| TopicPartitionName::new(t.as_str(), p)))
            .collect();
        assert_eq!(
            seen, expected,
            "{ctx}: all subscribed partitions, nothing else"
        );
    }

    /// The sticky target of an assignment: what each member has, plus what is transferring to it.
    fn target(a: &Assignment) -> VecMap<String, VecSet<TopicPartitionName>> {
        let mut t: VecMap<String, VecSet<TopicPartitionName>> = a
            .owned
            .iter()
            .map(|(m, l)| (m.clone(), l.iter().cloned().collect()))
            .collect();
        for (tp, m) in &a.transferring {
            t.entry(m.clone()).or_default().insert(tp.clone());
        }
        t
    }

    /// Sticky balance (AbstractStickyAssignorTest#verifyValidityAndBalance): no member could take a
    /// partition of a member with two or more partitions more than it.
    fn check_sticky_balance(subs: &[Subscription], a: &Assignment, ctx: &str) {
        let t = target(a);
        for s in subs {
            for (other, theirs) in &t {
                if theirs.len() >= t[&s.member].len() + 2 {
                    assert!(
                        theirs.iter().all(|tp| !s.topics.contains(&tp.topic)),
                        "{ctx}: {} could take from {other}: {t:?}",
                        s.member
                    );
                }
            }
        }
    }

    /// Stickiness: a validly owned partition moves only to a member that ends with at most one
    /// partition more than its old owner. With uniform subscriptions, moreover, a member loses one
    /// only if it gets nothing new, and exactly the minimum number of partitions move.
    fn check_sticky_keeps(
        ppt: &VecMap<String, u32>,
        subs: &[Subscription],
        a: &Assignment,
        uniform: bool,
        ctx: &str,
    ) {
        let t = target(a);
        let owner: VecMap<&TopicPartitionName, &String> = t
            .iter()
            .flat_map(|(m, set)| set.iter().map(move |tp| (tp, m)))
            .collect();
        let claims = valid_claims(ppt, subs);
        let mut lost = 0;
        for (m, kept) in &claims {
            let now = &t[m];
            for tp in kept.difference(now) {
                let to = owner[tp];
                assert!(
                    t[to].len() <= now.len() + 1,
                    "{ctx}: {tp} moved from {m} to the busier {to}: {t:?}"
                );
                lost += 1;
            }
            if uniform && !kept.is_subset(now) {
                assert!(
                    now.is_subset(kept),
                    "{ctx}: {m} lost some but got new ones: {t:?}"
                );
            }
        }
        if uniform {
            let total: usize = t.values().map(VecSet::len).sum();
            let (q, r) = (total / subs.len(), total % subs.len());
            let mut owned: Vec<usize> = claims.values().map(VecSet::len).collect();
            owned.sort_unstable_by(|a, b| b.cmp(a));
            let minimum: usize = owned
                .iter()
                .enumerate()
                .map(|(i, &n)| n.saturating_sub(if i < r { q + 1 } else { q }))
                .sum();
            assert_eq!(lost, minimum, "{ctx}: moved more than balance requires");
        }
    }

    /// Counts differ by at most 1 (Range: per topic).
    fn check_counts(strategy: Strategy, a: &Assignment, ctx: &str) {
        let spread = |counts: Vec<usize>| {
            counts.iter().max().unwrap_or(&0) - counts.iter().min().unwrap_or(&0)
        };
        if strategy == Range {
            let topics: VecSet<&String> = a.owned.values().flatten().map(|tp| &tp.topic).collect();
            for topic in topics {
                let per: Vec<usize> = a
                    .owned
                    .values()
                    .map(|l| l.iter().filter(|tp| &tp.topic == topic).count())
                    .collect();
                assert!(spread(per) <= 1, "{ctx}: range on {topic}: {a:?}");
            }
        } else {
            let counts = target(a).values().map(VecSet::len).collect();
            assert!(spread(counts) <= 1, "{ctx}: {a:?}");
        }
    }

    #[test]
    fn properties_over_random_groups() {
        for seed in 0..400u64 {
            let mut rng = SplitMix(seed);
            let uniform = seed % 2 == 0;
            let (ppt, subs) = random_group(&mut rng, uniform);
            for strategy in [Range, RoundRobin, Sticky, CooperativeSticky] {
                let mut rng = SplitMix(seed ^ 0xA5A5);
                let ctx = format!("seed {seed} {strategy:?} round 1");
                let first = assign(strategy, &ppt, &subs);
                check_valid(&ppt, &subs, &first, &ctx);
                assert!(first.transferring.is_empty(), "{ctx}: nothing owned yet");
                if uniform {
                    check_counts(strategy, &first, &ctx);
                }
                let (ppt2, subs2) = next_round(&mut rng, &ppt, &subs, &first, uniform);
                let ctx = format!("seed {seed} {strategy:?} round 2");
                let second = assign(strategy, &ppt2, &subs2);
                check_valid(&ppt2, &subs2, &second, &ctx);
                // Shuffled input, same output.
                let mut shuffled = subs2.clone();
                shuffled.rotate_left(1 + rng.below(subs2.len() as u64) as usize);
                for s in &mut shuffled {
                    s.topics.reverse();
                    s.owned.reverse();
                }
                assert_eq!(assign(strategy, &ppt2, &shuffled), second, "{ctx}: order");
                let uniform2 = subs2.iter().all(|s| s.topics == subs2[0].topics);
                if uniform2 {
                    check_counts(strategy, &second, &ctx);
                }
                match strategy {
                    Range | RoundRobin => assert!(second.transferring.is_empty()),
                    Sticky => {
                        assert!(second.transferring.is_empty());
                        check_sticky_balance(&subs2, &second, &ctx);
                        check_sticky_keeps(&ppt2, &subs2, &second, uniform2, &ctx);
                    }
                    CooperativeSticky => {
                        // The target is exactly the eager sticky assignment …
                        let eager = assign(Sticky, &ppt2, &subs2);
                        let eager_target: VecMap<_, VecSet<_>> = eager
                            .owned
                            .iter()
                            .map(|(m, l)| (m.clone(), l.iter().cloned().collect()))
                            .collect();
                        assert_eq!(target(&second), eager_target, "{ctx}");
                        // … minus what another member still owns.
                        for (tp, to) in &second.transferring {
                            assert!(
                                subs2
                                    .iter()
                                    .any(|s| &s.member != to && s.owned.contains(tp)),
                                "{ctx}: {tp} withheld from {to} though nobody else owns it"
                            );
                        }
                        for (m, list) in &second.owned {
                            for tp in list {
                                assert!(
                                    !subs2.iter().any(|s| &s.member != m && s.owned.contains(tp)),
                                    "{ctx}: {tp} given to {m} while still owned elsewhere"
                                );
                            }
                        }
                        // Follow-up rebalance: the same members report what they own now; the
                        // withheld partitions are assigned and nothing more moves.
                        let subs3: Vec<Subscription> = subs2
                            .iter()
                            .map(|s| Subscription {
                                owned: second.owned[&s.member].clone(),
                                ..s.clone()
                            })
                            .collect();
                        let third = assign(strategy, &ppt2, &subs3);
                        let ctx = format!("seed {seed} {strategy:?} round 3");
                        check_valid(&ppt2, &subs3, &third, &ctx);
                        if uniform2 {
                            assert!(third.transferring.is_empty(), "{ctx}: {third:?}");
                        }
                        for (m, list) in &second.owned {
                            for tp in list {
                                if !third.transferring.contains_key(tp) {
                                    assert!(third.owned[m].contains(tp), "{ctx}: {m} lost {tp}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
