//! The default partitioner for keyed records: murmur2 of the key bytes, made positive, modulo the
//! partition count (Kafka's `Utils.murmur2`, `Utils.toPositive`, BuiltInPartitioner.partitionForKey).
//! Records without a key go round-robin here (Kafka ≥ 2.4 uses a sticky partitioner; simplified).

/// Kafka's 32-bit murmur2 with seed 0x9747b28c.
pub fn murmur2(data: &[u8]) -> i32 {
    let length = data.len();
    let seed: u32 = 0x9747_b28c;
    let m: u32 = 0x5bd1_e995;
    let r = 24;
    let mut h: u32 = seed ^ (length as u32);
    let length4 = length / 4;
    for i in 0..length4 {
        let i4 = i * 4;
        let mut k = u32::from_le_bytes([data[i4], data[i4 + 1], data[i4 + 2], data[i4 + 3]]);
        k = k.wrapping_mul(m);
        k ^= k >> r;
        k = k.wrapping_mul(m);
        h = h.wrapping_mul(m);
        h ^= k;
    }
    let tail = length4 * 4;
    let rem = length % 4;
    if rem == 3 {
        h ^= (data[tail + 2] as u32) << 16;
    }
    if rem >= 2 {
        h ^= (data[tail + 1] as u32) << 8;
    }
    if rem >= 1 {
        h ^= data[tail] as u32;
        h = h.wrapping_mul(m);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(m);
    h ^= h >> 15;
    h as i32
}

/// `Utils.toPositive(murmur2(key)) % numPartitions`.
pub fn partition_for_key(key: &[u8], partitions: u32) -> u32 {
    ((murmur2(key) & 0x7fff_ffff) as u32) % partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafka_utils_test() {
        // Values from Kafka's UtilsTest.testMurmur2 (the Java reference implementation's outputs).
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973932308),
            (b"foobar", -790332482),
            (b"a-little-bit-long-string", -985981536),
            (b"a-little-bit-longer-string", -1486304829),
            (
                b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
            ),
            (b"abc", 479470107),
        ];
        for (input, expected) in cases {
            assert_eq!(
                murmur2(input),
                expected,
                "murmur2({:?})",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn partition_is_in_range_and_stable() {
        for p in 1..10 {
            assert!(partition_for_key(b"key", p) < p);
        }
        assert_eq!(partition_for_key(b"abc", 4), partition_for_key(b"abc", 4));
    }
}
