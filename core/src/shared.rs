//! `Shared<T>`: a copy-on-write value. Cloning shares it; the first write through `DerefMut`
//! copies it if it is shared. It hashes, compares and prints exactly as `T` does, so state hashes
//! are unchanged. It makes a cluster copy (a checkpoint, a queued search state) cheap: only the
//! parts a step changes are copied. It also keeps one cached hash of its value (the checker's
//! fingerprint of that part), shared by every copy and forgotten on the first write.
//!
//! Reference counts are `Rc`'s, not `Arc`'s: a cluster lives on one thread (the CLI's, the
//! page's, a Web Worker's), and the checker clones and drops its parts on every move, where
//! atomic counts cost about 8 % of the search's time (BENCHMARKS.md, session 16).

use std::cell::Cell;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

/// A copy-on-write `T` (see the module's doc).
#[derive(Default)]
pub struct Shared<T>(Rc<Inner<T>>);

#[derive(Default)]
struct Inner<T> {
    value: T,
    /// The cached hash; 0 when unknown.
    hash: Cell<u64>,
}

impl<T: Clone> Clone for Inner<T> {
    fn clone(&self) -> Self {
        Inner {
            value: self.value.clone(),
            hash: Cell::new(self.hash.get()),
        }
    }
}

impl<T> Shared<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Shared(Rc::new(Inner {
            value,
            hash: Cell::new(0),
        }))
    }

    /// True if both are the very same copy (no write since one was cloned from the other).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// `hash(value)` (0 taken as 1), computed once per version of the value: the caller must
    /// always pass the same function (it is a pure function of the value).
    pub fn cached_hash(&self, hash: impl FnOnce(&T) -> u64) -> u64 {
        let known = self.0.hash.get();
        if known != 0 {
            return known;
        }
        // 0 marks "unknown": a value that hashes to 0 (an empty list) is stored as 1, or it would
        // be hashed again on every call.
        let h = hash(&self.0.value).max(1);
        self.0.hash.set(h);
        h
    }
}

impl<T: Clone> Shared<T> {
    /// The value: moved out when this is its only copy, cloned otherwise.
    pub fn into_inner(self) -> T {
        match Rc::try_unwrap(self.0) {
            Ok(inner) => inner.value,
            Err(shared) => shared.value.clone(),
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        let inner = Rc::make_mut(&mut self.0);
        inner.hash.set(0);
        &mut inner.value
    }
}

impl<T: Hash> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Shared<T> {}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}
