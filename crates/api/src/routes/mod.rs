//! HTTP handlers, one module per resource. Each handler extracts, validates, loads, asks the
//! domain, persists and responds; no SeaORM type appears here.

pub mod admin;
pub mod admin_users;
pub mod api_keys;
pub mod auth;
pub mod calls;
pub mod complaints;
pub mod fallback;
pub mod fine_articles;
pub mod health;
pub mod me;
pub mod messaging;
pub mod meta;
pub mod notifications;
pub mod open311;
pub mod organisations;
pub mod paperwork;
pub mod privacy;
pub mod public;
pub mod registry;
pub mod webhooks;

/// Registers every documented route; used by the server and by `dispatch openapi`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .service(meta::meta)
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::change_password)
                .service(auth::register)
                .service(auth::confirm_registration)
                .service(auth::resend_registration_code)
                .service(auth::whoami)
                .service(admin_users::create_user)
                .service(admin_users::list_users)
                .service(admin_users::deactivate_user)
                .service(admin::organisations::list_organisations)
                .service(admin::organisations::create_organisation)
                .service(admin::organisations::update_organisation)
                .service(admin::buildings::list_buildings)
                .service(admin::buildings::create_building)
                .service(admin::import::import_buildings)
                .service(admin::buildings::update_building)
                .service(admin::management::change_management)
                .service(admin::management::management_history)
                .service(admin::categories::list_all_categories)
                .service(admin::categories::create_category)
                .service(admin::categories::update_category)
                .service(admin::test_data::purge_test_data)
                .service(admin::audit_log::list_audit_log)
                .service(admin::audit_log::export_audit_log_csv)
                .service(admin::retention::retention_report)
                .service(admin::policy::get_policy)
                .service(admin::policy::create_policy_version)
                .service(admin::calendar::get_calendar)
                .service(admin::calendar::upload_calendar_year)
                .service(api_keys::create_api_key)
                .service(api_keys::list_api_keys)
                .service(api_keys::revoke_api_key)
                .service(api_keys::rotate_api_key)
                .service(webhooks::list_event_types)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::get_webhook)
                .service(webhooks::update_webhook)
                .service(webhooks::delete_webhook)
                .service(webhooks::rotate_webhook_secret)
                .service(webhooks::list_webhook_attempts)
                .service(webhooks::replay_webhook)
                .service(me::me)
                .service(calls::call_queue)
                .service(calls::claim_call)
                .service(calls::release_call)
                .service(calls::call_back)
                .service(privacy::erase::erase_my_data)
                .service(privacy::erase::erase_person_data)
                .service(privacy::export::export_my_data)
                .service(privacy::export::export_my_data_pdf)
                .service(privacy::export::export_person_data)
                .service(messaging::preferences::get_my_messaging)
                .service(messaging::preferences::update_my_messaging)
                .service(messaging::deliveries::daily_deliveries)
                .service(messaging::deliveries::list_deliveries)
                .service(messaging::templates::list_message_templates)
                .service(messaging::templates::preview_message_template)
                .service(messaging::templates::update_message_template)
                .service(messaging::templates::reset_message_template)
                .service(registry::list_categories)
                .service(fine_articles::list_fine_articles)
                .service(fine_articles::list_all_fine_articles)
                .service(fine_articles::save_fine_article)
                .service(registry::search_buildings)
                .service(paperwork::documents::order_pdf)
                .service(paperwork::documents::order_html)
                .service(paperwork::documents::act_pdf)
                .service(paperwork::documents::act_html)
                .service(paperwork::documents::complaint_papers)
                .service(paperwork::templates::list_document_templates)
                .service(paperwork::templates::save_document_template)
                .service(paperwork::registers::order_register)
                .service(paperwork::registers::order_register_csv)
                .service(paperwork::registers::fine_register)
                .service(paperwork::registers::fine_register_csv)
                .service(paperwork::act_register::act_register)
                .service(paperwork::act_register::act_register_csv)
                .service(paperwork::visits::schedule_visit)
                .service(paperwork::visits::list_visits)
                .service(organisations::organisation_directory)
                .service(complaints::create::create_complaint)
                .service(complaints::sync::sync_complaints)
                .service(complaints::list::list_complaints)
                .service(complaints::duplicates::similar_complaints)
                .service(complaints::duplicates::follow_complaint)
                .service(complaints::duplicates::complaint_duplicates)
                .service(complaints::get::get_complaint)
                .service(complaints::get::complaint_events)
                .service(complaints::transition::transition_complaint)
                .service(complaints::reveal_phone::reveal_phone)
                .service(complaints::history_proof::history_proof)
                .service(complaints::history_export::export_history)
                .service(complaints::history_export::export_history_html)
                .service(complaints::history_export_pdf::export_history_pdf)
                .service(complaints::history_export::history_signing_key)
                .service(complaints::lookup::lookup_complaint)
                .service(complaints::attachments::upload_attachment)
                .service(complaints::attachments::list_attachments)
                .service(complaints::attachments::download_attachment)
                .service(notifications::list_notifications)
                .service(notifications::mark_notification_read)
                .service(public::scorecard)
                .service(public::public_complaints),
        )
        .service(
            utoipa_actix_web::scope("/open311/v2")
                .service(open311::services::open311_discovery)
                .service(open311::services::open311_services)
                .service(open311::services::open311_service_definition)
                .service(open311::requests::open311_requests)
                .service(open311::requests::open311_create_request)
                .service(open311::requests::open311_request)
                .service(open311::requests::open311_token),
        );
}
