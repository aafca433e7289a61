//! A computed check, kept compactly so that pages, filters and the summary are read from it
//! instead of computing again: per result a few numbers and indexes into the subjects and rules,
//! per period its actual value and status (its dates and minimum are the rule's). A district of
//! 135,000 results takes about 20 MB.
//!
//! Results are kept in list order: subject type (teacher, group, mentorship, school), subject
//! name and id, then rule (saved rules by id, then drafts by position).

use std::collections::HashSet;

use super::engine::{CheckItem, CheckPeriod, RuleRef};
use super::subjects::{SubjectRef, Target};
use super::views::Summary;
use crate::quota::evaluate::{PeriodStatus, Slot, Status, Verdict};
use crate::quota::rules::SubjectType;

/// One period of a rule as every result of the rule shares it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeptPeriod {
    pub slot: Slot,
    pub teaching_days: u32,
    pub full_teaching_days: u32,
}

/// A rule of a kept check.
#[derive(Debug, Clone)]
pub struct KeptRule {
    pub rule: RuleRef,
    pub periods: Vec<KeptPeriod>,
}

/// One (subject, rule) result.
#[derive(Debug, Clone, Copy)]
pub struct KeptItem {
    pub subject: u32,
    pub rule: u32,
    /// Where its periods start in [`Kept::actuals`] and [`Kept::statuses`].
    pub first_period: u32,
    /// Its own periods in [`Kept::clipped`], for a subject present over part of the semester
    /// only; `None`: the rule's.
    pub clipped: Option<u32>,
    pub verdict: Verdict,
}

/// A computed check.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    /// Counts per status over every result (set by [`Kept::finish`]).
    pub summary: Summary,
    pub subjects: Vec<SubjectRef>,
    pub rules: Vec<KeptRule>,
    /// Period lists of subjects present over part of the semester (a rule's periods cut to
    /// their days), shared by every result with the same rule and days.
    pub clipped: Vec<Vec<KeptPeriod>>,
    pub items: Vec<KeptItem>,
    pub actuals: Vec<f64>,
    pub statuses: Vec<PeriodStatus>,
}

/// Which results a reader asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The caller's target: only its subjects.
    pub target: Option<Target>,
    pub subject_type: Option<SubjectType>,
    pub rule_id: Option<i64>,
    pub status: Option<Status>,
}

/// One result without its periods, borrowed from the kept check: what tables of results (the
/// compliance report) need, without building every result as an API object.
#[derive(Debug, Clone, Copy)]
pub struct Brief<'a> {
    pub subject: &'a SubjectRef,
    pub rule: &'a RuleRef,
    pub required: f64,
    pub actual: f64,
    pub status: Status,
}

/// A page of results with the counts that go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Counts over every result matching the filter except `status`.
    pub summary: Summary,
    /// Results matching the whole filter.
    pub total: u64,
    pub items: Vec<CheckItem>,
}

impl Filter {
    /// Whether the filter keeps every result of any kept check (no subject type, rule, status or
    /// narrower target than a whole district).
    fn keeps_everything(&self) -> bool {
        self.subject_type.is_none()
            && self.rule_id.is_none()
            && self.status.is_none()
            && self.target.as_ref().is_none_or(|t| {
                t.school_ids.is_none()
                    && t.teachers.is_none()
                    && t.groups.is_none()
                    && t.mentorships.is_none()
                    && t.schools.is_none()
            })
    }
}

impl Kept {
    /// Counts the results per status, once computed.
    pub fn finish(mut self) -> Kept {
        let mut summary = Summary::default();
        for item in &self.items {
            summary.add(item.verdict.status);
        }
        self.summary = summary;
        self
    }

    /// Approximate bytes held (what the cache weighs it by).
    pub fn bytes(&self) -> usize {
        use std::mem::size_of;
        let names: usize = self.subjects.iter().map(|s| s.name.len() + size_of::<SubjectRef>()).sum();
        let rules: usize = self.rules.iter().map(|r| r.periods.len() * size_of::<KeptPeriod>() + 256).sum::<usize>()
            + self.clipped.iter().map(|c| c.len() * size_of::<KeptPeriod>()).sum::<usize>();
        names
            + rules
            + self.items.len() * size_of::<KeptItem>()
            + self.actuals.len() * size_of::<f64>()
            + self.statuses.len() * size_of::<PeriodStatus>()
    }

    /// The result at `index`, as the API gives it.
    pub fn item(&self, index: usize) -> CheckItem {
        let item = &self.items[index];
        let rule = &self.rules[item.rule as usize];
        let first = item.first_period as usize;
        CheckItem {
            subject: self.subjects[item.subject as usize].clone(),
            rule: rule.rule.clone(),
            required: item.verdict.required,
            actual: item.verdict.actual,
            status: item.verdict.status,
            expected_by_now: item.verdict.expected_by_now,
            projected: item.verdict.projected,
            periods: item
                .clipped
                .map_or(&rule.periods, |c| &self.clipped[c as usize])
                .iter()
                .enumerate()
                .map(|(i, p)| CheckPeriod {
                    start: p.slot.start,
                    end: p.slot.end,
                    required: p.slot.required,
                    actual: self.actuals[first + i],
                    status: self.statuses[first + i],
                    teaching_days: p.teaching_days,
                    full_teaching_days: p.full_teaching_days,
                })
                .collect(),
        }
    }

