//! SeaORM entities: one module per table. Repositories map these rows to domain types; nothing
//! outside this crate sees them.

pub mod api_key;
pub mod api_key_usage;
pub mod attachment;
pub mod audit_log;
pub mod building;
pub mod building_management;
pub mod category;
pub mod complaint;
pub mod complaint_departure;
pub mod complaint_event;
pub mod daily_run;
pub mod delivery;
pub mod digest_entry;
pub mod fine;
pub mod fine_article;
pub mod history_checkpoint;
pub mod idempotency_key;
pub mod inbound_sms;
pub mod message_preference;
pub mod message_setting;
pub mod message_template;
pub mod notification;
pub mod order;
pub mod organisation;
pub mod outbox;
pub mod phone_verification;
pub mod phone_verification_send;
pub mod refresh_token;
pub mod retention_run;
pub mod sms_opt_out;
pub mod throttle_attempt;
pub mod user;
pub mod webhook_attempt;
pub mod webhook_endpoint;
pub mod webhook_message;
