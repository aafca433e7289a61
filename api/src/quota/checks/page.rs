//! A page of a kept check written straight to JSON: the bytes serde writes for
//! [`super::views::CheckList`],
//! without building each result as an API object first.
//!
//! A district's walk reads about 100 MB of results, 500 at a time; building every result
//! (cloning its subject's and rule's names, collecting its periods) and then serialising it
//! cost about as much as the check's own scans. Here each subject and rule of the page is
//! serialised once (a page holds about 40 subjects and as many rules, repeated over its 500
//! results), days and whole numbers are written digit by digit, other numbers and statuses by
//! serde itself, and the buffer is sized for the page up front. A unit test holds the bytes
//! equal to serde's.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::kept::{Filter, Kept};

/// About what one result with its periods takes, to size the buffer.
const BYTES_PER_RESULT: usize = 800;

/// The page at `offset` of at most `limit` results of `kept` matching `filter`, as the JSON of
/// a [`super::views::CheckList`].
pub fn page_json(semester_id: i64, as_of: NaiveDate, kept: &Kept, filter: &Filter, offset: u64, limit: u64) -> Vec<u8> {
    let (summary, total, indexes) = kept.page_indexes(filter, offset, limit);
    let mut w = PageWriter {
        out: Vec::with_capacity(256 + indexes.len() * BYTES_PER_RESULT),
        kept,
        subjects: HashMap::new(),
        rules: HashMap::new(),
    };
    w.raw(b"{\"semester_id\":");
    w.value(&semester_id);
    w.raw(b",\"as_of\":");
    w.day(as_of);
    w.raw(b",\"summary\":");
    w.value(&summary);
    w.raw(b",\"items\":[");
    for (n, index) in indexes.into_iter().enumerate() {
        if n > 0 {
            w.raw(b",");
        }
        w.item(index);
    }
    w.raw(b"],\"total\":");
    w.value(&total);
    w.raw(b",\"limit\":");
    w.value(&limit);
    w.raw(b",\"offset\":");
    w.value(&offset);
    w.raw(b"}");
    w.out
}

struct PageWriter<'a> {
    out: Vec<u8>,
    kept: &'a Kept,
    /// The JSON of each subject and rule met on the page, by index.
    subjects: HashMap<u32, Vec<u8>>,
    rules: HashMap<u32, Vec<u8>>,
}

