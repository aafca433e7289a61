//! The mapping of each file, and errors told back in the files' terms.

use chrono::NaiveDate;

use super::*;
use crate::oneroster::names::split_name;
use crate::sync::csv::table::parse;

fn district() -> District {
    District { id: 7, name: "罗田县".into(), code: Some("421123".into()) }
}

fn import(files: &[(CsvFile, &str)]) -> Result<Import, Vec<String>> {
    let tables: Vec<Table> = files.iter().map(|(f, text)| parse(*f, text).expect("parses")).collect();
    build(&tables, &district())
        .map_err(|errors| errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
}

fn fields(errors: Vec<String>) -> Vec<String> {
    errors.into_iter().map(|e| e.split(": ").next().unwrap().to_string()).collect()
}

const ORGS: &str = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,tier\n\
    D1,active,,罗田县,district,,,\n\
    Z-E,,,东片,local,,D1,\n\
    S1,,,大河岸中心小学,school,4211230421,Z-E,township_central\n\
    S2,,,县实验小学,school,,D1,county_direct\n\
    S3,tobedeleted,,,school,,,\n";

#[test]
fn orgs_become_zones_and_schools_under_the_callers_district() {
    let import = import(&[(CsvFile::Orgs, ORGS)]).unwrap();
    let b = &import.batch;
    assert_eq!(b.zones.len(), 1);
    assert_eq!((b.zones[0].sourced_id.as_str(), b.zones[0].name.as_deref()), ("Z-E", Some("东片")));
    let schools: Vec<_> = b.schools.iter().map(|s| (s.sourced_id.as_str(), s.zone_sourced_id.as_deref())).collect();
    assert_eq!(schools, vec![("S1", Some("Z-E")), ("S2", None), ("S3", None)]);
    assert_eq!(b.schools[0].tier, Some(SchoolTier::TownshipCentral));
    assert_eq!(b.schools[0].code.as_deref(), Some("4211230421"));
    assert_eq!(b.schools[2].status, RecordStatus::Tobedeleted);
    assert_eq!(import.sources.schools[1].line, 5);
}

#[test]
fn another_district_or_an_unknown_type_is_refused() {
    let text = "sourcedId,name,type,tier\nD9,邻县,district,\nX,某部门,department,\nS1,某小学,school,\n";
    let errors = fields(import(&[(CsvFile::Orgs, text)]).unwrap_err());
    assert_eq!(errors, vec!["orgs.csv:2:name", "orgs.csv:3:type", "orgs.csv:4:tier"]);
    // Named by its code or the view's synthetic id, the district is recognised.
    let text = "sourcedId,name,type,identifier\nD9,Luotian,district,421123\njiaoyan-district-7,x,district,\n";
    let errors = fields(import(&[(CsvFile::Orgs, text)]).unwrap_err());
    assert_eq!(errors, vec!["orgs.csv:3:type"], "one district row only");
}

#[test]
fn teachers_with_extension_columns_and_other_roles_skipped() {
    let text = "sourcedId,status,role,givenName,familyName,orgSourcedIds,grades,gender,birthDate,subjects,posts,honours,teachingStartYear\n\
        T1,active,teacher,芳,王,\"S1,S2\",\"03,04\",女,1990/5/1,语文;数学,research_group_leader,backbone_teacher:county:2022,2012\n\
        P1,active,student,小明,李,S1,,,,,,,\n\
        T2,tobedeleted,,,,,,,,,,,\n\
        T3,,Teacher,Mary,Smith,S2,,male,,,,,\n";
    let import = import(&[(CsvFile::Users, text)]).unwrap();
    let t = &import.batch.teachers;
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].name.as_deref(), Some("王芳"));
    assert_eq!(t[0].school_sourced_id.as_deref(), Some("S1"));
    assert_eq!(t[0].grades, vec![3, 4]);
    assert_eq!(t[0].gender, Some(Gender::Female));
    assert_eq!(t[0].birth_date, NaiveDate::from_ymd_opt(1990, 5, 1));
    assert_eq!(t[0].subjects, vec!["语文", "数学"]);
    assert_eq!(t[0].posts, vec![Post::ResearchGroupLeader]);
    assert_eq!(t[0].honours, vec![Honour { title: HonourTitle::BackboneTeacher, level: Level::County, year: 2022 }]);
    assert_eq!(t[0].teaching_start_year, Some(2012));
    assert_eq!((t[1].sourced_id.as_str(), t[1].status), ("T2", RecordStatus::Tobedeleted));
    assert_eq!(t[2].name.as_deref(), Some("Mary Smith"));
    assert_eq!(import.skipped.get("users.csv"), Some(&1));
    assert_eq!(import.sources.teachers.iter().map(|s| s.line).collect::<Vec<_>>(), vec![2, 4, 5]);
}

#[test]
fn names_round_trip_with_the_oneroster_split() {
    for name in ["王芳", "欧阳修", "Mary Smith", "诸葛亮"] {
        let (family, given) = split_name(name);
        assert_eq!(full_name(Some(&family), Some(&given)).as_deref(), Some(name));
    }
    assert_eq!(full_name(Some("王芳"), None).as_deref(), Some("王芳"));
    assert_eq!(full_name(None, None), None);
}

