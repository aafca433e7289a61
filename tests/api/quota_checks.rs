//! The quota checks end to end (docs/API-DESIGN.md, "Quota checks"): rules entered through `POST
//! /quota-rules` (17 that apply, 16 of them from the catalogue, and 3 that must not apply), a small
//! school's semester of observations, records and activities, and the exact status of every
//! (subject, rule) at three dates — early, mid-term and after the end of the semester — from `GET
//! /quota-checks`, with the hand computation next to each expectation. Then the contract around it:
//! 422s naming the field, who sees which checks, the `status=` filter and paging.
//!
//! ## The calendar (the fixture's autumn semester)
//! 2026-09-01 (Tue) to 2027-01-22 (Fri), week 1 from Monday 08-31, 国庆 10-01..10-07.
//! Teaching days per month: Sep 22, Oct 17 (22 weekdays − 5 holidays), Nov 21, Dec 23, Jan 16 of
//! the month's 21 (cut by the end) = 99. Weeks: 21 teaching weeks (none skipped: week 6 keeps
//! Oct 8–9), week 1 = Sep 1–6 (4 of 5 days: needs ceil(1 × 4/5) = 1).
//!
//! The three dates and the teaching days elapsed by each (as_of included):
//! - EARLY 2026-09-18 (Fri, week 3): Sep 1–18 = 4 + 5 + 5 = 14 → share 14/99;
//! - MID 2026-11-20 (Fri): Sep 22 + Oct 17 + Nov 2–20 15 = 54 → share 54/99;
//! - END 2027-02-01: the semester is over, every period finished: 99/99.
//!
//! So for a semester rule of minimum m with actual a: projected = a × 99/14 (early), a × 99/54
//! (mid); at_risk when projected < m, on_track otherwise, met as soon as a ≥ m, short at the end
//! when a < m.
//!
//! ## The school (school A of the fixture world)
//! - 张校长 (new): supervising_leader, 数学; 陈主任 (new): academic_director, 数学;
//! - 李组长 (`leader_a`): research_group_leader, 语文, leads 语文 research group `group_a`, mentor;
//! - 王老师 (`teacher_a`): no post, 语文, member of `group_a`, mentee of 李组长;
//! - a district 中心组 (no school) with 李组长 and school B's teacher as members.
//!
//! Observations and records dated up to MID go through the API (an administrator records them
//! for the teacher; the API counts the words); those dated later cannot (no date in the future)
//! and are written straight into the database, as are all activities and their lessons.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entities::enums::{ActivityStatus, ActivityType, LessonKind, Modality, OrganiserKind, RecordKind};
use entities::{activity, activity_lesson, observation, record, semester};
use jiaoyan_tests::fixtures::{activity_row, date, observation_row, World};
use jiaoyan_tests::{json, on_both_backends, Resp, TestApp};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use serde_json::Value;

const RULES: &str = "/api/v1/quota-rules";
const CHECKS: &str = "/api/v1/quota-checks";
const EARLY: &str = "2026-09-18";
const MID: &str = "2026-11-20";
const END: &str = "2027-02-01";
const DATES: [&str; 3] = [EARLY, MID, END];

/// 50 characters, each one 字 (45 Chinese characters and 5 full-width marks).
const FIFTY: &str =
    "本学期我校语文组围绕低年级识字教学开展了校本教研活动，老师们集体备课、互相听课、认真评课，收获很多。";

fn mid() -> NaiveDate {
    date(2026, 11, 20)
}

/// Who the checks are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Zhang,
    Chen,
    Li,
    Wang,
    GroupA,
    Pair,
    SchoolA,
    Team,
}

/// The ids of the school built on top of the fixture world.
struct School {
    w: World,
    zhang: i64,
    chen: i64,
    li: i64,
    wang: i64,
    team: i64,
    pair: i64,
    spring: i64,
}

impl School {
    fn subject(&self, who: Who) -> (&'static str, i64) {
        match who {
            Who::Zhang => ("teacher", self.zhang),
            Who::Chen => ("teacher", self.chen),
            Who::Li => ("teacher", self.li),
            Who::Wang => ("teacher", self.wang),
            Who::GroupA => ("group", self.w.group_a),
            Who::Pair => ("mentorship", self.pair),
            Who::SchoolA => ("school", self.w.school_a),
            Who::Team => ("group", self.team),
        }
    }
}

fn id_of(resp: &Resp) -> i64 {
    resp.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {}", resp.body))
}

