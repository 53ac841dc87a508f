//! `Shared<T>` behaves like a plain `T`: copies are independent, and the cached hash follows
//! writes.

use highwater_core::shared::Shared;

#[test]
fn a_write_to_a_copy_leaves_the_original_alone() {
    let a = Shared::new(vec![1, 2, 3]);
    let mut b = a.clone();
    b.push(4);
    assert_eq!(*a, vec![1, 2, 3]);
    assert_eq!(*b, vec![1, 2, 3, 4]);
    assert_ne!(a, b);
}

#[test]
fn the_cached_hash_is_forgotten_on_write() {
    let len = |v: &Vec<u64>| v.len() as u64 + 100;
    let mut a = Shared::new(vec![1u64]);
    let b = a.clone();
    assert_eq!(a.cached_hash(len), 101);
    // The copy shares the cache until one of them is written.
    assert_eq!(b.cached_hash(|_| unreachable!()), 101);
    a.push(2);
    assert_eq!(a.cached_hash(len), 102);
    assert_eq!(b.cached_hash(len), 101);
    // A write to an unshared value forgets its cache too.
    a.push(3);
    assert_eq!(a.cached_hash(len), 103);
}

#[test]
fn it_hashes_as_its_value() {
    use std::hash::{BuildHasher, BuildHasherDefault};
    type H = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;
    let v = vec![7u8, 8, 9];
    assert_eq!(
        H::default().hash_one(&v),
        H::default().hash_one(Shared::new(v.clone()))
    );
}
