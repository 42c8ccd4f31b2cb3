//! The state every handler can reach. It imports no route: routes and extractors depend on it,
//! never the other way round.

use crate::config::Config;

/// The shared state every handler can reach.
pub struct AppState {
    pub db: persistence::Db,
    /// Lag-tolerant reads (the public pages, Open311's lists): on the read replica when
    /// `DATABASE_READ_URL` names one that answers, else on `db`.
    pub reads: persistence::reads::Reads,
    pub config: Config,
    /// The lifecycle policy and escalation rules, versioned in the database.
    pub policy: crate::policy_store::PolicyStore,
    /// The production calendar: compiled years with the uploaded ones over them (issue 15).
    pub calendar: crate::calendar_store::CalendarStore,
    /// A hash checked when a login is unknown, so that unknown and known logins take equal time.
    pub dummy_password_hash: String,
    /// The SMS centre and the mail relay, when configured.
    pub gateways: crate::messaging::Gateways,
    /// Sends webhooks, connecting only where the endpoint rules allow.
    pub webhooks: channels::webhook::WebhookClient,
    /// Whether signed-in accounts may still act, as this replica last read it.
    pub standings: crate::auth::standing::Standings,
    /// Request, worker, queue and scorecard metrics, served on `APP_METRICS_BIND`.
    pub metrics: crate::metrics::registry::Metrics,
    /// The Ed25519 key that signs history exports and checkpoint files.
    pub history_key: domain::history_export::SigningKey,
}
