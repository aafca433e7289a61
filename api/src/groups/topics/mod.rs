//! Research topics (研究主题): each group declares one per semester and reports it to the
//! academic office.
//!
//! Whoever sees the group reads its topics; the group's administrators and its leader write them
//! (see [`crate::groups::access`]).

mod handlers;
pub mod queries;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub use views::NewResearchTopic;
pub use views::ResearchTopicFilter;
pub use views::ResearchTopicPatch;
pub use views::ResearchTopicView;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list_research_topics)
        .service(handlers::create_research_topic)
        .service(handlers::get_research_topic)
        .service(handlers::update_research_topic)
        .service(handlers::archive_research_topic);
}
