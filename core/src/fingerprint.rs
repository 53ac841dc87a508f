//! The checker's fingerprints: a fast hash of a cluster's parts for the visited set
//! (`Cluster::fingerprint`), cached per version of each shared part, so a move rehashes only what
//! it changed. Not the platform-independent `Cluster::state_hash`, but just as independent of the
//! platform.

use std::hash::{Hash, Hasher};

use crate::shared::Shared;

/// The checker's fingerprint hasher: a multiply-rotate mix over little-endian 8-byte words (much
/// faster than FNV's byte loop), with `usize` widened to 64 bits so wasm32 and 64-bit targets agree.
#[derive(Default)]
pub(crate) struct FingerprintHasher(u64);

impl FingerprintHasher {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        // A final avalanche so nearby states spread over the visited set.
        let mut x = self.0;
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^ (x >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.mix(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn write_i16(&mut self, i: i16) {
        self.mix(i as u16 as u64);
    }
    fn write_i32(&mut self, i: i32) {
        self.mix(i as u32 as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.mix(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.mix(i as i64 as u64);
    }
}

/// The fingerprint of `value`.
pub(crate) fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FingerprintHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// The fingerprint of a shared part, computed once per version of it.
pub(crate) fn shared<T: Hash>(part: &Shared<T>) -> u64 {
    part.cached_hash(of)
}

/// The fingerprint of a shared part written by `write` (a part whose own shared parts contribute
/// their cached fingerprints), computed once per version of it.
pub(crate) fn shared_with<T>(
    part: &Shared<T>,
    write: impl FnOnce(&T, &mut FingerprintHasher),
) -> u64 {
    part.cached_hash(|v| {
        let mut h = FingerprintHasher::default();
        write(v, &mut h);
        h.finish()
    })
}
