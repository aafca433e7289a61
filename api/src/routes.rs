//! Every route of the API, registered per domain module. The OpenAPI document is collected from
//! this same registration. The OneRoster view lives outside `/api/v1`, where its binding puts it.

use utoipa_actix_web::{scope, service_config::ServiceConfig};

use crate::{
    activities, alerts, appraisals, audit, calendar, clients, district_teams, feed, groups, health, inspections,
    mentorships, notices, observations, oneroster, org, people, preparations, quota, records, sessions, sync,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::routes);
    cfg.service(
        scope::scope("/api/v1")
            .configure(sessions::routes)
            .configure(org::districts::routes)
            .configure(org::zones::routes)
            .configure(org::schools::routes)
            .configure(org::pairings::routes)
            .configure(org::pairing_log::routes)
            .configure(org::semesters::routes)
            .configure(people::teachers::routes)
            .configure(people::users::routes)
            .configure(groups::groups::routes)
            .configure(groups::members::routes)
            .configure(groups::slots::routes)
            .configure(groups::topics::routes)
            .configure(activities::routes)
            .configure(observations::routes)
            .configure(records::routes)
            .configure(mentorships::routes)
            .configure(preparations::routes)
            .configure(inspections::routes)
            .configure(calendar::routes)
            .configure(quota::routes)
            .configure(clients::routes)
            .configure(sync::handlers::routes)
            .configure(sync::csv::routes)
            .configure(feed::routes)
            .configure(audit::routes)
            .configure(appraisals::routes)
            .configure(district_teams::routes)
            .configure(notices::routes)
            .configure(alerts::routes),
    );
    cfg.service(
        scope::scope(oneroster::BASE_PATH)
            .configure(oneroster::routes)
            .default_service(actix_web::web::to(oneroster::collections::unknown_endpoint)),
    );
}
