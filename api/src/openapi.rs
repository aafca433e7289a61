//! The OpenAPI document, built from the same route registration that serves requests
//! ([`crate::routes::configure`]), so the spec cannot drift from the code.
//!
//! Handlers declare their success responses and any error specific to them (409s, 403s); the
//! [`StandardErrors`] modifier adds the error responses every operation of a kind has (401 when
//! secured, 404 with a path id, 400/413/415/422 with a body ...), all as problem+json.

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Spec, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

mod flatten;
mod problems;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jiaoyan (教研) API",
        // The description opens with the guide (logging in and authorizing in Swagger UI, paging,
        // errors, scope, conditional requests) in English and Chinese: docs/BROWSER.md.
        description = include_str!("openapi/guide.md"),
        license(name = "MIT")
    ),
    tags(
        (name = "auth", description = "Logging in, tokens and the caller's own account"),
        (name = "districts", description = "Districts (县/区) and their research office"),
        (name = "zones", description = "Zones (片区) of schools, each led by a lead school (牵头学校)"),
        (name = "schools", description = "Schools, their tiers and statistics"),
        (name = "school-pairings", description = "School↔school pairings (城乡结对, 手拉手, 送教下乡)"),
        (name = "semesters", description = "The semester calendar: week numbering and holidays"),
        (name = "teachers", description = "Teachers: subjects, grades, posts, honours"),
        (name = "users", description = "User accounts, roles and scopes"),
        (name = "groups", description = "Groups (教研组, 备课组, 年级组, 课题组, 中心组), members and weekly slots"),
        (name = "research-topics", description = "Each group's research topic (研究主题) per semester"),
        (name = "activities", description = "Teaching-research activities (教研活动): the 四定, life cycle, lessons, generation from weekly slots"),
        (name = "attendance", description = "Who is expected at an activity, sign-in and attendance rates (考勤)"),
        (name = "activity-policies", description = "When summaries (简报) are due and when sign-in is open, per district, zone, school or group"),
        (name = "observations", description = "Lesson observations (听课记录) with structured feedback (三个一, 听评课123)"),
        (name = "rubrics", description = "Lesson-observation rubrics (听课评价量表) and their dimensions"),
        (name = "records", description = "Research records (反思, 教案, 笔记, 论文, 课件, 培训, 课题, 获奖) and their word counts"),
        (name = "record-tasks", description = "Dated tasks that records answer (过时不候: late is flagged)"),
        (name = "mentorships", description = "Mentorship pairs (师徒结对): agreement, duties, assessment, capacity rules and the pair's log"),
        (name = "preparations", description = "Collective lesson preparation (集体备课): the lead's draft, co-preparers' revision notes (一度调整), the consensus (二度调整) and each teacher's reflection (三度调整); the draft lead-time policy"),
        (name = "inspections", description = "Routine inspections (常规检查): checklist templates, the form pre-filled from the records, grades, findings to correct (整改) and results per teacher, group and school"),
        (name = "calendar", description = "iCalendar feeds of scheduled activities, for calendar apps"),
        (name = "quota", description = "Quota rules (教研常规考核) as data: the catalogue of rules from the source documents, the rules a school or district adopts, and the checks (who meets each rule, who is on track, at risk or short, and why)"),
        (name = "reports", description = "Reports handed upward (compliance, groups, school and district summaries, teacher statistics) as JSON, CSV or XLSX, with Chinese headers by lang=zh"),
        (name = "appraisals", description = "The semester appraisal (量化考核, 期末绩效考评): schemes of weighted components as data, simulated before adoption, published as frozen versions; each teacher's score with a breakdown that adds up to it, a school's ranking with ties, a group's score (先进教研组评比), CSV/XLSX export"),
        (name = "api-clients", description = "Machine clients of a district (county staff databases, provincial platforms, offline front ends): registration, secrets, and their OAuth 2.0 client-credentials tokens"),
        (name = "sync", description = "Bulk upsert of the roster by the source system's ids (sourced_id): one transaction per batch, idempotent, tobedeleted archives; and the CSV import"),
        (name = "changes", description = "The change feed: every change of every resource, in version order, with deletes as tombstones (Ed-Fi change queries)"),
        (name = "oneroster", description = "A read-only 1EdTech OneRoster 1.2 rostering view of the organisation, teachers and terms"),
        (name = "audit", description = "The audit trail: who changed what (before → after), when, from where and through which operation"),
        (name = "operations", description = "Health of the running service"),
        (name = "district-teams", description = "The district teams' attendance rule (中心组自动退出, seed 001): members over the absence share of the team's held sessions, their removal and the notice to their school"),
        (name = "notices", description = "Notices to a school (通知), read by its administrators"),
        (name = "alerts", description = "Alerts to people (docs/ALERTS.md): subscriptions of a school, group or district on a WeCom (企业微信) or DingTalk (钉钉) group robot or a signed HTTPS webhook, to the weekly at-risk digest, deadlines coming, overdue summaries, the district team notice and findings to correct; the delivery log and a test message")
    ),
    // Schemas that operations reference only through parameters or error bodies, which utoipa
    // does not collect by itself (a test checks that every reference resolves).
    components(schemas(
        Problem,
        FieldError,
        crate::oneroster::errors::ImsxStatusInfo,
        crate::quota::reports::table::ReportFormat,
        crate::quota::reports::table::Lang,
        crate::audit::views::AuditResource
    ))
)]
pub struct ApiDoc;

