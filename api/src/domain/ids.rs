//! The ids a source system gives our rows: a record's `sourced_id` in the bulk sync and the CSV
//! import, and a teacher's `external_id` (the same id, set through `/teachers`). Both areas that
//! write them (people, sync) and the OneRoster view that shows them import this module, and it
//! imports neither.

use super::FieldError;

/// Ids the OneRoster view makes up for rows without a source-system id start with this
/// (`jiaoyan-teacher-41`); a source system may not use it, so that the two can never collide.
pub const RESERVED_PREFIX: &str = "jiaoyan-";

/// The longest `sourced_id`, and so the longest `external_id`, in characters.
pub const MAX_SOURCED_ID_CHARS: usize = 64;

fn reserved_message() -> String {
    format!("must not start with {RESERVED_PREFIX} (reserved for ids Jiaoyan makes up)")
}

/// A record's id in the source system: non-empty, without spaces around it or control
/// characters, at most [`MAX_SOURCED_ID_CHARS`], and not in the reserved namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcedId(String);

impl SourcedId {
    /// `raw` as a sourced id, or the first thing wrong with it, named `field`.
    pub fn parse(field: &str, raw: &str) -> Result<SourcedId, FieldError> {
        let problem = if raw.trim().is_empty() {
            "must not be empty".to_string()
        } else if raw.trim() != raw {
            "must not start or end with spaces".to_string()
        } else if raw.chars().count() > MAX_SOURCED_ID_CHARS {
            format!("must be at most {MAX_SOURCED_ID_CHARS} characters")
        } else if raw.chars().any(char::is_control) {
            "must not contain control characters".to_string()
        } else if raw.starts_with(RESERVED_PREFIX) {
            reserved_message()
        } else {
            return Ok(SourcedId(raw.to_string()));
        };
        Err(FieldError::new(field, problem))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A teacher's `external_id` as `/teachers` takes it: trimmed (an empty one means none), at most
/// [`MAX_SOURCED_ID_CHARS`], and not in the reserved namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalId(String);

impl ExternalId {
    /// `raw` trimmed as an external id (`None` when empty), or everything wrong with it, each
    /// named `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Option<ExternalId>, Vec<FieldError>> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let mut errors = Vec::new();
        if trimmed.chars().count() > MAX_SOURCED_ID_CHARS {
            errors.push(FieldError::new(field, format!("must be at most {MAX_SOURCED_ID_CHARS} characters")));
        }
        if trimmed.starts_with(RESERVED_PREFIX) {
            errors.push(FieldError::new(field, reserved_message()));
        }
        if errors.is_empty() {
            Ok(Some(ExternalId(trimmed.to_string())))
        } else {
            Err(errors)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<SourcedId, FieldError>) -> String {
        r.unwrap_err().message
    }

    #[test]
    fn reserved_padded_long_and_control_sourced_ids_are_refused() {
        assert_eq!(SourcedId::parse("sourced_id", "T-0012").unwrap().as_str(), "T-0012");
        assert!(message(SourcedId::parse("sourced_id", "jiaoyan-school-3")).contains("reserved"));
        assert!(SourcedId::parse("sourced_id", " b").is_err());
        assert!(SourcedId::parse("sourced_id", "").is_err());
        assert!(SourcedId::parse("sourced_id", &"x".repeat(65)).is_err());
        assert!(SourcedId::parse("sourced_id", &"长".repeat(64)).is_ok());
        assert!(SourcedId::parse("sourced_id", "a\u{7}b").is_err());
    }

    #[test]
    fn external_ids_are_trimmed_and_every_problem_named() {
        assert_eq!(ExternalId::parse("external_id", "  ").unwrap(), None);
        assert_eq!(ExternalId::parse("external_id", " T-1 ").unwrap().unwrap().as_str(), "T-1");
        let long_and_reserved = format!("jiaoyan-{}", "x".repeat(60));
        assert_eq!(ExternalId::parse("external_id", &long_and_reserved).unwrap_err().len(), 2);
    }
}
