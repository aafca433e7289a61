//! (placeholder until the evaluation module lands)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Count,
    Ratio,
}
