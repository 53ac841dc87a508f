//! Stable sorts through code shared by every element type, so the page's wasm does not carry the
//! standard library's stable sort once per type (each `sort`, `sort_by_key` instantiates it
//! again, ≈ 4 KB a type). The results are the same as the standard library's. Maps and sets are
//! [`crate::vec_map`]'s, whose `collect()` inserts one item at a time and sorts nothing.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`: the order `v.sort_by(cmp)` gives.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items = &*v;
        sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    permute(v, order);
}

/// Sorts `v` stably: the order `v.sort()` gives.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` stably by `key`: the order `v.sort_by_key(key)` gives.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` stably sorted by `cmp`: the one instance of the standard sort.
#[inline(never)]
fn sorted_indices(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Moves the item at `order[i]` to `i`, for every `i`, one cycle of the permutation at a time.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != usize::MAX {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn sorts_as_the_standard_library_does() {
        let mut rng = Rng::new(7);
        for len in 0..60 {
            let items: Vec<(u64, usize)> = (0..len).map(|i| (rng.below(5), i)).collect();
            let mut want = items.clone();
            want.sort_by_key(|&(k, _)| k);
            let mut got = items.clone();
            sort_by_key(&mut got, |&(k, _)| k);
            assert_eq!(got, want, "stable by key, {len} items");
            let (mut want, mut got) = (items.clone(), items);
            want.sort();
            sort(&mut got);
            assert_eq!(got, want, "by Ord, {len} items");
        }
    }
}
