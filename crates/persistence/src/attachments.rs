//! Attachments: photos and PDFs of a complaint.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::attachment;
use crate::mapping::parse_enum;
use crate::{Db, RepoError};

/// An attachment without its bytes.
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub kind: domain::AttachmentKind,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_role: domain::Role,
    pub created_at: DateTime<Utc>,
}

pub struct NewAttachment {
    pub complaint_id: Uuid,
    pub kind: domain::AttachmentKind,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub uploaded_by: Uuid,
    pub uploaded_role: domain::Role,
    pub is_test: bool,
}

pub async fn insert(
    db: &Db,
    new: NewAttachment,
    now: DateTime<Utc>,
) -> Result<AttachmentMeta, RepoError> {
    insert_in(db.connection(), new, now).await
}

/// Stores an attachment on `conn` (a connection, or a unit of work's transaction).
pub(crate) async fn insert_in<C: ConnectionTrait>(
    conn: &C,
    new: NewAttachment,
    now: DateTime<Utc>,
) -> Result<AttachmentMeta, RepoError> {
    let row = attachment::ActiveModel {
        id: Set(Uuid::now_v7()),
        complaint_id: Set(new.complaint_id),
        kind: Set(new.kind.as_str().to_owned()),
        filename: Set(new.filename),
        content_type: Set(new.content_type),
        size_bytes: Set(i64::try_from(new.data.len()).unwrap_or(i64::MAX)),
        data: Set(new.data),
        uploaded_by: Set(new.uploaded_by),
        uploaded_role: Set(new.uploaded_role.as_str().to_owned()),
        created_at: Set(now),
        is_test: Set(new.is_test),
    }
    .insert(conn)
    .await?;
    meta(row)
}

fn meta(row: attachment::Model) -> Result<AttachmentMeta, RepoError> {
    meta_from_columns((
        row.id,
        row.complaint_id,
        row.kind,
        row.filename,
        row.content_type,
        row.size_bytes,
        row.uploaded_role,
        row.created_at,
    ))
}

/// The one mapper from stored columns to an attachment's metadata.
fn meta_from_columns(
    (id, complaint_id, kind, filename, content_type, size_bytes, uploaded_role, created_at): MetaColumns,
) -> Result<AttachmentMeta, RepoError> {
    Ok(AttachmentMeta {
        id,
        complaint_id,
        kind: parse_enum(&kind)?,
        filename,
        content_type,
        size_bytes,
        uploaded_role: parse_enum(&uploaded_role)?,
        created_at,
    })
}

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
pub async fn list(db: &Db, complaint_id: Uuid) -> Result<Vec<AttachmentMeta>, RepoError> {
    let db = db.connection();
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
    rows.into_iter().map(meta_from_columns).collect()
}

/// One attachment with its bytes.
pub async fn find(db: &Db, id: Uuid) -> Result<Option<(AttachmentMeta, Vec<u8>)>, RepoError> {
    let db = db.connection();
    attachment::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|mut row| {
            let data = std::mem::take(&mut row.data);
            meta(row).map(|meta| (meta, data))
        })
        .transpose()
}
