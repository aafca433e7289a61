//! The quota engine's counting against a small world on both databases: `count` (one aggregate
//! statement per rule) gives the exact per-period values for metrics with filters, leaves out
//! rows after `as_of`, in a skipped holiday week, archived or outside the population; and for
//! every case `evidence` (the rows judged one by one) agrees with it: the rows it marks counted
//! add up, per period, to what `count` returned (for a ratio, their mean is the ratio).
use api::org::calendar::{calendar_of_semester, Calendar};
use api::quota::counting::{count, no_data, Population};
use api::quota::evaluate::Shape;
use api::quota::evidence::{evidence, Evidence};
use api::quota::periods::{periods, Period, PeriodKind};
use api::quota::rules::{Metric, SubjectType};
use chrono::{NaiveDate, Utc};
use entities::enums::*;
use entities::{
    activity, activity_lesson, activity_participant, mentorship, observation, record, record_coauthor, semester,
    teacher_subject,
};
use jiaoyan_tests::fixtures::{activity_row, date, new_teacher, observation_row, World};
use jiaoyan_tests::{on_both_backends, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set};

fn as_of() -> NaiveDate {
    date(2026, 11, 20)
}

/// The fixture world, plus a second teacher in school B, subjects taught, and 国庆 stretched to
/// Friday 9 October so that the week of 5 October is a holiday week (skipped by weekly rules).
struct Scene {
    w: World,
    /// 孙老师, school B.
    teacher_b2: i64,
    calendar: Calendar,
}

