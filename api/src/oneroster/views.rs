//! The OneRoster 1.2 objects as the rostering binding names them (`sourcedId`, `dateLastModified`,
//! GUIDRefs ...), and the envelopes of collections (`{"orgs": [...]}`) and single objects
//! (`{"org": {...}}`). Our rows become these in `mapping.rs`.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// `active`, or `tobedeleted` for an archived row (archived rows stay in the view, so that a delta
/// pull sees the deletion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RosterStatus {
    Active,
    Tobedeleted,
}

impl RosterStatus {
    pub fn parse(code: &str) -> RosterStatus {
        if code == "active" {
            RosterStatus::Active
        } else {
            RosterStatus::Tobedeleted
        }
    }
}

/// A reference to another OneRoster object.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/jiaoyan-district-1",
    "sourcedId": "jiaoyan-district-1", "type": "org"}))]
pub struct GuidRef {
    /// Where the object is read.
    pub href: String,
    pub sourced_id: String,
    /// `org`, `user` or `academicSession`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// An organisation: the district (县/区, `district`), a zone (片区, `local`) or a school (`school`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"sourcedId": "sch-0421", "status": "active", "dateLastModified": "2026-09-01T08:00:00.000Z",
    "metadata": {"jiaoyan.id": 2}, "name": "大河岸中心小学", "type": "school", "identifier": "4211230421",
    "parent": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/zone-east", "sourcedId": "zone-east", "type": "org"}}))]
pub struct RosterOrg {
    /// The source system's id (`sourced_id`), or `jiaoyan-district-N`, `jiaoyan-zone-N`,
    /// `jiaoyan-school-N` for rows it never named.
    pub sourced_id: String,
    pub status: RosterStatus,
    /// When the row last changed, ISO 8601 UTC with milliseconds.
    #[schema(example = "2026-09-01T08:00:00.000Z")]
    pub date_last_modified: String,
    /// `jiaoyan.id`: the row's id in the Jiaoyan API.
    pub metadata: serde_json::Value,
    pub name: String,
    /// `district`, `local` (a zone) or `school`.
    #[serde(rename = "type")]
    pub org_type: String,
    /// The code of the district or school (empty when none; zones have none).
    pub identifier: String,
    /// A zone's district; a school's zone, or its district when it is in none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<GuidRef>,
    /// The district's zones and zone-less schools; a zone's schools (those the caller sees).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<GuidRef>>,
}

/// One of a user's identifiers in other systems.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"type": "jiaoyan", "identifier": "40"}))]
pub struct RosterUserId {
    #[serde(rename = "type")]
    pub kind: String,
    pub identifier: String,
}

/// A user's role at an org.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"roleType": "primary", "role": "teacher",
    "org": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/sch-0421", "sourcedId": "sch-0421", "type": "org"}}))]
pub struct RosterRole {
    /// Always `primary`: a teacher belongs to one school.
    pub role_type: String,
    /// Always `teacher`.
    pub role: String,
    pub org: GuidRef,
}

/// A user: one of our teachers (accounts are never shown).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"sourcedId": "T-0012", "status": "active", "dateLastModified": "2026-09-01T08:00:00.000Z",
    "metadata": {"jiaoyan.id": 40, "jiaoyan.teacherStatus": "active"},
    "userIds": [{"type": "jiaoyan", "identifier": "40"}], "enabledUser": "true", "givenName": "芳", "familyName": "王",
    "roles": [{"roleType": "primary", "role": "teacher",
        "org": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/sch-0421", "sourcedId": "sch-0421", "type": "org"}}],
    "primaryOrg": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/sch-0421", "sourcedId": "sch-0421", "type": "org"},
    "identifier": "T-0012", "grades": ["03", "04"]}))]
pub struct RosterUser {
    /// The teacher's `external_id`, or `jiaoyan-teacher-N` when it has none.
    pub sourced_id: String,
    pub status: RosterStatus,
    #[schema(example = "2026-09-01T08:00:00.000Z")]
    pub date_last_modified: String,
    /// `jiaoyan.id` (the teacher's id in the Jiaoyan API) and `jiaoyan.teacherStatus`
    /// (`active`, `on_leave`, `transferred`, `retired`).
    pub metadata: serde_json::Value,
    /// The teacher's id in the Jiaoyan API, as `{type: jiaoyan}`.
    pub user_ids: Vec<RosterUserId>,
    /// `"true"` while the teacher is in post (status `active`, 在岗).
    #[schema(example = "true")]
    pub enabled_user: String,
    pub given_name: String,
    pub family_name: String,
    pub roles: Vec<RosterRole>,
    pub primary_org: GuidRef,
    /// The teacher's `external_id`, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The grades taught, as CEDS codes (`01` … `06`).
    pub grades: Vec<String>,
}

/// An academic session: a semester (学期, `term`) or a school year (学年, `schoolYear`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"sourcedId": "term-2026-autumn", "status": "active", "dateLastModified": "2026-09-01T08:00:00.000Z",
    "metadata": {"jiaoyan.id": 1}, "title": "2026年秋季学期", "startDate": "2026-09-01", "endDate": "2027-01-22", "type": "term",
    "parent": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/academicSessions/jiaoyan-year-2026-2027",
        "sourcedId": "jiaoyan-year-2026-2027", "type": "academicSession"},
    "schoolYear": "2027"}))]
