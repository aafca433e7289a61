//! The demo district (`jiaoyan seed-demo`, `jiaoyan --demo`): 罗田县 with its three zones and
//! their lead schools (seed 001), a flagship school of 60 teachers matching seed 004's statistics
//! and seed 000's group structure and slots, a dozen smaller schools, a district team, school
//! pairings, two semesters and one login per role; and half a semester of work on top of it
//! (module `work`): activities with lessons and attendance, observations scored with a rubric,
//! records answering school tasks and mentorship pairs, all dated up to the fixed "as of" day
//! [`as_of`] (2026-11-20), never relative to today.
//!
//! Everything is written in one transaction, straight through the entities (not the API), and
//! deterministically: fixed lists and fixed-seed generators, so two databases seeded apart hold
//! the same data. [`seed`] returns what it created ([`DemoSummary::district`]) and how much work
//! it wrote ([`DemoSummary::work`]).

mod appraisals;
mod created;
pub mod flagship;
pub mod groups;
pub mod organisation;
pub mod people;
mod plan;
pub mod rng;
mod rules;
mod team_attendance;
mod work;
mod write;

use std::fmt;

use entities::enums::{EmploymentType, Post, Role};
use entities::{district, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

pub use created::{DemoDistrict, DemoGroup, DemoSchool, DemoTeacher};
pub use plan::{plan, DistrictPlan, SchoolPlan};
pub use work::{as_of, DemoWork};

use crate::auth::password;

/// Usernames of the demo accounts, one per role.
pub const DISTRICT_ADMIN: &str = "luotian-admin";
pub const SCHOOL_ADMIN: &str = "dahean-admin";
pub const GROUP_LEADER: &str = "dahean-yuwen";
pub const TEACHER: &str = "dahean-teacher";

/// One demo account.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: Role,
    /// What the account reaches, in words (罗田县, 大河岸中心小学 ...).
    pub scope: String,
}

/// The result of seeding: the logins to print and everything that was created.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub district_id: i64,
    pub logins: Vec<DemoLogin>,
    pub district: DemoDistrict,
    /// The half semester of work written on top of the organisation.
    pub work: DemoWork,
}

/// Loads the demo district. Fails, writing nothing, when 罗田县 or one of the demo usernames
/// already exists. `password` is shared by the demo accounts (random when `None`).
pub async fn seed(db: &DatabaseConnection, password: Option<&str>) -> anyhow::Result<DemoSummary> {
    check_demo_password(password)?;
    let password = password.map_or_else(password::generate, str::to_string);
    // Hash once (argon2 is slow on purpose), outside the transaction.
    let hash = password::hash(&password)?;
    let plan = plan();
    let txn = crate::db::begin_write(db).await?;
    refuse_when_present(&txn).await?;
    let created = write::write(&txn, &plan).await?;
    let mut work = work::write(&txn, &plan, &created).await?;
    work.quota_rules = rules::write(&txn, &created).await?;
    let scheme = appraisals::write(&txn, &created, organisation::semesters()[0].school_year).await?;
    let logins = users(&txn, &created, &hash, &password).await?;
    work.participants -= team_attendance::write(&txn, &created).await?;
    txn.commit().await?;
    let as_of = work.as_of.unwrap_or_else(crate::clock::today);
    work.appraisals_published = usize::from(appraisals::publish_flagship(db, scheme, as_of).await?);
    Ok(DemoSummary { district_id: created.district_id, logins, district: created, work })
}

/// [`seed`], unless the database already has a district (any district: `--demo` must never mix
/// demo data into a real installation).
pub async fn seed_if_empty(db: &DatabaseConnection, password: Option<&str>) -> anyhow::Result<Option<DemoSummary>> {
    check_demo_password(password)?;
    if district::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    seed(db, password).await.map(Some)
}

/// A configured demo password (`JIAOYAN_DEMO_PASSWORD`) is under the same policy as any other:
/// a weak one stops the start with the reason.
pub fn check_demo_password(password: Option<&str>) -> anyhow::Result<()> {
    if let Some(why) = password.and_then(|p| password::password_weakness(p, &["demo", "jiaoyan", "luotian", "dahean"]))
    {
        anyhow::bail!("JIAOYAN_DEMO_PASSWORD is refused: the demo password {why}");
    }
    Ok(())
}