/// The spec of every route, built without a database.
pub fn spec() -> Spec {
    let (_, mut spec) =
        App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(crate::routes::configure).split_for_parts();
    // The modifiers need the collected paths, which exist only once the routes are registered.
    BearerSecurity.modify(&mut spec);
    ClientSecurity.modify(&mut spec);
    crate::calendar::FeedTokenSecurity.modify(&mut spec);
    StandardErrors.modify(&mut spec);
    flatten::flatten_closed_all_of(&mut spec);
    crate::oneroster::FieldSelection.modify(&mut spec);
    spec
}

/// Where the service serves its OpenAPI document (the Swagger UI reads it there).
pub const DOCUMENT_PATH: &str = "/api-docs/openapi.json";

/// The answer to [`DOCUMENT_PATH`]: the document's bytes, serialised once when the service
/// starts (compact JSON, the same document as [`spec_json`]).
pub fn document(bytes: &actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().content_type(actix_web::http::header::ContentType::json()).body(bytes.clone())
}

pub fn spec_json() -> String {
    spec().to_pretty_json().expect("the OpenAPI document serialises") + "\n"
}

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut Spec) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

/// Machine clients get their bearer tokens with OAuth 2.0 client credentials: the scheme lets
/// Swagger UI fetch one, and the district-system operations (sync, change feed, OneRoster) accept
/// either kind of token.
struct ClientSecurity;

const CLIENT_TAGS: [&str; 3] = ["sync", "changes", "oneroster"];

impl Modify for ClientSecurity {
    fn modify(&self, openapi: &mut Spec) {
        use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes};
        let scopes = Scopes::from_iter(
            crate::clients::scopes::ClientScope::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.description().to_string())),
        );
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(ClientCredentials::new(
                "/api/v1/oauth/token",
                scopes,
            ))])),
        );
        for item in openapi.paths.paths.values_mut() {
            for op in
                [item.get.as_mut(), item.post.as_mut(), item.put.as_mut(), item.patch.as_mut()].into_iter().flatten()
            {
                if op.tags.iter().flatten().any(|t| CLIENT_TAGS.contains(&t.as_str())) {
                    op.security = Some(vec![
                        SecurityRequirement::new("bearer", Vec::<String>::new()),
                        SecurityRequirement::new("client_credentials", Vec::<String>::new()),
                    ]);
                }
            }
        }
    }
}

struct StandardErrors;

