//! How the process takes memory from glibc (docs/PERFORMANCE.md, "Memory").
//!
//! glibc serves a block of at least its *mmap threshold* from a mapping of its own, returned to
//! the system when the block is freed, and smaller ones from its arenas, which keep what is freed
//! for reuse. The threshold starts at 128 KiB and by default rises to the size of the largest
//! mapped block freed so far. One password hash (argon2, 19 MiB) raises it to 19 MiB, and from
//! then on the quota check's large buffers (kept results, scan tables, pages of 400 KB) come from
//! the arenas and stay resident after they are freed, several times over when they were made on
//! different threads. A fixed threshold keeps them mapped on their own: at district scale the
//! peak resident memory of a check on SQLite fell from 188–189 MB to 151–160 MB, at no cost in
//! the check's time. At 1 MiB rather than 256 KiB, a page of a check (about 370 KB, written
//! into a growing buffer) still comes from the arenas: mapped, each page's buffers were faulted
//! in anew, and walking a district's 300 pages on PostgreSQL took 0.56 s instead of 0.42 s.
//!
//! Fixing the threshold also stops glibc from raising its *trim threshold* with it (twice the
//! mmap threshold): an arena whose free top exceeds it gives those pages back at once. Left at
//! its 128 KiB, the arenas of the HTTP workers gave pages back and faulted them in again on every
//! few requests (12,000 `madvise` calls and 375,000 page faults in 6 s of single reads, 8 % fewer
//! requests a second); [`TRIM_THRESHOLD`] keeps what glibc's default would have kept after a
//! login.

/// Blocks of this size and more are mapped on their own and returned to the system when freed.
pub const MMAP_THRESHOLD: usize = 1024 * 1024;

/// An arena gives back its free top only beyond this.
pub const TRIM_THRESHOLD: usize = 32 * 1024 * 1024;

/// Fixes glibc's mmap and trim thresholds at [`MMAP_THRESHOLD`] and [`TRIM_THRESHOLD`], each
/// unless the environment sets it (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`, or
/// `glibc.malloc.mmap_threshold` and `glibc.malloc.trim_threshold` in `GLIBC_TUNABLES`: an
/// operator's choice wins). Answers whether the mmap threshold was set here. Elsewhere than on
/// glibc it does nothing.
pub fn fix_thresholds() -> bool {
    let env = |name: &str| std::env::var(name).ok();
    if !set_by_environment("trim_threshold", env) {
        set(Threshold::Trim, TRIM_THRESHOLD);
    }
    !set_by_environment("mmap_threshold", env) && set(Threshold::Mmap, MMAP_THRESHOLD)
}

enum Threshold {
    Mmap,
    Trim,
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set(which: Threshold, bytes: usize) -> bool {
    let param = match which {
        Threshold::Mmap => libc::M_MMAP_THRESHOLD,
        Threshold::Trim => libc::M_TRIM_THRESHOLD,
    };
    let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets one of glibc's allocation parameters; it may be called at any
    // time, from any thread.
    unsafe { libc::mallopt(param, value) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set(_: Threshold, _: usize) -> bool {
    false
}

/// Whether glibc's `threshold` (`mmap_threshold`, `trim_threshold`) is set by the environment
/// read through `var`.
fn set_by_environment(threshold: &str, var: impl Fn(&str) -> Option<String>) -> bool {
    var(&format!("MALLOC_{}_", threshold.to_uppercase())).is_some()
        || var("GLIBC_TUNABLES").is_some_and(|t| {
            t.split(':')
                .any(|s| s.strip_prefix("glibc.malloc.").is_some_and(|s| s.starts_with(&format!("{threshold}="))))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn an_operators_threshold_wins() {
        assert!(!set_by_environment("mmap_threshold", env(&[])));
        assert!(!set_by_environment("mmap_threshold", env(&[("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")])));
        assert!(set_by_environment("mmap_threshold", env(&[("MALLOC_MMAP_THRESHOLD_", "65536")])));
        assert!(!set_by_environment("trim_threshold", env(&[("MALLOC_MMAP_THRESHOLD_", "65536")])));
        assert!(set_by_environment("trim_threshold", env(&[("MALLOC_TRIM_THRESHOLD_", "65536")])));
        let tunables = [("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=65536")];
        assert!(set_by_environment("mmap_threshold", env(&tunables)));
        assert!(!set_by_environment("trim_threshold", env(&tunables)));
    }
}
