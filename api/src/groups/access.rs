//! Group access rules (being written)
