//! (issue 4: to be written)
