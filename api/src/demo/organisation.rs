//! The demo district's organisation as fixed data: 罗田县, its three zones and their lead
//! schools (seed 001), its schools, the 2026–2027 calendar and the school pairings.

use chrono::{Datelike, Days, NaiveDate};
use entities::enums::{PairingKind, SchoolTier};
use serde_json::{json, Value};

pub const DISTRICT_NAME: &str = "罗田县";
/// The county's administrative division code.
pub const DISTRICT_CODE: &str = "421123";

/// A zone (片区教研组) and its lead school (牵头学校), seed 001.
#[derive(Debug)]
pub struct ZoneSpec {
    pub name: &'static str,
    pub lead_school: &'static str,
    /// The towns (乡镇) it gathers.
    pub towns: &'static [&'static str],
}

/// "东片教研组由九资河、白庙河、大河岸等乡镇组成，由大河岸中心小学牵头；西片由胜利、河铺、平湖、大崎、
/// 三里畈等乡镇组成，由三里畈小学牵头；南片由匡河、白莲、骆驼坳、凤山镇等乡镇组成，由骆驼坳小学牵头" (seed 001).
pub const ZONES: &[ZoneSpec] = &[
    ZoneSpec { name: "东片", lead_school: "大河岸中心小学", towns: &["九资河", "白庙河", "大河岸"] },
    ZoneSpec {
        name: "西片", lead_school: "三里畈小学", towns: &["胜利", "河铺", "平湖", "大崎", "三里畈"]
    },
    ZoneSpec { name: "南片", lead_school: "骆驼坳小学", towns: &["匡河", "白莲", "骆驼坳", "凤山镇"] },
];

/// A school of the demo district.
#[derive(Debug)]
pub struct SchoolSpec {
    pub name: &'static str,
    /// Index into [`ZONES`]; county-run schools sit outside the zones.
    pub zone: Option<usize>,
    pub tier: SchoolTier,
    pub address: &'static str,
    /// How many teachers it has.
    pub teachers: usize,
}

const fn school(
    name: &'static str,
    zone: Option<usize>,
    tier: SchoolTier,
    address: &'static str,
    teachers: usize,
) -> SchoolSpec {
    SchoolSpec { name, zone, tier, address, teachers }
}

use SchoolTier::{CountyDirect, TownshipCentral, Village};

/// The flagship school (seed 000's structure, seed 004's staff): index into [`SCHOOLS`].
pub const FLAGSHIP: usize = 1;
/// The county-run school of the 城乡结对 pairing and the district team's leader.
pub const COUNTY_SCHOOL: usize = 0;

/// Every school: 县直小学, 乡镇中心小学 and 村小/教学点 (the tiers of seed 001).
pub const SCHOOLS: &[SchoolSpec] = &[
    school("罗田县实验小学", None, CountyDirect, "罗田县凤山镇", 15),
    school("大河岸中心小学", Some(0), TownshipCentral, "罗田县大河岸镇", 60),
    school("九资河镇中心小学", Some(0), TownshipCentral, "罗田县九资河镇", 12),
    school("白庙河镇中心小学", Some(0), TownshipCentral, "罗田县白庙河镇", 11),
    school("九资河镇罗家畈教学点", Some(0), Village, "罗田县九资河镇罗家畈村", 8),
    school("三里畈小学", Some(1), TownshipCentral, "罗田县三里畈镇", 14),
    school("胜利镇中心小学", Some(1), TownshipCentral, "罗田县胜利镇", 12),
    school("河铺镇中心小学", Some(1), TownshipCentral, "罗田县河铺镇", 11),
    school("平湖乡桃园村小学", Some(1), Village, "罗田县平湖乡桃园村", 9),
    school("骆驼坳小学", Some(2), TownshipCentral, "罗田县骆驼坳镇", 14),
    school("匡河镇中心小学", Some(2), TownshipCentral, "罗田县匡河镇", 11),
    school("白莲河乡中心小学", Some(2), TownshipCentral, "罗田县白莲河乡", 10),
    school("凤山镇桂花村小学", Some(2), Village, "罗田县凤山镇桂花村", 8),
];

/// Index of a school in [`SCHOOLS`] by name (panics on a name that is not there: a bug).
pub fn school_index(name: &str) -> usize {
    SCHOOLS.iter().position(|s| s.name == name).unwrap_or_else(|| panic!("no demo school {name}"))
}

/// A pairing between two schools.
#[derive(Debug)]
pub struct PairingSpec {
    pub mentor: &'static str,
    pub partner: &'static str,
    pub kind: PairingKind,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub notes: &'static str,
}

/// The school that receives a support teacher (支教) through the 城乡结对 pairing.
pub const SUPPORTED_SCHOOL: &str = "凤山镇桂花村小学";

