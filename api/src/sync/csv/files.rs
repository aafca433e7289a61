//! The five files an import may carry, their columns, and how a lone CSV is recognised by its
//! header.
//!
//! Three are OneRoster 1.2 files with their column names (camelCase); two are ours, whose columns
//! are the fields of [`SyncGroup`](crate::sync::records::SyncGroup) and
//! [`SyncMembership`](crate::sync::records::SyncMembership) (snake_case). Each file lists the
//! columns it requires, the ones it reads, and OneRoster columns it accepts and ignores. Any other
//! column is refused (a misspelt `birthdate` must not be dropped without a word), except
//! OneRoster's extension columns `metadata.*`, which are ignored.

use std::fmt;

/// One file of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CsvFile {
    AcademicSessions,
    Orgs,
    Users,
    Groups,
    Memberships,
}

impl CsvFile {
    pub const ALL: [CsvFile; 5] =
        [CsvFile::AcademicSessions, CsvFile::Orgs, CsvFile::Users, CsvFile::Groups, CsvFile::Memberships];

    pub fn name(self) -> &'static str {
        match self {
            CsvFile::AcademicSessions => "academicSessions.csv",
            CsvFile::Orgs => "orgs.csv",
            CsvFile::Users => "users.csv",
            CsvFile::Groups => "groups.csv",
            CsvFile::Memberships => "memberships.csv",
        }
    }

    /// The file of this name, ignoring ASCII case (`Users.csv` is `users.csv`).
    pub fn from_name(name: &str) -> Option<CsvFile> {
        CsvFile::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Columns that must be in the header.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            CsvFile::AcademicSessions => &["sourcedId", "title", "type", "startDate", "endDate", "schoolYear"],
            CsvFile::Orgs => &["sourcedId", "name", "type"],
            CsvFile::Users => &["sourcedId", "role", "givenName", "familyName", "orgSourcedIds"],
            CsvFile::Groups => &["sourced_id", "kind", "name"],
            CsvFile::Memberships => &["sourced_id", "group_sourced_id", "teacher_sourced_id"],
        }
    }

    /// Optional columns that are read.
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            CsvFile::AcademicSessions => &["status", "holidays"],
            CsvFile::Orgs => &["status", "identifier", "parentSourcedId", "tier", "address", "leadSchoolSourcedId"],
            CsvFile::Users => &[
                "status",
                "primaryOrgSourcedId",
                "grades",
                "name",
                "gender",
                "birthDate",
                "teachingStartYear",
                "degree",
                "employmentType",
                "professionalTitle",
                "teacherStatus",
                "subjects",
                "posts",
                "honours",
            ],
            CsvFile::Groups => &[
                "status",
                "school_sourced_id",
                "subject",
                "grade_band",
                "parent_sourced_id",
                "leader_sourced_id",
                "description",
            ],
            CsvFile::Memberships => &["status", "role", "since", "until"],
        }
    }

    /// OneRoster columns accepted and not read.
    pub fn ignored(self) -> &'static [&'static str] {
        match self {
            CsvFile::AcademicSessions => &["dateLastModified", "parentSourcedId"],
            CsvFile::Orgs => &["dateLastModified"],
            CsvFile::Users => &[
                "dateLastModified",
                "enabledUser",
                "username",
                "userIds",
                "middleName",
                "identifier",
                "email",
                "sms",
                "phone",
                "agentSourcedIds",
                "password",
                "userMasterIdentifier",
                "resourceSourcedIds",
                "preferredGivenName",
                "preferredMiddleName",
                "preferredFamilyName",
                "pronouns",
            ],
            CsvFile::Groups | CsvFile::Memberships => &[],
        }
    }

    /// Whether the file has a column of this name (read or ignored).
    pub fn accepts(self, column: &str) -> bool {
        column.starts_with("metadata.")
            || self.required().contains(&column)
            || self.optional().contains(&column)
            || self.ignored().contains(&column)
    }

    /// Which file a header belongs to, by the columns only that file requires; `None` when no
    /// file, or more than one, fits.
    pub fn detect(header: &[String]) -> Option<CsvFile> {
        let has = |c: &str| header.iter().any(|h| h == c);
        let fits: Vec<CsvFile> = CsvFile::ALL.into_iter().filter(|f| f.required().iter().all(|c| has(c))).collect();
        match fits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

impl fmt::Display for CsvFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of the files, for messages: `orgs.csv, users.csv ...`.
pub fn file_names() -> String {
    CsvFile::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(columns: &[&str]) -> Vec<String> {
        columns.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_file_is_recognised_by_its_required_columns() {
        for file in CsvFile::ALL {
            let mut columns = file.required().to_vec();
            columns.push("status");
            assert_eq!(CsvFile::detect(&header(&columns)), Some(file), "{file}");
        }
        assert_eq!(CsvFile::detect(&header(&["sourcedId", "name"])), None);
        assert_eq!(CsvFile::detect(&header(&["a", "b"])), None);
    }

    #[test]
    fn names_match_ignoring_case_and_columns_are_checked() {
        assert_eq!(CsvFile::from_name("USERS.csv"), Some(CsvFile::Users));
        assert_eq!(CsvFile::from_name("classes.csv"), None);
        assert!(CsvFile::Users.accepts("birthDate") && CsvFile::Users.accepts("email"));
        assert!(CsvFile::Users.accepts("metadata.anything"));
        assert!(!CsvFile::Users.accepts("birthdate"));
        assert!(!CsvFile::Groups.accepts("sourcedId"));
    }
}