/// The organisation: two new teachers, posts and subjects, the 中心组, the mentorship pair, and
/// a spring semester (for a rule that must not apply in autumn).
async fn build_school(app: &TestApp) -> School {
    let w = World::build(app).await;
    let admin = &w.tokens.admin_a;
    let new_teacher = |name: &'static str, post: &'static str| {
        app.post(
            admin,
            "/api/v1/teachers",
            json!({"school_id": w.school_a, "name": name, "subjects": ["数学"], "posts": [post],
                   "teaching_start_year": 2005}),
        )
    };
    let zhang = id_of(&new_teacher("张校长", "supervising_leader").await.expect(201));
    let chen = id_of(&new_teacher("陈主任", "academic_director").await.expect(201));
    app.patch(
        admin,
        &format!("/api/v1/teachers/{}", w.leader_a),
        json!({"subjects": ["语文"], "posts": ["research_group_leader"]}),
    )
    .await
    .expect(200);
    app.patch(admin, &format!("/api/v1/teachers/{}", w.teacher_a), json!({"subjects": ["语文"]})).await.expect(200);

    let district = &w.tokens.district_admin;
    let team = id_of(
        &app.post(
            district,
            "/api/v1/groups",
            json!({"kind": "district_team", "district_id": w.district, "name": "县小学语文中心组", "subject": "语文",
                   "leader_teacher_id": w.leader_a}),
        )
        .await
        .expect(201),
    );
    for (teacher, role) in [(w.leader_a, "leader"), (w.teacher_b, "member")] {
        app.post(district, &format!("/api/v1/groups/{team}/members"), json!({"teacher_id": teacher, "role": role}))
            .await
            .expect(201);
    }
    let pair = id_of(
        &app.post(
            admin,
            "/api/v1/mentorships",
            json!({"mentor_teacher_id": w.leader_a, "mentee_teacher_id": w.teacher_a, "start_semester_id": w.semester}),
        )
        .await
        .expect(201),
    );
    let now = Utc::now();
    let spring = semester::ActiveModel {
        id: NotSet,
        district_id: Set(w.district),
        name: Set("2027年春季学期".into()),
        school_year: Set("2026-2027".into()),
        start_date: Set(date(2027, 2, 22)),
        end_date: Set(date(2027, 7, 9)),
        week1_start: Set(date(2027, 2, 22)),
        holidays: Set(json!([])),
        sourced_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    School { zhang, chen, li: w.leader_a, wang: w.teacher_a, team, pair, spring, w }
}

/// One observation: through the API up to MID (school A's administrator records it for the
/// observer), straight into the database after.
async fn observe(
    app: &TestApp,
    s: &School,
    observer: i64,
    observed: i64,
    on: NaiveDate,
    subject: &str,
    kind: LessonKind,
) {
    if on <= mid() {
        let kind = serde_json::to_value(kind).unwrap();
        app.post(
            &s.w.tokens.admin_a,
            "/api/v1/observations",
            json!({"observer_teacher_id": observer, "observed_teacher_id": observed, "observed_on": on,
                   "subject": subject, "lesson_kind": kind}),
        )
        .await
        .expect(201);
    } else {
        observation::ActiveModel {
            observed_school_id: Set(Some(s.w.school_a)),
            subject: Set(subject.into()),
            lesson_kind: Set(kind),
            ..observation_row(s.w.district, s.w.semester, (observer, s.w.school_a), observed, on)
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
}

/// A record of `words` 字 (a multiple of 50): through the API up to MID (the API counts the
/// words, and we check it agrees), straight into the database after. Returns its id.
async fn write(app: &TestApp, s: &School, author: i64, kind: RecordKind, words: usize, on: NaiveDate) -> i64 {
    assert_eq!(words % 50, 0);
    let body = FIFTY.repeat(words / 50);
    let title = format!("{}字的{}", words, kind.code());
    if on <= mid() {
        let created = app
            .post(
                &s.w.tokens.admin_a,
                "/api/v1/records",
                json!({"author_teacher_id": author, "kind": kind, "title": title, "body": body, "written_on": on}),
            )
            .await
            .expect(201);
        assert_eq!(created.body["word_count"], words, "the hand count of the body");
        id_of(&created)
    } else {
        let now = Utc::now();
        record::ActiveModel {
            id: NotSet,
            district_id: Set(s.w.district),
            school_id: Set(s.w.school_a),
            author_teacher_id: Set(author),
            semester_id: Set(Some(s.w.semester)),
            kind: Set(kind),
            title: Set(title),
            body: Set(Some(body)),
            attachment_url: Set(None),
            written_on: Set(on),
            word_count: Set(words as i32),
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
        }
        .insert(&app.db)
        .await
        .unwrap()
        .id
    }
}

/// Who organises an activity.
#[derive(Clone, Copy)]
enum Organiser {
    /// The school's 语文 research group.
    GroupA,
    /// The district 中心组.
    Team,
    /// School A itself.
    SchoolA,
}

/// An activity straight into the database, with the lessons given at it.
#[allow(clippy::too_many_arguments)]
async fn hold(
    app: &TestApp,
    s: &School,
    organiser: Organiser,
    on: NaiveDate,
    activity_type: ActivityType,
    modality: Modality,
    status: ActivityStatus,
    lessons: &[(i64, LessonKind)],
) -> i64 {
    let (kind, group, school) = match organiser {
        Organiser::GroupA => (OrganiserKind::Group, Some(s.w.group_a), Some(s.w.school_a)),
        Organiser::Team => (OrganiserKind::Group, Some(s.team), None),
        Organiser::SchoolA => (OrganiserKind::School, None, Some(s.w.school_a)),
    };
    let id = activity::ActiveModel {
        school_id: Set(school),
        organiser_kind: Set(kind),
        group_id: Set(group),
        activity_type: Set(activity_type),
        title: Set(format!("{} {on}", activity_type.code())),
        topic: Set(Some("识字教学".into())),
        date: Set(Some(on)),
        modality: Set(modality),
        status: Set(status),
        ..activity_row(s.w.district, s.w.semester)
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id;
    let now = Utc::now();
    for (position, (teacher, lesson_kind)) in lessons.iter().enumerate() {
        activity_lesson::ActiveModel {
            id: NotSet,
            activity_id: Set(id),
            position: Set(position as i32 + 1),
            teacher_id: Set(*teacher),
            subject: Set("语文".into()),
            grade: Set(Some(3)),
            class_name: Set(Some("三(2)班".into())),
            lesson_kind: Set(*lesson_kind),
            title: Set(Some("秋天的雨".into())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    id
}

/// Every observation of the semester. Per teacher, by date (E = by EARLY, M = by MID):
async fn load_observations(app: &TestApp, s: &School) {
    use LessonKind::{DropIn, Open, Ordinary};
    let d = date;
    // 张校长, all 数学 常态课 of 陈主任: Sep 8 15 | 23; Oct 13 20; Nov 4 11 18 | 25; Dec 2 3 9 16 23;
    // Jan 6 7 13 20. E 2, M 8, total 18. Per month: Sep 3, Oct 2, Nov 4, Dec 5, Jan 4.
    for (m, day) in [
        (9, 8),
        (9, 15),
        (9, 23),
        (10, 13),
        (10, 20),
        (11, 4),
        (11, 11),
        (11, 18),
        (11, 25),
        (12, 2),
        (12, 3),
        (12, 9),
        (12, 16),
        (12, 23),
        (1, 6),
        (1, 7),
        (1, 13),
        (1, 20),
    ] {
        let y = if m == 1 { 2027 } else { 2026 };
        observe(app, s, s.zhang, s.chen, d(y, m, day), "数学", Ordinary).await;
    }
    // 陈主任, all 数学 常态课 of 张校长: Sep 8 10 15 | 22 24; Oct 12 14 20; Nov 3 4 5 10 12 17 19 | 24;
    // Dec 2 8 15 22 29; Jan 5 12 14 19 21. E 3, M 5 + 3 + 7 = 15, total 26.
    // Per month: Sep 5, Oct 3 (short), Nov 8, Dec 5, Jan 5.
    for (m, day) in [
        (9, 8),
        (9, 10),
        (9, 15),
        (9, 22),
        (9, 24),
        (10, 12),
        (10, 14),
        (10, 20),
        (11, 3),
        (11, 4),
        (11, 5),
        (11, 10),
        (11, 12),
        (11, 17),
        (11, 19),
        (11, 24),
        (12, 2),
        (12, 8),
        (12, 15),
        (12, 22),
        (12, 29),
        (1, 5),
        (1, 12),
        (1, 14),
        (1, 19),
        (1, 21),
    ] {
        let y = if m == 1 { 2027 } else { 2026 };
        observe(app, s, s.chen, s.zhang, d(y, m, day), "数学", Ordinary).await;
    }
    // 李组长 (mentor), every one of 王老师 (the mentee) but Oct 20's:
    // - 随堂课 语文 (mentor → mentee drop-in): Sep 3 (week 1), Sep 9 (week 2), Sep 16 (week 3) |
    //   Dec 3, Jan 6, Jan 12, Jan 19; nothing in week 4 (Sep 21–27);
    // - 常态课 语文 (same subject): Oct 13, Oct 27, Nov 10, Nov 17 | Dec 1, Dec 15;
    // - not same-subject 常态课: 数学 常态课 of 陈主任 Oct 20 (other subject), 语文 公开课 Dec 2
    //   (wrong kind).
    // All: E 3, M 3 + 4 + 1 = 8, total 8 + 4 + 2 + 1 = 15.
    for on in
        [d(2026, 9, 3), d(2026, 9, 9), d(2026, 9, 16), d(2026, 12, 3), d(2027, 1, 6), d(2027, 1, 12), d(2027, 1, 19)]
    {
        observe(app, s, s.li, s.wang, on, "语文", DropIn).await;
    }
    for on in [d(2026, 10, 13), d(2026, 10, 27), d(2026, 11, 10), d(2026, 11, 17), d(2026, 12, 1), d(2026, 12, 15)] {
        observe(app, s, s.li, s.wang, on, "语文", Ordinary).await;
    }
    observe(app, s, s.li, s.chen, d(2026, 10, 20), "数学", Ordinary).await;
    observe(app, s, s.li, s.wang, d(2026, 12, 2), "语文", Open).await;
    // 王老师 (mentee): 语文 随堂课 of 李组长 Sep 10 | Dec 10 (mentee → mentor drop-in);
    // 语文 常态课 of 李组长 Sep 15, Oct 21 | Dec 17 (same subject); 数学 常态课 of 陈主任 Nov 4 and
    // of 张校长 Jan 14 (other subject); 语文 公开课 of 李组长 Nov 13 (wrong kind).
    // All: E 2, M 5, total 8.
    observe(app, s, s.wang, s.li, d(2026, 9, 10), "语文", DropIn).await;
    observe(app, s, s.wang, s.li, d(2026, 9, 15), "语文", Ordinary).await;
    observe(app, s, s.wang, s.li, d(2026, 10, 21), "语文", Ordinary).await;
    observe(app, s, s.wang, s.chen, d(2026, 11, 4), "数学", Ordinary).await;
    observe(app, s, s.wang, s.li, d(2026, 11, 13), "语文", Open).await;
    observe(app, s, s.wang, s.li, d(2026, 12, 10), "语文", DropIn).await;
    observe(app, s, s.wang, s.li, d(2026, 12, 17), "语文", Ordinary).await;
    observe(app, s, s.wang, s.zhang, d(2027, 1, 14), "数学", Ordinary).await;
}

/// Every record of the semester, with its words.
async fn load_records(app: &TestApp, s: &School) {
    use RecordKind::{Paper, ReadingNote, Reflection, StudyNote};
    let d = date;
    // 王老师: study note 1500 Sep 14, reading note 2000 Oct 20, reflection 1000 Oct 21 (wrong kind
    // for the words), paper 550 Nov 5 (≥ 500) | study note 1600 Dec 15.
    // Words (reading + study notes): E 1500, M 3500, total 5100.
    write(app, s, s.wang, StudyNote, 1500, d(2026, 9, 14)).await;
    write(app, s, s.wang, ReadingNote, 2000, d(2026, 10, 20)).await;
    write(app, s, s.wang, Reflection, 1000, d(2026, 10, 21)).await;
    write(app, s, s.wang, Paper, 550, d(2026, 11, 5)).await;
    write(app, s, s.wang, StudyNote, 1600, d(2026, 12, 15)).await;
    // 李组长: reading note 2000 Oct 9, paper 300 Oct 10 (too short), a study note of 1500 on Nov 2
    // that is deleted | paper 800 Dec 18, study note 2000 Dec 21.
    // Words: E 0, M 2000, total 4000. Papers of ≥ 500 字: E 0, M 0, total 1.
    write(app, s, s.li, ReadingNote, 2000, d(2026, 10, 9)).await;
    write(app, s, s.li, Paper, 300, d(2026, 10, 10)).await;
    let deleted = write(app, s, s.li, StudyNote, 1500, d(2026, 11, 2)).await;
    app.delete(&s.w.tokens.admin_a, &format!("/api/v1/records/{deleted}")).await.expect(204);
    write(app, s, s.li, Paper, 800, d(2026, 12, 18)).await;
    write(app, s, s.li, StudyNote, 2000, d(2026, 12, 21)).await;
    // 陈主任: paper 600 Sep 16. 张校长: a reflection of 200 Sep 10, no paper.
    write(app, s, s.chen, Paper, 600, d(2026, 9, 16)).await;
    write(app, s, s.zhang, Reflection, 200, d(2026, 9, 10)).await;
}

/// Every activity of the semester.
async fn load_activities(app: &TestApp, s: &School) {
    use ActivityStatus::{Archived, Cancelled, Held};
    use ActivityType::{CollectivePrep, LessonStudy, OnlineResearch, OpenLesson, ResearchLesson, TheoryStudy};
    use Modality::{OnSite, Online};
    use Organiser::{GroupA, SchoolA, Team};
    let d = date;
    // group_a's 集体备课 held: Sep 9, Sep 23, Oct 14, Oct 16 | Nov 24, Dec 9, Jan 13 (filed:
    // status archived, still held). Not counted: Oct 28 (cancelled) and Nov 5 (deleted).
    // Per month: Sep 2, Oct 2, Nov 0 by MID then 1, Dec 1, Jan 1. In all: E 1, M 4, total 7.
    for on in [d(2026, 9, 9), d(2026, 9, 23), d(2026, 10, 14), d(2026, 10, 16), d(2026, 11, 24), d(2026, 12, 9)] {
        hold(app, s, GroupA, on, CollectivePrep, OnSite, Held, &[]).await;
    }
    hold(app, s, GroupA, d(2027, 1, 13), CollectivePrep, OnSite, Archived, &[]).await;
    hold(app, s, GroupA, d(2026, 10, 28), CollectivePrep, OnSite, Cancelled, &[]).await;
    let deleted = hold(app, s, GroupA, d(2026, 11, 5), CollectivePrep, OnSite, Held, &[]).await;
    activity::ActiveModel { id: Set(deleted), archived_at: Set(Some(Utc::now())), ..Default::default() }
        .update(&app.db)
        .await
        .unwrap();
    // Lessons given (公开课/研究课): 王老师 the 公开课 of Oct 22 (held; 李组长 gave a 示范课 there,
    // the wrong kind); 李组长 a 研究课 on Nov 18 (cancelled: not given) and on Dec 8 (held).
    // 王老师: E 0, M 1. 李组长: E 0, M 0, total 1.
    hold(
        app,
        s,
        GroupA,
        d(2026, 10, 22),
        OpenLesson,
        OnSite,
        Held,
        &[(s.wang, LessonKind::Open), (s.li, LessonKind::Demo)],
    )
    .await;
    hold(app, s, GroupA, d(2026, 11, 18), ResearchLesson, OnSite, Cancelled, &[(s.li, LessonKind::Research)]).await;
    hold(app, s, GroupA, d(2026, 12, 8), ResearchLesson, OnSite, Held, &[(s.li, LessonKind::Research)]).await;
    // The 中心组: on site Sep 16, Nov 11 | Dec 16 (held) and Nov 19 (cancelled); online Oct 28.
    // On site: E 1, M 2, total 3. Online: E 0, M 1, total 1.
    for on in [d(2026, 9, 16), d(2026, 11, 11), d(2026, 12, 16)] {
        hold(app, s, Team, on, LessonStudy, OnSite, Held, &[]).await;
    }
    hold(app, s, Team, d(2026, 11, 19), LessonStudy, OnSite, Cancelled, &[]).await;
    hold(app, s, Team, d(2026, 10, 28), OnlineResearch, Online, Held, &[]).await;
    // School A's own (校级) activities: Sep 25 and Oct 21, nothing after. E 0, M 2, total 2. The
    // group's activities above are the group's, not the school's.
    hold(app, s, SchoolA, d(2026, 9, 25), LessonStudy, OnSite, Held, &[]).await;
    hold(app, s, SchoolA, d(2026, 10, 21), TheoryStudy, OnSite, Held, &[]).await;
}

/// Creates a rule (201) and notes its id by name.
async fn create_rule(app: &TestApp, ids: &mut HashMap<String, i64>, token: &str, body: Value) -> Value {
    let created = app.post(token, RULES, body).await.expect(201);
    let name = created.body["name"].as_str().unwrap().to_string();
    ids.insert(name, id_of(&created));
    created.body
}

/// Enters the rules; returns their ids by name.
async fn enter_rules(app: &TestApp, s: &School) -> HashMap<String, i64> {
    let w = &s.w;
    let district = &w.tokens.district_admin;
    let admin = &w.tokens.admin_a;
    let mut ids = HashMap::new();

    // Seed 004's four posts, as the district's rules for every semester.
    for template in [
        "observations-by-post-004-supervising",
        "observations-by-post-004-leaders",
        "observations-by-post-004-group-leaders",
        "observations-by-post-004-teachers",
    ] {
        let rule =
            create_rule(app, &mut ids, district, json!({"district_id": w.district, "template_id": template})).await;
        assert_eq!(rule["template_id"], template);
        assert_eq!(rule["district_id"], w.district);
        assert_eq!(rule["school_id"], Value::Null);
        assert_eq!(rule["semester_ids"], json!([]));
        assert_eq!(rule["family"], "observations-by-post-004");
        assert!(rule["source"].as_str().unwrap().contains("seed 004"));
        assert!(rule["archived_at"].is_null());
    }
    // The district team's 1 online + 3 on site (seed 001), for this semester only.
    for template in ["district-team-online-1", "district-team-on-site-3"] {
        create_rule(
            app,
            &mut ids,
            district,
            json!({"district_id": w.district, "semester_ids": [w.semester], "template_id": template}),
        )
        .await;
    }

    // The school's: the per-month rule for its two leaders (name and applies_to overridden).
    let monthly = create_rule(
        app,
        &mut ids,
        admin,
        json!({"school_id": w.school_a, "template_id": "observations-monthly-4", "name": "领导每月听课不少于4节",
               "applies_to": {"posts": ["supervising_leader", "academic_director"]}}),
    )
    .await;
    assert_eq!(monthly["school_id"], w.school_a);
    assert_eq!((monthly["period"].as_str(), monthly["min"].as_f64()), (Some("month"), Some(4.0)));
    assert_eq!(monthly["applies_to"]["posts"], json!(["supervising_leader", "academic_director"]));
    assert_eq!(monthly["metric"]["kind"], "observations");
    // 本学科常态课 for the research group's members; `metric` merged key by key over the template's.
    let same_subject = create_rule(
        app,
        &mut ids,
        admin,
        json!({"school_id": w.school_a, "template_id": "same-subject-ordinary-6", "semester_ids": [w.semester],
               "applies_to": {"group_ids": [w.group_a]}, "metric": {"same_school": true}}),
    )
    .await;
    assert_eq!(
        same_subject["metric"],
        json!({"kind": "observations", "lesson_kinds": ["ordinary"], "same_subject": true, "same_school": true,
               "critique_given": false, "feedback_complete": false})
    );
    assert_eq!(same_subject["applies_to"]["group_ids"], json!([w.group_a]));
    assert_eq!(same_subject["semester_ids"], json!([w.semester]));
    // The word sum and the lessons given, for the 语文 teachers; the paper rule for everyone.
    for template in ["reading-and-study-words-semester-5000", "open-or-research-lesson-1"] {
        create_rule(
            app,
            &mut ids,
            admin,
            json!({"school_id": w.school_a, "template_id": template, "applies_to": {"subjects": ["语文"]}}),
        )
        .await;
    }
    create_rule(app, &mut ids, admin, json!({"school_id": w.school_a, "template_id": "paper-500-words-1"})).await;
    // Group rules and both mentorship duties.
    for template in [
        "research-group-collective-prep-2",
        "four-ones-collective-prep",
        "mentor-observes-mentee-weekly",
        "mentor-observes-mentee-drop-in-2",
        "mentee-observes-mentor-drop-in-2",
    ] {
        create_rule(app, &mut ids, admin, json!({"school_id": w.school_a, "template_id": template})).await;
    }
    // A rule of the school's own, as a full rule.
    let own = create_rule(
        app,
        &mut ids,
        admin,
        json!({"school_id": w.school_a, "name": "学校每学期至少组织3次校级教研活动", "subject_type": "school",
               "metric": {"kind": "activities_held"}, "period": "semester", "min": 3, "severity": "required",
               "source": "甲小学教研工作计划"}),
    )
    .await;
    assert_eq!(own["template_id"], Value::Null);
    assert_eq!(own["subject_type"], "school");

    // Three that must not apply to school A in autumn: school B's, a spring one, a deleted one.
    let b = app
        .post(&w.tokens.admin_b, RULES, json!({"school_id": w.school_b, "template_id": "observations-semester-20"}))
        .await
        .expect(201);
    assert_eq!(b.body["school_id"], w.school_b);
    app.post(
        admin,
        RULES,
        json!({"school_id": w.school_a, "template_id": "reflection-semester-4", "semester_ids": [s.spring]}),
    )
    .await
    .expect(201);
    let gone = app
        .post(admin, RULES, json!({"school_id": w.school_a, "template_id": "reading-note-semester-1"}))
        .await
        .expect(201);
    let gone = app.delete(admin, &format!("{RULES}/{}", id_of(&gone))).await;
    assert!(matches!(gone.status, 200 | 204), "deleting a rule: {} {}", gone.status, gone.body);
    ids
}

/// The expected status of every (subject, rule) of school A at EARLY, MID and END, with the hand
/// computation. Semester rules: projected = actual × 99/14 (EARLY), × 99/54 (MID).
const EXPECTED: &[(Who, &str, [&str; 3])] = &[
    // 张校长, 18 observations (E 2, M 8). Measured against 30 only, though 18 would meet the
    // 15 of 其余领导: E 2×99/14 = 14.1 < 30, M 8×99/54 = 14.7 < 30, END 18 < 30.
    (Who::Zhang, "主管领导每期听课不少于30节", ["at_risk", "at_risk", "short"]),
    // Sep 2 by EARLY: needs 2 more in the 8 teaching days left of September; at the rule's own
    // rhythm (no month finished yet) 4 × 8/22 = 1.45, two whole ones: possible (the per-period
    // pace: docs/API-DESIGN.md, "Quota checks"). MID: September finished with 3 < 4.
    (Who::Zhang, "领导每月听课不少于4节", ["on_track", "short", "short"]),
    // No paper at all: projection 0.
    (Who::Zhang, "论文字数不少于500字", ["at_risk", "at_risk", "short"]),
    // 陈主任: E 3×99/14 = 21.2 ≥ 15; M 15 ≥ 15 met.
    (Who::Chen, "其余领导每期听课不少于15节", ["on_track", "met", "met"]),
    // E: Sep 3 of 4, 1 needed in 8 days at 3/14 a day (1.7): possible; projection 21.2 ≥ 20.
    // MID: October finished with 3 < 4, so short for good — though the total ends at 26 ≥ 20.
    (Who::Chen, "领导每月听课不少于4节", ["on_track", "short", "short"]),
    // A paper of 600 字 on Sep 16.
    (Who::Chen, "论文字数不少于500字", ["met", "met", "met"]),
    // 李组长: E 3 → 21.2 ≥ 15; M 8 → 14.7 < 15; END 15.
    (Who::Li, "教研组长每期听课不少于15节", ["on_track", "at_risk", "met"]),
    // Same-subject 常态课: E 0; M 4 → 4×99/54 = 7.3 ≥ 6; END 6.
    (Who::Li, "最少听6节本学科教师的常态课", ["at_risk", "on_track", "met"]),
    // Words: E 0; M 2000 → 3666.7 < 5000; END 4000 (the deleted 1500 does not count).
    (Who::Li, "每学期读书笔记和心得体会不少于5000字", ["at_risk", "at_risk", "short"]),
    // Lessons given: the 示范课 is the wrong kind, the cancelled 研究课 was not given: 0 until Dec 8.
    (Who::Li, "每学期上一节公开课或研究课", ["at_risk", "at_risk", "met"]),
    // Papers of ≥ 500 字: the 300 字 one does not count; the 800 字 one of Dec 18 does.
    (Who::Li, "论文字数不少于500字", ["at_risk", "at_risk", "met"]),
    // 王老师: E 2 → 14.1 ≥ 10; M 5 → 9.2 < 10; END 8 < 10.
    (Who::Wang, "教师每期听课不少于10节", ["on_track", "at_risk", "short"]),
    // Same-subject 常态课: E 1 → 7.1 ≥ 6; M 2 → 3.7 < 6; END 3.
    (Who::Wang, "最少听6节本学科教师的常态课", ["on_track", "at_risk", "short"]),
    // Words: E 1500 → 10607 ≥ 5000; M 3500 → 6416.7 ≥ 5000; END 5100 (the reflection not counted).
    (Who::Wang, "每学期读书笔记和心得体会不少于5000字", ["on_track", "on_track", "met"]),
    // The 公开课 of Oct 22.
    (Who::Wang, "每学期上一节公开课或研究课", ["at_risk", "met", "met"]),
    // The 550 字 paper of Nov 5.
    (Who::Wang, "论文字数不少于500字", ["at_risk", "met", "met"]),
    // group_a's 集体备课: E 1 → 7.1 ≥ 2; M 4.
    (Who::GroupA, "各教研组每期至少两次集体备课", ["on_track", "met", "met"]),
    // Monthly: E Sep met (1 ≥ 1). MID: Sep 2, Oct 2, Nov 0 with 6 teaching days left (Nov
    // 23–27, 30): at the group's own rhythm of twice the minimum a month, 2 × 6/21 = 0.57, one
    // whole one: still possible (the per-period pace; a per-day pace said hopeless). END:
    // Nov 24, Dec 9, Jan 13 (filed) make every month.
    (Who::GroupA, "四个一：每月一次集体备课", ["on_track", "on_track", "met"]),
    // Weekly: E weeks 1–3 met (Sep 3, 9, 16), 21 needed, projection 3×99/14 = 21.2 ≥ 21. MID: week 4
    // (Sep 21–27) finished with 0.
    (Who::Pair, "师傅每周听徒弟一节课", ["on_track", "short", "short"]),
    // Mentor → mentee 随堂课: 3 by Sep 16.
    (Who::Pair, "师傅每学期随堂听徒弟课2节以上", ["met", "met", "met"]),
    // Mentee → mentor 随堂课: E 1 → 7.1 ≥ 2; M 1 → 1.8 < 2; END 2 (Dec 10).
    (Who::Pair, "徒弟每学期随堂听师傅课2节以上", ["on_track", "at_risk", "met"]),
    // 校级 activities: E 0; M 2 → 3.7 ≥ 3; END 2 < 3.
    (Who::SchoolA, "学校每学期至少组织3次校级教研活动", ["at_risk", "on_track", "short"]),
];

/// The district team's (a district group: not part of school A's checks).
const EXPECTED_TEAM: &[(Who, &str, [&str; 3])] = &[
    // Online: E 0; M 1 (Oct 28).
    (Who::Team, "中心组每学期一次网络教研", ["at_risk", "met", "met"]),
    // On site: E 1 → 7.1 ≥ 3; M 2 → 3.7 ≥ 3; END 3 (the cancelled Nov 19 does not count).
    (Who::Team, "中心组每学期三次实地教研", ["on_track", "on_track", "met"]),
];

/// (subject type, subject id, rule id) of an item.
fn key(item: &Value) -> (String, i64, i64) {
    (
        item["subject"]["type"].as_str().unwrap().to_string(),
        item["subject"]["id"].as_i64().unwrap(),
        item["rule"]["id"].as_i64().unwrap(),
    )
}

/// Asserts that `resp` holds exactly the `expected` items with these statuses at date `at`
/// (index into DATES), and a summary that counts them.
#[track_caller]
fn assert_statuses(
    s: &School,
    rules: &HashMap<String, i64>,
    resp: &Resp,
    expected: &[(Who, &str, [&str; 3])],
    at: usize,
) {
    let items = resp.body["items"].as_array().unwrap_or_else(|| panic!("no items: {}", resp.body));
    let mut got: HashMap<(String, i64, i64), String> = HashMap::new();
    for item in items {
        let previous = got.insert(key(item), item["status"].as_str().unwrap().to_string());
        assert!(previous.is_none(), "{} twice", item);
    }
    let mut want: HashMap<(String, i64, i64), String> = HashMap::new();
    let mut summary: HashMap<&str, usize> = HashMap::new();
    for (who, rule, statuses) in expected {
        let (kind, id) = s.subject(*who);
        let rule_id = *rules.get(*rule).unwrap_or_else(|| panic!("no rule {rule}"));
        want.insert((kind.to_string(), id, rule_id), statuses[at].to_string());
        *summary.entry(statuses[at]).or_default() += 1;
    }
    for (k, status) in &want {
        let who = expected.iter().find(|(w, r, _)| s.subject(*w) == (k.0.as_str(), k.1) && rules[*r] == k.2).unwrap();
        match got.get(k) {
            Some(actual) => assert_eq!(actual, status, "{:?} / {} as of {}", who.0, who.1, DATES[at]),
            None => panic!("{:?} / {} missing as of {}: {}", who.0, who.1, DATES[at], resp.body),
        }
    }
    for k in got.keys() {
        assert!(want.contains_key(k), "unexpected item {k:?} as of {}: {}", DATES[at], resp.body);
    }
    assert_eq!(resp.body["total"], expected.len(), "as of {}", DATES[at]);
    assert_eq!(resp.body["as_of"], DATES[at]);
    assert_eq!(resp.body["semester_id"], s.w.semester);
    let count = |status: &str| summary.get(status).copied().unwrap_or(0);
    assert_eq!(
        resp.body["summary"],
        json!({"met": count("met"), "short": count("short"), "at_risk": count("at_risk"),
               "on_track": count("on_track"), "total": expected.len()}),
        "summary as of {}",
        DATES[at]
    );
}

/// The item of (subject, rule).
#[track_caller]
fn item<'a>(s: &School, rules: &HashMap<String, i64>, resp: &'a Resp, who: Who, rule: &str) -> &'a Value {
    let (kind, id) = s.subject(who);
    let rule_id = rules[rule];
    resp.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| key(i) == (kind.to_string(), id, rule_id))
        .unwrap_or_else(|| panic!("no {who:?} / {rule}"))
}

#[track_caller]
fn close(value: &Value, expected: f64) {
    let v = value.as_f64().unwrap_or_else(|| panic!("not a number: {value}"));
    assert!((v - expected).abs() < 0.006, "{v} ≠ {expected}");
}

/// (start, end, required, actual, status) of each period.
fn periods(item: &Value) -> Vec<(String, String, f64, f64, String)> {
    item["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap().to_string(),
                p["end"].as_str().unwrap().to_string(),
                p["required"].as_f64().unwrap(),
                p["actual"].as_f64().unwrap(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn period(start: &str, end: &str, required: f64, actual: f64, status: &str) -> (String, String, f64, f64, String) {
    (start.into(), end.into(), required, actual, status.into())
}

async fn a_small_school_at_three_dates(app: TestApp) {
    let s = build_school(&app).await;
    load_observations(&app, &s).await;
    load_records(&app, &s).await;
    load_activities(&app, &s).await;
    let rules = enter_rules(&app, &s).await;
    let w = &s.w;
    let admin = &w.tokens.admin_a;
    let school_query =
        |as_of: &str| format!("{CHECKS}?semester_id={}&as_of={as_of}&school_id={}", w.semester, w.school_a);
    let team_query = |as_of: &str| format!("{CHECKS}?semester_id={}&as_of={as_of}&group_id={}", w.semester, s.team);

    let mut at_dates = Vec::new();
    for (at, as_of) in DATES.iter().enumerate() {
        let resp = app.get(admin, &school_query(as_of)).await.expect(200);
        assert_statuses(&s, &rules, &resp, EXPECTED, at);
        let team = app.get(&w.tokens.district_admin, &team_query(as_of)).await.expect(200);
        assert_statuses(&s, &rules, &team, EXPECTED_TEAM, at);
        at_dates.push(resp);
    }
    let [early, middle, end] = [&at_dates[0], &at_dates[1], &at_dates[2]];

    // Items come by subject type (teacher, group, mentorship, school), and within a subject by rule id.
    let order = |t: &str| ["teacher", "group", "mentorship", "school"].iter().position(|x| *x == t).unwrap();
    let keys: Vec<(String, i64, i64)> = end.body["items"].as_array().unwrap().iter().map(key).collect();
    for pair in keys.windows(2) {
        assert!(order(&pair[0].0) <= order(&pair[1].0), "{pair:?}");
        if (&pair[0].0, pair[0].1) == (&pair[1].0, pair[1].1) {
            assert!(pair[0].2 < pair[1].2, "{pair:?}");
        }
    }

    // The family: 张校长 against 30, with what is expected by MID: 30 × 54/99 = 16.36, and the
    // projection 8 × 99/54 = 14.67.
    let zhang = item(&s, &rules, middle, Who::Zhang, "主管领导每期听课不少于30节");
    assert_eq!(zhang["subject"], json!({"type": "teacher", "id": s.zhang, "name": "张校长", "school_id": w.school_a}));
    assert_eq!(zhang["rule"]["name"], "主管领导每期听课不少于30节");
    assert_eq!(zhang["rule"]["family"], "observations-by-post-004");
    assert_eq!(zhang["rule"]["metric"], "observations");
    assert_eq!(zhang["rule"]["period"], "semester");
    assert_eq!(zhang["rule"]["severity"], "required");
    assert_eq!((zhang["required"].as_f64(), zhang["actual"].as_f64()), (Some(30.0), Some(8.0)));
    close(&zhang["expected_by_now"], 16.36);
    close(&zhang["projected"], 14.67);
    assert_eq!(periods(zhang), vec![period("2026-09-01", "2027-01-22", 30.0, 8.0, "in_progress")]);
    let zhang = item(&s, &rules, end, Who::Zhang, "主管领导每期听课不少于30节");
    assert_eq!((zhang["required"].as_f64(), zhang["actual"].as_f64()), (Some(30.0), Some(18.0)));
    // Each teacher is measured against only their post's rule of the family.
    for (who, mine) in [
        (Who::Zhang, "主管领导每期听课不少于30节"),
        (Who::Chen, "其余领导每期听课不少于15节"),
        (Who::Li, "教研组长每期听课不少于15节"),
        (Who::Wang, "教师每期听课不少于10节"),
    ] {
        let family: Vec<&str> = end.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                (i["subject"]["type"].as_str(), i["subject"]["id"].as_i64())
                    == (Some("teacher"), Some(s.subject(who).1))
            })
            .filter(|i| i["rule"]["family"] == "observations-by-post-004")
            .map(|i| i["rule"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(family, vec![mine], "{who:?}");
    }

    // The per-month rule: 陈主任 short on October alone, with 26 ≥ 20 in all. January is cut by the
    // end (16 of its 21 teaching days) and still needs ceil(4 × 16/21) = ceil(3.05) = 4.
    let chen = item(&s, &rules, end, Who::Chen, "领导每月听课不少于4节");
    assert_eq!((chen["required"].as_f64(), chen["actual"].as_f64()), (Some(20.0), Some(26.0)));
    assert_eq!(
        periods(chen),
        vec![
            period("2026-09-01", "2026-09-30", 4.0, 5.0, "met"),
            period("2026-10-01", "2026-10-31", 4.0, 3.0, "short"),
            period("2026-11-01", "2026-11-30", 4.0, 8.0, "met"),
            period("2026-12-01", "2026-12-31", 4.0, 5.0, "met"),
            period("2027-01-01", "2027-01-22", 4.0, 5.0, "met"),
        ]
    );
    let january = &chen["periods"][4];
    assert_eq!((january["teaching_days"].as_i64(), january["full_teaching_days"].as_i64()), (Some(16), Some(21)));
    let september = &chen["periods"][0];
    assert_eq!((september["teaching_days"].as_i64(), september["full_teaching_days"].as_i64()), (Some(22), Some(22)));
    // EARLY: September in progress, the rest upcoming.
    let chen = item(&s, &rules, early, Who::Chen, "领导每月听课不少于4节");
    let statuses: Vec<String> = periods(chen).into_iter().map(|p| p.4).collect();
    assert_eq!(statuses, ["in_progress", "upcoming", "upcoming", "upcoming", "upcoming"]);
    assert_eq!(chen["actual"].as_f64(), Some(3.0));
    // 张校长's September: 3 of 4 at MID.
    let zhang = item(&s, &rules, middle, Who::Zhang, "领导每月听课不少于4节");
    assert_eq!(periods(zhang)[0], period("2026-09-01", "2026-09-30", 4.0, 3.0, "short"));
    assert_eq!(periods(zhang)[2], period("2026-11-01", "2026-11-30", 4.0, 3.0, "in_progress"));

    // The group's monthly 集体备课 at MID: November empty, 6 of its 21 days left. Expected: the
    // two finished months' 1 each and 15/21 of November's; projected: 4 done, one more in
    // November, then 2 a month (its rhythm) in December and January.
    let four_ones = item(&s, &rules, middle, Who::GroupA, "四个一：每月一次集体备课");
    assert_eq!((four_ones["required"].as_f64(), four_ones["actual"].as_f64()), (Some(5.0), Some(4.0)));
    close(&four_ones["projected"], 9.0);
    close(&four_ones["expected_by_now"], 2.71);
    let statuses: Vec<String> = periods(four_ones).into_iter().map(|p| p.4).collect();
    assert_eq!(statuses, ["met", "met", "in_progress", "upcoming", "upcoming"]);

    // The word sum counts words, not records.
    let words = item(&s, &rules, middle, Who::Wang, "每学期读书笔记和心得体会不少于5000字");
    assert_eq!((words["required"].as_f64(), words["actual"].as_f64()), (Some(5000.0), Some(3500.0)));
    close(&words["projected"], 6416.67);
    let words = item(&s, &rules, end, Who::Li, "每学期读书笔记和心得体会不少于5000字");
    assert_eq!(words["actual"].as_f64(), Some(4000.0));

    // Same-subject 常态课: 李组长's 数学 lesson and 语文 公开课 are left out.
    let same = item(&s, &rules, end, Who::Li, "最少听6节本学科教师的常态课");
    assert_eq!((same["required"].as_f64(), same["actual"].as_f64()), (Some(6.0), Some(6.0)));

    // The weekly duty: 21 teaching weeks; week 1 (Sep 1–6) cut by the start (4 of 5 days) still
    // needs ceil(1 × 4/5) = 1; week 4 (Sep 21–27) missed. By MID 7 observations of the mentee.
    let weekly = item(&s, &rules, middle, Who::Pair, "师傅每周听徒弟一节课");
    let weeks = periods(weekly);
    assert_eq!(weeks.len(), 21);
    assert_eq!(weeks[0], period("2026-09-01", "2026-09-06", 1.0, 1.0, "met"));
    assert_eq!(weeks[3], period("2026-09-21", "2026-09-27", 1.0, 0.0, "short"));
    assert_eq!(weeks[20], period("2027-01-18", "2027-01-22", 1.0, 0.0, "upcoming"));
    assert_eq!((weekly["required"].as_f64(), weekly["actual"].as_f64()), (Some(21.0), Some(7.0)));
    assert_eq!(weekly["subject"]["type"], "mentorship");
    // Early: at one a week (its rhythm), every week projects to its one: 21.
    let weekly = item(&s, &rules, early, Who::Pair, "师傅每周听徒弟一节课");
    close(&weekly["projected"], 21.0);

    // The district team: 3 on site (not the cancelled one), 1 online.
    let team = app.get(&w.tokens.district_admin, &team_query(END)).await.expect(200);
    let on_site = item(&s, &rules, &team, Who::Team, "中心组每学期三次实地教研");
    assert_eq!((on_site["required"].as_f64(), on_site["actual"].as_f64()), (Some(3.0), Some(3.0)));
    let online = item(&s, &rules, &team, Who::Team, "中心组每学期一次网络教研");
    assert_eq!(online["actual"].as_f64(), Some(1.0));

    // The school's own rule counts the school's activities only, not its groups'.
    let own = item(&s, &rules, end, Who::SchoolA, "学校每学期至少组织3次校级教研活动");
    assert_eq!((own["required"].as_f64(), own["actual"].as_f64()), (Some(3.0), Some(2.0)));
    assert_eq!(own["subject"]["name"], "甲小学");
}

async fn filters_paging_and_who_sees_which_checks(app: TestApp) {
    let s = build_school(&app).await;
    load_observations(&app, &s).await;
    load_records(&app, &s).await;
    load_activities(&app, &s).await;
    let rules = enter_rules(&app, &s).await;
    let w = &s.w;
    let admin = &w.tokens.admin_a;
    let base = format!("{CHECKS}?semester_id={}&as_of={MID}", w.semester);
    let at_mid = |who: Who| EXPECTED.iter().filter(move |(w, _, _)| *w == who).copied();

    // status=: only the items at risk; the summary still counts every status, so the office
    // sees how the rest stand.
    let full = app.get(admin, &format!("{base}&school_id={}", w.school_a)).await.expect(200);
    let at_risk = app.get(admin, &format!("{base}&school_id={}&status=at_risk", w.school_a)).await.expect(200);
    let expected: Vec<(Who, &str, [&str; 3])> =
        EXPECTED.iter().filter(|(_, _, st)| st[1] == "at_risk").map(|(w, r, _)| (*w, *r, ["at_risk"; 3])).collect();
    assert_eq!(expected.len(), 9);
    assert_eq!(at_risk.body["summary"], full.body["summary"], "the summary ignores status=");
    assert_eq!(at_risk.body["total"], 9);
    let mut listed: Vec<(String, i64, i64)> = at_risk.body["items"].as_array().unwrap().iter().map(key).collect();
    let mut wanted: Vec<(String, i64, i64)> = expected
        .iter()
        .map(|(who, rule, _)| {
            let (kind, id) = s.subject(*who);
            (kind.to_string(), id, rules[*rule])
        })
        .collect();
    listed.sort();
    wanted.sort();
    assert_eq!(listed, wanted, "exactly the results at risk");
    // rule_id= and subject_type=.
    let one_rule = app
        .get(admin, &format!("{base}&school_id={}&rule_id={}", w.school_a, rules["论文字数不少于500字"]))
        .await
        .expect(200);
    assert_eq!(one_rule.body["total"], 4, "every teacher has the paper rule");
    let groups = app.get(admin, &format!("{base}&school_id={}&subject_type=group", w.school_a)).await.expect(200);
    assert_eq!(groups.body["total"], 2);

    // Paging: the same order, cut; the summary and total before paging.
    let page = app.get(admin, &format!("{base}&school_id={}&limit=5&offset=5", w.school_a)).await.expect(200);
    assert_eq!(
        (page.body["total"].as_i64(), page.body["limit"].as_i64(), page.body["offset"].as_i64()),
        (Some(22), Some(5), Some(5))
    );
    assert_eq!(page.body["summary"], full.body["summary"]);
    let all: Vec<_> = full.body["items"].as_array().unwrap().iter().map(key).collect();
    let cut: Vec<_> = page.body["items"].as_array().unwrap().iter().map(key).collect();
    assert_eq!(cut, all[5..10].to_vec());
    let last = app.get(admin, &format!("{base}&school_id={}&limit=5&offset=20", w.school_a)).await.expect(200);
    assert_eq!(last.body["items"].as_array().unwrap().len(), 2);

    // A teacher: their own checks and their pair's; a colleague's are out of reach.
    let wang = &w.tokens.teacher_a;
    let own = app.get(wang, &format!("{base}&teacher_id={}", s.wang)).await.expect(200);
    assert_statuses(&s, &rules, &own, &at_mid(Who::Wang).collect::<Vec<_>>(), 1);
    app.get(wang, &format!("{base}&teacher_id={}", s.li)).await.expect(404);
    app.get(wang, &format!("{base}&teacher_id={}", s.zhang)).await.expect(404);
    let pair = app.get(wang, &format!("{base}&mentorship_id={}", s.pair)).await.expect(200);
    assert_statuses(&s, &rules, &pair, &at_mid(Who::Pair).collect::<Vec<_>>(), 1);
    let scope = app.get(wang, &base).await.expect(200);
    assert_statuses(&s, &rules, &scope, &at_mid(Who::Wang).chain(at_mid(Who::Pair)).collect::<Vec<_>>(), 1);
    // The group leader: his group and its members, not the school's leaders.
    let li = &w.tokens.leader_a;
    let member = app.get(li, &format!("{base}&teacher_id={}", s.wang)).await.expect(200);
    assert_eq!(member.body["total"], 5);
    let group = app.get(li, &format!("{base}&group_id={}", w.group_a)).await.expect(200);
    assert_statuses(&s, &rules, &group, &at_mid(Who::GroupA).collect::<Vec<_>>(), 1);
    app.get(li, &format!("{base}&teacher_id={}", s.chen)).await.expect(404);
    // Another school's administrator and another district's see nothing of school A.
    app.get(&w.tokens.admin_b, &format!("{base}&teacher_id={}", s.wang)).await.expect(404);
    app.get(&w.tokens.admin_b, &format!("{base}&school_id={}", w.school_a)).await.expect(404);
    app.get(&w.tokens.other_district_admin, &format!("{base}&teacher_id={}", s.wang)).await.expect(404);
    // The district administrator sees the same as the school's.
    let district = app.get(&w.tokens.district_admin, &format!("{base}&school_id={}", w.school_a)).await.expect(200);
    assert_eq!(district.body, full.body);
}

async fn invalid_rules_get_a_422_naming_the_field(app: TestApp) {
    let w = World::build(&app).await;
    let admin = &w.tokens.admin_a;
    let app = &app;
    let refused = |body: Value| async move { app.post(admin, RULES, body).await.expect(422).error_fields() };
    let full = |metric: Value, min: f64| {
        json!({"school_id": w.school_a, "name": "教师每月听课不少于4节", "subject_type": "teacher", "metric": metric,
               "period": "month", "min": min, "severity": "required"})
    };
    assert_eq!(refused(full(json!({"kind": "coffee"}), 4.0)).await, ["metric.kind"]);
    assert_eq!(refused(full(json!({"kind": "observations"}), -1.0)).await, ["min"]);
    assert_eq!(refused(full(json!({"kind": "mentor_observes_mentee"}), 1.0)).await, ["metric.kind"]);
    let template = |extra: Value| {
        let mut body = json!({"school_id": w.school_a, "template_id": "observations-monthly-4"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(refused(template(json!({"min": -1}))).await, ["min"]);
    assert_eq!(refused(template(json!({"metric": {"kind": "mentee_observes_mentor"}}))).await, ["metric.kind"]);
    assert_eq!(refused(template(json!({"metric": {"kind": "coffee"}}))).await, ["metric.kind"]);
    assert_eq!(refused(template(json!({"template_id": "no-such-template"}))).await, ["template_id"]);
    // The same template without overrides is fine.
    app.post(admin, RULES, template(json!({}))).await.expect(201);
}

/// The compliance report (教研常规考核情况表) holds the same results as the checks, in JSON, CSV
/// and XLSX alike, with Chinese headers and statuses.
async fn the_compliance_report_holds_the_checks(app: TestApp) {
    let s = build_school(&app).await;
    load_observations(&app, &s).await;
    load_records(&app, &s).await;
    load_activities(&app, &s).await;
    let rules = enter_rules(&app, &s).await;
    let w = &s.w;
    let admin = &w.tokens.admin_a;
    let checks = app
        .get(
            admin,
            &format!(
                "{CHECKS}?semester_id={}&as_of={END}&school_id={}&subject_type=teacher&limit=500",
                w.semester, w.school_a
            ),
        )
        .await
        .expect(200);
    let path =
        format!("/api/v1/reports/compliance?semester_id={}&as_of={END}&school_id={}&lang=zh", w.semester, w.school_a);
    let report = app.get(admin, &path).await.expect(200).body;
    let table = crate::quota_reports::table(&report, "compliance");
    let rows = table["rows"].as_array().unwrap();
    let items = checks.body["items"].as_array().unwrap();
    let teachers: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["subject"]["name"].as_str().unwrap()).collect();
    assert_eq!(rows.len(), teachers.len(), "one row per teacher");
    let zh = |status: &str| match status {
        "met" => "达标",
        "short" => "未达标",
        "at_risk" => "有风险",
        _ => "进度正常",
    };
    let number = |v: &Value| {
        let x = v.as_f64().unwrap();
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{}", (x * 100.0).round() / 100.0)
        }
    };
    for item in items {
        let row = rows.iter().find(|r| r["teacher"] == item["subject"]["name"]).expect("the teacher's row");
        let key = format!("rule_{}", item["rule"]["id"]);
        assert_eq!(row[&key], format!("{}/{}", number(&item["actual"]), number(&item["required"])), "{key}");
        assert_eq!(row[&format!("{key}_status")], zh(item["status"].as_str().unwrap()));
    }
    // 陈主任 is measured by 其余领导15 and not by the other rules of that family.
    let chen = rows.iter().find(|r| r["teacher"] == "陈主任").unwrap();
    assert!(chen[&format!("rule_{}", rules["其余领导每期听课不少于15节"])].is_string());
    assert_eq!(chen[&format!("rule_{}", rules["主管领导每期听课不少于30节"])], Value::Null);
    let columns = table["columns"].as_array().unwrap();
    assert_eq!(columns[1]["label"], "教师");

    let (status, content_type, _, csv) = crate::quota_reports::bytes(&app, admin, &format!("{path}&format=csv")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    crate::quota_reports::assert_same(table, &crate::quota_reports::csv_grid(&csv));
    let (status, _, _, xlsx) = crate::quota_reports::bytes(&app, admin, &format!("{path}&format=xlsx")).await;
    assert_eq!(status, 200);
    let sheets = crate::quota_reports::xlsx_sheets(xlsx);
    assert_eq!(sheets.len(), 2, "the compliance and rules sheets");
    crate::quota_reports::assert_same(table, &sheets[0].1);
    crate::quota_reports::assert_same(crate::quota_reports::table(&report, "rules"), &sheets[1].1);
    // Another school's administrator cannot read school A's report; a teacher cannot read it.
    assert_eq!(app.get(&w.tokens.admin_b, &path).await.status, 404);
    assert_eq!(app.get(&w.tokens.teacher_a, &path).await.status, 403);
}

/// `explain` shows the rows behind a result: the counted ones add up to the result, the others
/// say why; `simulate` gives a draft's results without saving it; the group report lists the
/// group's rule results.
async fn explain_simulate_and_the_group_report_agree_with_the_checks(app: TestApp) {
    let s = build_school(&app).await;
    load_observations(&app, &s).await;
    load_records(&app, &s).await;
    load_activities(&app, &s).await;
    let rules = enter_rules(&app, &s).await;
    let w = &s.w;
    let admin = &w.tokens.admin_a;
    let (_, wang) = s.subject(Who::Wang);
    let (_, li) = s.subject(Who::Li);
    let same_subject = rules["最少听6节本学科教师的常态课"];
    let checks = app
        .get(admin, &format!("{CHECKS}?semester_id={}&as_of={MID}&teacher_id={li}&rule_id={same_subject}", w.semester))
        .await;
    let check = checks.expect(200).body["items"][0].clone();
    let explain = |token: &str, rule: i64, subject: i64| {
        let path = format!(
            "{CHECKS}/explain?rule_id={rule}&subject_type=teacher&subject_id={subject}&semester_id={}&as_of={MID}",
            w.semester
        );
        let token = token.to_string();
        let app = &app;
        async move { app.get(&token, &path).await }
    };
    let explained = explain(admin, same_subject, li).await.expect(200).body;
    assert_eq!(explained["result"], check, "explain's result is the check's");
    let evidence = explained["evidence"].as_array().unwrap();
    let counted: f64 = evidence.iter().filter(|e| e["counted"] == true).map(|e| e["value"].as_f64().unwrap()).sum();
    assert_eq!(counted, check["actual"].as_f64().unwrap());
    assert!(
        evidence.iter().any(|e| e["counted"] == false && e["reason"].is_string()),
        "the rows that did not count say why: {evidence:?}"
    );
    // A teacher explains their own result, not a colleague's; a rule of another post's family
    // does not measure 王老师.
    explain(&w.tokens.teacher_a, rules["教师每期听课不少于10节"], wang).await.expect(200);
    assert_eq!(explain(&w.tokens.teacher_a, same_subject, li).await.status, 404);
    let other_post = explain(admin, rules["主管领导每期听课不少于30节"], wang).await.expect(422);
    assert_eq!(other_post.error_fields(), vec!["rule_id"]);

    // A draft of the same rule gives the same result, and nothing is saved.
    let before = app.get(admin, "/api/v1/quota-rules").await.expect(200).body["total"].clone();
    let draft = json!({"semester_id": w.semester, "as_of": MID, "teacher_id": li,
        "rules": [{"template_id": "same-subject-ordinary-6", "metric": {"same_school": true}}]});
    let simulated = app.post(admin, &format!("{CHECKS}/simulate"), draft).await.expect(200).body;
    let result = &simulated["items"][0];
    assert_eq!((result["rule"]["id"].clone(), result["rule"]["index"].as_i64()), (Value::Null, Some(0)));
    for field in ["status", "actual", "required", "projected", "periods"] {
        assert_eq!(result[field], check[field], "{field}");
    }
    assert_eq!(app.get(admin, "/api/v1/quota-rules").await.body["total"], before);

    // The group report's rules table holds the group's results.
    let group_checks =
        app.get(admin, &format!("{CHECKS}?semester_id={}&as_of={END}&group_id={}", w.semester, w.group_a)).await;
    let group_checks = group_checks.expect(200).body;
    let report = app
        .get(
            &w.tokens.teacher_a,
            &format!("/api/v1/reports/groups/{}?semester_id={}&as_of={END}", w.group_a, w.semester),
        )
        .await
        .expect(200)
        .body;
    let rows = crate::quota_reports::table(&report, "rules")["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    for item in group_checks["items"].as_array().unwrap() {
        let row = rows.iter().find(|r| r["rule_id"] == item["rule"]["id"]).expect("the rule's row");
        assert_eq!((&row["actual"], &row["required"]), (&item["actual"], &item["required"]));
        assert_eq!(row["status"], "met");
    }
}

on_both_backends!(
    a_small_school_at_three_dates,
    explain_simulate_and_the_group_report_agree_with_the_checks,
    the_compliance_report_holds_the_checks,
    filters_paging_and_who_sees_which_checks,
    invalid_rules_get_a_422_naming_the_field
);
