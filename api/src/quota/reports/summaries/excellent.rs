//! The "excellent group" shortlist (优秀教研组推荐) of the summaries: each group's output in the
//! window and its standing with the rules that measure it, ranked by [`rank_groups`].

use super::*;

/// A group's output over the window, and its rule compliance.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupOutput {
    pub group_id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub school: Option<String>,
    pub members: i64,
    pub activities_held: i64,
    pub lessons_given: i64,
    pub member_records: i64,
    /// The group's own quota checks (group rules that measure it) and how many of them are met
    /// or on track; `None` when no rule measures the group.
    pub compliance: Option<Compliance>,
}

/// How a group stands with the rules that measure it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compliance {
    pub checked: i64,
    /// Results `met` or `on_track`.
    pub in_good_standing: i64,
}

impl Compliance {
    /// The share in good standing, 0–1.
    pub fn share(&self) -> f64 {
        if self.checked > 0 {
            self.in_good_standing as f64 / self.checked as f64
        } else {
            1.0
        }
    }
}

/// Per group, its results of the checks engine: a result counts in the group's favour when it is
/// `met` or `on_track` (decided for it, or on course); `at_risk` and `short` count against it.
pub fn compliance_by_group(items: &[CheckItem]) -> BTreeMap<i64, Compliance> {
    let mut by_group: BTreeMap<i64, Compliance> = BTreeMap::new();
    for item in items.iter().filter(|i| i.subject.kind == SubjectType::Group) {
        let entry = by_group.entry(item.subject.id).or_insert(Compliance { checked: 0, in_good_standing: 0 });
        entry.checked += 1;
        if matches!(item.status, Status::Met | Status::OnTrack) {
            entry.in_good_standing += 1;
        }
    }
    by_group
}

/// A group with its place in the ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedGroup {
    pub rank: usize,
    /// 0–100.
    pub score: f64,
    pub output: GroupOutput,
}

/// Ranks groups by output (优秀教研组 shortlist): each component is scaled to 0–1 against the best
/// group of the scope — activities held, lessons given at the group's activities, and member
/// records per member (so that large groups do not win on headcount alone) — plus, for a group
/// that rules measure, the share of its quota checks met or on track; the score is their mean ×
/// 100, rounded to 1 decimal. Ties: more activities, more lessons, then name and id.
pub fn rank_groups(groups: Vec<GroupOutput>) -> Vec<RankedGroup> {
    let per_member = |g: &GroupOutput| if g.members > 0 { g.member_records as f64 / g.members as f64 } else { 0.0 };
    let max = |f: &dyn Fn(&GroupOutput) -> f64| groups.iter().map(f).fold(0.0_f64, f64::max);
    let max_activities = max(&|g| g.activities_held as f64);
    let max_lessons = max(&|g| g.lessons_given as f64);
    let max_records = max(&per_member);
    let scaled = |value: f64, best: f64| if best > 0.0 { value / best } else { 0.0 };
    let mut ranked: Vec<RankedGroup> = groups
        .into_iter()
        .map(|g| {
            let mut parts = vec![
                scaled(g.activities_held as f64, max_activities),
                scaled(g.lessons_given as f64, max_lessons),
                scaled(per_member(&g), max_records),
            ];
            if let Some(c) = g.compliance {
                parts.push(c.share().clamp(0.0, 1.0));
            }
            let score = parts.iter().sum::<f64>() / parts.len() as f64 * 100.0;
            RankedGroup { rank: 0, score: (score * 10.0).round() / 10.0, output: g }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.output.activities_held.cmp(&a.output.activities_held))
            .then(b.output.lessons_given.cmp(&a.output.lessons_given))
            .then(a.output.name.cmp(&b.output.name))
            .then(a.output.group_id.cmp(&b.output.group_id))
    });
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    ranked
}

/// Every live group of the scope with its output in the window (four GROUP BY queries).
pub(super) async fn group_outputs(
    db: &impl ConnectionTrait,
    scope: &Scope,
    window: Window,
) -> DomainResult<Vec<GroupOutput>> {
    let mut placed = Condition::any().add(group::Column::SchoolId.is_in(scope.ids()));
    if scope.district_groups {
        placed = placed.add(
            Condition::all()
                .add(group::Column::SchoolId.is_null())
                .add(group::Column::DistrictId.eq(scope.district_id)),
        );
    }
    let live = LiveGroups(placed);
    let groups: Vec<(i64, String, GroupKind, Option<i64>)> = live
        .find()
        .select_only()
        .column(group::Column::Id)
        .column(group::Column::Name)
        .column(group::Column::Kind)
        .column(group::Column::SchoolId)
        .into_tuple()
        .all(db)
        .await?;
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let activities = activities_per_group(db, &live, window).await?;
    let lessons = lessons_per_group(db, &live, window).await?;
    let (members, records) = members_and_records(db, &live, window).await?;
    let school_names: BTreeMap<i64, &str> = scope.schools.iter().map(|(id, name)| (*id, name.as_str())).collect();
    Ok(groups
        .into_iter()
        .map(|(id, name, kind, school_id)| GroupOutput {
            group_id: id,
            name,
            kind,
            school: school_id.and_then(|s| school_names.get(&s).map(|n| n.to_string())),
            members: n(members.get(&id).copied()),
            activities_held: n(activities.get(&id).copied()),
            lessons_given: n(lessons.get(&id).copied()),
            member_records: n(records.get(&id).copied()),
            compliance: None,
        })
        .collect())
}