    /// Which subjects `filter` keeps, by subject index.
    fn subjects_kept(&self, filter: &Filter) -> Vec<bool> {
        let sets = filter.target.as_ref().map(TargetSets::of);
        self.subjects
            .iter()
            .map(|s| filter.subject_type.is_none_or(|k| s.kind == k) && sets.as_ref().is_none_or(|t| t.contains(s)))
            .collect()
    }

    /// The indexes of the results `filter` keeps (all but its status), in list order.
    fn matching(&self, filter: &Filter) -> impl Iterator<Item = usize> + '_ {
        let subjects = self.subjects_kept(filter);
        let rule_ok: Vec<bool> =
            self.rules.iter().map(|r| filter.rule_id.is_none_or(|id| r.rule.id == Some(id))).collect();
        (0..self.items.len())
            .filter(move |i| subjects[self.items[*i].subject as usize] && rule_ok[self.items[*i].rule as usize])
    }

    /// The page at `offset` of at most `limit` results matching `filter`.
    pub fn page(&self, filter: &Filter, offset: u64, limit: u64) -> Page {
        let (summary, total, indexes) = self.page_indexes(filter, offset, limit);
        Page { summary, total, items: indexes.into_iter().map(|i| self.item(i)).collect() }
    }

    /// The page at `offset` of at most `limit` results matching `filter`, by index: the counts
    /// over every result matching the filter but its status, the number matching it all, and
    /// the page's results.
    pub fn page_indexes(&self, filter: &Filter, offset: u64, limit: u64) -> (Summary, u64, Vec<usize>) {
        if filter.keeps_everything() {
            // Every result: the counts are the kept ones, the page a slice.
            let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.items.len());
            let end = start.saturating_add(usize::try_from(limit).unwrap_or(usize::MAX)).min(self.items.len());
            return (self.summary.clone(), self.items.len() as u64, (start..end).collect());
        }
        let mut summary = Summary::default();
        let mut total = 0u64;
        let mut items = Vec::new();
        for i in self.matching(filter) {
            let status = self.items[i].verdict.status;
            summary.add(status);
            if filter.status.is_some_and(|s| s != status) {
                continue;
            }
            if total >= offset && (items.len() as u64) < limit {
                items.push(i);
            }
            total += 1;
        }
        (summary, total, items)
    }

    /// Every result matching `filter` (status included), in list order.
    pub fn all(&self, filter: &Filter) -> Vec<CheckItem> {
        self.matching(filter)
            .filter(|i| filter.status.is_none_or(|s| s == self.items[*i].verdict.status))
            .map(|i| self.item(i))
            .collect()
    }

    /// Every result matching `filter` (status included), in list order, without periods.
    pub fn briefs(&self, filter: &Filter) -> Vec<Brief<'_>> {
        self.matching(filter)
            .map(|i| &self.items[i])
            .filter(|item| filter.status.is_none_or(|s| s == item.verdict.status))
            .map(|item| Brief {
                subject: &self.subjects[item.subject as usize],
                rule: &self.rules[item.rule as usize].rule,
                required: item.verdict.required,
                actual: item.verdict.actual,
                status: item.verdict.status,
            })
            .collect()
    }
}

/// A target's subjects as sets, to test kept results against.
struct TargetSets {
    school_ids: Option<HashSet<i64>>,
    teachers: Option<HashSet<i64>>,
    groups: Option<HashSet<i64>>,
    mentorships: Option<HashSet<i64>>,
    schools: Option<HashSet<i64>>,
}

impl TargetSets {
    fn of(t: &Target) -> TargetSets {
        let set = |ids: &Option<Vec<i64>>| ids.as_ref().map(|v| v.iter().copied().collect::<HashSet<i64>>());
        TargetSets {
            school_ids: set(&t.school_ids),
            teachers: set(&t.teachers),
            groups: set(&t.groups),
            mentorships: set(&t.mentorships),
            schools: set(&t.schools),
        }
    }

    /// Whether the target measures `s` (the rules of [`super::subjects::load_subjects`]).
    fn contains(&self, s: &SubjectRef) -> bool {
        let in_schools = || match (&self.school_ids, s.school_id) {
            (None, _) => true,
            (Some(ids), Some(school)) => ids.contains(&school),
            // A district team, only when the target names its groups.
            (Some(_), None) => s.kind == SubjectType::Group && self.groups.is_some(),
        };
        let named = |ids: &Option<HashSet<i64>>| ids.as_ref().is_none_or(|ids| ids.contains(&s.id));
        let listed = match s.kind {
            SubjectType::Teacher => named(&self.teachers),
            SubjectType::Group => named(&self.groups),
            SubjectType::Mentorship => named(&self.mentorships),
            SubjectType::School => named(&self.schools),
        };
        listed && in_schools()
    }
}