async fn scene(app: &TestApp) -> Scene {
    let w = World::build(app).await;
    let db = &app.db;
    let mut sem: semester::ActiveModel =
        semester::Entity::find_by_id(w.semester).one(db).await.unwrap().unwrap().into();
    sem.holidays = Set(serde_json::json!([{"name": "国庆节", "start": "2026-10-01", "end": "2026-10-09"}]));
    let sem = sem.update(db).await.unwrap();
    let teacher_b2 = new_teacher(db, w.school_b, "孙老师").await;
    for teacher_id in [w.teacher_a, w.leader_a, w.teacher_b, teacher_b2] {
        let now = Utc::now();
        teacher_subject::ActiveModel {
            teacher_id: Set(teacher_id),
            subject: Set("语文".into()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .unwrap();
    }
    Scene { w, teacher_b2, calendar: calendar_of_semester(&sem).unwrap() }
}

/// An observation by `observer` (of `observer_school`) of `observed` (of `observed_school`).
#[allow(clippy::too_many_arguments)]
async fn observe(
    db: &DatabaseConnection,
    w: &World,
    (observer, observer_school): (i64, i64),
    (observed, observed_school): (i64, i64),
    on: NaiveDate,
    kind: LessonKind,
    subject: &str,
    tweak: impl FnOnce(&mut observation::ActiveModel),
) -> i64 {
    let mut row = observation_row(w.district, w.semester, (observer, observer_school), observed, on);
    row.observed_school_id = Set(Some(observed_school));
    row.lesson_kind = Set(kind);
    row.subject = Set(subject.into());
    tweak(&mut row);
    row.insert(db).await.unwrap().id
}

fn feedback(critique: bool, (s, wk, sg): (i32, i32, i32)) -> impl FnOnce(&mut observation::ActiveModel) {
    move |row| {
        row.critique_given = Set(critique);
        row.strengths_count = Set(s);
        row.weaknesses_count = Set(wk);
        row.suggestions_count = Set(sg);
    }
}

fn archived_observation(row: &mut observation::ActiveModel) {
    row.archived_at = Set(Some(Utc::now()));
}

/// A record of `author` (school `school_id`), on time, without hours or form; `tweak` sets the rest.
async fn write(
    db: &DatabaseConnection,
    w: &World,
    (author, school_id): (i64, i64),
    kind: RecordKind,
    on: NaiveDate,
    words: i32,
    tweak: impl FnOnce(&mut record::ActiveModel),
) -> i64 {
    let now = Utc::now();
    let mut row = record::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        school_id: Set(school_id),
        author_teacher_id: Set(author),
        semester_id: Set(Some(w.semester)),
        kind: Set(kind),
        title: Set(format!("{} {on}", kind.code())),
        body: Set(None),
        attachment_url: Set(None),
        written_on: Set(on),
        word_count: Set(words),
        hours: Set(None),
        lesson_plan_form: Set(None),
        project_level: Set(None),
        project_stage: Set(None),
        award_level: Set(None),
        award_rank: Set(None),
        activity_id: Set(None),
        observation_id: Set(None),
        task_id: Set(None),
        due_on: Set(None),
        submitted_on: Set(on),
        late: Set(false),
        created_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    };
    tweak(&mut row);
    row.insert(db).await.unwrap().id
}

/// A group activity of `group_id` (school `school_id`): a 集体备课 on site unless `tweak` says otherwise.
async fn hold(
    db: &DatabaseConnection,
    w: &World,
    (group_id, school_id): (Option<i64>, i64),
    on: NaiveDate,
    status: ActivityStatus,
    tweak: impl FnOnce(&mut activity::ActiveModel),
) -> i64 {
    let mut row = activity::ActiveModel {
        school_id: Set(Some(school_id)),
        organiser_kind: Set(if group_id.is_some() { OrganiserKind::Group } else { OrganiserKind::School }),
        group_id: Set(group_id),
        title: Set(format!("活动 {on}")),
        date: Set(Some(on)),
        status: Set(status),
        ..activity_row(w.district, w.semester)
    };
    tweak(&mut row);
    row.insert(db).await.unwrap().id
}

async fn lesson(db: &DatabaseConnection, activity_id: i64, teacher_id: i64, kind: LessonKind) {
    let now = Utc::now();
    activity_lesson::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        position: Set(1),
        teacher_id: Set(teacher_id),
        subject: Set("语文".into()),
        grade: Set(None),
        class_name: Set(None),
        lesson_kind: Set(kind),
        title: Set(Some("荷花".into())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn attend(db: &DatabaseConnection, activity_id: i64, teacher_id: i64, status: AttendanceStatus, expected: bool) {
    let now = Utc::now();
    activity_participant::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id),
        teacher_id: Set(teacher_id),
        expected: Set(expected),
        status: Set(status),
        leave_reason: Set(None),
        signed_in_at: Set(None),
        recorded_by_user_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .unwrap();
}

async fn pair(db: &DatabaseConnection, w: &World, school_id: i64, mentor: i64, mentee: i64) -> i64 {
    let now = Utc::now();
    let term = semester::Entity::find_by_id(w.semester).one(db).await.unwrap().unwrap();
    mentorship::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        school_id: Set(school_id),
        mentor_teacher_id: Set(mentor),
        mentee_teacher_id: Set(mentee),
        start_semester_id: Set(w.semester),
        end_semester_id: Set(w.semester),
        start_date: Set(term.start_date),
        end_date: Set(term.end_date),
        agreement: Set(None),
        duties: Set(serde_json::json!([])),
        status: Set(MentorshipStatus::Active),
        grade_band_mismatch: Set(false),
        assessment_grade: Set(None),
        assessment_comment: Set(None),
        reward: Set(None),
        assessed_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

fn district(w: &World) -> Population {
    Population { district_id: w.district, school_ids: None, subject_ids: None }
}

/// One rule's counting: the population, the subject type, the metric and the period kind.
struct Case<'a> {
    s: &'a Scene,
    population: Population,
    subject_type: SubjectType,
    metric: Metric,
    period: PeriodKind,
}

impl Case<'_> {
    fn periods(&self) -> Vec<Period> {
        periods(&self.s.calendar, self.period, None)
    }

    /// `count` returns exactly `expected` (ratios to 4 decimals), and for every expected subject
    /// and each of `also` (subjects that must be absent) the evidence agrees with it.
    async fn expect(&self, app: &TestApp, expected: &[(i64, Vec<f64>)], also: &[i64]) {
        let periods = self.periods();
        let got = count(&app.db, &self.population, self.subject_type, &self.metric, &periods, as_of()).await.unwrap();
        let mut keys: Vec<i64> = got.keys().copied().collect();
        keys.sort();
        let mut wanted: Vec<i64> = expected.iter().map(|(id, _)| *id).collect();
        wanted.sort();
        assert_eq!(keys, wanted, "{}: subjects counted {got:?}", self.metric.code());
        for (id, values) in expected {
            let actual = &got[id];
            assert_eq!(actual.len(), periods.len(), "{}: one value per period", self.metric.code());
            for (i, (a, e)) in actual.iter().zip(values.iter().chain(std::iter::repeat(&self.idle()))).enumerate() {
                assert!(
                    (a - e).abs() < 1e-9,
                    "{} subject {id} period {i}: got {actual:?}, expected {values:?}",
                    self.metric.code()
                );
            }
        }
        for id in expected.iter().map(|(id, _)| *id).chain(also.iter().copied()) {
            self.agree(app, id, got.get(&id), &periods).await;
        }
    }

    /// The value of a period without rows, for expected vectors given shorter than the periods.
    fn idle(&self) -> f64 {
        no_data(&self.metric)
    }

    async fn agree(&self, app: &TestApp, id: i64, counted: Option<&Vec<f64>>, periods: &[Period]) {
        let rows = self.evidence(app, id).await;
        for row in rows.iter().filter(|r| r.counted) {
            assert!(row.reason.is_none() && row.date <= as_of() && row.period_index.is_some(), "{row:?}");
        }
        for (i, _) in periods.iter().enumerate() {
            let values: Vec<f64> =
                rows.iter().filter(|r| r.counted && r.period_index == Some(i)).map(|r| r.value).collect();
            let from_evidence = match self.metric.shape() {
                Shape::Count => values.iter().sum(),
                Shape::Ratio if values.is_empty() => no_data(&self.metric),
                Shape::Ratio => values.iter().sum::<f64>() / values.len() as f64,
            };
            let from_count = counted.map_or(no_data(&self.metric), |v| v[i]);
            assert!(
                (from_evidence - from_count).abs() < 1e-4,
                "{} subject {id} period {i}: evidence {from_evidence} but count {from_count}; evidence {rows:#?}",
                self.metric.code()
            );
        }
    }

    async fn evidence(&self, app: &TestApp, id: i64) -> Vec<Evidence> {
        let rows = evidence(&app.db, self.subject_type, id, &self.metric, &self.periods(), as_of()).await.unwrap();
        assert!(rows.windows(2).all(|p| (p[0].date, p[0].id) <= (p[1].date, p[1].id)), "ordered by date then id");
        rows
    }
}

/// The reason the evidence gives for row `id` (`None`: it counted); panics when the row is not listed.
#[track_caller]
fn reason_of(rows: &[Evidence], id: i64) -> Option<String> {
    let row = rows.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("row {id} not in {rows:#?}"));
    row.reason.clone()
}