/// The live groups placed by a condition (the scope's schools, and its district teams).
struct LiveGroups(Condition);

impl LiveGroups {
    fn find(&self) -> sea_orm::Select<group::Entity> {
        group::Entity::find().filter(self.0.clone()).filter(group::Column::ArchivedAt.is_null())
    }

    /// The groups as a subquery, never as a list of ids.
    fn ids(&self) -> sea_orm::sea_query::SelectStatement {
        self.find().select_only().column(group::Column::Id).into_query()
    }
}

/// Activities held per group in the window.
async fn activities_per_group(
    db: &impl ConnectionTrait,
    live: &LiveGroups,
    window: Window,
) -> DomainResult<BTreeMap<i64, i64>> {
    Ok(held(window)
        .filter(activity::Column::GroupId.in_subquery(live.ids()))
        .select_only()
        .column(activity::Column::GroupId)
        .column_as(activity::Column::Id.count(), "n")
        .group_by(activity::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Lessons given at each group's held activities in the window.
async fn lessons_per_group(
    db: &impl ConnectionTrait,
    live: &LiveGroups,
    window: Window,
) -> DomainResult<BTreeMap<i64, i64>> {
    Ok(activity_lesson::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<activity_lesson::Entity, activity::Entity>(
                activity_lesson::Column::ActivityId,
                activity::Column::Id,
            ),
        )
        .select_only()
        .column(activity::Column::GroupId)
        .column_as(activity_lesson::Column::Id.count(), "n")
        .filter(
            activity_lesson::Column::ActivityId
                .in_subquery(ids_of(held(window).filter(activity::Column::GroupId.in_subquery(live.ids())))),
        )
        .group_by(activity::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Per group, its members and their records in the window. Members: memberships live at some
/// point of the window (not archived, begun by `as_of`, not ended before the semester began).
async fn members_and_records(
    db: &impl ConnectionTrait,
    live_groups: &LiveGroups,
    window: Window,
) -> DomainResult<(BTreeMap<i64, i64>, BTreeMap<i64, i64>)> {
    let live = |start: NaiveDate| {
        Condition::all()
            .add(group_membership::Column::GroupId.in_subquery(live_groups.ids()))
            .add(group_membership::Column::ArchivedAt.is_null())
            .add(group_membership::Column::Since.lte(window.as_of))
            .add(
                Condition::any()
                    .add(group_membership::Column::Until.is_null())
                    .add(group_membership::Column::Until.gte(start)),
            )
    };
    let start =
        semester::Entity::find_by_id(window.semester_id).one(db).await?.map(|s| s.start_date).unwrap_or(window.as_of);
    let members: BTreeMap<i64, i64> = group_membership::Entity::find()
        .select_only()
        .column(group_membership::Column::GroupId)
        .column_as(Expr::col((group_membership::Entity, group_membership::Column::TeacherId)).count_distinct(), "n")
        .filter(live(start))
        .group_by(group_membership::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let records: BTreeMap<i64, i64> = record::Entity::find()
        .join(
            JoinType::InnerJoin,
            join_on::<record::Entity, group_membership::Entity>(
                record::Column::AuthorTeacherId,
                group_membership::Column::TeacherId,
            ),
        )
        .select_only()
        .column(group_membership::Column::GroupId)
        .column_as(Expr::col((record::Entity, record::Column::Id)).count_distinct(), "n")
        .filter(live(start))
        .filter(record::Column::SemesterId.eq(window.semester_id))
        .filter(record::Column::ArchivedAt.is_null())
        .filter(record::Column::WrittenOn.lte(window.as_of))
        .group_by(group_membership::Column::GroupId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok((members, records))
}

/// The groups' results with the saved group rules, from the checks engine (the kept check of
/// the school or district), so the ranking cannot disagree with `/quota-checks`.
pub(super) async fn group_compliance(
    state: &AppState,
    scope: &Scope,
    window: Window,
    semester: &semester::Model,
    groups: &[GroupOutput],
) -> DomainResult<BTreeMap<i64, Compliance>> {
    if groups.is_empty() {
        return Ok(BTreeMap::new());
    }
    let target = Target {
        district_id: scope.district_id,
        zone_id: None,
        school_ids: if scope.district_groups { None } else { Some(scope.ids()) },
        teachers: Some(vec![]),
        groups: Some(groups.iter().map(|g| g.group_id).collect()),
        mentorships: Some(vec![]),
        schools: Some(vec![]),
    };
    let request = Request {
        semester_id: Some(window.semester_id),
        as_of: window.as_of,
        subject_type: Some(SubjectType::Group),
        include_saved: true,
        ..Default::default()
    };
    Ok(compliance_by_group(&results_for(state, semester, &target, &request).await?))
}

pub(super) fn excellent_groups_table(ranked: &[RankedGroup]) -> Table {
    let mut table = Table::new(
        "excellent_groups",
        Bilingual::new(
            "Excellent group shortlist (ranked by output and rule compliance)",
            "优秀教研组推荐（按成果与考核达标排序）",
        ),
        vec![
            Column::new("rank", "Rank", "名次"),
            Column::new("group_id", "Group id", "教研组编号"),
            Column::new("group", "Group", "教研组"),
            Column::new("kind", "Kind", "类型"),
            Column::new("school", "School", "学校"),
            Column::new("members", "Members", "成员数"),
            Column::new("activities_held", "Activities held", "开展活动次数"),
            Column::new("lessons_given", "Lessons given", "上课节数"),
            Column::new("member_records", "Members' records", "成员成果数"),
            Column::new("rules_checked", "Rules checked", "考核规则数"),
            Column::new("rules_in_good_standing", "Rules met or on track", "达标或进度正常规则数"),
            Column::new("score", "Score", "得分"),
        ],
    );
    for r in ranked {
        let g = &r.output;
        table.push(vec![
            (r.rank as i64).into(),
            g.group_id.into(),
            g.name.clone().into(),
            g.kind.code().into(),
            g.school.clone().into(),
            g.members.into(),
            g.activities_held.into(),
            g.lessons_given.into(),
            g.member_records.into(),
            g.compliance.map(|c| c.checked).into(),
            g.compliance.map(|c| c.in_good_standing).into(),
            r.score.into(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(id: i64, name: &str, activities: i64, lessons: i64, records: i64, members: i64) -> GroupOutput {
        GroupOutput {
            group_id: id,
            name: name.into(),
            kind: GroupKind::Research,
            school: None,
            members,
            activities_held: activities,
            lessons_given: lessons,
            member_records: records,
            compliance: None,
        }
    }

    #[test]
    fn groups_rank_by_scaled_output_with_records_per_member() {
        let ranked = rank_groups(vec![
            output(1, "语文", 4, 2, 10, 5), // 1, 1, 2/2.5 = 0.8 → 93.3
            output(2, "数学", 2, 2, 10, 4), // 0.5, 1, 1 → 83.3
            output(3, "英语", 0, 0, 0, 0),
        ]);
        let order: Vec<(usize, i64, f64)> = ranked.iter().map(|r| (r.rank, r.output.group_id, r.score)).collect();
        assert_eq!(order, vec![(1, 1, 93.3), (2, 2, 83.3), (3, 3, 0.0)]);
    }

    #[test]
    fn compliance_joins_the_score_when_known_and_ties_break_by_activities_then_name() {
        let mut a = output(1, "乙", 2, 0, 0, 1);
        a.compliance = Some(Compliance { checked: 2, in_good_standing: 2 });
        let b = output(2, "甲", 2, 0, 0, 1);
        let ranked = rank_groups(vec![b.clone(), a]);
        assert_eq!(ranked[0].output.group_id, 1);
        // Activities 1, lessons 0, records 0, compliance 1: a half; without compliance a third.
        assert_eq!((ranked[0].score, ranked[1].score), (50.0, 33.3));
        let tie = rank_groups(vec![output(3, "b", 1, 0, 0, 0), output(4, "a", 1, 0, 0, 0)]);
        assert_eq!(tie.iter().map(|r| r.output.group_id).collect::<Vec<_>>(), vec![4, 3]);
        assert!(rank_groups(Vec::new()).is_empty());
    }

    fn result(kind: SubjectType, id: i64, status: Status) -> CheckItem {
        use crate::quota::checks::engine::RuleRef;
        use crate::quota::checks::subjects::SubjectRef;
        use crate::quota::periods::PeriodKind;
        use crate::quota::rules::Severity;
        CheckItem {
            subject: SubjectRef { kind, id, name: format!("s{id}"), school_id: Some(1) },
            rule: RuleRef {
                id: Some(1),
                index: None,
                name: "r".into(),
                severity: Severity::Required,
                metric: "activities_held".into(),
                period: PeriodKind::Semester,
                min: 2.0,
                family: None,
            },
            required: 2.0,
            actual: 1.0,
            status,
            expected_by_now: 1.0,
            projected: 2.0,
            periods: vec![],
        }
    }

    #[test]
    fn a_group_is_in_good_standing_with_rules_met_or_on_track_only() {
        let items = vec![
            result(SubjectType::Group, 7, Status::Met),
            result(SubjectType::Group, 7, Status::OnTrack),
            result(SubjectType::Group, 7, Status::AtRisk),
            result(SubjectType::Group, 8, Status::Short),
            // A teacher's result never counts for a group with the same id.
            result(SubjectType::Teacher, 8, Status::Met),
        ];
        let by_group = compliance_by_group(&items);
        assert_eq!(by_group[&7], Compliance { checked: 3, in_good_standing: 2 });
        assert_eq!(by_group[&8], Compliance { checked: 1, in_good_standing: 0 });
        assert_eq!(by_group.len(), 2);
        assert!((by_group[&7].share() - 2.0 / 3.0).abs() < 1e-9);
    }
}
