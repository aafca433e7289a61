//! A machine client of a district (the county's staff database, a provincial platform ...): it
//! gets bearer tokens with `client_credentials` and may only use the scopes and schools it was
//! given. The secret is stored as its SHA-256 digest.

#[allow(unused_imports)]
use crate::enums::*;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_clients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    /// The public identifier the client authenticates with (`client_id` of OAuth 2.0).
    #[sea_orm(unique)]
    pub client_id: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// The scope codes granted (`roster.read`, `roster.write`, `records.read`), a JSON array.
    pub scopes: Json,
    /// The schools the client is limited to, a JSON array of ids; `NULL`: the whole district.
    pub school_ids: Option<Json>,
    pub disabled: bool,
    pub created_by_user_id: Option<i64>,
    /// When the current secret was issued (creation or the last rotation).
    pub secret_issued_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the client is archived; it can no longer get tokens.
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
