//! Reading one row's values as the types of the sync records, each failure recorded against
//! `file:line:column`.
//!
//! Value conventions (chosen for files written by hand or by Excel on Chinese Windows):
//! - blank is absent; `status` is `active` (or blank) or `tobedeleted`;
//! - dates are `YYYY-MM-DD`, or `YYYY/M/D` as Excel writes them under a Chinese locale;
//! - codes are the API's codes (`female`, `bachelor` ...); gender also takes 男/女;
//! - lists are separated by `;` or `,` (also `；`, `，` and `、`, as Chinese is typed).

use chrono::NaiveDate;
use sea_orm::Iterable;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::table::{field, Row, Table};
use crate::error::FieldError;
use crate::sync::records::RecordStatus;

/// One row of a table, and the error list its problems go to.
pub struct Cells<'a> {
    pub table: &'a Table,
    pub row: &'a Row,
    pub errors: &'a mut Vec<FieldError>,
}

impl Cells<'_> {
    pub fn line(&self) -> u64 {
        self.row.line
    }

    /// `file:line:column`.
    pub fn at(&self, column: &str) -> String {
        field(self.table.file, Some(self.row.line), Some(column))
    }

    pub fn fail(&mut self, column: &str, message: impl Into<String>) {
        let at = self.at(column);
        self.errors.push(FieldError::new(at, message));
    }

    pub fn text(&self, column: &str) -> Option<String> {
        self.table.get(self.row, column).map(str::to_string)
    }

    /// A value that must be there (unless `optional`).
    pub fn required(&mut self, column: &str, optional: bool) -> Option<String> {
        let value = self.text(column);
        if value.is_none() && !optional {
            self.fail(column, "is required");
        }
        value
    }

    pub fn status(&mut self) -> RecordStatus {
        match self.text("status").as_deref() {
            None => RecordStatus::Active,
            Some(s) if s.eq_ignore_ascii_case("active") => RecordStatus::Active,
            Some(s) if s.eq_ignore_ascii_case("tobedeleted") => RecordStatus::Tobedeleted,
            Some(_) => {
                self.fail("status", "must be active or tobedeleted");
                RecordStatus::Active
            }
        }
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let value = self.text(column)?;
        let parsed = parse_date(&value);
        if parsed.is_none() {
            self.fail(column, format!("{value:?} is not a date (YYYY-MM-DD)"));
        }
        parsed
    }

    pub fn int(&mut self, column: &str) -> Option<i32> {
        let value = self.text(column)?;
        let parsed = value.parse().ok();
        if parsed.is_none() {
            self.fail(column, format!("{value:?} is not a whole number"));
        }
        parsed
    }

    /// One of the codes of `T`.
    pub fn code<T: DeserializeOwned + Serialize + Iterable>(&mut self, column: &str) -> Option<T> {
        let value = self.text(column)?;
        self.code_of(column, &value)
    }

    pub fn code_of<T: DeserializeOwned + Serialize + Iterable>(&mut self, column: &str, value: &str) -> Option<T> {
        let parsed = parse_code(value);
        if parsed.is_none() {
            self.fail(column, format!("{value:?} is not one of {}", codes::<T>()));
        }
        parsed
    }

    pub fn list(&self, column: &str) -> Vec<String> {
        self.text(column).map(|v| split_list(&v)).unwrap_or_default()
    }
}

pub fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(value, "%Y/%m/%d")).ok()
}

pub fn parse_code<T: DeserializeOwned>(value: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<ValueError>::new(value)).ok()
}

/// `a, b, c`: every code of `T`, for messages.
pub fn codes<T: Serialize + Iterable>() -> String {
    T::iter()
        .filter_map(|v| serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn split_list(value: &str) -> Vec<String> {
    value.split([';', ',', '；', '，', '、']).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::{Degree, Gender};

    #[test]
    fn dates_lists_and_codes() {
        assert_eq!(parse_date("1990-05-01"), NaiveDate::from_ymd_opt(1990, 5, 1));
        assert_eq!(parse_date("1990/5/1"), NaiveDate::from_ymd_opt(1990, 5, 1));
        assert_eq!(parse_date("1990-13-01"), None);
        assert_eq!(parse_date("5/1/1990"), None);
        assert_eq!(split_list("语文、数学；英语, ;科学"), vec!["语文", "数学", "英语", "科学"]);
        assert_eq!(parse_code::<Gender>("female"), Some(Gender::Female));
        assert_eq!(parse_code::<Gender>("Female"), None);
        assert_eq!(codes::<Degree>(), "secondary, associate, bachelor, master, doctorate");
    }
}
