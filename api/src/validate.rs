//! Small helpers to validate request fields and collect every error before answering 422.

use serde::{Deserialize, Deserializer};

use crate::domain::{DomainError, DomainResult, FieldError};

/// Collects field errors; `finish` turns them into one 422 naming every bad field.
#[derive(Debug, Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Records `message` against `field` unless `ok` holds.
    pub fn ensure(&mut self, ok: bool, field: impl Into<String>, message: impl Into<String>) {
        if !ok {
            self.fail(field, message);
        }
    }

    /// A required text: trimmed, non-empty and at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.fail(field, "must not be empty");
        } else if trimmed.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
        }
        trimmed.to_string()
    }

    /// An optional text: trimmed, and an empty string means none.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
        if trimmed.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
        }
        Some(trimmed.to_string())
    }

    /// The value of a parse ([`crate::domain::names`], [`crate::domain::ids`]), or `None` with
    /// its error recorded.
    pub fn parsed<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.errors.push(e)).ok()
    }

    /// As [`Checks::parsed`], for a parse that names every problem it finds.
    pub fn parsed_all<T>(&mut self, result: Result<T, Vec<FieldError>>) -> Option<T> {
        result.map_err(|e| self.errors.extend(e)).ok()
    }

    /// The errors found, for callers that report them in their own shape (the bulk sync).
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> DomainResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.errors))
        }
    }
}

impl Checks {
    /// `value` once every check passed, else the 422 naming every bad field. `value` comes from
    /// [`Checks::parsed`], so it is `None` only when an error was recorded.
    pub fn finish_with<T>(self, value: Option<T>) -> DomainResult<T> {
        self.finish()?;
        value.ok_or_else(|| DomainError::Internal(anyhow::anyhow!("a check failed without naming a field")))
    }
}

/// For PATCH bodies: tells an absent field (`None`) from an explicit `null` (`Some(None)`).
/// Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Parses a comma-separated query value (`subjects=语文,数学`) into trimmed, non-empty parts.
pub fn comma_list(value: Option<&str>) -> Vec<String> {
    value
        .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        let mut checks = Checks::new();
        assert_eq!(checks.text("name", "  东片 ", 10), "东片");
        assert!(checks.is_empty());
        checks.text("name", "   ", 10);
        checks.text("code", "abcdef", 3);
        let err = checks.finish().unwrap_err().problem();
        let fields: Vec<_> = err.errors.unwrap().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "code"]);
    }

    #[test]
    fn nullable_tells_absent_from_null() {
        #[derive(Deserialize)]
        struct P {
            #[serde(default, deserialize_with = "nullable")]
            zone_id: Option<Option<i64>>,
        }
        assert_eq!(serde_json::from_str::<P>("{}").unwrap().zone_id, None);
        assert_eq!(serde_json::from_str::<P>(r#"{"zone_id":null}"#).unwrap().zone_id, Some(None));
        assert_eq!(serde_json::from_str::<P>(r#"{"zone_id":3}"#).unwrap().zone_id, Some(Some(3)));
    }
}
