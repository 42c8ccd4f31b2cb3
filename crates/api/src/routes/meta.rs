use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// Facts about this deployment that the SPA and integrators need before signing in.
#[derive(Serialize, ToSchema)]
pub struct Meta {
    /// The service runs in test mode: everything created is marked as test data.
    pub pilot_mode: bool,
    #[schema(example = "Сургут")]
    pub city: &'static str,
    /// The city's time zone; dates are shown in it.
    #[schema(example = "Asia/Yekaterinburg")]
    pub time_zone: &'static str,
    #[schema(example = "0.1.0")]
    pub version: &'static str,
    /// The current version of the consent text (152-ФЗ) that registration and a clerk's intake
    /// must send.
    #[schema(example = "2026-01")]
    pub consent_version: &'static str,
}

/// Deployment facts: pilot mode, city, time zone, version and the consent text's version.
#[utoipa::path(operation_id = "get_meta", tag = "meta", responses((status = 200, body = Meta)))]
#[get("/meta")]
pub async fn meta(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(Meta {
        pilot_mode: state.config.pilot_mode,
        city: "Сургут",
        time_zone: "Asia/Yekaterinburg",
        version: env!("CARGO_PKG_VERSION"),
        consent_version: domain::CONSENT_VERSION,
    })
}
