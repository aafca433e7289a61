//! Names as the API stores them: trimmed, non-empty and bounded. A value of these types exists
//! only once those hold, so code past the checks needs no `expect`.

use super::FieldError;

/// The longest name of a person (a teacher, a user's display name).
pub const MAX_PERSON_NAME_CHARS: usize = 100;

/// A required text: `raw` trimmed, non-empty and at most `max` characters; the error is named
/// `field` (the messages of [`crate::validate::Checks::text`]).
pub fn bounded_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        Err(FieldError::new(field, "must not be empty"))
    } else if trimmed.chars().count() > max {
        Err(FieldError::new(field, format!("must be at most {max} characters")))
    } else {
        Ok(trimmed.to_string())
    }
}

/// The name of something the district keeps (a zone, a school, a group): see [`bounded_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Name, FieldError> {
        bounded_text(field, raw, max).map(Name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A person's name: at most [`MAX_PERSON_NAME_CHARS`] characters, see [`bounded_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &str, raw: &str) -> Result<PersonName, FieldError> {
        bounded_text(field, raw, MAX_PERSON_NAME_CHARS).map(PersonName)
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

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("name", "  王芳 ").unwrap().as_str(), "王芳");
        assert_eq!(PersonName::parse("name", " ").unwrap_err().message, "must not be empty");
        assert_eq!(PersonName::parse("name", &"王".repeat(101)).unwrap_err().message, "must be at most 100 characters");
        assert_eq!(Name::parse("name", "东片", 2).unwrap().into_string(), "东片");
        assert!(Name::parse("name", "东片区", 2).is_err());
    }
}