async fn refuse_when_present(db: &impl ConnectionTrait) -> anyhow::Result<()> {
    if let Some(existing) =
        district::Entity::find().filter(district::Column::Name.eq(organisation::DISTRICT_NAME)).one(db).await?
    {
        anyhow::bail!(
            "the demo district {} already exists (district {}); seed-demo loads it only into a database without it",
            existing.name,
            existing.id
        );
    }
    let taken: Vec<String> = user::Entity::find()
        .filter(user::Column::Username.is_in([DISTRICT_ADMIN, SCHOOL_ADMIN, GROUP_LEADER, TEACHER]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.username)
        .collect();
    if !taken.is_empty() {
        anyhow::bail!("demo usernames already taken: {}", taken.join(", "));
    }
    Ok(())
}

/// The four accounts: the district's administrator, the flagship's academic office, the leader
/// of its 语文教研组 and an ordinary 语文 teacher (no post, no honour).
async fn users(
    db: &impl ConnectionTrait,
    created: &DemoDistrict,
    hash: &str,
    password: &str,
) -> anyhow::Result<Vec<DemoLogin>> {
    let school = created.flagship();
    let yuwen = school.group("语文教研组").expect("the flagship has a 语文教研组");
    let leader = school.teacher(yuwen.leader_teacher_id).expect("the leader teaches there");
    let ordinary = school
        .teachers
        .iter()
        .find(|t| {
            t.spec.subject == "语文"
                && t.spec.posts.is_empty()
                && t.spec.honours.is_empty()
                && t.spec.grades == [3]
                && t.spec.employment == EmploymentType::Permanent
        })
        .expect("an ordinary 语文 teacher");
    debug_assert!(leader.spec.has_post(Post::ResearchGroupLeader));
    let accounts = [
        (
            DISTRICT_ADMIN,
            Role::DistrictAdmin,
            None,
            None,
            "罗田县教研室".to_string(),
            organisation::DISTRICT_NAME.to_string(),
        ),
        (
            SCHOOL_ADMIN,
            Role::SchoolAdmin,
            Some(school.id),
            None,
            format!("{}教导处", school.name),
            school.name.to_string(),
        ),
        (
            GROUP_LEADER,
            Role::GroupLeader,
            Some(school.id),
            Some(leader.id),
            leader.spec.name.clone(),
            format!("{}（{}，{}）", yuwen.name, leader.spec.name, school.name),
        ),
        (
            TEACHER,
            Role::Teacher,
            Some(school.id),
            Some(ordinary.id),
            ordinary.spec.name.clone(),
            format!("{}（三年级语文，{}）", ordinary.spec.name, school.name),
        ),
    ];
    let at = crate::resource::now();
    let mut logins = Vec::with_capacity(accounts.len());
    for (username, role, school_id, teacher_id, display_name, scope) in accounts {
        user::ActiveModel {
            username: Set(username.into()),
            password_hash: Set(hash.into()),
            role: Set(role),
            district_id: Set(Some(created.district_id)),
            school_id: Set(school_id),
            teacher_id: Set(teacher_id),
            display_name: Set(Some(display_name)),
            disabled: Set(false),
            last_login_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        logins.push(DemoLogin { username: username.into(), password: password.into(), role, scope });
    }
    Ok(logins)
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.district;
        let members = d.district_team.member_ids.len();
        writeln!(
            f,
            "Demo district {} loaded (district id {}): {} zones, {} schools, {} teachers, {} groups ({} with {} members).",
            organisation::DISTRICT_NAME,
            self.district_id,
            d.zone_ids.len(),
            d.schools.len(),
            d.teacher_count(),
            d.group_count(),
            d.district_team.name,
            members,
        )?;
        let w = &self.work;
        writeln!(
            f,
            "Half a semester of work as of {}: {} activities ({} held, {} scheduled, {} drafts, {} cancelled), {} observations, {} records, {} mentorships, {} collective preparations, {} inspections, {} quota rules (GET /api/v1/quota-checks), {} published appraisal (GET /api/v1/appraisal-schemes).",
            w.as_of.map(|d| d.to_string()).unwrap_or_default(),
            w.activities,
            w.held,
            w.scheduled,
            w.drafts,
            w.cancelled,
            w.observations,
            w.records,
            w.mentorships,
            w.preparations,
            w.inspections,
            w.quota_rules,
            w.appraisals_published,
        )?;
        writeln!(f)?;
        writeln!(f, "  {:<16} {:<16} {:<22} scope", "username", "role", "password")?;
        for login in &self.logins {
            writeln!(f, "  {:<16} {:<16} {:<22} {}", login.username, login.role.code(), login.password, login.scope)?;
        }
        writeln!(f)?;
        writeln!(f, "Log in with POST /api/v1/auth/login {{\"username\": \"...\", \"password\": \"...\"}},")?;
        write!(f, "or open /swagger-ui/ and use the access token with \"Authorize\".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entities::enums::MemberRole;

    #[test]
    fn the_ordinary_teacher_and_the_leader_exist_in_the_plan() {
        let plan = plan();
        let school = &plan.schools[organisation::FLAGSHIP];
        let yuwen = school.groups.iter().find(|g| g.name == "语文教研组").unwrap();
        assert!(yuwen.members.iter().any(|m| m.0 == yuwen.leader && m.1 == MemberRole::Leader));
        assert!(school.staff.iter().any(|t| t.subject == "语文" && t.posts.is_empty() && t.grades == [3]));
    }
}
