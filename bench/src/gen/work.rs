//! A semester of work over the roster: group activities (with lessons and attendance),
//! lesson observations (mentors' of their mentees among them), research records and the
//! lesson-prep groups' collective preparations.
//!
//! Each part draws from its own random stream, so the parts do not depend on each other's
//! sizes. `work_scale` multiplies how many rows each part draws (activities: the chance a group
//! meets in a week, at most once a week).

mod activities;
mod observations;
mod preparations;
mod records;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr};

use super::calendar::Semester;
use super::roster::{grade_name, Roster};
use super::GenOptions;
use crate::rng::{Rng, RngExt};

#[derive(Debug, Clone, Copy)]
pub enum Part {
    Activities,
    Observations,
    Records,
    Preparations,
}

pub struct Work<'a> {
    r: &'a Roster,
    seed: u64,
    scale: f64,
    until: NaiveDate,
    days: Vec<NaiveDate>,
    weeks: Vec<Vec<NaiveDate>>,
    /// Per school, per subject: the teachers who teach it.
    by_subject: Vec<BTreeMap<&'static str, Vec<usize>>>,
    /// Per zone: its schools.
    zone_schools: Vec<Vec<usize>>,
}

const LESSON_TITLES: &[&str] = &[
    "《秋天》第一课时",
    "《小蝌蚪找妈妈》",
    "《圆的认识》",
    "《分数的初步认识》",
    "Unit 3 At the zoo",
    "《植物的一生》",
    "《认识人民币》",
    "《草船借箭》",
    "《长方形和正方形的面积》",
    "《我们的校园》",
    "《观潮》",
    "《可能性》",
    "《声音的产生》",
    "Unit 5 My clothes",
    "《静夜思》",
    "《两位数乘两位数》",
];
const STRENGTHS: &[&str] = &[
    "教学目标明确，重难点突出",
    "情境创设贴近学生生活",
    "小组合作学习组织有序",
    "板书设计简洁清晰",
    "评价语言丰富，激励性强",
    "注重学生朗读指导",
];
const WEAKNESSES: &[&str] =
    &["学生自主探究时间不足", "提问指向性不够明确", "练习设计层次性不强", "课堂节奏前松后紧", "对学困生关注不够"];
const SUGGESTIONS: &[&str] = &[
    "增加学生动手操作环节",
    "预设学生可能的错误并加以利用",
    "作业分层布置",
    "结合生活实例巩固新知",
    "把课堂还给学生，教师少讲精讲",
    "加强课后反思",
];
const LEAVE_REASONS: &[&str] = &["病假", "外出培训", "家中有事", "参加县教研室会议", "带学生参加比赛"];

fn class_name(grade: i32, n: i32) -> String {
    format!("{}({})班", grade_name(grade), n)
}

impl<'a> Work<'a> {
    pub fn new(r: &'a Roster, opts: &GenOptions, semester: &'a Semester, until: NaiveDate) -> Work<'a> {
        let mut by_subject: Vec<BTreeMap<&'static str, Vec<usize>>> = vec![BTreeMap::new(); r.schools.len()];
        for (i, t) in r.teachers.iter().enumerate() {
            for s in &t.subjects {
                by_subject[t.school].entry(*s).or_default().push(i);
            }
        }
        let mut zone_schools = vec![Vec::new(); r.zones.len()];
        for (i, s) in r.schools.iter().enumerate() {
            zone_schools[s.zone].push(i);
        }
        Work {
            r,
            seed: opts.seed,
            scale: opts.work_scale,
            until,
            days: semester.teaching_days(),
            weeks: semester.teaching_weeks(),
            by_subject,
            zone_schools,
        }
    }

    /// Writes one part; answers the rows written per table.
    pub async fn write(&self, db: &impl ConnectionTrait, part: Part) -> Result<Vec<(&'static str, u64)>, DbErr> {
        match part {
            Part::Activities => self.activities(db).await,
            Part::Observations => self.observations(db).await,
            Part::Records => self.records(db).await,
            Part::Preparations => self.preparations(db).await,
        }
    }

    /// `n` days spread over the semester's teaching days (one drawn in each n-th of it), those
    /// after `until` left out.
    fn spread_days(&self, rng: &mut Rng, n: usize) -> Vec<NaiveDate> {
        let len = self.days.len();
        (0..n)
            .map(|i| {
                let x = (i as f64 + rng.unit()) / n as f64;
                self.days[((x * len as f64) as usize).min(len - 1)]
            })
            .filter(|d| *d <= self.until)
            .collect()
    }
}
