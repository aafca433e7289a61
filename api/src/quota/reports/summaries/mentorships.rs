//! The mentorship pairs (师徒结对) of the summaries: pairs covering the semester, by school and
//! status, with the observations each way.

use super::*;

/// A mentorship pair covering the semester, with its observations each way.
struct Pair {
    school_id: i64,
    mentor: i64,
    mentee: i64,
    status: MentorshipStatus,
    mentor_to_mentee: i64,
    mentee_to_mentor: i64,
}

async fn pairs(
    db: &impl ConnectionTrait,
    scope: &[i64],
    window: Window,
    semester: &semester::Model,
) -> DomainResult<Vec<Pair>> {
    let started_by = semester::Entity::find()
        .select_only()
        .column(semester::Column::Id)
        .filter(semester::Column::DistrictId.eq(semester.district_id))
        .filter(semester::Column::StartDate.lte(semester.start_date))
        .into_query();
    let ends_after = semester::Entity::find()
        .select_only()
        .column(semester::Column::Id)
        .filter(semester::Column::DistrictId.eq(semester.district_id))
        .filter(semester::Column::EndDate.gte(semester.end_date))
        .into_query();
    let covering = Condition::all()
        .add(mentorship::Column::SchoolId.is_in(scope.iter().copied()))
        .add(mentorship::Column::ArchivedAt.is_null())
        .add(mentorship::Column::StartSemesterId.in_subquery(started_by))
        .add(mentorship::Column::EndSemesterId.in_subquery(ends_after));
    let listed: Vec<(i64, i64, i64, i64, MentorshipStatus)> = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::Id)
        .column(mentorship::Column::SchoolId)
        .column(mentorship::Column::MentorTeacherId)
        .column(mentorship::Column::MenteeTeacherId)
        .column(mentorship::Column::Status)
        .filter(covering.clone())
        .order_by_asc(mentorship::Column::SchoolId)
        .order_by_asc(mentorship::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    // Observations between each pair's two teachers, one GROUP BY per direction.
    let direction = |observer: mentorship::Column, observed: mentorship::Column| {
        observation::Entity::find()
            .join(
                JoinType::InnerJoin,
                observation::Entity::belongs_to(mentorship::Entity)
                    .from((observation::Column::ObserverTeacherId, observation::Column::ObservedTeacherId))
                    .to((observer, observed))
                    .into(),
            )
            .select_only()
            .column(mentorship::Column::Id)
            .column_as(observation::Column::Id.count(), "n")
            .filter(covering.clone())
            .filter(observation::Column::SemesterId.eq(window.semester_id))
            .filter(observation::Column::ArchivedAt.is_null())
            .filter(observation::Column::ObservedOn.lte(window.as_of))
            .group_by(mentorship::Column::Id)
    };
    let down: BTreeMap<i64, i64> = direction(mentorship::Column::MentorTeacherId, mentorship::Column::MenteeTeacherId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let up: BTreeMap<i64, i64> = direction(mentorship::Column::MenteeTeacherId, mentorship::Column::MentorTeacherId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(listed
        .into_iter()
        .map(|(id, school_id, mentor, mentee, status)| Pair {
            school_id,
            mentor,
            mentee,
            status,
            mentor_to_mentee: n(down.get(&id).copied()),
            mentee_to_mentor: n(up.get(&id).copied()),
        })
        .collect())
}

pub(super) async fn mentorship_tables(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
) -> DomainResult<(Table, Table)> {
    let pairs = pairs(db, &scope.ids(), window, semester).await?;
    let school_names: BTreeMap<i64, &str> = scope.schools.iter().map(|(id, name)| (*id, name.as_str())).collect();
    let mut by_status = Table::new(
        "mentorships",
        Bilingual::new("Mentorship pairs by school and status", "师徒结对（按学校、状态）"),
        vec![
            Column::new("school", "School", "学校"),
            Column::new("status", "Status", "状态"),
            Column::new("pairs", "Pairs", "结对数"),
            Column::new("mentor_observations", "Mentor observed mentee", "师傅听徒弟课节数"),
            Column::new("mentee_observations", "Mentee observed mentor", "徒弟听师傅课节数"),
        ],
    );
    let mut totals: BTreeMap<(i64, MentorshipStatus), (i64, i64, i64)> = BTreeMap::new();
    for p in &pairs {
        let t = totals.entry((p.school_id, p.status)).or_default();
        t.0 += 1;
        t.1 += p.mentor_to_mentee;
        t.2 += p.mentee_to_mentor;
    }
    for (school_id, _) in &scope.schools {
        for status in MentorshipStatus::iter() {
            if let Some((count, down, up)) = totals.get(&(*school_id, status)) {
                by_status.push(vec![
                    school_names[school_id].into(),
                    status.code().into(),
                    (*count).into(),
                    (*down).into(),
                    (*up).into(),
                ]);
            }
        }
    }
    let ids: Vec<i64> = pairs.iter().flat_map(|p| [p.mentor, p.mentee]).collect();
    let names = teacher_names(db, &ids).await?;
    let mut list = Table::new(
        "mentorship_pairs",
        Bilingual::new("Mentorship pairs", "师徒结对一览"),
        vec![
            Column::new("school", "School", "学校"),
            Column::new("mentor", "Mentor", "师傅"),
            Column::new("mentee", "Mentee", "徒弟"),
            Column::new("status", "Status", "状态"),
            Column::new("mentor_observations", "Mentor observed mentee", "师傅听徒弟课节数"),
            Column::new("mentee_observations", "Mentee observed mentor", "徒弟听师傅课节数"),
        ],
    );
    for p in &pairs {
        list.push(vec![
            school_names.get(&p.school_id).copied().unwrap_or_default().into(),
            names.get(&p.mentor).cloned().unwrap_or_default().into(),
            names.get(&p.mentee).cloned().unwrap_or_default().into(),
            p.status.code().into(),
            p.mentor_to_mentee.into(),
            p.mentee_to_mentor.into(),
        ]);
    }
    Ok((by_status, list))
}
