//! Ranking: higher scores first; equal scores share a rank and the next rank skips ("1, 1, 3").

use crate::points::Cents;

/// The rank of each score, in the order given: 1 + how many scores are strictly higher.
pub fn ranks(scores: &[Cents]) -> Vec<u32> {
    let mut sorted: Vec<Cents> = scores.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    scores.iter().map(|s| sorted.partition_point(|x| x > s) as u32 + 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_scores_share_a_rank_and_the_next_skips() {
        assert_eq!(ranks(&[9000, 9500, 9500, 8000, 9000]), vec![3, 1, 1, 5, 3]);
        assert_eq!(ranks(&[]), Vec::<u32>::new());
        assert_eq!(ranks(&[0, 0, 0]), vec![1, 1, 1]);
    }
}