pub fn pairings() -> Vec<PairingSpec> {
    vec![
        PairingSpec {
            mentor: "罗田县实验小学",
            partner: SUPPORTED_SCHOOL,
            kind: PairingKind::UrbanRural,
            start: date(2026, 9, 1),
            end: Some(date(2028, 7, 31)),
            notes: "城乡结对：每学期送课两次，互派教师跟岗学习，实验小学派一名教师支教。",
        },
        PairingSpec {
            mentor: "大河岸中心小学",
            partner: "九资河镇罗家畈教学点",
            kind: PairingKind::Outreach,
            start: date(2026, 9, 1),
            end: Some(date(2027, 1, 22)),
            notes: "送教下乡：东片牵头学校每月送一节示范课并开展评课交流（seed 001）。",
        },
    ]
}

/// A semester of the district calendar.
#[derive(Debug)]
pub struct SemesterSpec {
    pub name: &'static str,
    pub school_year: &'static str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// (name, first day, last day)
    pub holidays: Vec<(&'static str, NaiveDate, NaiveDate)>,
}

impl SemesterSpec {
    /// Monday of teaching week 1: the Monday on or before the first day.
    pub fn week1_start(&self) -> NaiveDate {
        monday_on_or_before(self.start)
    }

    /// The holidays as stored: a JSON array of `{name, start, end}` with ISO dates.
    pub fn holidays_json(&self) -> Value {
        Value::Array(
            self.holidays
                .iter()
                .map(|(name, start, end)| json!({"name": name, "start": start.to_string(), "end": end.to_string()}))
                .collect(),
        )
    }
}

pub fn monday_on_or_before(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday()))).expect("a date after year 1")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid demo date")
}

/// The autumn semester of 2026 (index 0, the one the demo's topics belong to) and the spring
/// semester of 2027. 国庆 Thu 1 – Wed 7 Oct; 元旦 Fri 1 – Sun 3 Jan; 清明 falls on Mon 5 Apr 2027;
/// 劳动节 Sat 1 – Wed 5 May; 端午 (Wed 9 Jun 2027) taken Wed–Fri (the official 2027 arrangement
/// is not published yet).
pub fn semesters() -> Vec<SemesterSpec> {
    vec![
        SemesterSpec {
            name: "2026年秋季学期",
            school_year: "2026-2027",
            start: date(2026, 9, 1),
            end: date(2027, 1, 22),
            holidays: vec![
                ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
                ("元旦", date(2027, 1, 1), date(2027, 1, 3)),
            ],
        },
        SemesterSpec {
            name: "2027年春季学期",
            school_year: "2026-2027",
            start: date(2027, 2, 22),
            end: date(2027, 7, 2),
            holidays: vec![
                ("清明节", date(2027, 4, 5), date(2027, 4, 5)),
                ("劳动节", date(2027, 5, 1), date(2027, 5, 5)),
                ("端午节", date(2027, 6, 9), date(2027, 6, 11)),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use std::collections::HashSet;

    #[test]
    fn week_one_starts_on_the_monday_on_or_before_the_first_day() {
        let s = semesters();
        assert_eq!(s[0].week1_start(), date(2026, 8, 31));
        assert_eq!(s[1].week1_start(), date(2027, 2, 22));
        assert_eq!(monday_on_or_before(date(2026, 9, 6)), date(2026, 8, 31));
    }

    #[test]
    fn semesters_start_and_end_on_school_days_and_contain_their_holidays() {
        for s in semesters() {
            for day in [s.start, s.end] {
                assert!(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun), "{} {day}", s.name);
            }
            for (name, start, end) in &s.holidays {
                assert!(s.start <= *start && start <= end && *end <= s.end, "{name}");
            }
            assert_eq!(s.holidays_json()[0]["start"].as_str().unwrap().len(), 10);
        }
    }

    #[test]
    fn zones_are_led_by_schools_of_their_own() {
        for (z, zone) in ZONES.iter().enumerate() {
            let lead = school_index(zone.lead_school);
            assert_eq!(SCHOOLS[lead].zone, Some(z));
            let members = SCHOOLS.iter().filter(|s| s.zone == Some(z)).count();
            assert!((3..=4).contains(&members), "{}", zone.name);
        }
        assert_eq!(SCHOOLS[FLAGSHIP].name, "大河岸中心小学");
        assert_eq!(SCHOOLS[COUNTY_SCHOOL].tier, SchoolTier::CountyDirect);
        let names: HashSet<_> = SCHOOLS.iter().map(|s| s.name).collect();
        assert_eq!(names.len(), SCHOOLS.len());
    }

    #[test]
    fn pairings_join_a_stronger_school_to_a_village_school() {
        for p in pairings() {
            assert_eq!(SCHOOLS[school_index(p.partner)].tier, SchoolTier::Village);
            assert_ne!(SCHOOLS[school_index(p.mentor)].tier, SchoolTier::Village);
        }
    }
}
