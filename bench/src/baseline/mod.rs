//! The references of the request-path benchmark (bench/README.md, "The request-path benchmark"): a
//! bare actix-web server answering `GET /api/v1/teachers/{id}` and `GET
//! /api/v1/teachers?school_id=S&limit=L&offset=O` with the same bytes as Jiaoyan, - **floor**: raw
//! `sqlx` doing the statements Jiaoyan needs ([`floor`]), the JWT verified and the user reloaded on
//! every request; - **ceiling**: the same answers computed once at start and served from memory (no
//! token check, no database).
//!
//! `GET /health` answers 200 once the server listens.

pub mod floor;

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use floor::{today, Floor, Pool};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Floor,
    Ceiling,
}

#[derive(Debug, Clone, clap::Args)]
pub struct BaselineArgs {
    /// `sqlite://FILE?mode=rw` (a copy of Jiaoyan's file) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: String,
    #[arg(long, value_enum)]
    pub mode: Mode,
    /// Where to listen, e.g. `127.0.0.1:8081`.
    #[arg(long)]
    pub addr: String,
    /// Jiaoyan's JWT secret (`JIAOYAN_JWT_SECRET`): the floor verifies the same tokens.
    #[arg(long, env = "JIAOYAN_JWT_SECRET")]
    pub jwt_secret: String,
    /// The ceiling keeps every teacher of this school and its first list page.
    #[arg(long, default_value_t = 1)]
    pub school_id: i64,
    /// The list page size the ceiling keeps.
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    typ: String,
}

struct FloorState {
    floor: Floor,
    key: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    school_id: i64,
    limit: Option<u64>,
    offset: Option<u64>,
}

fn problem(status: actix_web::http::StatusCode, detail: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/problem+json")
        .body(serde_json::json!({"status": status.as_u16(), "detail": detail}).to_string())
}

fn json_response(body: Vec<u8>, version: Option<i64>) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.content_type("application/json");
    if let Some(v) = version {
        res.insert_header((header::ETAG, format!("\"{v}\"")));
    }
    res.body(body)
}

impl FloorState {
    /// The caller of the request's bearer token, or the 401 to answer.
    async fn caller(&self, req: &HttpRequest) -> Result<floor::Caller, HttpResponse> {
        let unauthorized = |d: &str| problem(actix_web::http::StatusCode::UNAUTHORIZED, d);
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized("a bearer access token is required"))?;
        let user_id = decode::<Claims>(token.trim(), &self.key, &self.validation)
            .ok()
            .filter(|d| d.claims.typ == "access")
            .and_then(|d| d.claims.sub.parse::<i64>().ok())
            .ok_or_else(|| unauthorized("the access token is invalid or expired"))?;
        match self.floor.caller(user_id).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(unauthorized("the account is disabled or no longer exists")),
            Err(e) => Err(problem(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
        }
    }
}

async fn floor_teacher(state: web::Data<FloorState>, req: HttpRequest, id: web::Path<i64>) -> HttpResponse {
    let caller = match state.caller(&req).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    match state.floor.teacher(id.into_inner(), today()).await {
        Ok(Some(found)) if caller.sees_school(found.district_id, found.teacher.school_id) => {
            match serde_json::to_vec(&found.teacher) {
                Ok(body) => json_response(body, found.version),
                Err(e) => problem(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            }
        }
        Ok(_) => problem(actix_web::http::StatusCode::NOT_FOUND, "no such teacher"),
        Err(e) => problem(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn floor_list(state: web::Data<FloorState>, req: HttpRequest, q: web::Query<ListQuery>) -> HttpResponse {
    let caller = match state.caller(&req).await {
        Ok(c) => c,
        Err(res) => return res,
    };
    let (limit, offset) = (q.limit.unwrap_or(50), q.offset.unwrap_or(0));
    if limit == 0 || limit > 500 {
        return problem(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, "limit must be between 1 and 500");
    }
    match state.floor.page(&caller, q.school_id, limit, offset, today()).await {
        Ok(page) => match serde_json::to_vec(&page) {
            Ok(body) => json_response(body, None),
            Err(e) => problem(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        },
        Err(e) => problem(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The ceiling's answers: path and query → (body, ETag version).
struct Ceiling {
    answers: HashMap<String, (web::Bytes, Option<i64>)>,
}

async fn ceiling_answer(state: web::Data<Arc<Ceiling>>, req: HttpRequest) -> HttpResponse {
    let key = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    match state.answers.get(&key) {
        Some((body, version)) => {
            let mut res = HttpResponse::Ok();
            res.content_type("application/json");
            if let Some(v) = version {
                res.insert_header((header::ETAG, format!("\"{v}\"")));
            }
            res.body(body.clone())
        }
        None => problem(actix_web::http::StatusCode::NOT_FOUND, "not kept by the ceiling"),
    }
}

/// Computes the ceiling's answers with the floor's code, once.
async fn ceiling_answers(floor: &Floor, school_id: i64, limit: u64) -> anyhow::Result<Ceiling> {
    let everything = floor::Caller { role: "district_admin".into(), district_id: None, school_id: None };
    let day = today();
    let mut answers = HashMap::new();
    let mut offset = 0;
    loop {
        let page = floor.page(&everything, school_id, 500, offset, day).await?;
        for t in &page.items {
            let found = floor.teacher(t.id, day).await?.expect("the teacher just listed");
            let body = serde_json::to_vec(&found.teacher)?;
            answers.insert(format!("/api/v1/teachers/{}", t.id), (web::Bytes::from(body), found.version));
        }
        offset += 500;
        if offset >= page.total {
            break;
        }
    }
    let page = floor.page(&everything, school_id, limit, 0, day).await?;
    let body = web::Bytes::from(serde_json::to_vec(&page)?);
    answers.insert(format!("/api/v1/teachers?school_id={school_id}&limit={limit}"), (body, None));
    Ok(Ceiling { answers })
}

pub async fn serve(args: BaselineArgs) -> anyhow::Result<()> {
    let pool = Pool::connect(&args.database_url).await?;
    // As many HTTP workers as Jiaoyan runs on this engine, so that the comparison is of the work
    // per request, not of the thread count.
    let workers = api::app::http_workers(None, args.database_url.starts_with("sqlite:"));
    let floor = Floor::new(pool);
    match args.mode {
        Mode::Ceiling => {
            let ceiling = Arc::new(ceiling_answers(&floor, args.school_id, args.limit).await?);
            eprintln!("[baseline] ceiling keeps {} answers, listening on {}", ceiling.answers.len(), args.addr);
            drop(floor);
            let data = web::Data::new(ceiling);
            HttpServer::new(move || {
                App::new()
                    .app_data(data.clone())
                    .route("/health", web::get().to(HttpResponse::Ok))
                    .default_service(web::to(ceiling_answer))
            })
            .workers(workers)
            .bind(&args.addr)?
            .run()
            .await?;
        }
        Mode::Floor => {
            let mut validation = Validation::new(Algorithm::HS256);
            validation.leeway = 5;
            let state = web::Data::new(FloorState {
                floor,
                key: DecodingKey::from_secret(args.jwt_secret.as_bytes()),
                validation,
            });
            eprintln!("[baseline] floor listening on {}", args.addr);
            HttpServer::new(move || {
                App::new()
                    .app_data(state.clone())
                    .route("/health", web::get().to(HttpResponse::Ok))
                    .route("/api/v1/teachers/{id}", web::get().to(floor_teacher))
                    .route("/api/v1/teachers", web::get().to(floor_list))
            })
            .workers(workers)
            .bind(&args.addr)?
            .run()
            .await?;
        }
    }
    Ok(())
}
