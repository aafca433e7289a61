//! The demo's activities, one generator per kind of organiser: the flagship's research groups and
//! lesson-prep groups, a school lecture, the district team, the 东片 zone and the outreach pairing.

use super::*;

/// The flagship's research groups meet in their weekly slots (seed 000); every session carries
/// its slot and day, as the slot generator makes them. 英语's session of 28 October was called off.
pub(super) async fn research_group_sessions(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let specs = w.plan.schools[w.district.flagship].groups.clone();
    for (n, (group, spec)) in school.groups.iter().zip(&specs).enumerate() {
        let (Some(slot), Some(slot_id)) = (&spec.slot, group.slot_id) else { continue };
        let topic = spec.topic.map(|t| t.0.to_string());
        for (k, day) in slot_days(&w.calendar, slot.weekday, slot.pattern, slot.first_week).into_iter().enumerate() {
            let status = status_on(w, day);
            if week_number(w.calendar.week1_start, day) > week_number(w.calendar.week1_start, as_of()) + 4 {
                break;
            }
            let t = SESSION_TYPES[(k + 3 * n) % SESSION_TYPES.len()];
            let others: Vec<i64> =
                group.member_ids.iter().copied().filter(|id| *id != group.leader_teacher_id).collect();
            let mut lessons = Vec::new();
            let lead = if t.is_lesson() {
                let teacher_id = match t {
                    // 示范课: the group's honoured teacher, when it has one.
                    ActivityType::DemoLesson => group
                        .member_ids
                        .iter()
                        .copied()
                        .find(|id| !w.teacher(*id).0.spec.honours.is_empty())
                        .unwrap_or(group.leader_teacher_id),
                    // 汇报课: its youngest teacher.
                    ActivityType::ReportLesson => {
                        *group.member_ids.iter().max_by_key(|id| w.teacher(**id).0.spec.birth_date).expect("members")
                    }
                    _ => *w.rng.pick(&others),
                };
                lessons.push(lesson(w, teacher_id, lesson_kind(t)));
                teacher_id
            } else if t == ActivityType::CollectivePrep {
                *w.rng.pick(&others) // 主备人
            } else {
                group.leader_teacher_id
            };
            let title = match lessons.first() {
                Some(l) => format!("{}{}：{}", group.name, label(t), l.title),
                None => format!("{}{}（第{}周）", group.name, label(t), week_number(w.calendar.week1_start, day)),
            };
            let mut a = blank(w, (OrganiserKind::Group, Some(school.id), Some(group.id), None), t, title);
            set_when(
                &mut a,
                &When {
                    day,
                    start: hm(slot.start.0, slot.start.1),
                    end: hm(slot.end.0, slot.end.1),
                    periods: Some((slot.period, slot.period)),
                    venue: Some(slot.venue.to_string()),
                },
            );
            a.slot_id = Set(Some(slot_id));
            a.generated_for = Set(Some(day));
            a.status = Set(status);
            if status != ActivityStatus::Draft {
                a.topic = Set(topic.clone());
                a.lead_speaker_teacher_id = Set(Some(lead));
            }
            let participants = if group.name == "英语教研组" && day == date(2026, 10, 28) {
                a.status = Set(ActivityStatus::Cancelled);
                a.cancel_reason = Set(Some("全体英语教师参加县小学英语优质课观摩，本周活动取消。".into()));
                Vec::new()
            } else {
                group.member_ids.clone()
            };
            save(w, out, a, &participants, lessons).await?;
        }
    }
    Ok(())
}

