//! Attachments: photos and PDFs of a complaint.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::blobs::BlobStore;
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

/// Stores an attachment's description and, through the [`BlobStore`], its bytes, both in `txn`.
pub(crate) async fn insert_in(
    txn: &DatabaseTransaction,
    new: NewAttachment,
    now: DateTime<Utc>,
) -> Result<AttachmentMeta, RepoError> {
    let id = Uuid::now_v7();
    let row = attachment::ActiveModel {
        id: Set(id),
        complaint_id: Set(new.complaint_id),
        kind: Set(new.kind.as_str().to_owned()),
        filename: Set(new.filename),
        content_type: Set(new.content_type),
        size_bytes: Set(i64::try_from(new.data.len()).unwrap_or(i64::MAX)),
        uploaded_by: Set(new.uploaded_by),
        uploaded_role: Set(new.uploaded_role.as_str().to_owned()),
        created_at: Set(now),
        is_test: Set(new.is_test),
    }
    .insert(txn)
    .await?;
    crate::blobs::store().put(txn, id, &new.data).await?;
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

/// Metadata (the bytes are not read) of at most `limit` of a complaint's attachments, oldest first (ids are time-ordered), strictly
/// after `after`.
pub async fn list(
    db: &Db,
    complaint_id: Uuid,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<AttachmentMeta>, RepoError> {
    let db = db.connection();
    use attachment::Column as C;
    let mut select = attachment::Entity::find();
    if let Some(after) = after {
        select = select.filter(C::Id.gt(after));
    }
    let rows: Vec<MetaColumns> = select
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
        .order_by_asc(C::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter().map(meta_from_columns).collect()
}

/// An attachment's description without its bytes: enough to decide who may read them.
pub async fn find_meta(db: &Db, id: Uuid) -> Result<Option<AttachmentMeta>, RepoError> {
    let db = db.connection();
    use attachment::Column as C;
    let row: Option<MetaColumns> = attachment::Entity::find_by_id(id)
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
        .into_tuple()
        .one(db)
        .await?;
    row.map(meta_from_columns).transpose()
}

/// Part `part` of an attachment's bytes (see [`crate::blobs`]): read only once the caller's
/// access is checked ([`find_meta`]); `None` past the last part.
pub async fn data_part(db: &Db, id: Uuid, part: u32) -> Result<Option<Vec<u8>>, RepoError> {
    crate::blobs::store().part(db, id, part).await
}

/// How many stored parts of bytes the attachments given still have.
pub async fn stored_parts(db: &Db, ids: &[Uuid]) -> Result<u64, RepoError> {
    crate::blobs::store().count_parts(db, ids).await
}

/// [`usage_in`] outside a transaction: a quick refusal before an upload's bytes are read.
pub async fn usage(
    db: &Db,
    complaint_id: Uuid,
    uploader: Uuid,
    since: DateTime<Utc>,
) -> Result<(domain::AttachmentUsage, domain::AttachmentUsage), RepoError> {
    usage_in(db.connection(), complaint_id, uploader, since).await
}

/// Files and bytes on one complaint, and those `uploader` stored since `since` (on any complaint),
/// read in `conn` — in the upload's own transaction, after [`lock_quota_in`].
pub(crate) async fn usage_in<C: ConnectionTrait>(
    conn: &C,
    complaint_id: Uuid,
    uploader: Uuid,
    since: DateTime<Utc>,
) -> Result<(domain::AttachmentUsage, domain::AttachmentUsage), RepoError> {
    use sea_orm::sea_query::ExprTrait;
    let on_complaint = usage_where(conn, attachment::Column::ComplaintId.eq(complaint_id)).await?;
    let by_uploader = usage_where(
        conn,
        attachment::Column::UploadedBy
            .eq(uploader)
            .and(attachment::Column::CreatedAt.gte(since)),
    )
    .await?;
    Ok((on_complaint, by_uploader))
}

async fn usage_where<C: ConnectionTrait>(
    conn: &C,
    condition: sea_orm::sea_query::Expr,
) -> Result<domain::AttachmentUsage, RepoError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let (files, bytes): (i64, Option<i64>) = attachment::Entity::find()
        .select_only()
        .expr(Expr::col(attachment::Column::Id).count())
        // PostgreSQL sums a BIGINT to a NUMERIC: cast back.
        .expr(
            Expr::col(attachment::Column::SizeBytes)
                .sum()
                .cast_as("BIGINT"),
        )
        .filter(condition)
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or((0, None));
    Ok(domain::AttachmentUsage {
        files: u64::try_from(files).unwrap_or(0),
        bytes: u64::try_from(bytes.unwrap_or(0)).unwrap_or(0),
    })
}

/// Serialises uploads to one complaint and by one account until the transaction ends, so that
/// two parallel uploads cannot both see room for one more file. SQLite's write transactions are
/// serial already; PostgreSQL takes two transaction-level advisory locks, always in this order.
pub(crate) async fn lock_quota_in<C: ConnectionTrait>(
    conn: &C,
    complaint_id: Uuid,
    uploader: Uuid,
) -> Result<(), RepoError> {
    if conn.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    for id in [complaint_id, uploader] {
        conn.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended('attachments:' || $1, 0))",
            [id.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}
