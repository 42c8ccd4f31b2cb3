//! Attachments: photos and PDFs of a complaint.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::RepoError;
use crate::entities::attachment;

/// An attachment without its bytes.
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_role: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewAttachment {
    pub complaint_id: Uuid,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub uploaded_by: Uuid,
    pub uploaded_role: String,
    pub is_test: bool,
}

pub async fn insert(
    db: &DatabaseConnection,
    new: NewAttachment,
    now: DateTime<Utc>,
) -> Result<AttachmentMeta, RepoError> {
    let row = attachment::ActiveModel {
        id: Set(Uuid::now_v7()),
        complaint_id: Set(new.complaint_id),
        kind: Set(new.kind),
        filename: Set(new.filename),
        content_type: Set(new.content_type),
        size_bytes: Set(i64::try_from(new.data.len()).unwrap_or(i64::MAX)),
        data: Set(new.data),
        uploaded_by: Set(new.uploaded_by),
        uploaded_role: Set(new.uploaded_role),
        created_at: Set(now),
        is_test: Set(new.is_test),
    }
    .insert(db)
    .await?;
    Ok(meta(row))
}

fn meta(row: attachment::Model) -> AttachmentMeta {
    AttachmentMeta {
        id: row.id,
        complaint_id: row.complaint_id,
        kind: row.kind,
        filename: row.filename,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        uploaded_role: row.uploaded_role,
        created_at: row.created_at,
    }
}

/// The columns of [`AttachmentMeta`], in order.
type MetaColumns = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    i64,
    String,
    DateTime<Utc>,
);

/// Metadata of a complaint's attachments, oldest first (the bytes are not read).
pub async fn list(
    db: &DatabaseConnection,
    complaint_id: Uuid,
) -> Result<Vec<AttachmentMeta>, RepoError> {
    use attachment::Column as C;
    let rows: Vec<MetaColumns> = attachment::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::ComplaintId,
            C::Kind,
            C::Filename,
            C::ContentType,
            C::SizeBytes,
            C::UploadedRole,
            C::CreatedAt,
        ])
        .filter(C::ComplaintId.eq(complaint_id))
        .order_by_asc(C::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                complaint_id,
                kind,
                filename,
                content_type,
                size_bytes,
                uploaded_role,
                created_at,
            )| AttachmentMeta {
                id,
                complaint_id,
                kind,
                filename,
                content_type,
                size_bytes,
                uploaded_role,
                created_at,
            },
        )
        .collect())
}

/// One attachment with its bytes.
pub async fn find(
    db: &DatabaseConnection,
    id: Uuid,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, RepoError> {
    Ok(attachment::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|mut row| {
            let data = std::mem::take(&mut row.data);
            (meta(row), data)
        }))
}
