//! Points in hundredths: what a breakdown adds up in, so that its sum is exact.

/// Hundredths of a point.
pub type Cents = i64;

/// `x` points in hundredths, rounded half away from zero.
pub fn cents(x: f64) -> Cents {
    (x * 100.0).round() as Cents
}

/// Hundredths as points (two decimals).
pub fn points(c: Cents) -> f64 {
    c as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_round_and_come_back() {
        assert_eq!(cents(1.005_1), 101);
        assert_eq!(cents(0.125), 13);
        assert_eq!(cents(-0.5), -50);
        assert_eq!(points(1234), 12.34);
        assert_eq!(points(cents(0.1) + cents(0.2)), 0.3);
    }
}