/// Lessons of the lesson-prep groups (research or open lessons in a classroom, in the morning),
/// [`PREP_LESSONS`] of them each; the groups without one have one scheduled for next week.
pub(super) async fn prep_group_lessons(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let days = teaching_days(&w.calendar, date(2026, 9, 14), as_of());
    let prep: Vec<_> = school.groups.iter().filter(|g| g.kind == GroupKind::LessonPrep).cloned().collect();
    for (n, group) in prep.iter().enumerate() {
        let count = PREP_LESSONS[n % PREP_LESSONS.len()];
        let mut planned: Vec<(NaiveDate, ActivityStatus)> =
            (0..count).map(|_| (*w.rng.pick(&days), ActivityStatus::Held)).collect();
        if count == 0 {
            let day = teaching_day_from(&w.calendar, as_of() + TimeDelta::days(4 + n as i64 % 3));
            planned.push((day, ActivityStatus::Scheduled));
        }
        planned.sort();
        for (k, (day, status)) in planned.into_iter().enumerate() {
            let t = if k % 2 == 0 { ActivityType::ResearchLesson } else { ActivityType::OpenLesson };
            let teacher_id = group.member_ids[(n + k + 1) % group.member_ids.len()];
            let l = lesson(w, teacher_id, lesson_kind(t));
            let title = format!("{}{}：{}", group.name, label(t), l.title);
            let mut a = blank(w, (OrganiserKind::Group, Some(school.id), Some(group.id), None), t, title);
            set_when(
                &mut a,
                &When {
                    day,
                    start: hm(10, 10),
                    end: hm(10, 50),
                    periods: Some((3, 3)),
                    venue: Some(format!("{}教室", l.class_name)),
                },
            );
            a.status = Set(status);
            a.topic = Set(Some(format!("{}：同课研讨，课后按“三个一”评课", l.title)));
            a.lead_speaker_teacher_id = Set(Some(teacher_id));
            save(w, out, a, &group.member_ids, vec![l]).await?;
        }
    }
    Ok(())
}

/// The academic office's start-of-term lecture for every teacher of the flagship.
pub(super) async fn school_lecture(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let school = w.flagship().clone();
    let director = school
        .teachers
        .iter()
        .find(|t| t.spec.has_post(entities::enums::Post::AcademicDirector))
        .expect("an academic director")
        .id;
    let mut a = blank(
        w,
        (OrganiserKind::School, Some(school.id), None, None),
        ActivityType::Lecture,
        "新学期教学常规培训".into(),
    );
    set_when(
        &mut a,
        &When {
            day: date(2026, 9, 7),
            start: hm(15, 40),
            end: hm(17, 0),
            periods: Some((7, 8)),
            venue: Some("学校会议室".into()),
        },
    );
    a.status = Set(ActivityStatus::Held);
    a.topic = Set(Some("备课、上课、作业批改与听评课的常规要求（seed 000、004）".into()));
    a.lead_speaker_teacher_id = Set(Some(director));
    let everyone: Vec<i64> = school.teachers.iter().map(|t| t.id).collect();
    save(w, out, a, &everyone, Vec::new()).await?;
    Ok(())
}

/// 中心组: four sessions a semester, one online and three on site (seed 001), in turn at schools of
/// the three zones. Two are held, one scheduled, the last still a draft.
pub(super) async fn district_team_sessions(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let team = w.district.district_team.clone();
    let county = w.district.schools[COUNTY_SCHOOL].id;
    let sessions = [
        (date(2026, 9, 24), ActivityType::OnlineResearch, None, "线上研讨：农村小学语文有效课堂的评价标准"),
        (date(2026, 10, 29), ActivityType::LessonStudy, Some(county), "课例研讨：阅读课的提问设计"),
        (
            date(2026, 12, 3),
            ActivityType::Salon,
            Some(w.district.schools[school_index("三里畈小学")].id),
            "沙龙：整本书阅读在农村小学的推进",
        ),
        (
            date(2027, 1, 7),
            ActivityType::Lecture,
            Some(w.district.schools[school_index("骆驼坳小学")].id),
            "专题讲座：期末复习的有效策略",
        ),
    ];
    for (day, t, host, title) in sessions {
        let status = status_on(w, day);
        let mut a = blank(w, (OrganiserKind::Group, None, Some(team.id), None), t, format!("{}{}", team.name, title));
        set_when(&mut a, &When { day, start: hm(8, 30), end: hm(11, 30), periods: None, venue: None });
        a.status = Set(status);
        a.host_school_id = Set(host);
        match host {
            None => {
                a.modality = Set(Modality::Online);
                a.meeting_url = Set(Some("https://meeting.tencent.com/dm/luotian-yuwen".into()));
            }
            Some(_) => a.venue = Set(Some("学校录播教室".into())),
        }
        let mut lessons = Vec::new();
        if status != ActivityStatus::Draft {
            a.topic = Set(Some(title.split('：').nth(1).unwrap_or(title).to_string()));
            if t == ActivityType::OnlineResearch {
                a.lead_speaker_name = Set(Some("县教研室小学语文教研员".into()));
            } else {
                a.lead_speaker_teacher_id = Set(Some(team.leader_teacher_id));
            }
        }
        if t.is_lesson() {
            lessons.push(lesson(w, team.leader_teacher_id, LessonKind::Research));
        }
        save(w, out, a, &team.member_ids, lessons).await?;
    }
    Ok(())
}