impl PageWriter<'_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// A value as serde writes it (numbers, statuses, small structs).
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing to a Vec cannot fail, and these types always serialise.
        let _ = serde_json::to_writer(&mut self.out, value);
    }

    /// A day as chrono's serde writes it: `"YYYY-MM-DD"`.
    fn day(&mut self, day: NaiveDate) {
        let year = day.year();
        if !(1000..=9999).contains(&year) {
            return self.value(&day);
        }
        let (y, m, d) = (year as u16, day.month() as u8, day.day() as u8);
        let digit = |n: u16| b'0' + (n % 10) as u8;
        self.out.extend_from_slice(&[
            b'"',
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            b'0' + m / 10,
            b'0' + m % 10,
            b'-',
            b'0' + d / 10,
            b'0' + d % 10,
            b'"',
        ]);
    }

    /// A number as serde writes it. Most of a check's numbers are whole (counts, minimums):
    /// those below 10¹⁵ are written digit by digit with serde's `.0`; the others by serde.
    fn number(&mut self, value: f64) {
        if value.fract() != 0.0 || !(0.0..1e15).contains(&value) || value.is_sign_negative() {
            return self.value(&value);
        }
        let mut n = value as u64;
        let mut digits = [0u8; 16];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[at..]);
        self.out.extend_from_slice(b".0");
    }

    fn item(&mut self, index: usize) {
        let kept = self.kept;
        let item = &kept.items[index];
        self.raw(b"{\"subject\":");
        let subject = self.subjects.entry(item.subject).or_insert_with(|| json(&kept.subjects[item.subject as usize]));
        self.out.extend_from_slice(subject);
        self.raw(b",\"rule\":");
        let rule = &kept.rules[item.rule as usize];
        let rule_json = self.rules.entry(item.rule).or_insert_with(|| json(&rule.rule));
        self.out.extend_from_slice(rule_json);
        let v = &item.verdict;
        self.raw(b",\"required\":");
        self.number(v.required);
        self.raw(b",\"actual\":");
        self.number(v.actual);
        self.raw(b",\"status\":");
        self.value(&v.status);
        self.raw(b",\"expected_by_now\":");
        self.number(v.expected_by_now);
        self.raw(b",\"projected\":");
        self.number(v.projected);
        self.raw(b",\"periods\":[");
        let periods = item.clipped.map_or(&rule.periods, |c| &kept.clipped[c as usize]);
        let first = item.first_period as usize;
        for (i, p) in periods.iter().enumerate() {
            self.raw(if i == 0 { b"{\"start\":" } else { b",{\"start\":" });
            self.day(p.slot.start);
            self.raw(b",\"end\":");
            self.day(p.slot.end);
            self.raw(b",\"required\":");
            self.number(p.slot.required);
            self.raw(b",\"actual\":");
            self.number(kept.actuals[first + i]);
            self.raw(b",\"status\":");
            self.value(&kept.statuses[first + i]);
            self.raw(b",\"teaching_days\":");
            self.value(&p.teaching_days);
            self.raw(b",\"full_teaching_days\":");
            self.value(&p.full_teaching_days);
            self.raw(b"}");
        }
        self.raw(b"]}");
    }
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The page as serde writes it from the API objects (what [`page_json`] must equal).
#[cfg(test)]
fn page_by_serde(semester_id: i64, as_of: NaiveDate, kept: &Kept, filter: &Filter, offset: u64, limit: u64) -> Vec<u8> {
    let page = kept.page(filter, offset, limit);
    let list = super::views::CheckList {
        semester_id,
        as_of,
        summary: page.summary,
        items: page.items,
        total: page.total,
        limit,
        offset,
    };
    serde_json::to_vec(&list).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::checks::engine::RuleRef;
    use crate::quota::checks::kept::{KeptItem, KeptPeriod, KeptRule};
    use crate::quota::checks::subjects::SubjectRef;
    use crate::quota::evaluate::{PeriodStatus, Schedule, Shape, Status, Verdict};
    use crate::quota::periods::{Period, PeriodKind};
    use crate::quota::rules::{Severity, SubjectType};
    use jiaoyan_quota::calendar::Calendar;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A kept period requiring `min`, as the engine's schedule makes it.
    fn period(start: NaiveDate, end: NaiveDate, min: f64) -> KeptPeriod {
        let p = Period { start, end, teaching_days: 5, full_teaching_days: 5 };
        let calendar = Calendar { start_date: start, end_date: end, week1_start: start, holidays: vec![] };
        let slot = Schedule::new(&[p], min, Shape::Count, start, &calendar).slots[0];
        KeptPeriod { slot, teaching_days: 4, full_teaching_days: 5 }
    }

    /// Subjects with names serde must escape, a draft rule, a clipped period list, numbers of
    /// every shape (integral, fractional, tiny, huge, negative zero) and days of every width.
    fn kept() -> Kept {
        let names = ["王芳", "a \"quoted\"\\ name\n", "黄琳文 → 叶英燕", "\u{1}ctl", ""];
        let subjects = names
            .iter()
            .enumerate()
            .map(|(i, name)| SubjectRef {
                kind: [SubjectType::Teacher, SubjectType::Group, SubjectType::Mentorship][i % 3],
                id: i as i64 + 1,
                name: (*name).to_string(),
                school_id: (i % 2 == 0).then_some(7),
            })
            .collect();
        let rule = |id: Option<i64>, index: Option<usize>, family: Option<&str>| RuleRef {
            id,
            index,
            name: "每月听课不少于\"4\"节".to_string(),
            severity: Severity::Required,
            metric: "observations".to_string(),
            period: PeriodKind::Month,
            min: 4.0,
            family: family.map(str::to_string),
        };
        let months = vec![
            period(day(2026, 9, 1), day(2026, 9, 30), 4.0),
            period(day(2026, 10, 1), day(2026, 10, 31), 2.5),
            period(day(999, 12, 31), day(10000, 1, 1), 1e21 + 0.5),
        ];
        let rules = vec![
            KeptRule { rule: rule(Some(3), None, None), periods: months.clone() },
            KeptRule { rule: rule(None, Some(0), Some("family-1")), periods: months[..1].to_vec() },
        ];
        let numbers = [
            0.0,
            -0.0,
            1.0,
            0.1 + 0.2,
            1e-7,
            123456789012345.0,
            999999999999999.0,
            1e15,
            1e16,
            -3.0,
            0.5714285714285714,
            19.0,
        ];
        let statuses = [PeriodStatus::Met, PeriodStatus::Short, PeriodStatus::InProgress, PeriodStatus::Upcoming];
        let mut kept = Kept {
            subjects,
            rules,
            clipped: vec![vec![period(day(2026, 10, 12), day(2026, 10, 31), 3.0)]],
            ..Kept::default()
        };
        for i in 0..12usize {
            let rule = (i % 2) as u32;
            let clipped = (i % 5 == 4 && rule == 0).then_some(0);
            let count = match clipped {
                Some(c) => kept.clipped[c as usize].len(),
                None => kept.rules[rule as usize].periods.len(),
            };
            let first = kept.actuals.len() as u32;
            for k in 0..count {
                kept.actuals.push(numbers[(i + k) % numbers.len()]);
                kept.statuses.push(statuses[(i + k) % statuses.len()]);
            }
            kept.items.push(KeptItem {
                subject: (i % 5) as u32,
                rule,
                first_period: first,
                clipped,
                verdict: Verdict {
                    required: numbers[i % numbers.len()],
                    actual: numbers[(i + 3) % numbers.len()],
                    status: [Status::Met, Status::Short, Status::AtRisk, Status::OnTrack][i % 4],
                    expected_by_now: numbers[(i + 5) % numbers.len()],
                    projected: numbers[(i + 7) % numbers.len()],
                },
            });
        }
        kept.finish()
    }

    #[test]
    fn the_page_is_byte_for_byte_what_serde_writes() {
        let kept = kept();
        let everything = Filter::default();
        let met = Filter { status: Some(Status::Met), ..Filter::default() };
        let teachers = Filter { subject_type: Some(SubjectType::Teacher), ..Filter::default() };
        for filter in [&everything, &met, &teachers] {
            for (offset, limit) in [(0, 500), (0, 5), (5, 5), (11, 5), (40, 5)] {
                let ours = page_json(9, day(2027, 1, 15), &kept, filter, offset, limit);
                let serde = page_by_serde(9, day(2027, 1, 15), &kept, filter, offset, limit);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(serde).unwrap(),
                    "{filter:?} at {offset}+{limit}"
                );
            }
        }
    }
}