async fn observations_with_filters_per_month_and_week(app: TestApp) {
    let s = scene(&app).await;
    let (w, db) = (&s.w, &app.db);
    let (ta, la, tb, b2) =
        ((w.teacher_a, w.school_a), (w.leader_a, w.school_a), (w.teacher_b, w.school_b), (s.teacher_b2, w.school_b));
    let none = |_: &mut observation::ActiveModel| {};
    use LessonKind::{Open, Ordinary};
    let o1 = observe(db, w, ta, la, date(2026, 9, 10), Ordinary, "语文", feedback(true, (1, 1, 1))).await;
    let o2 = observe(db, w, ta, tb, date(2026, 9, 15), Ordinary, "语文", none).await;
    let o3 = observe(db, w, ta, la, date(2026, 9, 21), Open, "语文", none).await;
    let o4 = observe(db, w, ta, la, date(2026, 10, 12), Ordinary, "数学", none).await;
    let o5 = observe(db, w, ta, la, date(2026, 10, 20), Ordinary, "语文", feedback(true, (1, 1, 0))).await;
    let o6 = observe(db, w, ta, la, date(2026, 10, 21), Ordinary, "语文", archived_observation).await;
    let o7 = observe(db, w, ta, la, date(2026, 11, 25), Ordinary, "语文", none).await;
    let o8 = observe(db, w, ta, la, date(2026, 11, 3), Ordinary, "语文", feedback(false, (1, 1, 1))).await;
    // Thursday of the 国庆 week: a holiday week for weekly rules, October for monthly ones.
    let o9 = observe(db, w, ta, la, date(2026, 10, 8), Ordinary, "语文", none).await;
    observe(db, w, la, ta, date(2026, 9, 11), Ordinary, "语文", none).await;
    observe(db, w, tb, b2, date(2026, 9, 14), Ordinary, "语文", none).await;
    observe(db, w, tb, ta, date(2026, 9, 16), Ordinary, "语文", none).await;

    // 本学科常态课, teachers of the observer's own school, per month.
    let same = Metric::Observations {
        lesson_kinds: vec![Ordinary.into()],
        same_subject: true,
        same_school: true,
        critique_given: false,
        feedback_complete: false,
    };
    let case = |population| Case {
        s: &s,
        population,
        subject_type: SubjectType::Teacher,
        metric: same.clone(),
        period: PeriodKind::Month,
    };
    let monthly = case(district(w));
    assert_eq!(monthly.periods().len(), 5, "September to January");
    monthly
        .expect(
            &app,
            &[(w.teacher_a, vec![1.0, 2.0, 1.0, 0.0, 0.0]), (w.leader_a, vec![1.0]), (w.teacher_b, vec![1.0])],
            &[s.teacher_b2],
        )
        .await;
    let rows = monthly.evidence(&app, w.teacher_a).await;
    assert_eq!(rows.len(), 8, "the archived observation is no candidate: {rows:#?}");
    assert!(rows.iter().all(|r| r.id != o6));
    assert_eq!(reason_of(&rows, o1), None);
    assert_eq!(reason_of(&rows, o2).as_deref(), Some("observed teacher of another school"));
    assert_eq!(reason_of(&rows, o3).as_deref(), Some("lesson kind not counted: open"));
    assert_eq!(reason_of(&rows, o4).as_deref(), Some("other subject: 数学"));
    assert_eq!(reason_of(&rows, o7).as_deref(), Some("dated after as_of (2026-11-20)"));
    assert_eq!(reason_of(&rows, o9), None, "a holiday-week day still counts for its month");

    // Narrowed by school, by subject, and by both.
    let only_a = Population { school_ids: Some(vec![w.school_a]), ..district(w) };
    case(only_a.clone()).expect(&app, &[(w.teacher_a, vec![1.0, 2.0, 1.0]), (w.leader_a, vec![1.0])], &[]).await;
    let only_b = Population { subject_ids: Some(vec![w.teacher_b]), ..district(w) };
    case(only_b).expect(&app, &[(w.teacher_b, vec![1.0])], &[]).await;
    case(Population { subject_ids: Some(vec![w.teacher_b]), ..only_a }).expect(&app, &[], &[]).await;
    let elsewhere = Population { district_id: w.other_district, school_ids: None, subject_ids: None };
    case(elsewhere).expect(&app, &[], &[]).await;

    // 评课 with 三个一, per semester: only o1 has both.
    let critiqued = Metric::Observations {
        lesson_kinds: vec![],
        same_subject: false,
        same_school: false,
        critique_given: true,
        feedback_complete: true,
    };
    let c = Case {
        s: &s,
        population: district(w),
        subject_type: SubjectType::Teacher,
        metric: critiqued,
        period: PeriodKind::Semester,
    };
    c.expect(&app, &[(w.teacher_a, vec![1.0])], &[w.leader_a]).await;
    let rows = c.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, o5).as_deref(), Some("feedback incomplete (三个一)"));
    assert_eq!(reason_of(&rows, o8).as_deref(), Some("no critique given"));

    // Every observation, per teaching week: the 国庆 week is skipped, so o9 counts nowhere.
    let any = Metric::Observations {
        lesson_kinds: vec![],
        same_subject: false,
        same_school: false,
        critique_given: false,
        feedback_complete: false,
    };
    let weekly = Case {
        s: &s,
        population: Population { subject_ids: Some(vec![w.teacher_a]), ..district(w) },
        subject_type: SubjectType::Teacher,
        metric: any,
        period: PeriodKind::Week,
    };
    let weeks = weekly.periods();
    assert!(
        weeks.iter().all(|p| !(p.start <= date(2026, 10, 8) && date(2026, 10, 8) <= p.end)),
        "the 国庆 week is no period"
    );
    let mut expected = vec![0.0; weeks.len()];
    for day in [(9, 10), (9, 15), (9, 21), (10, 12), (10, 20), (11, 3)] {
        let d = date(2026, day.0, day.1);
        expected[weeks.iter().position(|p| p.start <= d && d <= p.end).unwrap()] += 1.0;
    }
    weekly.expect(&app, &[(w.teacher_a, expected)], &[]).await;
    let rows = weekly.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, o9).as_deref(), Some("outside every period (holiday week)"));
    assert_eq!(reason_of(&rows, o3), None);

    // A check before the semester started counts nothing.
    let early =
        count(&app.db, &district(w), SubjectType::Teacher, &weekly.metric, &weeks, date(2026, 8, 20)).await.unwrap();
    assert!(early.is_empty());

    // The pairs: 李组长 mentors 王老师 (school A); 赵老师 mentors 孙老师 (school B).
    let pair_a = pair(db, w, w.school_a, w.leader_a, w.teacher_a).await;
    let pair_b = pair(db, w, w.school_b, w.teacher_b, s.teacher_b2).await;
    let pairs = |metric| Case {
        s: &s,
        population: district(w),
        subject_type: SubjectType::Mentorship,
        metric,
        period: PeriodKind::Month,
    };
    pairs(Metric::MentorObservesMentee { lesson_kinds: vec![Ordinary.into()] })
        .expect(&app, &[(pair_a, vec![1.0]), (pair_b, vec![1.0])], &[])
        .await;
    let mentee = pairs(Metric::MenteeObservesMentor { lesson_kinds: vec![] });
    mentee.expect(&app, &[(pair_a, vec![2.0, 3.0, 1.0])], &[pair_b]).await;
    let rows = mentee.evidence(&app, pair_a).await;
    assert!(rows.iter().any(|r| r.reason.as_deref() == Some("other direction: the mentor observed the mentee")));
    let in_b = Population { school_ids: Some(vec![w.school_b]), ..district(w) };
    Case { population: in_b, ..pairs(Metric::MentorObservesMentee { lesson_kinds: vec![] }) }
        .expect(&app, &[(pair_b, vec![1.0])], &[])
        .await;
}

