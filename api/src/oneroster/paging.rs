//! The query parameters of OneRoster collections (`limit`, `offset`, `sort`, `orderBy`,
//! `filter`, `fields`), read from the raw query string so that a bad one gets OneRoster's error
//! body, and the `Link` header (RFC 8288) that walks a collection page by page.
//!
//! - `limit` defaults to 100; above [`MAX_LIMIT`] it is cut to 1000 (clients page by `Link` and
//!   `X-Total-Count`, which always reflect the limit actually used, so a cut page is never
//!   mistaken for the end); 0, negative, non-numeric or beyond `int64` is a 400.
//! - The links keep every other parameter as sent (filter, sort, fields ...) and replace `limit`
//!   and `offset`. They are absolute-path references (`</ims/...?limit=..&offset=..>`), which
//!   resolve against the request's own origin, so they stay right behind a proxy.
//! - `next` and `last` step from the current offset: walking `next` from any page visits every
//!   following row once and ends on `last`.

use utoipa::{IntoParams, ToSchema};

use super::errors::{RosterError, RosterResult};

pub const DEFAULT_LIMIT: u64 = 100;
pub const MAX_LIMIT: u64 = 1000;

/// The query parameters of a collection, for the OpenAPI document (they are read by
/// [`CollectionQuery::parse`]).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CollectionParams {
    /// Page size: 1 and up, default 100; above 1000 the page holds 1000 (`Link` and
    /// `X-Total-Count` say how to go on); beyond a 64-bit signed integer it is a 400.
    #[param(minimum = 1, example = 100)]
    limit: Option<u64>,
    /// How many rows to skip (default 0).
    #[param(minimum = 0, example = 0)]
    offset: Option<u64>,
    /// A field to sort by (one of the collection's filterable fields). Default: the natural
    /// order (district, zones, schools; users by creation; sessions by school year and start).
    #[param(example = "dateLastModified")]
    sort: Option<String>,
    /// `asc` (default) or `desc`, for `sort`.
    #[param(rename = "orderBy", inline)]
    order_by: Option<OrderBy>,
    /// OneRoster filter: `field op 'value'` with `=`, `!=`, `>`, `>=`, `<`, `<=`, `~` (contains,
    /// ignoring ASCII case), joined by ` AND ` / ` OR ` (AND binds tighter; at most 20
    /// predicates); `''` is a quote inside a value. Dates compare as instants.
    #[param(example = "dateLastModified>'2026-09-01T00:00:00Z'")]
    filter: Option<String>,
    /// Comma-separated fields to return of each object (an unknown field is a 400).
    #[param(example = "sourcedId,status,dateLastModified")]
    fields: Option<String>,
}

/// The direction of `sort`.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum OrderBy {
    Asc,
    Desc,
}

/// The query parameter of a single object.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SingleParams {
    /// Comma-separated fields to return (an unknown field is a 400).
    #[param(example = "sourcedId,name")]
    fields: Option<String>,
}

/// The checked parameters of a collection request.
#[derive(Debug, Clone)]
pub struct CollectionQuery {
    pub limit: u64,
    pub offset: u64,
    pub sort: Option<String>,
    pub order_by: Option<String>,
    pub filter: Option<String>,
    pub fields: Option<String>,
    /// Every pair as sent, for the links.
    pairs: Vec<(String, String)>,
}

impl CollectionQuery {
    /// Reads a raw query string; the last of repeated parameters wins.
    pub fn parse(query: &str) -> RosterResult<CollectionQuery> {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let last = |name: &str| pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let number = |name: &str, value: &str| {
            value.trim().parse::<u64>().map_err(|_| {
                RosterError::data(
                    name,
                    format!("{name} must be a whole number, not '{}'", value.chars().take(40).collect::<String>()),
                )
            })
        };
        let limit = match last("limit") {
            None => DEFAULT_LIMIT,
            Some(v) => match number("limit", &v)? {
                0 => return Err(RosterError::data("limit", "limit must be at least 1")),
                // Beyond a 64-bit signed integer is no number the document allows (`int64`).
                n if n > i64::MAX as u64 => {
                    return Err(RosterError::data("limit", format!("limit must be at most {}", i64::MAX)))
                }
                n => n.min(MAX_LIMIT),
            },
        };
        let offset = match last("offset") {
            None => 0,
            Some(v) => number("offset", &v)?,
        };
        if offset > i64::MAX as u64 {
            return Err(RosterError::data("offset", format!("offset must be at most {}", i64::MAX)));
        }
        Ok(CollectionQuery {
            limit,
            offset,
            sort: last("sort"),
            order_by: last("orderBy"),
            filter: last("filter"),
            fields: last("fields"),
            pairs,
        })
    }

