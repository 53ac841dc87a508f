//! `Shared<T>`: a copy-on-write value. Cloning shares it; the first write through `DerefMut`
//! copies it if it is shared. It hashes, compares and prints exactly as `T` does, so state hashes
//! are unchanged. It makes a cluster copy (a checkpoint, a queued search state) cheap: only the
//! parts a step changes are copied. It also keeps one cached hash of its value (the checker's
//! fingerprint of that part), shared by every copy and forgotten on the first write.

use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A copy-on-write `T` (see the module's doc).
#[derive(Default)]
pub struct Shared<T>(Arc<Inner<T>>);

#[derive(Default)]
struct Inner<T> {
    value: T,
    /// The cached hash; 0 when unknown.
    hash: AtomicU64,
}

impl<T: Clone> Clone for Inner<T> {
    fn clone(&self) -> Self {
        Inner {
            value: self.value.clone(),
            hash: AtomicU64::new(self.hash.load(Ordering::Relaxed)),
        }
    }
}

impl<T> Shared<T> {
    /// Wraps `value`.
    pub fn new(value: T) -> Self {
        Shared(Arc::new(Inner {
            value,
            hash: AtomicU64::new(0),
        }))
    }

    /// True if both are the very same copy (no write since one was cloned from the other).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }

    /// `hash(value)` (0 taken as 1), computed once per version of the value: the caller must
    /// always pass the same function (it is a pure function of the value).
    pub fn cached_hash(&self, hash: impl FnOnce(&T) -> u64) -> u64 {
        let known = self.0.hash.load(Ordering::Relaxed);
        if known != 0 {
            return known;
        }
        // 0 marks "unknown": a value that hashes to 0 (an empty list) is stored as 1, or it would
        // be hashed again on every call.
        let h = hash(&self.0.value).max(1);
        self.0.hash.store(h, Ordering::Relaxed);
        h
    }
}

impl<T: Clone> Shared<T> {
    /// The value: moved out when this is its only copy, cloned otherwise.
    pub fn into_inner(self) -> T {
        match Arc::try_unwrap(self.0) {
            Ok(inner) => inner.value,
            Err(shared) => shared.value.clone(),
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
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
        let inner = Arc::make_mut(&mut self.0);
        *inner.hash.get_mut() = 0;
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
