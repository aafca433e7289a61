//! 常规检查 in the demo (seeds 000 and 002): the flagship's monthly checks of October (语文,
//! closed) and November (数学, under way) on the built-in checklist, and the district's
//! unannounced check of three schools on a points template of its own — so that every state of
//! a finding to correct (整改) shows: closed in time, closed late, responded and waiting for the
//! inspector, open, and open past its due date on the as-of day.

use chrono::NaiveDate;
use entities::enums::{FindingStatus, GroupKind, InspectionGrade, InspectionKind};
use entities::{inspection, inspection_finding, inspection_grade, inspection_subject, inspection_template};
use sea_orm::{ActiveModelTrait, DbErr, Set};

use super::super::organisation::date;
use super::super::write::insert_chunked;
use super::Work;
use crate::inspections::rules::{default_items, ChecklistItem, Scale};

const GRADES: [InspectionGrade; 4] =
    [InspectionGrade::Excellent, InspectionGrade::Good, InspectionGrade::Pass, InspectionGrade::NeedsImprovement];

/// One inspection to write: owner school (`None`: the district), kind, title, date, period,
/// template, checklist and the teachers with the groups they are reported under.
struct Plan {
    school_id: Option<i64>,
    kind: InspectionKind,
    title: &'static str,
    on: NaiveDate,
    period: (NaiveDate, NaiveDate),
    template_id: Option<i64>,
    items: Vec<ChecklistItem>,
    subjects: Vec<(i64, i64, Option<i64>)>,
}

