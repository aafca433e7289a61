//! Writes a [`DistrictPlan`] with sea-orm ActiveModels, inside the caller's transaction.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use entities::enums::{GradeBand, GroupKind, MemberRole, TeacherStatus};
use entities::{
    district, group, group_membership, research_topic, school, school_pairing, semester, teacher, teacher_grade,
    teacher_honour, teacher_post, teacher_subject, weekly_slot, zone,
};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, Set};

use super::created::{DemoDistrict, DemoGroup, DemoSchool, DemoTeacher};
use super::groups::{GroupSpec, SlotSpec};
use super::organisation::{pairings, school_index, semesters, DISTRICT_CODE, DISTRICT_NAME, FLAGSHIP, SCHOOLS, ZONES};
use super::people::TeacherSpec;
use super::plan::DistrictPlan;

/// Rows per multi-row INSERT (well under SQLite's and PostgreSQL's bind-parameter limits).
const CHUNK: usize = 200;

struct Writer<'a> {
    txn: &'a DatabaseTransaction,
    at: DateTime<Utc>,
    district_id: i64,
    /// Memberships start with the autumn semester.
    since: NaiveDate,
}

pub(super) async fn write(txn: &DatabaseTransaction, plan: &DistrictPlan) -> Result<DemoDistrict, DbErr> {
    let at = crate::resource::now();
    let district_id = district::ActiveModel {
        name: Set(DISTRICT_NAME.into()),
        code: Set(Some(DISTRICT_CODE.into())),
        created_at: Set(at),
        updated_at: Set(at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?
    .id;
    let w = Writer { txn, at, district_id, since: semesters()[0].start };
    let (zone_ids, school_ids) = w.zones_and_schools().await?;
    let semester_ids = w.semesters().await?;
    let mut pairing_ids = Vec::new();
    for p in pairings() {
        let saved = school_pairing::ActiveModel {
            district_id: Set(district_id),
            mentor_school_id: Set(school_ids[school_index(p.mentor)]),
            partner_school_id: Set(school_ids[school_index(p.partner)]),
            kind: Set(p.kind),
            start_date: Set(p.start),
            end_date: Set(p.end),
            notes: Set(Some(p.notes.into())),
            created_at: Set(at),
            updated_at: Set(at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        pairing_ids.push(saved.id);
    }
    let autumn = semester_ids[0];
    let mut schools = Vec::with_capacity(plan.schools.len());
    for (i, school_plan) in plan.schools.iter().enumerate() {
        let teachers = w.teachers(school_ids[i], &school_plan.staff).await?;
        let teacher_ids: Vec<i64> = teachers.iter().map(|t| t.id).collect();
        let mut groups: Vec<DemoGroup> = Vec::with_capacity(school_plan.groups.len());
        for spec in &school_plan.groups {
            let parent_id = spec.parent.map(|p| groups[p].id);
            let members: Vec<(i64, MemberRole)> = spec.members.iter().map(|(t, r)| (teacher_ids[*t], *r)).collect();
            let group =
                w.group(Some(school_ids[i]), spec, parent_id, teacher_ids[spec.leader], &members, autumn).await?;
            groups.push(group);
        }
        let spec = &SCHOOLS[i];
        schools.push(DemoSchool {
            id: school_ids[i],
            name: spec.name,
            tier: spec.tier,
            zone_id: spec.zone.map(|z| zone_ids[z]),
            teachers,
            groups,
        });
    }
    let team = &plan.team;
    let members: Vec<(i64, MemberRole)> =
        team.members.iter().map(|((s, t), role)| (schools[*s].teachers[*t].id, *role)).collect();
    let leader = members.iter().find(|m| m.1 == MemberRole::Leader).expect("the team has a leader").0;
    let team_spec = GroupSpec {
        name: team.name.into(),
        kind: GroupKind::DistrictTeam,
        subject: Some(team.subject),
        grade_band: Some(GradeBand::All),
        parent: None,
        leader: 0,
        members: Vec::new(),
        description: Some(team.description.into()),
        slot: None,
        topic: Some(team.topic),
    };
    let district_team = w.group(None, &team_spec, None, leader, &members, autumn).await?;
    Ok(DemoDistrict {
        district_id,
        zone_ids,
        autumn_semester_id: autumn,
        spring_semester_id: semester_ids[1],
        schools,
        flagship: FLAGSHIP,
        district_team,
        pairing_ids,
    })
}

impl Writer<'_> {
    /// Zones first (their lead school is set once the schools exist), then the schools.
    async fn zones_and_schools(&self) -> Result<(Vec<i64>, Vec<i64>), DbErr> {
        let mut zones = Vec::with_capacity(ZONES.len());
        for spec in ZONES {
            let saved = zone::ActiveModel {
                district_id: Set(self.district_id),
                name: Set(spec.name.into()),
                lead_school_id: Set(None),
                created_at: Set(self.at),
                updated_at: Set(self.at),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            zones.push(saved);
        }
        let mut school_ids = Vec::with_capacity(SCHOOLS.len());
        for spec in SCHOOLS {
            let saved = school::ActiveModel {
                district_id: Set(self.district_id),
                zone_id: Set(spec.zone.map(|z| zones[z].id)),
                name: Set(spec.name.into()),
                tier: Set(spec.tier),
                code: Set(None),
                address: Set(Some(spec.address.into())),
                created_at: Set(self.at),
                updated_at: Set(self.at),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            school_ids.push(saved.id);
        }
        let mut zone_ids = Vec::with_capacity(zones.len());
        for (zone, spec) in zones.into_iter().zip(ZONES) {
            zone_ids.push(zone.id);
            let mut active = zone.into_active_model();
            active.lead_school_id = Set(Some(school_ids[school_index(spec.lead_school)]));
            active.update(self.txn).await?;
        }
        Ok((zone_ids, school_ids))
    }

    async fn semesters(&self) -> Result<Vec<i64>, DbErr> {
        let mut ids = Vec::new();
        for spec in semesters() {
            let saved = semester::ActiveModel {
                district_id: Set(self.district_id),
                name: Set(spec.name.into()),
                school_year: Set(spec.school_year.into()),
                start_date: Set(spec.start),
                end_date: Set(spec.end),
                week1_start: Set(spec.week1_start()),
                holidays: Set(spec.holidays_json()),
                created_at: Set(self.at),
                updated_at: Set(self.at),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            ids.push(saved.id);
        }
        Ok(ids)
    }

    /// The teachers of one school, then their subjects, grades, posts and honours.
    async fn teachers(&self, school_id: i64, staff: &[TeacherSpec]) -> Result<Vec<DemoTeacher>, DbErr> {
        let mut created = Vec::with_capacity(staff.len());
        for spec in staff {
            let saved = teacher::ActiveModel {
                school_id: Set(school_id),
                name: Set(spec.name.clone()),
                gender: Set(Some(spec.gender)),
                birth_date: Set(Some(spec.birth_date)),
                teaching_start_year: Set(Some(spec.teaching_start_year)),
                degree: Set(Some(spec.degree)),
                employment_type: Set(spec.employment),
                professional_title: Set(Some(spec.title)),
                status: Set(TeacherStatus::Active),
                external_id: Set(None),
                created_at: Set(self.at),
                updated_at: Set(self.at),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.txn)
            .await?;
            created.push(DemoTeacher { id: saved.id, spec: spec.clone() });
        }
        let subjects = created.iter().map(|t| teacher_subject::ActiveModel {
            teacher_id: Set(t.id),
            subject: Set(t.spec.subject.into()),
            created_at: Set(self.at),
            updated_at: Set(self.at),
        });
        insert_chunked::<teacher_subject::Entity, _>(self.txn, subjects).await?;
        let grades = created.iter().flat_map(|t| {
            t.spec.grades.iter().map(|g| teacher_grade::ActiveModel {
                teacher_id: Set(t.id),
                grade: Set(*g),
                created_at: Set(self.at),
                updated_at: Set(self.at),
            })
        });
        insert_chunked::<teacher_grade::Entity, _>(self.txn, grades).await?;
        let posts = created.iter().flat_map(|t| {
            t.spec.posts.iter().map(|p| teacher_post::ActiveModel {
                teacher_id: Set(t.id),
                post: Set(*p),
                created_at: Set(self.at),
                updated_at: Set(self.at),
            })
        });
        insert_chunked::<teacher_post::Entity, _>(self.txn, posts).await?;
        let honours = created.iter().flat_map(|t| {
            t.spec.honours.iter().map(|h| teacher_honour::ActiveModel {
                teacher_id: Set(t.id),
                title: Set(h.title),
                level: Set(h.level),
                year: Set(h.year),
                created_at: Set(self.at),
                updated_at: Set(self.at),
                ..Default::default()
            })
        });
        insert_chunked::<teacher_honour::Entity, _>(self.txn, honours).await?;
        Ok(created)
    }

    /// A group with its memberships (since the autumn semester), its slot and its topic.
    async fn group(
        &self,
        school_id: Option<i64>,
        spec: &GroupSpec,
        parent_id: Option<i64>,
        leader_teacher_id: i64,
        members: &[(i64, MemberRole)],
        semester_id: i64,
    ) -> Result<DemoGroup, DbErr> {
        let saved = group::ActiveModel {
            district_id: Set(self.district_id),
            school_id: Set(school_id),
            kind: Set(spec.kind),
            name: Set(spec.name.clone()),
            subject: Set(spec.subject.map(str::to_string)),
            grade_band: Set(spec.grade_band),
            parent_id: Set(parent_id),
            leader_teacher_id: Set(Some(leader_teacher_id)),
            description: Set(spec.description.clone()),
            created_at: Set(self.at),
            updated_at: Set(self.at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        let memberships = members.iter().map(|(teacher_id, role)| group_membership::ActiveModel {
            group_id: Set(saved.id),
            teacher_id: Set(*teacher_id),
            role: Set(*role),
            since: Set(self.since),
            until: Set(None),
            created_at: Set(self.at),
            updated_at: Set(self.at),
            archived_at: Set(None),
            ..Default::default()
        });
        insert_chunked::<group_membership::Entity, _>(self.txn, memberships).await?;
        let slot_id = match &spec.slot {
            Some(slot) => Some(self.slot(saved.id, slot).await?),
            None => None,
        };
        let topic_id = match spec.topic {
            Some((title, description)) => Some(
                research_topic::ActiveModel {
                    group_id: Set(saved.id),
                    semester_id: Set(semester_id),
                    title: Set(title.into()),
                    description: Set(Some(description.into())),
                    created_at: Set(self.at),
                    updated_at: Set(self.at),
                    archived_at: Set(None),
                    ..Default::default()
                }
                .insert(self.txn)
                .await?
                .id,
            ),
            None => None,
        };
        Ok(DemoGroup {
            id: saved.id,
            name: saved.name,
            kind: saved.kind,
            subject: spec.subject,
            parent_id,
            leader_teacher_id,
            member_ids: members.iter().map(|m| m.0).collect(),
            slot_id,
            topic_id,
        })
    }

    async fn slot(&self, group_id: i64, slot: &SlotSpec) -> Result<i64, DbErr> {
        let time = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).expect("a valid time");
        Ok(weekly_slot::ActiveModel {
            group_id: Set(group_id),
            weekday: Set(slot.weekday),
            start_period: Set(Some(slot.period)),
            end_period: Set(Some(slot.period)),
            start_time: Set(Some(time(slot.start))),
            end_time: Set(Some(time(slot.end))),
            venue: Set(Some(slot.venue.into())),
            week_pattern: Set(slot.pattern),
            first_week: Set(slot.first_week),
            created_at: Set(self.at),
            updated_at: Set(self.at),
            archived_at: Set(None),
            ..Default::default()
        }
        .insert(self.txn)
        .await?
        .id)
    }
}

/// Multi-row inserts, [`CHUNK`] rows at a time, without `RETURNING`.
pub(super) async fn insert_chunked<E, A>(txn: &DatabaseTransaction, rows: impl Iterator<Item = A>) -> Result<(), DbErr>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Clone,
{
    let rows: Vec<A> = rows.collect();
    for chunk in rows.chunks(CHUNK) {
        E::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}
