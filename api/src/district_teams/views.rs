//! Wire types: what the API reads and shows.

use super::rules::{Rule, Tally};
use chrono::{DateTime, NaiveDate, Utc};
use entities::team_removal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A district's attendance rule for its district teams (中心组); the defaults (seed 001) until the
/// district sets its own.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"district_id": 1, "absence_share_numerator": 1, "absence_share_denominator": 3,
    "leave_counts_as_absence": true, "automatic_at_semester_end": false, "is_default": true, "updated_at": null}))]
pub struct TeamAttendanceRuleView {
    pub district_id: i64,
    /// A member is over the rule when their absences exceed numerator / denominator of the team's
    /// held sessions (strictly: exactly a third is not over 1/3).
    pub absence_share_numerator: i32,
    pub absence_share_denominator: i32,
    /// Whether sessions on leave (请假) count as absences.
    pub leave_counts_as_absence: bool,
    /// Whether members over the rule are removed without a confirmation once the semester has
    /// ended (applied when the district's report is next read, or by `POST /api/v1/team-removals/settle`).
    pub automatic_at_semester_end: bool,
    /// True while the district has not set its own rule.
    pub is_default: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

impl TeamAttendanceRuleView {
    pub fn new(district_id: i64, rule: Rule, updated_at: Option<DateTime<Utc>>) -> Self {
        TeamAttendanceRuleView {
            district_id,
            absence_share_numerator: rule.numerator,
            absence_share_denominator: rule.denominator,
            leave_counts_as_absence: rule.leave_counts_as_absence,
            automatic_at_semester_end: rule.automatic_at_semester_end,
            is_default: updated_at.is_none(),
            updated_at,
        }
    }
}

/// A district's rule, set as a whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"absence_share_numerator": 1, "absence_share_denominator": 3,
    "leave_counts_as_absence": true, "automatic_at_semester_end": true}))]
pub struct TeamAttendancePolicyBody {
    /// At least 0 and below the denominator.
    pub absence_share_numerator: i32,
    /// 1–100.
    pub absence_share_denominator: i32,
    /// Default true (seed 001 counts every missed session).
    pub leave_counts_as_absence: Option<bool>,
    /// Default false: the district confirms each removal.
    pub automatic_at_semester_end: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeamAttendanceParams {
    /// The semester whose held sessions count.
    pub semester_id: i64,
    /// Only this district team.
    pub group_id: Option<i64>,
    /// List every member with their numbers, not only those over the rule. Default false.
    pub all_members: Option<bool>,
}

/// A member's numbers over the semester.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"membership_id": 31, "teacher_id": 12, "teacher_name": "李明", "school_id": 3,
    "held": 4, "attended": 2, "absent": 1, "on_leave": 1, "counted_absences": 2, "share": 0.5, "over": true}))]
pub struct MemberStandingView {
    pub membership_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_id: i64,
    /// The team's held sessions in the semester while the teacher was a member.
    pub held: i64,
    /// Present or late.
    pub attended: i64,
    /// Marked absent, never recorded, or not on the attendance list.
    pub absent: i64,
    pub on_leave: i64,
    /// The absences the rule counts (with leave when it counts).
    pub counted_absences: i64,
    /// `counted_absences / held`, 4 decimals; `null` before any session was held.
    pub share: Option<f64>,
    /// Strictly over the rule's share.
    pub over: bool,
}

impl MemberStandingView {
    pub fn new(membership_id: i64, teacher: (i64, String, i64), tally: Tally, rule: &Rule) -> Self {
        MemberStandingView {
            membership_id,
            teacher_id: teacher.0,
            teacher_name: teacher.1,
            school_id: teacher.2,
            held: tally.held,
            attended: tally.attended,
            absent: tally.absent(),
            on_leave: tally.on_leave,
            counted_absences: tally.counted(rule),
            share: tally.share(rule),
            over: tally.exceeds(rule),
        }
    }
}

/// One district team over the semester.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamStandingView {
    pub group_id: i64,
    pub name: String,
    /// Sessions the team held (or filed) in the semester.
    pub held: i64,
    /// Its current members over the rule (every member with `all_members=true`); school staff see
    /// only their own school's members.
    pub members: Vec<MemberStandingView>,
}

