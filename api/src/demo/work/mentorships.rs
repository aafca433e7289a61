//! 师徒结对 at the flagship (seed 000): "每位名师要带好两个徒弟；骨干、教坛新秀一个徒弟", mentor and
//! mentee of the same grade band, for the school year (autumn to spring), with seed 000's duties.

use entities::enums::{GradeBand, HonourTitle, MentorshipStatus};
use entities::mentorship;
use sea_orm::{DbErr, Set};
use serde_json::json;

use super::super::organisation::semesters;
use super::super::write::insert_chunked;
use super::Work;

/// The duties of seed 000, the API's defaults.
pub const DUTIES: [&str; 4] = [
    "师傅每周听徒弟一节课",
    "每学期指导徒弟上一节有价值的研究课",
    "师徒每学期相互随堂听课2节以上",
    "学期末徒弟上汇报课并写结对总结",
];

/// A pair: teacher ids, and how often the mentor has been observing (weekly or now and then).
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub mentor_id: i64,
    pub mentee_id: i64,
    /// Mentor observations of the mentee up to the as-of day.
    pub mentor_visits: usize,
    /// Mentee observations of the mentor up to the as-of day.
    pub mentee_visits: usize,
}

/// (mentor, mentee) as indexes into the flagship's roster, with the visits each way: the 名师
/// (语文, grade 4) takes two young middle-band 语文 teachers and observes one of them every week;
/// the 骨干 (语文 6) visited her mentee only twice on her own; the 教坛新秀 pairs sit in between.
const PAIRS: [(usize, usize, usize, usize); 5] =
    [(12, 14, 11, 3), (12, 10, 6, 2), (20, 22, 2, 1), (18, 19, 5, 2), (31, 32, 4, 2)];

pub(super) async fn write(w: &mut Work<'_>) -> Result<Vec<Pair>, DbErr> {
    let school = w.flagship().clone();
    let band = |i: usize| GradeBand::of_grade(school.teachers[i].spec.grades[0]);
    let specs = semesters();
    let year = (specs[0].start, specs[specs.len() - 1].end);
    let mut pairs = Vec::new();
    let mut rows = Vec::new();
    for (mentor, mentee, mentor_visits, mentee_visits) in PAIRS {
        let (m, t) = (&school.teachers[mentor], &school.teachers[mentee]);
        debug_assert!(m.spec.honours.iter().any(|h| matches!(
            h.title,
            HonourTitle::RenownedTeacher | HonourTitle::BackboneTeacher | HonourTitle::RisingStar
        )));
        debug_assert_eq!(band(mentor), band(mentee));
        rows.push(mentorship::ActiveModel {
            district_id: Set(w.district.district_id),
            school_id: Set(school.id),
            mentor_teacher_id: Set(m.id),
            mentee_teacher_id: Set(t.id),
            start_semester_id: Set(w.district.autumn_semester_id),
            end_semester_id: Set(w.district.spring_semester_id),
            start_date: Set(year.0),
            end_date: Set(year.1),
            agreement: Set(Some(format!(
                "青蓝工程师徒协议：师傅{}老师在备课、上课、作业设计和班级管理上指导徒弟{}老师，徒弟虚心学习，主动请教，一学年后接受学校考核。",
                m.spec.name, t.spec.name
            ))),
            duties: Set(json!(DUTIES)),
            status: Set(MentorshipStatus::Active),
            grade_band_mismatch: Set(false),
            assessment_grade: Set(None),
            assessment_comment: Set(None),
            reward: Set(None),
            assessed_on: Set(None),
            created_at: Set(w.at),
            updated_at: Set(w.at),
            archived_at: Set(None),
            ..Default::default()
        });
        pairs.push(Pair { mentor_id: m.id, mentee_id: t.id, mentor_visits, mentee_visits });
    }
    w.counts.mentorships = rows.len();
    insert_chunked::<mentorship::Entity, _>(w.txn, rows.into_iter()).await?;
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::plan;

    #[test]
    fn pairs_follow_the_capacities_and_grade_bands_of_seed_000() {
        let plan = plan();
        let staff = &plan.schools[crate::demo::organisation::FLAGSHIP].staff;
        for (mentor, mentee, _, _) in PAIRS {
            let honours: Vec<HonourTitle> = staff[mentor].honours.iter().map(|h| h.title).collect();
            let capacity = if honours.contains(&HonourTitle::RenownedTeacher) { 2 } else { 1 };
            assert!(!honours.is_empty(), "{mentor} is a 名师, 骨干 or 教坛新秀");
            assert!(PAIRS.iter().filter(|p| p.0 == mentor).count() <= capacity);
            assert!(staff[mentee].honours.is_empty() && staff[mentee].age() < 30, "{mentee} is a young teacher");
            assert_eq!(GradeBand::of_grade(staff[mentor].grades[0]), GradeBand::of_grade(staff[mentee].grades[0]));
            assert_eq!(staff[mentor].subject, staff[mentee].subject);
        }
    }
}
