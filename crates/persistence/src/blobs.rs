//! Where attachments' bytes live (finding 6 of the security review): outside the `attachments`
//! table, behind [`BlobStore`], cut into parts of [`PART_BYTES`] so that a download reads and
//! sends one part at a time.
//!
//! The one store today, [`TableBlobs`], keeps the parts in the `attachment_blobs` table, on
//! PostgreSQL and on the embedded SQLite alike: every replica sees the same bytes, a file's parts
//! are written in the same transaction as its description (an upload stores both or neither), and
//! `ON DELETE CASCADE` removes the parts with the attachment on every path that deletes one (test
//! data purge, erasure, retention). An object store would implement the same trait.

use std::future::Future;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use crate::entities::attachment_blob;
use crate::{Db, RepoError};

/// The size of one stored part, and so of one chunk of a download.
pub const PART_BYTES: usize = 256 * 1024;

/// Stores and reads attachments' bytes by the attachment's id.
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` for `id` within `txn`, the transaction that stores the attachment's row.
    fn put(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
        bytes: &[u8],
    ) -> impl Future<Output = Result<(), RepoError>> + Send;

    /// Part `part` (0, 1, …) of `id`'s bytes, at most [`PART_BYTES`]; `None` past the last one.
    fn part(
        &self,
        db: &Db,
        id: Uuid,
        part: u32,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, RepoError>> + Send;

    /// How many parts are stored for the attachments given (for tests and checks).
    fn count_parts(
        &self,
        db: &Db,
        ids: &[Uuid],
    ) -> impl Future<Output = Result<u64, RepoError>> + Send;
}

/// The blob store of this service: the `attachment_blobs` table of the main database.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableBlobs;

/// The store the service uses.
pub fn store() -> TableBlobs {
    TableBlobs
}

impl BlobStore for TableBlobs {
    async fn put(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
        bytes: &[u8],
    ) -> Result<(), RepoError> {
        put_parts(txn, id, bytes).await
    }

    async fn part(&self, db: &Db, id: Uuid, part: u32) -> Result<Option<Vec<u8>>, RepoError> {
        use attachment_blob::Column as C;
        let part = i32::try_from(part).unwrap_or(i32::MAX);
        Ok(attachment_blob::Entity::find()
            .select_only()
            .column(C::Data)
            .filter(C::AttachmentId.eq(id))
            .filter(C::Part.eq(part))
            .into_tuple::<Vec<u8>>()
            .one(db.connection())
            .await?)
    }

    async fn count_parts(&self, db: &Db, ids: &[Uuid]) -> Result<u64, RepoError> {
        use sea_orm::PaginatorTrait;
        Ok(attachment_blob::Entity::find()
            .filter(attachment_blob::Column::AttachmentId.is_in(ids.iter().copied()))
            .count(db.connection())
            .await?)
    }
}

/// Writes `bytes` as parts of `id` on `conn` (also used by the migration that moved the bytes).
pub(crate) async fn put_parts<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    bytes: &[u8],
) -> Result<(), RepoError> {
    for (part, chunk) in bytes.chunks(PART_BYTES).enumerate() {
        attachment_blob::Entity::insert(attachment_blob::ActiveModel {
            attachment_id: Set(id),
            part: Set(i32::try_from(part).unwrap_or(i32::MAX)),
            data: Set(chunk.to_vec()),
        })
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}
