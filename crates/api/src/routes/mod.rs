//! HTTP handlers, one module per resource. Each handler extracts, validates, loads, asks the
//! domain, persists and responds; no SeaORM type appears here.

pub mod auth;
pub mod fallback;
pub mod health;
pub mod me;
pub mod meta;

/// Registers every documented route; used by the server and by `dispatch openapi`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health::health).service(health::ready).service(
        utoipa_actix_web::scope("/api/v1")
            .service(meta::meta)
            .service(auth::login)
            .service(me::me),
    );
}
