//! Wire types: what the API reads and shows.

use crate::validate::nullable;
use chrono::{DateTime, NaiveDate, Utc};
use entities::enums::PairingKind;
use entities::school_pairing;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A pairing of two schools as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "district_id": 1, "mentor_school_id": 2, "partner_school_id": 5,
    "kind": "urban_rural", "start_date": "2026-09-01", "end_date": "2027-07-10", "notes": "每月送教一次",
    "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z", "archived_at": null}))]
pub struct SchoolPairingView {
    pub id: i64,
    /// The district of both schools.
    pub district_id: i64,
    /// The helping (usually urban) school.
    pub mentor_school_id: i64,
    /// The helped (usually rural) school.
    pub partner_school_id: i64,
    pub kind: PairingKind,
    pub start_date: NaiveDate,
    /// Last day of the pairing; none while open-ended.
    pub end_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
}

impl From<school_pairing::Model> for SchoolPairingView {
    fn from(m: school_pairing::Model) -> Self {
        SchoolPairingView {
            id: m.id,
            district_id: m.district_id,
            mentor_school_id: m.mentor_school_id,
            partner_school_id: m.partner_school_id,
            kind: m.kind,
            start_date: m.start_date,
            end_date: m.end_date,
            notes: m.notes,
            created_at: m.created_at,
            updated_at: m.updated_at,
            archived_at: m.archived_at,
        }
    }
}

/// A new pairing of two schools.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mentor_school_id": 2, "partner_school_id": 5, "kind": "urban_rural",
    "start_date": "2026-09-01", "end_date": "2027-07-10", "notes": "每月送教一次"}))]
pub struct NewSchoolPairing {
    /// The helping school.
    pub mentor_school_id: i64,
    /// The helped school: another live school of the same district.
    pub partner_school_id: i64,
    pub kind: PairingKind,
    pub start_date: NaiveDate,
    /// Not before `start_date`.
    pub end_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Changes to a pairing; absent fields stay as they are, `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-01-22"}))]
pub struct SchoolPairingPatch {
    pub mentor_school_id: Option<i64>,
    pub partner_school_id: Option<i64>,
    pub kind: Option<PairingKind>,
    pub start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub end_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SchoolPairingFilter {
    pub district_id: Option<i64>,
    /// Pairings this school is either side of.
    pub school_id: Option<i64>,
    pub kind: Option<PairingKind>,
    /// Pairings running on this day (started on or before it, not ended before it).
    pub active_on: Option<NaiveDate>,
    /// Include archived pairings (default false).
    pub include_archived: Option<bool>,
    /// `start_date`, `created_at` or `id`; prefix `-` for descending. Default `id`.
    pub sort: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}
