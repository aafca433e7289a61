//! The demo's SplitMix64 ([`api::demo::rng::Rng`]: the same seed gives the same sequence with
//! every version of every dependency), with what the county's generator needs on top.

pub use api::demo::rng::Rng;

/// The generator's draws beyond the demo's.
pub trait RngExt {
    /// An independent stream for one part of the generation, so that changing how much work is
    /// generated (or adding a part) does not reshuffle the roster.
    fn stream(seed: u64, part: u64) -> Rng;
    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64;
    /// An item chosen with the given integer weights.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T;
    /// `x` rounded to a whole number at random (2.3 gives 3 three times in ten).
    fn round(&mut self, x: f64) -> usize;
    /// Shuffles `items` in place (Fisher–Yates).
    fn shuffle<T>(&mut self, items: &mut [T]);
}

impl RngExt for Rng {
    fn stream(seed: u64, part: u64) -> Rng {
        let mut r = Rng::new(seed ^ part.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next_u64();
        r
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|i| i.1).sum();
        let mut x = self.below(total as usize) as u32;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }

    fn round(&mut self, x: f64) -> usize {
        let floor = x.max(0.0).floor();
        floor as usize + usize::from(self.unit() < x - floor)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_repeatable_and_ranges_hold() {
        let (mut a, mut b) = (Rng::stream(7, 3), Rng::stream(7, 3));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs[0], Rng::stream(7, 4).next_u64());
        let mut r = Rng::stream(7, 3);
        for _ in 0..1000 {
            assert!((3..=5).contains(&r.between(3, 5)));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            let n = r.round(2.5);
            assert!(n == 2 || n == 3);
        }
    }
}
