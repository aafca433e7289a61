//! `orgs.csv`: the district (checked), zones (`local`) and schools.

use super::*;

pub(super) fn orgs(table: &Table, district: &District, import: &mut Import, errors: &mut Vec<FieldError>) {
    // The district's own ids: its rows' sourcedIds, and the view's synthetic one.
    let mut district_ids = vec![district.synthetic_id()];
    let mut district_rows = 0;
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        if cells.text("type").as_deref() != Some("district") {
            continue;
        }
        district_rows += 1;
        let sourced_id = cells.required("sourcedId", false);
        let is_ours = sourced_id.as_deref() == Some(district.synthetic_id().as_str())
            || cells.text("name").as_deref() == Some(district.name.as_str())
            || (district.code.is_some() && cells.text("identifier") == district.code);
        if !is_ours {
            cells.fail(
                "name",
                format!(
                    "is not your district ({}): its name, identifier (code) or sourcedId must match",
                    district.name
                ),
            );
        } else if district_rows > 1 {
            cells.fail("type", "a second district row; the file names one district");
        }
        if cells.status() == RecordStatus::Tobedeleted {
            cells.fail("status", "an import does not archive the district");
        }
        district_ids.extend(sourced_id);
    }
    for row in &table.rows {
        let mut cells = Cells { table, row, errors };
        let Some(kind) = cells.required("type", false) else { continue };
        if kind == "district" {
            continue; // checked above
        }
        let status = cells.status();
        let deleted = status == RecordStatus::Tobedeleted;
        let sourced_id = cells.required("sourcedId", false).unwrap_or_default();
        let parent = cells.text("parentSourcedId");
        let parent_is_district = parent.as_ref().is_none_or(|p| district_ids.contains(p));
        match kind.as_str() {
            "local" => {
                if !parent_is_district {
                    cells.fail("parentSourcedId", "a zone's parent is the district");
                }
                let zone = SyncZone {
                    sourced_id,
                    status,
                    name: cells.required("name", deleted),
                    lead_school_sourced_id: cells.text("leadSchoolSourcedId"),
                };
                import.sources.zones.push(source(&cells, vec![]));
                import.batch.zones.push(zone);
            }
            "school" => {
                let tier = match cells.text("tier") {
                    Some(tier) => cells.code_of::<SchoolTier>("tier", &tier),
                    None if deleted => None,
                    None if !table.has_column("tier") => {
                        cells.fail("tier", "is required for a school (extension column tier)");
                        None
                    }
                    None => {
                        cells.fail("tier", "is required");
                        None
                    }
                };
                let school = SyncSchool {
                    sourced_id,
                    status,
                    name: cells.required("name", deleted),
                    tier,
                    zone_sourced_id: parent.filter(|_| !parent_is_district),
                    code: cells.text("identifier"),
                    address: cells.text("address"),
                };
                import.sources.schools.push(source(&cells, vec![]));
                import.batch.schools.push(school);
            }
            other => {
                cells.fail("type", format!("{other:?} is not imported; orgs are district, local (a zone) or school"))
            }
        }
    }
}