#[test]
fn every_bad_value_is_named_by_file_line_and_column() {
    let text = "sourcedId,role,givenName,familyName,orgSourcedIds,birthDate,gender,grades,honours,degree\n\
        T1,teacher,芳,王,S1,1990-05-01,female,3,,bachelor\n\
        T2,teacher,,,S1,1990-02-30,x,三,名师,phd\n\
        T3,teacher,伟,张,,,,,,\n\
        T4,janitor,,,,,,,,\n";
    let errors = fields(import(&[(CsvFile::Users, text)]).unwrap_err());
    assert_eq!(
        errors,
        vec![
            "users.csv:3:familyName",
            "users.csv:3:gender",
            "users.csv:3:birthDate",
            "users.csv:3:degree",
            "users.csv:3:grades",
            "users.csv:3:honours",
            "users.csv:4:orgSourcedIds",
            "users.csv:5:role",
        ]
    );
}

#[test]
fn sessions_become_semesters_and_school_years_are_skipped() {
    let text = "sourcedId,status,title,type,startDate,endDate,parentSourcedId,schoolYear,holidays\n\
        Y2027,active,2026-2027学年,schoolYear,2026-09-01,2027-07-10,,2027,\n\
        T-AUT,active,2026年秋季学期,term,2026-09-01,2027-01-22,Y2027,2027,国庆节:2026-10-01:2026-10-07;元旦:2027-01-01:2027-01-01\n\
        T-SPR,active,2027年春季学期,semester,2027/2/20,2027-07-10,Y2027,2026-2027,\n\
        T-BAD,active,x,term,2027-13-01,,,,\n";
    let errors = fields(import(&[(CsvFile::AcademicSessions, text)]).unwrap_err());
    assert_eq!(
        errors,
        vec!["academicSessions.csv:5:schoolYear", "academicSessions.csv:5:startDate", "academicSessions.csv:5:endDate"]
    );
    let text: String = text.lines().take(4).map(|l| format!("{l}\n")).collect();
    let import = import(&[(CsvFile::AcademicSessions, &text)]).unwrap();
    let s = &import.batch.semesters;
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].school_year.as_deref(), Some("2026-2027"));
    assert_eq!(s[0].holidays.len(), 2);
    assert_eq!(s[0].holidays[0].name, "国庆节");
    assert_eq!(s[1].start_date, NaiveDate::from_ymd_opt(2027, 2, 20));
    assert_eq!(import.skipped.get("academicSessions.csv"), Some(&1));
}

#[test]
fn groups_and_memberships_use_the_record_fields() {
    let groups = "sourced_id,kind,school_sourced_id,name,subject,grade_band,leader_sourced_id\n\
        G1,research,S1,语文教研组,语文,,T1\nG2,lesson_prep,S1,一年级语文备课组,语文,lower,\n";
    let members = "sourced_id,group_sourced_id,teacher_sourced_id,role,since\nM1,G1,T1,leader,2026-09-01\n";
    let import = import(&[(CsvFile::Groups, groups), (CsvFile::Memberships, members)]).unwrap();
    assert_eq!(import.batch.groups[1].grade_band, Some(GradeBand::Lower));
    assert_eq!(import.batch.memberships[0].role, Some(MemberRole::Leader));
}

#[test]
fn sync_errors_are_located_in_the_files() {
    let text = "sourcedId,role,name,givenName,familyName,primaryOrgSourcedId,orgSourcedIds\n\
        T1,teacher,,芳,王,,S1\nT2,teacher,阿依古丽·买买提,,,S2,S1\n";
    let import = import(&[(CsvFile::Users, text), (CsvFile::Orgs, ORGS)]).unwrap();
    let s = &import.sources;
    assert_eq!(s.locate("teachers", 0, "name"), "users.csv:2:familyName");
    assert_eq!(s.locate("teachers", 1, "name"), "users.csv:3:name");
    assert_eq!(s.locate("teachers", 0, "school_sourced_id"), "users.csv:2:orgSourcedIds");
    assert_eq!(s.locate("teachers", 1, "school_sourced_id"), "users.csv:3:primaryOrgSourcedId");
    assert_eq!(s.locate("teachers", 1, "honours[0].year"), "users.csv:3:honours");
    assert_eq!(s.locate("teachers", 1, "teaching_start_year"), "users.csv:3:teachingStartYear");
    assert_eq!(s.locate("teachers", 1, "sourced_id"), "users.csv:3:sourcedId");
    assert_eq!(s.locate("teachers", 1, ""), "users.csv:3");
    assert_eq!(s.locate("schools", 0, "zone_sourced_id"), "orgs.csv:4:parentSourcedId");
    assert_eq!(s.locate("schools", 0, "code"), "orgs.csv:4:identifier");
    assert_eq!(s.locate("zones", 0, "lead_school_sourced_id"), "orgs.csv:3:leadSchoolSourcedId");
    assert_eq!(s.locate("teachers", 9, "name"), "teachers[9].name");
}
