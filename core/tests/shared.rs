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

#[test]
fn into_inner_moves_a_sole_copy_and_clones_a_shared_one() {
    let a = Shared::new(vec![1, 2]);
    let b = a.clone();
    assert!(Shared::ptr_eq(&a, &b));
    // Shared: the value is cloned and the other copy keeps its own.
    let mut v = a.into_inner();
    v.push(3);
    assert_eq!(v, vec![1, 2, 3]);
    assert_eq!(*b, vec![1, 2]);
    // Sole copy: moved out as it is.
    assert_eq!(b.into_inner(), vec![1, 2]);
}

#[test]
fn ptr_eq_holds_until_a_write() {
    let a = Shared::new(5u8);
    let mut b = a.clone();
    assert!(Shared::ptr_eq(&a, &b));
    *b += 1;
    assert!(!Shared::ptr_eq(&a, &b));
    // Equal values in separate copies are not the same copy.
    assert!(!Shared::ptr_eq(&Shared::new(5u8), &a));
}

#[test]
fn a_value_hashing_to_zero_is_hashed_once() {
    let calls = std::cell::Cell::new(0);
    let zero = |_: &Vec<u8>| {
        calls.set(calls.get() + 1);
        0
    };
    let a = Shared::new(Vec::<u8>::new());
    let first = a.cached_hash(zero);
    assert_eq!(a.cached_hash(zero), first);
    assert_eq!(
        calls.get(),
        1,
        "0 marks an unknown hash; a zero hash must still be kept"
    );
}