/// 东片联片教研, hosted by its lead school 大河岸中心小学: the 教研组长 of every 东片 school.
pub(super) async fn zone_session(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let zone_id = w.district.zone_ids[0];
    let flagship = w.flagship().clone();
    let mut invited: Vec<i64> = Vec::new();
    for school in w.district.schools.iter().filter(|s| s.zone_id == Some(zone_id)) {
        for g in school.groups.iter().filter(|g| g.kind == GroupKind::Research) {
            if !invited.contains(&g.leader_teacher_id) {
                invited.push(g.leader_teacher_id);
            }
        }
    }
    let speaker = flagship.group("语文教研组").expect("语文教研组").leader_teacher_id;
    let mut a = blank(
        w,
        (OrganiserKind::Zone, None, None, Some(zone_id)),
        ActivityType::JointResearch,
        "东片联片教研：有效课堂与分层作业".into(),
    );
    set_when(
        &mut a,
        &When {
            day: date(2026, 10, 22),
            start: hm(8, 30),
            end: hm(11, 40),
            periods: Some((1, 3)),
            venue: Some("大河岸中心小学电教室".into()),
        },
    );
    a.host_school_id = Set(Some(flagship.id));
    a.status = Set(ActivityStatus::Held);
    a.topic = Set(Some("构建有效课堂：分层作业设计经验交流（seed 001）".into()));
    a.lead_speaker_teacher_id = Set(Some(speaker));
    save(w, out, a, &invited, Vec::new()).await?;
    Ok(())
}

/// 送教下乡 (seed 001: the 东片 lead school sends a demonstration lesson every month) to the
/// partner of the outreach pairing: October and November held, December already scheduled.
pub(super) async fn outreach(w: &mut Work<'_>, out: &mut Output) -> Result<(), DbErr> {
    let flagship = w.flagship().clone();
    let partner = w.district.schools[school_index("九资河镇罗家畈教学点")].clone();
    let pairing_id = w.district.pairing_ids[1];
    let honoured = |title: HonourTitle| {
        flagship.teachers.iter().filter(move |t| t.spec.honours.iter().any(|h| h.title == title)).map(|t| t.id)
    };
    let backbone = honoured(HonourTitle::BackboneTeacher).next().expect("a backbone teacher");
    let rising: Vec<i64> = honoured(HonourTitle::RisingStar).collect();
    let director = flagship
        .teachers
        .iter()
        .find(|t| t.spec.has_post(entities::enums::Post::AcademicDirector))
        .expect("an academic director")
        .id;
    for (day, teacher_id) in
        [(date(2026, 10, 15), backbone), (date(2026, 11, 12), rising[3]), (date(2026, 12, 10), rising[0])]
    {
        // Planned a month ahead, so the December visit is already scheduled (四定 complete).
        let status = if day <= as_of() { ActivityStatus::Held } else { ActivityStatus::Scheduled };
        let l = lesson(w, teacher_id, LessonKind::Demo);
        let mut a = blank(
            w,
            (OrganiserKind::School, Some(flagship.id), None, None),
            ActivityType::Outreach,
            format!("送教下乡：{}（{}）", l.title, partner.name),
        );
        set_when(
            &mut a,
            &When {
                day,
                start: hm(9, 0),
                end: hm(11, 0),
                periods: Some((2, 3)),
                venue: Some(format!("{}教室", partner.name)),
            },
        );
        a.pairing_id = Set(Some(pairing_id));
        a.host_school_id = Set(Some(partner.id));
        a.status = Set(status);
        a.topic = Set(Some(format!("示范课{}及评课交流", l.title)));
        a.lead_speaker_teacher_id = Set(Some(teacher_id));
        let mut participants = vec![teacher_id, director];
        participants.extend(partner.teachers.iter().map(|t| t.id));
        save(w, out, a, &participants, vec![l]).await?;
    }
    Ok(())
}