async fn records_words_hours_and_full_plans(app: TestApp) {
    let s = scene(&app).await;
    let (w, db) = (&s.w, &app.db);
    let (ta, la) = ((w.teacher_a, w.school_a), (w.leader_a, w.school_a));
    let none = |_: &mut record::ActiveModel| {};
    use RecordKind::*;
    let r1 = write(db, w, ta, Paper, date(2026, 9, 20), 600, none).await;
    let r2 = write(db, w, ta, Paper, date(2026, 9, 22), 320, none).await;
    let r3 = write(db, w, ta, Paper, date(2026, 10, 10), 800, |r| r.late = Set(true)).await;
    let r4 = write(db, w, ta, Reflection, date(2026, 10, 14), 700, none).await;
    let r5 = write(db, w, ta, Paper, date(2026, 12, 1), 900, none).await;
    let r6 = write(db, w, ta, Paper, date(2026, 10, 16), 900, |r| r.archived_at = Set(Some(Utc::now()))).await;
    let r7 = write(db, w, la, Paper, date(2026, 10, 15), 700, none).await;
    record_coauthor::ActiveModel { record_id: Set(r7), teacher_id: Set(w.teacher_a) }.insert(db).await.unwrap();

    // 论文不少于500字, on time; co-authored papers counted or not.
    let papers = |include_coauthored| Metric::Records {
        kinds: vec![Paper.into()],
        min_words: Some(500),
        on_time_only: true,
        lesson_plan_form: None,
        include_coauthored,
    };
    let case =
        |metric, period| Case { s: &s, population: district(w), subject_type: SubjectType::Teacher, metric, period };
    let with = case(papers(true), PeriodKind::Semester);
    with.expect(&app, &[(w.teacher_a, vec![2.0]), (w.leader_a, vec![1.0])], &[w.teacher_b]).await;
    let rows = with.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, r1), None);
    assert_eq!(reason_of(&rows, r2).as_deref(), Some("too short: 320 字 < 500"));
    assert_eq!(reason_of(&rows, r3).as_deref(), Some("late"));
    assert_eq!(reason_of(&rows, r4).as_deref(), Some("wrong kind: reflection"));
    assert_eq!(reason_of(&rows, r5).as_deref(), Some("dated after as_of (2026-11-20)"));
    assert_eq!(reason_of(&rows, r7), None, "co-authored, and the rule counts it");
    assert!(rows.iter().all(|r| r.id != r6), "archived records are no candidates");
    let without = case(papers(false), PeriodKind::Semester);
    without.expect(&app, &[(w.teacher_a, vec![1.0]), (w.leader_a, vec![1.0])], &[]).await;
    let rows = without.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, r7).as_deref(), Some("co-authored: the rule counts own records"));
    let only_leader = Population { subject_ids: Some(vec![w.leader_a]), ..district(w) };
    Case { population: only_leader, ..case(papers(true), PeriodKind::Semester) }
        .expect(&app, &[(w.leader_a, vec![1.0])], &[])
        .await;

    // Lesson plans: two full, one brief, one without a form → half in full; the leader's one brief.
    for (on, form) in [
        ((9, 8), Some(LessonPlanForm::Full)),
        ((9, 9), Some(LessonPlanForm::Full)),
        ((10, 9), Some(LessonPlanForm::Brief)),
        ((11, 2), None),
    ] {
        write(db, w, ta, LessonPlan, date(2026, on.0, on.1), 1500, |r| r.lesson_plan_form = Set(form)).await;
    }
    write(db, w, la, LessonPlan, date(2026, 9, 30), 900, |r| r.lesson_plan_form = Set(Some(LessonPlanForm::Brief)))
        .await;
    case(Metric::FullLessonPlanShare, PeriodKind::Semester)
        .expect(&app, &[(w.teacher_a, vec![0.5]), (w.leader_a, vec![0.0])], &[w.teacher_b])
        .await;
    let full_plans = Metric::Records {
        kinds: vec![LessonPlan.into()],
        min_words: None,
        on_time_only: false,
        lesson_plan_form: Some(LessonPlanForm::Full.into()),
        include_coauthored: false,
    };
    case(full_plans, PeriodKind::Month).expect(&app, &[(w.teacher_a, vec![2.0])], &[w.leader_a]).await;

    // 学习笔记 words per month, late ones counted or not; training hours per semester.
    write(db, w, ta, StudyNote, date(2026, 9, 5), 1200, none).await;
    write(db, w, ta, StudyNote, date(2026, 9, 25), 800, |r| r.late = Set(true)).await;
    write(db, w, ta, StudyNote, date(2026, 10, 13), 500, none).await;
    let words = |on_time_only| Metric::RecordWords { kinds: vec![StudyNote.into()], on_time_only };
    case(words(false), PeriodKind::Month).expect(&app, &[(w.teacher_a, vec![2000.0, 500.0])], &[]).await;
    case(words(true), PeriodKind::Month).expect(&app, &[(w.teacher_a, vec![1200.0, 500.0])], &[]).await;
    write(db, w, ta, Training, date(2026, 9, 18), 0, |r| r.hours = Set(Some(2.5))).await;
    write(db, w, ta, Training, date(2026, 10, 22), 0, |r| r.hours = Set(Some(1.5))).await;
    let no_hours = write(db, w, ta, Training, date(2026, 11, 5), 0, none).await;
    let hours = case(Metric::RecordHours { kinds: vec![Training.into()] }, PeriodKind::Semester);
    hours.expect(&app, &[(w.teacher_a, vec![4.0])], &[w.leader_a]).await;
    assert_eq!(reason_of(&hours.evidence(&app, w.teacher_a).await, no_hours).as_deref(), Some("no hours recorded"));
}

