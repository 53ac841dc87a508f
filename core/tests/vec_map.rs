//! `VecMap` and `VecSet` behave as the `BTreeMap` and `BTreeSet` they replaced: the same answers
//! to every operation the core uses, and the same hash, `Debug` text, order and JSON, so state
//! hashes and saved runs do not change.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use highwater_core::rng::Rng;
use highwater_core::vec_map::{VecMap, VecSet};

fn hash_of<T: Hash>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// Everything observable about a map, compared with the B-tree's.
fn assert_same_map(got: &VecMap<u8, u32>, want: &BTreeMap<u8, u32>, context: &str) {
    let got_entries: Vec<_> = got.iter().map(|(k, v)| (*k, *v)).collect();
    let want_entries: Vec<_> = want.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(got_entries, want_entries, "{context}: entries");
    assert_eq!(got.len(), want.len(), "{context}: len");
    assert_eq!(hash_of(got), hash_of(want), "{context}: hash");
    assert_eq!(format!("{got:?}"), format!("{want:?}"), "{context}: Debug");
    assert_eq!(
        serde_json::to_string(got).unwrap(),
        serde_json::to_string(want).unwrap(),
        "{context}: JSON"
    );
}

#[test]
fn a_map_answers_as_a_btree_map_does() {
    let mut rng = Rng::new(11);
    for round in 0..200 {
        let mut got = VecMap::new();
        let mut want = BTreeMap::new();
        for step in 0..60 {
            let k = rng.below(24) as u8;
            let v = rng.next_u64() as u32;
            let context = format!("round {round}, step {step}");
            match rng.below(9) {
                0..=3 => assert_eq!(got.insert(k, v), want.insert(k, v), "{context}: insert"),
                4 => assert_eq!(got.remove(&k), want.remove(&k), "{context}: remove"),
                5 => {
                    *got.entry(k).or_insert(v) += 1;
                    *want.entry(k).or_insert(v) += 1;
                }
                6 => {
                    *got.entry(k).or_default() ^= v;
                    *want.entry(k).or_default() ^= v;
                }
                7 => {
                    got.retain(|key, x| !(u32::from(*key).wrapping_add(*x)).is_multiple_of(3));
                    want.retain(|key, x| !(u32::from(*key).wrapping_add(*x)).is_multiple_of(3));
                }
                _ => {
                    assert_eq!(got.get(&k), want.get(&k), "{context}: get");
                    assert_eq!(
                        got.contains_key(&k),
                        want.contains_key(&k),
                        "{context}: contains"
                    );
                    if let (Some(g), Some(w)) = (got.get_mut(&k), want.get_mut(&k)) {
                        *g += 7;
                        *w += 7;
                    }
                }
            }
            assert_same_map(&got, &want, &context);
        }
        let text = serde_json::to_string(&want).unwrap();
        let read: VecMap<u8, u32> = serde_json::from_str(&text).unwrap();
        assert_eq!(read, got, "round {round}: read back from JSON");
    }
}

#[test]
fn maps_order_and_compare_as_btree_maps_do() {
    let mut rng = Rng::new(5);
    let mut maps = Vec::new();
    for _ in 0..40 {
        let entries: Vec<(u8, u8)> = (0..rng.below(4))
            .map(|_| (rng.below(4) as u8, rng.below(3) as u8))
            .collect();
        let got: VecMap<_, _> = entries.iter().copied().collect();
        let want: BTreeMap<_, _> = entries.iter().copied().collect();
        maps.push((got, want));
    }
    for (a, aw) in &maps {
        for (b, bw) in &maps {
            assert_eq!(a.cmp(b), aw.cmp(bw), "{aw:?} against {bw:?}");
            assert_eq!(a == b, aw == bw, "{aw:?} against {bw:?}");
        }
    }
}

#[test]
fn a_set_answers_as_a_btree_set_does() {
    let mut rng = Rng::new(3);
    for round in 0..200 {
        let mut got = VecSet::new();
        let mut want = BTreeSet::new();
        let other: Vec<u8> = (0..rng.below(10)).map(|_| rng.below(20) as u8).collect();
        let (other_got, other_want): (VecSet<u8>, BTreeSet<u8>) = (
            other.iter().copied().collect(),
            other.iter().copied().collect(),
        );
        for step in 0..40 {
            let t = rng.below(20) as u8;
            let context = format!("round {round}, step {step}");
            match rng.below(6) {
                0..=2 => assert_eq!(got.insert(t), want.insert(t), "{context}: insert"),
                3 => assert_eq!(got.remove(&t), want.remove(&t), "{context}: remove"),
                4 => {
                    got.retain(|x| x % 3 != t % 3);
                    want.retain(|x| x % 3 != t % 3);
                }
                _ => assert_eq!(got.contains(&t), want.contains(&t), "{context}: contains"),
            }
            let g: Vec<_> = got.iter().copied().collect();
            let w: Vec<_> = want.iter().copied().collect();
            assert_eq!(g, w, "{context}: values");
            assert_eq!(hash_of(&got), hash_of(&want), "{context}: hash");
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{context}: Debug");
            assert_eq!(
                got.is_subset(&other_got),
                want.is_subset(&other_want),
                "{context}: subset"
            );
            let g: Vec<_> = got.difference(&other_got).collect();
            let w: Vec<_> = want.difference(&other_want).collect();
            assert_eq!(g, w, "{context}: difference");
            assert_eq!(
                got.cmp(&other_got),
                want.cmp(&other_want),
                "{context}: order"
            );
        }
        let text = serde_json::to_string(&want).unwrap();
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            text,
            "round {round}: JSON"
        );
        let read: VecSet<u8> = serde_json::from_str(&text).unwrap();
        assert_eq!(read, got, "round {round}: read back from JSON");
    }
}

#[test]
fn json_with_a_key_twice_keeps_the_last_value_as_a_btree_map_does() {
    let text = r#"{"2": 1, "1": 5, "2": 9}"#;
    let got: VecMap<u8, u32> = serde_json::from_str(text).unwrap();
    let want: BTreeMap<u8, u32> = serde_json::from_str(text).unwrap();
    assert_same_map(&got, &want, "duplicate key");
    let bad = serde_json::from_str::<VecMap<u8, u32>>("[1]")
        .unwrap_err()
        .to_string();
    let bad_want = serde_json::from_str::<BTreeMap<u8, u32>>("[1]")
        .unwrap_err()
        .to_string();
    assert_eq!(bad, bad_want, "the error a wrong type gives");
}