impl Modify for StandardErrors {
    fn modify(&self, openapi: &mut Spec) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, op) in [
                ("get", item.get.as_mut()),
                ("post", item.post.as_mut()),
                ("put", item.put.as_mut()),
                ("patch", item.patch.as_mut()),
                ("delete", item.delete.as_mut()),
            ] {
                // The OneRoster view answers OneRoster error bodies, which its operations declare.
                if let Some(op) = op.filter(|op| !op.tags.iter().flatten().any(|t| t == "oneroster")) {
                    add_conditional_requests(path, method, op);
                    add_standard_errors(method, op);
                    crate::openapi::problems::add_examples(op);
                }
            }
        }
    }
}

/// Documents the ETags of single-resource paths: `ETag` on reads (and `If-None-Match` → 304),
/// `If-Match` → 412 on writes (see `changes::etag`).
fn add_conditional_requests(path: &str, method: &str, op: &mut Operation) {
    use utoipa::openapi::path::ParameterBuilder;
    use utoipa::openapi::{Required, ResponseBuilder};
    let concrete: String = {
        let mut out = String::new();
        let mut in_braces = false;
        for c in path.chars() {
            match c {
                '{' => in_braces = true,
                '}' => {
                    in_braces = false;
                    out.push('1');
                }
                _ if !in_braces => out.push(c),
                _ => {}
            }
        }
        out
    };
    if crate::changes::resources::resource_of_path(&concrete).is_none() {
        return;
    }
    let header = |name: &str, description: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String)))
            .build()
            .into()
    };
    let parameters = op.parameters.get_or_insert_with(Vec::new);
    match method {
        "get" => {
            parameters.push(header(
                "If-None-Match",
                "An ETag from an earlier read: 304 Not Modified when the resource has not changed since",
            ));
            if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
                ok.headers.insert(
                    "ETag".to_string(),
                    utoipa::openapi::header::HeaderBuilder::new()
                        .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String)))
                        .description(Some("The resource's change version as a strong entity tag, e.g. \"1234\""))
                        .build()
                        .into(),
                );
            }
            op.responses.responses.insert(
                "304".to_string(),
                RefOr::T(ResponseBuilder::new().description("Not modified since the ETag in If-None-Match").build()),
            );
        }
        _ => {
            parameters.push(header(
                "If-Match",
                "The ETag the change is based on: when the resource has changed since, nothing is written and the answer is 412",
            ));
            op.responses
                .responses
                .entry("412".to_string())
                .or_insert_with(|| problem_response("The resource changed since the ETag in If-Match"));
        }
    }
}

fn add_standard_errors(method: &str, op: &mut Operation) {
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some(p.parameter_in.clone()),
        RefOr::Ref(_) => None,
    });
    let (mut has_path, mut has_query) = (false, false);
    for location in params {
        match location {
            ParameterIn::Path => has_path = true,
            ParameterIn::Query => has_query = true,
            _ => {}
        }
    }
    // `security(())` on an operation makes it public (login, refresh, health).
    let secured = op.security.as_ref().is_none_or(|reqs| reqs.iter().any(|r| *r != SecurityRequirement::default()));
    let has_body = op.request_body.is_some();
    let mut add = |status: &str, description: &str| {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| problem_response(description));
    };
    if has_body {
        add("400", "Malformed JSON or an empty body");
        add("413", "The body is larger than the configured limit");
        add("415", "The body is not `application/json`");
    }
    if secured {
        add("401", "No valid bearer access token");
    }
    if secured && method != "get" {
        add("403", "The caller may see the object but not change it");
    }
    if has_path || (secured && method == "get" && op.operation_id.as_deref().is_some_and(|id| id.starts_with("get_"))) {
        add("404", "No such object, or one outside the caller's scope");
    }
    if has_body || has_query {
        add("422", "Invalid values; `errors` names each field");
    }
    add("500", "Unexpected failure (logged)");
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
            )
            .build(),
    )
}
