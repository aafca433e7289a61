//! Large blocks go back to the system when freed, even after a password hash freed 19 MiB
//! (`api::allocator`). A test binary of its own: glibc's counters are the whole process's.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn large_blocks_stay_mapped_on_their_own_after_a_larger_one_was_freed() {
    assert!(api::allocator::fix_thresholds(), "the threshold is set (no MALLOC_MMAP_THRESHOLD_ here)");
    // What one argon2 hash allocates and frees: glibc's default threshold would rise to it.
    drop(std::hint::black_box(vec![1u8; 19 << 20]));
    let before = mapped_bytes();
    let block = std::hint::black_box(vec![1u8; 2 * api::allocator::MMAP_THRESHOLD]);
    let during = mapped_bytes();
    drop(block);
    let after = mapped_bytes();
    assert!(
        during >= before + 2 * api::allocator::MMAP_THRESHOLD,
        "a block of twice the threshold has a mapping of its own: {before} → {during}"
    );
    assert!(after < during, "and it is returned when freed: {during} → {after}");
}

/// Bytes in blocks glibc mapped on their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn mapped_bytes() -> usize {
    // SAFETY: mallinfo2 only reads glibc's counters.
    unsafe { libc::mallinfo2() }.hblkhd
}