/// `(status, due, responded on, description)` of the findings of an inspection, given in turn
/// to its first teachers.
type FindingPlan = (FindingStatus, NaiveDate, Option<NaiveDate>, &'static str);

pub(super) async fn write(w: &mut Work<'_>) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let research: Vec<_> = school.groups.iter().filter(|g| g.kind == GroupKind::Research).take(2).cloned().collect();
    let members = |i: usize| -> Vec<(i64, i64, Option<i64>)> {
        research.get(i).map_or(vec![], |g| g.member_ids.iter().map(|t| (*t, school.id, Some(g.id))).collect())
    };
    let (template_id, points) = district_template(w).await?;
    // Two teachers from each of the first three schools (the flagship's first two included).
    let sampled: Vec<(i64, i64, Option<i64>)> = w
        .district
        .schools
        .iter()
        .take(3)
        .flat_map(|s| s.teachers.iter().take(2).map(|t| (t.id, s.id, None)).collect::<Vec<_>>())
        .collect();
    let plans = [
        (
            Plan {
                school_id: Some(school.id),
                kind: InspectionKind::Monthly,
                title: "十月教学常规检查（语文）",
                on: date(2026, 10, 30),
                period: (date(2026, 10, 1), date(2026, 10, 30)),
                template_id: None,
                items: default_items(),
                subjects: members(0),
            },
            vec![
                (FindingStatus::Closed, date(2026, 11, 6), Some(date(2026, 11, 4)), "教案缺少教后反思，请补写"),
                (FindingStatus::Closed, date(2026, 11, 6), Some(date(2026, 11, 10)), "本月听课不足4节，请补听并写评析"),
            ],
        ),
        (
            Plan {
                school_id: Some(school.id),
                kind: InspectionKind::Monthly,
                title: "十一月教学常规检查（数学）",
                on: date(2026, 11, 19),
                period: (date(2026, 11, 1), date(2026, 11, 19)),
                template_id: None,
                items: default_items(),
                subjects: members(1),
            },
            vec![
                (
                    FindingStatus::Responded,
                    date(2026, 11, 26),
                    Some(date(2026, 11, 20)),
                    "作业批改未见二次批改，请补上",
                ),
                (FindingStatus::Open, date(2026, 11, 26), None, "实验册记录不全，请补充实验现象与结论"),
            ],
        ),
        (
            Plan {
                school_id: None,
                kind: InspectionKind::Random,
                title: "县教研室随机抽查",
                on: date(2026, 11, 13),
                period: (date(2026, 9, 1), date(2026, 11, 13)),
                template_id: Some(template_id),
                items: points,
                subjects: sampled,
            },
            vec![(FindingStatus::Open, date(2026, 11, 18), None, "听课记录未写评析，请一周内补齐")],
        ),
    ];
    for (plan, findings) in plans {
        write_one(w, plan, &findings).await?;
    }
    Ok(())
}

/// The district's points template for its unannounced checks.
async fn district_template(w: &Work<'_>) -> Result<(i64, Vec<ChecklistItem>), DbErr> {
    let points = vec![
        ChecklistItem {
            key: "lesson_plans".into(),
            name: "备课（教案）".into(),
            scale: Scale::Points,
            max_points: Some(20.0),
            required_count: None,
            counts: Some(crate::inspections::rules::CountedWork::LessonPlans),
        },
        ChecklistItem {
            key: "observations".into(),
            name: "听课记录".into(),
            scale: Scale::Points,
            max_points: Some(10.0),
            required_count: Some(4),
            counts: Some(crate::inspections::rules::CountedWork::Observations),
        },
    ];
    let saved = inspection_template::ActiveModel {
        district_id: Set(w.district.district_id),
        school_id: Set(None),
        name: Set("罗田县教研室随机抽查表".into()),
        items: Set(serde_json::to_value(&points).unwrap_or_default()),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(w.txn)
    .await?;
    Ok((saved.id, points))
}

async fn write_one(w: &mut Work<'_>, plan: Plan, findings: &[FindingPlan]) -> Result<(), DbErr> {
    let district_id = w.district.district_id;
    let saved = inspection::ActiveModel {
        district_id: Set(district_id),
        school_id: Set(plan.school_id),
        kind: Set(plan.kind),
        title: Set(plan.title.into()),
        inspected_on: Set(plan.on),
        period_start: Set(plan.period.0),
        period_end: Set(plan.period.1),
        template_id: Set(plan.template_id),
        items: Set(serde_json::to_value(&plan.items).unwrap_or_default()),
        created_by_user_id: Set(None),
        created_at: Set(w.at),
        updated_at: Set(w.at),
        archived_at: Set(None),
        ..Default::default()
    }
    .insert(w.txn)
    .await?;
    let mut grades = Vec::new();
    for (teacher, _, _) in &plan.subjects {
        for item in &plan.items {
            let (grade, points) = match (item.scale, item.max_points) {
                (Scale::Points, Some(max)) => (None, Some((max * f64::from(w.rng.between(6, 10)) / 10.0).round())),
                _ => (Some(*w.rng.pick(&GRADES[..])), None),
            };
            grades.push(inspection_grade::ActiveModel {
                inspection_id: Set(saved.id),
                teacher_id: Set(*teacher),
                item_key: Set(item.key.clone()),
                grade: Set(grade),
                points: Set(points),
                comment: Set(None),
                graded_by_user_id: Set(None),
                created_at: Set(w.at),
                updated_at: Set(w.at),
                ..Default::default()
            });
        }
    }
    let subjects = plan.subjects.iter().map(|(teacher, school, group)| inspection_subject::ActiveModel {
        inspection_id: Set(saved.id),
        teacher_id: Set(*teacher),
        school_id: Set(*school),
        group_id: Set(*group),
        ..Default::default()
    });
    insert_chunked::<inspection_subject::Entity, _>(w.txn, subjects).await?;
    insert_chunked::<inspection_grade::Entity, _>(w.txn, grades.into_iter()).await?;
    let rows = findings.iter().zip(&plan.subjects).map(|((status, due, responded, text), (teacher, school, _))| {
        inspection_finding::ActiveModel {
            inspection_id: Set(saved.id),
            district_id: Set(district_id),
            school_id: Set(*school),
            teacher_id: Set(*teacher),
            item_key: Set(None),
            description: Set((*text).into()),
            due_on: Set(*due),
            status: Set(*status),
            response: Set(responded.map(|_| "已按要求整改，请查验。".to_string())),
            responded_on: Set(*responded),
            confirmed_on: Set((*status == FindingStatus::Closed).then_some(date(2026, 11, 12))),
            confirmed_by_user_id: Set(None),
            created_by_user_id: Set(None),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            archived_at: Set(None),
            ..Default::default()
        }
    });
    insert_chunked::<inspection_finding::Entity, _>(w.txn, rows).await?;
    w.counts.inspections += 1;
    w.counts.inspection_findings += findings.len();
    Ok(())
}
