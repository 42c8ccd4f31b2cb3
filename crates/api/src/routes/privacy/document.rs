//! The document an export delivers (152-ФЗ art. 14): everything held about one person, as the
//! JSON answer carries it and as the printable page shows it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::routes::complaints::dto::EventDto;

/// Who the data is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportProfile {
    /// `account` (a resident) or `person` (without an account, filed for by a clerk).
    pub kind: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub login: Option<String>,
    pub registered_at: Option<DateTime<Utc>>,
}

/// A consent given with a complaint.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportConsent {
    pub complaint_number: String,
    /// The version of the consent text agreed to.
    pub version: String,
    pub given_at: DateTime<Utc>,
}

/// An attachment's metadata and where to download it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportAttachment {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
    /// The download link (with the same credentials).
    pub url: String,
}

/// One complaint with its history and attachments.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportComplaint {
    pub id: Uuid,
    pub number: String,
    pub status: domain::Status,
    pub category: String,
    pub address: String,
    pub flat: Option<String>,
    pub description: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub history: Vec<EventDto>,
    pub attachments: Vec<ExportAttachment>,
}

/// An in-app notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportNotification {
    pub complaint_id: Option<Uuid>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A message sent by SMS or e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportDelivery {
    pub complaint_id: Option<Uuid>,
    pub kind: String,
    pub channel: String,
    pub address: String,
    pub subject: Option<String>,
    pub body: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Everything held about one person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalDataExport {
    pub generated_at: DateTime<Utc>,
    pub profile: ExportProfile,
    pub complaints: Vec<ExportComplaint>,
    pub consents: Vec<ExportConsent>,
    pub notifications: Vec<ExportNotification>,
    pub deliveries: Vec<ExportDelivery>,
}