    /// The request's query with `limit` and `offset` replaced.
    fn query_at(&self, offset: u64) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(k, _)| k != "limit" && k != "offset") {
            out.append_pair(k, v);
        }
        out.append_pair("limit", &self.limit.to_string());
        out.append_pair("offset", &offset.to_string());
        // Form encoding writes a space as `+`; `%20` means a space to every client (a literal
        // `+` is already `%2B`).
        out.finish().replace('+', "%20")
    }

    /// The `Link` header value for a collection of `total` rows at `path`.
    pub fn links(&self, path: &str, total: u64) -> String {
        let (limit, offset) = (self.limit, self.offset);
        let link = |at: u64, rel: &str| format!("<{path}?{}>; rel=\"{rel}\"", self.query_at(at));
        let mut links = vec![link(0, "first")];
        // The last page on the grid `next` walks from here.
        let grid = offset % limit;
        let last = if total > grid { grid + (total - 1 - grid) / limit * limit } else { 0 };
        links.push(link(last, "last"));
        if offset > 0 {
            links.push(link(offset.saturating_sub(limit), "prev"));
        }
        if offset + limit < total {
            links.push(link(offset + limit, "next"));
        }
        links.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(header: &str) -> Vec<(String, String)> {
        header
            .split(", ")
            .map(|part| {
                let (url, rel) = part.split_once("; rel=").unwrap();
                (rel.trim_matches('"').to_string(), url.trim_matches(|c| c == '<' || c == '>').to_string())
            })
            .collect()
    }

    #[test]
    fn limits_default_cut_and_refuse() {
        assert_eq!(CollectionQuery::parse("").unwrap().limit, 100);
        assert_eq!(CollectionQuery::parse("limit=5000").unwrap().limit, 1000);
        for bad in ["limit=0", "limit=-1", "limit=abc", "offset=-2", "offset=9223372036854775808", "limit="] {
            let err = CollectionQuery::parse(bad).unwrap_err();
            assert_eq!(err.minor.status().as_u16(), 400, "{bad}");
        }
        assert_eq!(CollectionQuery::parse("offset=9223372036854775807").unwrap().offset, i64::MAX as u64);
    }

    #[test]
    fn links_keep_the_other_parameters_and_walk_to_the_last_page() {
        let q = CollectionQuery::parse("filter=name%3D%27a%20b%27&limit=10&sort=name&offset=10").unwrap();
        let links = rels(&q.links("/ims/oneroster/rostering/v1p2/orgs", 35));
        let find = |rel: &str| links.iter().find(|(r, _)| r == rel).map(|(_, u)| u.clone());
        assert_eq!(
            find("next").unwrap(),
            "/ims/oneroster/rostering/v1p2/orgs?filter=name%3D%27a%20b%27&sort=name&limit=10&offset=20"
        );
        assert!(find("last").unwrap().ends_with("limit=10&offset=30"));
        assert!(find("prev").unwrap().ends_with("limit=10&offset=0"));
        assert!(find("first").unwrap().ends_with("limit=10&offset=0"));

        // Walking `next` visits every offset once and stops on `last`.
        for (total, limit, start) in
            [(35u64, 10u64, 0u64), (30, 10, 0), (1, 10, 0), (0, 10, 0), (23, 5, 3), (7, 1000, 0)]
        {
            let mut q = CollectionQuery::parse(&format!("limit={limit}&offset={start}")).unwrap();
            let mut visited = Vec::new();
            loop {
                visited.push(q.offset);
                let header = q.links("/x", total);
                let links = rels(&header);
                let last = links.iter().find(|(r, _)| r == "last").unwrap().1.clone();
                match links.iter().find(|(r, _)| r == "next") {
                    Some((_, url)) => q = CollectionQuery::parse(url.split_once('?').unwrap().1).unwrap(),
                    None => {
                        assert_eq!(
                            last,
                            format!("/x?limit={limit}&offset={}", q.offset),
                            "total {total} limit {limit}"
                        );
                        break;
                    }
                }
            }
            let rows: u64 = visited.iter().map(|o| limit.min(total.saturating_sub(*o))).sum();
            assert_eq!(rows, total.saturating_sub(start), "total {total} limit {limit} start {start}");
        }
    }

    #[test]
    fn no_prev_on_the_first_page_and_no_next_on_the_last() {
        let q = CollectionQuery::parse("limit=10").unwrap();
        let header = q.links("/x", 5);
        assert!(!header.contains("rel=\"prev\"") && !header.contains("rel=\"next\""));
    }
}
