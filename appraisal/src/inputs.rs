//! What is measured of a subject, as the api loads it: the inputs of [`crate::score`].

use serde::{Deserialize, Serialize};

use crate::points::Cents;
use crate::scheme::{AwardLevel, AwardRank, Grade, InspectionGrade, Severity};

/// One quota check result of the subject (`met` only when decided in its favour, as
/// `GET /quota-checks` says `met`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleOutcome {
    /// The saved rule.
    pub rule_id: Option<i64>,
    pub name: String,
    pub severity: Severity,
    /// The semester it was checked in (a school-year scheme checks each semester of the year).
    pub semester: String,
    pub required: f64,
    pub actual: f64,
    pub met: bool,
}

/// An award record of the teacher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Award {
    pub record_id: i64,
    pub title: String,
    pub level: AwardLevel,
    pub rank: AwardRank,
}

/// The teacher's side of a mentorship pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairRole {
    Mentor,
    Mentee,
}

/// A mentorship pair the teacher is in, with how it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairOutcome {
    pub mentorship_id: i64,
    pub role: PairRole,
    /// The other teacher's name.
    pub partner: String,
    /// The pair rules that measure the pair, and how many of them are met.
    pub rules_checked: u32,
    pub rules_met: u32,
    pub assessment: Option<Grade>,
}

/// One item of a routine inspection, as the inspector graded the teacher: a grade, or points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionMark {
    pub inspection_id: i64,
    /// What the line says: the inspection's date and kind, and the item (`2026-10-30 月查 · 听课记录`).
    pub label: String,
    pub grade: Option<InspectionGrade>,
    pub points: Option<f64>,
}

/// Collective preparations: how many of those counted were completed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepShare {
    pub completed: u32,
    pub total: u32,
}

/// Everything measured of one teacher.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeacherInputs {
    pub rules: Vec<RuleOutcome>,
    pub awards: Vec<Award>,
    /// `None` when no activity was due.
    pub attendance_rate: Option<f64>,
    pub pairs: Vec<PairOutcome>,
    pub inspections: Vec<InspectionMark>,
    /// `None` when the teacher took part in no preparation.
    pub preparations: Option<PrepShare>,
}

/// Everything measured of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupInputs {
    /// The scores of its members.
    pub member_scores: Vec<Cents>,
    /// The group rules that measure the group.
    pub rules: Vec<RuleOutcome>,
    /// `None` when the group held no preparation.
    pub preparations: Option<PrepShare>,
}