async fn activities_lessons_and_attendance(app: TestApp) {
    let s = scene(&app).await;
    let (w, db) = (&s.w, &app.db);
    let (ga, gb) = ((Some(w.group_a), w.school_a), (Some(w.group_b), w.school_b));
    let none = |_: &mut activity::ActiveModel| {};
    use ActivityStatus::{Archived, Held, Scheduled};
    let a1 = hold(db, w, ga, date(2026, 9, 16), Held, none).await;
    let a2 = hold(db, w, ga, date(2026, 10, 14), Held, |a| a.modality = Set(Modality::Online)).await;
    let a3 = hold(db, w, ga, date(2026, 10, 28), Scheduled, none).await;
    let a4 = hold(db, w, ga, date(2026, 11, 4), Archived, none).await;
    let a5 = hold(db, w, ga, date(2026, 9, 23), Held, |a| a.archived_at = Set(Some(Utc::now()))).await;
    let a6 = hold(db, w, ga, date(2026, 11, 25), Held, none).await;
    let a7 =
        hold(db, w, (None, w.school_a), date(2026, 10, 20), Held, |a| a.activity_type = Set(ActivityType::TheoryStudy))
            .await;
    let a8 = hold(db, w, gb, date(2026, 9, 17), Held, none).await;

    // 集体备课 held on site, per month, by group; any activity by school.
    let on_site = Metric::ActivitiesHeld {
        activity_types: vec![ActivityType::CollectivePrep.into()],
        modality: Some(Modality::OnSite.into()),
    };
    let groups =
        |metric, period| Case { s: &s, population: district(w), subject_type: SubjectType::Group, metric, period };
    let held = groups(on_site.clone(), PeriodKind::Month);
    held.expect(&app, &[(w.group_a, vec![1.0, 0.0, 1.0]), (w.group_b, vec![1.0])], &[]).await;
    let rows = held.evidence(&app, w.group_a).await;
    assert_eq!(reason_of(&rows, a1), None);
    assert_eq!(reason_of(&rows, a2).as_deref(), Some("other modality: online"));
    assert_eq!(reason_of(&rows, a3).as_deref(), Some("activity not held (scheduled)"));
    assert_eq!(reason_of(&rows, a4), None, "filed activities were held");
    assert_eq!(reason_of(&rows, a6).as_deref(), Some("dated after as_of (2026-11-20)"));
    assert!(rows.iter().all(|r| r.id != a5), "archived activities are no candidates");
    Case {
        population: Population { school_ids: Some(vec![w.school_a]), ..district(w) },
        ..groups(on_site, PeriodKind::Month)
    }
    .expect(&app, &[(w.group_a, vec![1.0, 0.0, 1.0])], &[])
    .await;
    let online = Metric::ActivitiesHeld { activity_types: vec![], modality: Some(Modality::Online.into()) };
    groups(online, PeriodKind::Semester).expect(&app, &[(w.group_a, vec![1.0])], &[w.group_b]).await;
    let by_school = Case {
        s: &s,
        population: district(w),
        subject_type: SubjectType::School,
        metric: Metric::ActivitiesHeld { activity_types: vec![], modality: None },
        period: PeriodKind::Semester,
    };
    by_school.expect(&app, &[(w.school_a, vec![1.0])], &[w.school_b]).await;
    let rows = by_school.evidence(&app, w.school_a).await;
    assert_eq!(reason_of(&rows, a7), None);
    assert_eq!(reason_of(&rows, a1).as_deref(), Some("organised by a group, not the school"));

    // 公开课 given at held activities.
    lesson(db, a1, w.teacher_a, LessonKind::Open).await;
    lesson(db, a2, w.teacher_a, LessonKind::Ordinary).await;
    lesson(db, a3, w.teacher_a, LessonKind::Open).await;
    lesson(db, a4, w.leader_a, LessonKind::Open).await;
    let teachers = |metric| Case {
        s: &s,
        population: district(w),
        subject_type: SubjectType::Teacher,
        metric,
        period: PeriodKind::Semester,
    };
    let lessons = teachers(Metric::LessonsGiven { lesson_kinds: vec![LessonKind::Open.into()] });
    lessons.expect(&app, &[(w.teacher_a, vec![1.0]), (w.leader_a, vec![1.0])], &[w.teacher_b]).await;
    let rows = lessons.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, a2).as_deref(), Some("lesson kind not counted: ordinary"));
    assert_eq!(reason_of(&rows, a3).as_deref(), Some("activity not held (scheduled)"));

    // Attendance: 王老师 present, absent, pending (and present at a scheduled and a later one);
    // 李组长 late, on leave, present; 赵老师 walks in at a1 and is expected at a8.
    use AttendanceStatus::*;
    for (activity_id, teacher_id, status, expected) in [
        (a1, w.teacher_a, Present, true),
        (a1, w.leader_a, Late, true),
        (a1, w.teacher_b, Present, false),
        (a2, w.teacher_a, Absent, true),
        (a2, w.leader_a, OnLeave, true),
        (a4, w.teacher_a, Pending, true),
        (a4, w.leader_a, Present, true),
        (a3, w.teacher_a, Present, true),
        (a6, w.teacher_a, Present, true),
        (a8, w.teacher_b, Present, true),
    ] {
        attend(db, activity_id, teacher_id, status, expected).await;
    }
    let attended = teachers(Metric::ActivitiesAttended { activity_types: vec![] });
    attended.expect(&app, &[(w.teacher_a, vec![1.0]), (w.leader_a, vec![2.0]), (w.teacher_b, vec![2.0])], &[]).await;
    let rows = attended.evidence(&app, w.teacher_a).await;
    assert_eq!(reason_of(&rows, a2).as_deref(), Some("absent"));
    assert_eq!(reason_of(&rows, a4).as_deref(), Some("pending"));
    assert_eq!(reason_of(&rows, a3).as_deref(), Some("activity not held (scheduled)"));
    assert_eq!(reason_of(&attended.evidence(&app, w.leader_a).await, a2).as_deref(), Some("on leave"));
    teachers(Metric::ActivitiesAttended { activity_types: vec![ActivityType::TheoryStudy.into()] })
        .expect(&app, &[], &[w.teacher_a])
        .await;

    // The rate: attended over expected not on leave (pending counts as missed; walk-ins not at all).
    let rate = teachers(Metric::AttendanceRate);
    rate.expect(
        &app,
        &[(w.teacher_a, vec![0.3333]), (w.leader_a, vec![1.0]), (w.teacher_b, vec![1.0])],
        &[w.teacher_c],
    )
    .await;
    let rows = rate.evidence(&app, w.teacher_b).await;
    assert_eq!(reason_of(&rows, a1).as_deref(), Some("walk-in (not expected)"));
    // Per organising group: 王老师 1 of 3, 李组长 2 of 2 → 3 of 5.
    groups(Metric::AttendanceRate, PeriodKind::Semester)
        .expect(&app, &[(w.group_a, vec![0.6]), (w.group_b, vec![1.0])], &[])
        .await;
}

on_both_backends!(
    observations_with_filters_per_month_and_week,
    records_words_hours_and_full_plans,
    activities_lessons_and_attendance
);
