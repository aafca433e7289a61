//! Helpers every resource module shares: timestamps, 201 responses, sorting, archiving.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, Order, QueryOrder, Select};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// `201 Created` with a `Location` header and the new object.
pub fn created(location: String, body: impl Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}

pub fn no_content() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Orders a list by `sort` (`name`, `-name` for descending, ...), from the allowed columns,
/// always ending with the primary key so that pages never overlap or skip rows.
pub fn sorted<E: EntityTrait>(
    select: Select<E>,
    sort: Option<&str>,
    allowed: &[(&str, E::Column)],
    id: E::Column,
) -> ApiResult<Select<E>> {
    let Some(sort) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(select.order_by(id, Order::Asc));
    };
    let (name, order) = match sort.strip_prefix('-') {
        Some(name) => (name, Order::Desc),
        None => (sort, Order::Asc),
    };
    let column = allowed.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).ok_or_else(|| {
        let names: Vec<_> = allowed.iter().map(|(n, _)| *n).collect();
        ApiError::invalid("sort", format!("must be one of {} (prefix - for descending)", names.join(", ")))
    })?;
    Ok(select.order_by(column, order).order_by(id, Order::Asc))
}