/// The district teams' attendance over a semester, against the district's rule.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"semester_id": 2, "semester_end": "2027-01-22",
    "rule": {"district_id": 1, "absence_share_numerator": 1, "absence_share_denominator": 3,
             "leave_counts_as_absence": true, "automatic_at_semester_end": false, "is_default": true, "updated_at": null},
    "automatically_removed": 0,
    "teams": [{"group_id": 9, "name": "小学语文中心组", "held": 4, "members": [
        {"membership_id": 31, "teacher_id": 12, "teacher_name": "李明", "school_id": 3,
         "held": 4, "attended": 2, "absent": 1, "on_leave": 1, "counted_absences": 2, "share": 0.5, "over": true}]}]}))]
pub struct TeamAttendanceView {
    pub semester_id: i64,
    pub semester_end: NaiveDate,
    pub rule: TeamAttendanceRuleView,
    /// Members removed by the automatic rule while answering this request (the semester had
    /// ended and the district's rule is automatic); they are no longer listed as members.
    pub automatically_removed: u64,
    pub teams: Vec<TeamStandingView>,
}

/// The district confirms a member's removal for the semester's absences.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"membership_id": 31, "semester_id": 2, "note": "经中心组核实，按制度退出"}))]
pub struct NewTeamRemoval {
    /// A live membership of a district team, over the rule in the semester.
    pub membership_id: i64,
    pub semester_id: i64,
    /// Up to 2000 characters.
    pub note: Option<String>,
}

/// Apply the rule to every member over it, once the semester has ended.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"semester_id": 2}))]
pub struct SettleRequest {
    pub semester_id: i64,
}

/// What a settlement did.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"semester_id": 2, "removed": 3}))]
pub struct SettleView {
    pub semester_id: i64,
    /// Members removed now (0 when everyone over the rule had been removed already).
    pub removed: u64,
}

/// A member removed from a district team for a semester's absences (自动退出中心组).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "district_id": 1, "group_id": 9, "semester_id": 2, "membership_id": 31,
    "teacher_id": 12, "school_id": 3, "reason": "attendance", "held": 4, "attended": 2, "absent": 1, "on_leave": 1,
    "absence_share_numerator": 1, "absence_share_denominator": 3, "leave_counts_as_absence": true,
    "automatic": false, "confirmed_by_user_id": 1, "removed_on": "2027-01-08", "note": null,
    "created_at": "2027-01-08T02:00:00Z"}))]
pub struct TeamRemovalView {
    pub id: i64,
    pub district_id: i64,
    /// The district team.
    pub group_id: i64,
    pub semester_id: i64,
    /// The membership that ended (archived, `until` = `removed_on`).
    pub membership_id: i64,
    pub teacher_id: i64,
    /// The member's school, which was sent a notice.
    pub school_id: i64,
    /// Why the membership ended: `attendance`.
    pub reason: String,
    pub held: i32,
    pub attended: i32,
    pub absent: i32,
    pub on_leave: i32,
    /// The rule as it was when the decision was taken.
    pub absence_share_numerator: i32,
    pub absence_share_denominator: i32,
    pub leave_counts_as_absence: bool,
    /// Applied by the automatic rule after the semester's end, rather than confirmed by hand.
    pub automatic: bool,
    pub confirmed_by_user_id: Option<i64>,
    pub removed_on: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<team_removal::Model> for TeamRemovalView {
    fn from(r: team_removal::Model) -> Self {
        TeamRemovalView {
            id: r.id,
            district_id: r.district_id,
            group_id: r.group_id,
            semester_id: r.semester_id,
            membership_id: r.membership_id,
            teacher_id: r.teacher_id,
            school_id: r.school_id,
            reason: r.reason,
            held: r.held,
            attended: r.attended,
            absent: r.absent,
            on_leave: r.on_leave,
            absence_share_numerator: r.absence_numerator,
            absence_share_denominator: r.absence_denominator,
            leave_counts_as_absence: r.leave_counts_as_absence,
            automatic: r.automatic,
            confirmed_by_user_id: r.confirmed_by_user_id,
            removed_on: r.removed_on,
            note: r.note,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TeamRemovalFilter {
    pub semester_id: Option<i64>,
    /// The district team.
    pub group_id: Option<i64>,
    /// The members' school (school staff see only their own school's anyway).
    pub school_id: Option<i64>,
    pub teacher_id: Option<i64>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
