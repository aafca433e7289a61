//! Our rows (from the views in `queries.rs`) as OneRoster objects: GUIDRefs with their `href`,
//! timestamps as the binding writes them, names split, grades as CEDS codes. Pure functions.

use chrono::{DateTime, Utc};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::json;

use super::names::split_name;
use super::queries::{OrgRow, SessionRow, UserRow};
use super::views::{GuidRef, RosterAcademicSession, RosterOrg, RosterRole, RosterStatus, RosterUser, RosterUserId};

/// Where the view is served, under the API's origin.
pub const BASE_PATH: &str = "/ims/oneroster/rostering/v1p2";

/// Builds the `href`s of GUIDRefs: absolute URLs on the origin the client called.
#[derive(Debug, Clone)]
pub struct Hrefs {
    base: String,
}

impl Hrefs {
    /// `origin` is `scheme://host[:port]`.
    pub fn new(origin: &str) -> Hrefs {
        Hrefs { base: format!("{}{BASE_PATH}", origin.trim_end_matches('/')) }
    }

    fn reference(&self, collection: &str, kind: &str, sourced_id: &str) -> GuidRef {
        GuidRef {
            href: format!("{}/{collection}/{}", self.base, encode_segment(sourced_id)),
            sourced_id: sourced_id.to_string(),
            kind: kind.to_string(),
        }
    }

    pub fn org(&self, sourced_id: &str) -> GuidRef {
        self.reference("orgs", "org", sourced_id)
    }

    pub fn session(&self, sourced_id: &str) -> GuidRef {
        self.reference("academicSessions", "academicSession", sourced_id)
    }
}

/// What a path segment escapes: everything but RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a path segment (everything but RFC 3986 unreserved characters).
pub fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// Decodes the `%XX` escapes actix leaves in a matched path segment (`%2F`, `%25`, `%2B`: it
/// decodes the others, and never `%25`, so nothing is decoded twice); a `%` not followed by two
/// hex digits stays as it is, and invalid UTF-8 becomes U+FFFD, which no sourcedId contains.
pub fn decode_segment(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// ISO 8601 UTC with milliseconds, as the binding's examples write it: `2026-09-01T08:00:00.000Z`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// An org; `children` for the district and zones (`None` for schools, which have none).
pub fn org(row: OrgRow, children: Option<Vec<GuidRef>>, hrefs: &Hrefs) -> RosterOrg {
    RosterOrg {
        parent: row.parent_sourced_id.as_deref().map(|p| hrefs.org(p)),
        sourced_id: row.sourced_id,
        status: RosterStatus::parse(&row.status),
        date_last_modified: timestamp(row.date_last_modified),
        metadata: json!({"jiaoyan.id": row.row_id}),
        name: row.name,
        org_type: row.org_type,
        identifier: row.identifier,
        children,
    }
}

/// A teacher as a user with the role `teacher` at their school.
pub fn user(row: UserRow, grades: &[i32], hrefs: &Hrefs) -> RosterUser {
    let (family_name, given_name) = split_name(&row.name);
    let school = hrefs.org(&row.org_sourced_id);
    RosterUser {
        sourced_id: row.sourced_id,
        status: RosterStatus::parse(&row.status),
        date_last_modified: timestamp(row.date_last_modified),
        metadata: json!({"jiaoyan.id": row.row_id, "jiaoyan.teacherStatus": row.teacher_status}),
        user_ids: vec![RosterUserId { kind: "jiaoyan".into(), identifier: row.row_id.to_string() }],
        enabled_user: row.enabled_user,
        given_name,
        family_name,
        roles: vec![RosterRole { role_type: "primary".into(), role: "teacher".into(), org: school.clone() }],
        primary_org: school,
        identifier: Some(row.identifier).filter(|i| !i.is_empty()),
        grades: grades.iter().map(|g| format!("{g:02}")).collect(),
    }
}

/// A semester (`term`) or school year (`schoolYear`, with its terms as `children`).
pub fn session(row: SessionRow, children: Option<Vec<GuidRef>>, hrefs: &Hrefs) -> RosterAcademicSession {
    let is_term = row.session_type == "term";
    RosterAcademicSession {
        parent: row.parent_sourced_id.as_deref().map(|p| hrefs.session(p)),
        sourced_id: row.sourced_id,
        status: RosterStatus::parse(&row.status),
        date_last_modified: timestamp(row.date_last_modified),
        metadata: is_term.then(|| json!({"jiaoyan.id": row.row_id})),
        title: row.title,
        start_date: row.start_date,
        end_date: row.end_date,
        session_type: row.session_type,
        children: if is_term { None } else { children.or(Some(Vec::new())) },
        school_year: row.school_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_have_milliseconds_and_z() {
        let at = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + chrono::Duration::microseconds(123_456);
        assert_eq!(timestamp(at), "2026-09-01T08:00:00.123Z");
        assert_eq!(timestamp(Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap()), "2026-09-01T08:00:00.000Z");
    }

    #[test]
    fn hrefs_encode_the_sourced_id() {
        let hrefs = Hrefs::new("http://127.0.0.1:8080/");
        let r = hrefs.org("sch 04/21");
        assert_eq!(r.href, "http://127.0.0.1:8080/ims/oneroster/rostering/v1p2/orgs/sch%2004%2F21");
        assert_eq!((r.sourced_id.as_str(), r.kind.as_str()), ("sch 04/21", "org"));
        assert_eq!(hrefs.session("t-1").kind, "academicSession");
        assert_eq!(encode_segment("王"), "%E7%8E%8B");
        assert_eq!(decode_segment("sch 甲%2F01%25%2b%"), "sch 甲/01%+%");
        assert_eq!(decode_segment(&encode_segment("a/b%c 王")), "a/b%c 王");
    }

    #[test]
    fn a_teacher_is_a_user_with_a_primary_teacher_role_at_its_school() {
        let row = UserRow {
            row_id: 41,
            sourced_id: "jiaoyan-teacher-41".into(),
            status: "tobedeleted".into(),
            date_last_modified: Utc.with_ymd_and_hms(2026, 11, 2, 1, 30, 0).unwrap(),
            name: "欧阳修".into(),
            identifier: String::new(),
            enabled_user: "false".into(),
            teacher_status: "transferred".into(),
            org_sourced_id: "jiaoyan-school-2".into(),
        };
        let user = user(row, &[3, 4], &Hrefs::new("https://x"));
        assert_eq!((user.family_name.as_str(), user.given_name.as_str()), ("欧阳", "修"));
        assert_eq!(user.status, RosterStatus::Tobedeleted);
        assert_eq!(user.identifier, None);
        assert_eq!(user.grades, vec!["03", "04"]);
        assert_eq!(user.roles[0].org, user.primary_org);
        assert_eq!(user.primary_org.href, "https://x/ims/oneroster/rostering/v1p2/orgs/jiaoyan-school-2");
        assert_eq!(user.metadata["jiaoyan.teacherStatus"], "transferred");
    }
}