pub struct RosterAcademicSession {
    /// A semester's `sourced_id` or `jiaoyan-term-N`; a school year's `jiaoyan-year-YYYY-YYYY`.
    pub sourced_id: String,
    pub status: RosterStatus,
    #[schema(example = "2026-09-01T08:00:00.000Z")]
    pub date_last_modified: String,
    /// A term's `jiaoyan.id` (the semester's id in the Jiaoyan API); absent on school years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Value>,
    pub title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `term` or `schoolYear`.
    #[serde(rename = "type")]
    pub session_type: String,
    /// A term's school year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<GuidRef>,
    /// A school year's terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<GuidRef>>,
    /// The year the school year ends (`2027` for 2026-2027), as the binding defines it.
    #[schema(example = "2027")]
    pub school_year: String,
}

/// A page of orgs (also of schools).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"orgs": [{"sourcedId": "jiaoyan-district-1", "status": "active",
    "dateLastModified": "2026-09-01T08:00:00.000Z", "metadata": {"jiaoyan.id": 1}, "name": "罗田县", "type": "district",
    "identifier": "421123", "children": [{"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/zone-east",
        "sourcedId": "zone-east", "type": "org"}]}]}))]
pub struct OrgSet {
    pub orgs: Vec<RosterOrg>,
}

/// One org (or school).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"org": {"sourcedId": "sch-0421", "status": "active", "dateLastModified": "2026-09-01T08:00:00.000Z",
    "metadata": {"jiaoyan.id": 2}, "name": "大河岸中心小学", "type": "school", "identifier": "4211230421",
    "parent": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/zone-east", "sourcedId": "zone-east", "type": "org"}}}))]
pub struct SingleOrg {
    pub org: RosterOrg,
}

/// A page of users (also of teachers).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"users": [{"sourcedId": "T-0012", "status": "active", "dateLastModified": "2026-09-01T08:00:00.000Z",
    "metadata": {"jiaoyan.id": 40, "jiaoyan.teacherStatus": "active"}, "userIds": [{"type": "jiaoyan", "identifier": "40"}],
    "enabledUser": "true", "givenName": "芳", "familyName": "王",
    "roles": [{"roleType": "primary", "role": "teacher", "org": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/sch-0421", "sourcedId": "sch-0421", "type": "org"}}],
    "primaryOrg": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/sch-0421", "sourcedId": "sch-0421", "type": "org"},
    "identifier": "T-0012", "grades": ["03"]}]}))]
pub struct UserSet {
    pub users: Vec<RosterUser>,
}

/// One user (or teacher).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user": {"sourcedId": "jiaoyan-teacher-41", "status": "tobedeleted", "dateLastModified": "2026-11-02T01:30:00.250Z",
    "metadata": {"jiaoyan.id": 41, "jiaoyan.teacherStatus": "transferred"}, "userIds": [{"type": "jiaoyan", "identifier": "41"}],
    "enabledUser": "false", "givenName": "修", "familyName": "欧阳",
    "roles": [{"roleType": "primary", "role": "teacher", "org": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/jiaoyan-school-2", "sourcedId": "jiaoyan-school-2", "type": "org"}}],
    "primaryOrg": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/orgs/jiaoyan-school-2", "sourcedId": "jiaoyan-school-2", "type": "org"},
    "grades": []}}))]
pub struct SingleUser {
    pub user: RosterUser,
}

/// A page of academic sessions (also of terms).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"academicSessions": [{"sourcedId": "jiaoyan-year-2026-2027", "status": "active",
    "dateLastModified": "2026-09-01T08:00:00.000Z", "title": "2026-2027学年", "startDate": "2026-09-01", "endDate": "2027-07-09",
    "type": "schoolYear", "children": [{"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/academicSessions/term-2026-autumn",
        "sourcedId": "term-2026-autumn", "type": "academicSession"}], "schoolYear": "2027"}]}))]
pub struct AcademicSessionSet {
    #[serde(rename = "academicSessions")]
    pub academic_sessions: Vec<RosterAcademicSession>,
}

/// One academic session (or term).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"academicSession": {"sourcedId": "term-2026-autumn", "status": "active",
    "dateLastModified": "2026-09-01T08:00:00.000Z", "metadata": {"jiaoyan.id": 1}, "title": "2026年秋季学期",
    "startDate": "2026-09-01", "endDate": "2027-01-22", "type": "term",
    "parent": {"href": "https://jiaoyan.example.cn/ims/oneroster/rostering/v1p2/academicSessions/jiaoyan-year-2026-2027",
        "sourcedId": "jiaoyan-year-2026-2027", "type": "academicSession"}, "schoolYear": "2027"}}))]
pub struct SingleAcademicSession {
    #[serde(rename = "academicSession")]
    pub academic_session: RosterAcademicSession,
}

/// `fields=` selects the properties of each object the answer holds, so no property of
/// [`RosterOrg`], [`RosterUser`] or [`RosterAcademicSession`] can be `required` in the document:
/// this removes their `required` lists (applied by [`crate::openapi::spec`]) and says in each
/// description which properties an answer without `fields=` always has.
pub struct FieldSelection;

impl utoipa::Modify for FieldSelection {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else { return };
        for name in ["RosterOrg", "RosterUser", "RosterAcademicSession"] {
            if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) {
                let always = std::mem::take(&mut object.required);
                let note = format!(
                    "\n\nWithout `fields=`, every object has {}; with `fields=`, only the fields it names.",
                    always.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                );
                object.description = Some(object.description.take().unwrap_or_default() + &note);
            }
        }
    }
}
