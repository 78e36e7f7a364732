//! The instance-piece index both backends share (migration 0016): writing an
//! object's pieces with it, copying them with a collection, and the time-range
//! lookup that reads them (`ObjectStore::objects_in_time`).
//!
//! A lookup for `[a, b)` is at most two statements: the objects that own a piece
//! starting in `(a - MAX_PIECE_SECONDS, b)` and ending after `a`, kept when their
//! pieces cover the range; and the few objects whose pieces do not decide it
//! (never indexed, or indexed only within a window), found by their span as before.

/// Implements the piece index for one backend inside `sql_resource_store!`.
macro_rules! instance_sql {
    ($db:ty) => {
        mod instance_sql {
            use super::*;
            use crate::resources::{InstancePieces, MAX_PIECE_SECONDS, TimeCandidates};

            /// Rows per INSERT statement (4 binds each, far below both backends' limits).
            const ROWS_PER_INSERT: usize = 200;

            /// The columns of `objects` that describe its pieces, as bound values:
            /// (inst_from, inst_to, inst_whole, inst_exact).
            pub(super) fn columns(p: Option<&InstancePieces>) -> (Option<i64>, Option<i64>, i64, i64) {
                match p {
                    None => (None, None, 0, 0),
                    Some(p) => (Some(p.from), Some(p.to), i64::from(p.whole()), i64::from(p.exact)),
                }
            }

            /// Replaces the pieces of object `id` (the caller has written its row).
            pub(super) async fn write(
                conn: &mut Conn,
                id: i64,
                collection: CollectionId,
                pieces: Option<&InstancePieces>,
                replacing: bool,
            ) -> Result<(), sqlx::Error> {
                if replacing {
                    sqlx::query("DELETE FROM instances WHERE object_id = $1").bind(id).execute(&mut *conn).await?;
                }
                let Some(p) = pieces else { return Ok(()) };
                for chunk in p.pieces.chunks(ROWS_PER_INSERT) {
                    let values = (0..chunk.len())
                        .map(|i| format!("($1, ${}, $2, ${})", 3 + 2 * i, 4 + 2 * i))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!("INSERT INTO instances (collection_id, starts_at, object_id, ends_at) VALUES {values}");
                    let mut q = sqlx::query(&sql).bind(collection).bind(id);
                    for (s, e) in chunk {
                        debug_assert!(e - s <= MAX_PIECE_SECONDS);
                        q = q.bind(*s).bind(*e);
                    }
                    q.execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Copies the pieces of `from`'s objects to their namesakes in `to`.
            pub(super) async fn copy(conn: &mut Conn, from: CollectionId, to: CollectionId) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO instances (collection_id, starts_at, object_id, ends_at) \
                     SELECT $2, i.starts_at, n.id, i.ends_at FROM instances i \
                     JOIN objects o ON o.id = i.object_id \
                     JOIN objects n ON n.collection_id = $2 AND n.name = o.name \
                     WHERE i.collection_id = $1",
                )
                .bind(from)
                .bind(to)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// See `ObjectStore::objects_to_index` (the partial index
            /// `objects_to_index` of migration 0016 holds exactly these rows).
            pub(super) async fn due(pool: &sqlx::Pool<$db>, before: i64, limit: i64) -> Result<Vec<Object>> {
                let rows = sqlx::query(&format!(
                    "SELECT {META_COLUMNS}, data FROM objects \
                     WHERE inst_whole = 0 AND component = 'VEVENT' AND inst_to < $1 ORDER BY inst_to, id LIMIT $2"
                ))
                .bind(before)
                .bind(limit)
                .fetch_all(pool)
                .await?;
                Ok(rows.iter().map(object_from_row).collect::<Result<_, _>>()?)
            }

            /// Sets the piece columns of object `id` if its ETag is `etag`.
            pub(super) async fn set(conn: &mut Conn, id: i64, etag: &str, p: &InstancePieces) -> Result<bool, sqlx::Error> {
                let (from, to, whole, exact) = columns(Some(p));
                let done = sqlx::query(
                    "UPDATE objects SET inst_from = $3, inst_to = $4, inst_whole = $5, inst_exact = $6 WHERE id = $1 AND etag = $2",
                )
                .bind(id)
                .bind(etag)
                .bind(from)
                .bind(to)
                .bind(whole)
                .bind(exact)
                .execute(&mut *conn)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            /// See `ObjectStore::objects_in_time`.
            pub(super) async fn lookup(
                pool: &sqlx::Pool<$db>,
                collection: CollectionId,
                start: Option<i64>,
                end: Option<i64>,
                with_data: bool,
            ) -> Result<TimeCandidates> {
                let (a, b) = (start.unwrap_or(i64::MIN), end.unwrap_or(i64::MAX));
                let mut out = TimeCandidates::default();
                // The subquery reads one range of the instances key; an object with
                // several pieces in the range comes once. Inexact hits are parsed by
                // the caller: their bytes always come. (No ORDER BY in these two: it
                // would lead SQLite to walk the collection in name order.)
                let data = if with_data { "data" } else { "CASE WHEN inst_exact = 0 THEN data END AS data" };
                let hits = sqlx::query(&format!(
                    "SELECT {META_COLUMNS}, {data}, inst_exact FROM objects WHERE id IN \
                     (SELECT object_id FROM instances WHERE collection_id = $1 AND starts_at > $2 AND starts_at < $3 AND ends_at > $4) \
                     AND inst_from <= $4 AND inst_to >= $3"
                ))
                .bind(collection)
                .bind(a.saturating_sub(MAX_PIECE_SECONDS))
                .bind(b)
                .bind(a)
                .fetch_all(pool)
                .await?;
                for row in &hits {
                    let exact: i64 = row.try_get("inst_exact")?;
                    let list = if exact != 0 { &mut out.matched } else { &mut out.to_test };
                    let data: Option<Vec<u8>> = row.try_get("data")?;
                    list.push(Object { meta: meta_from_row(row, "")?, data: data.unwrap_or_default() });
                }
                // Not decided by pieces for this range: the span lookup of
                // `objects_spanning`, over the objects not indexed whole.
                let rest = sqlx::query(&format!(
                    "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id = $1 AND inst_whole = 0 \
                     AND (inst_from IS NULL OR inst_from > $2 OR inst_to < $3) \
                     AND (span_start IS NULL OR (span_start <= $3 AND (span_end IS NULL OR span_end >= $2)))"
                ))
                .bind(collection)
                .bind(a)
                .bind(b)
                .fetch_all(pool)
                .await?;
                for row in &rest {
                    out.to_test.push(object_from_row(row)?);
                }
                out.matched.sort_by(|x, y| x.meta.name.cmp(&y.meta.name));
                out.to_test.sort_by(|x, y| x.meta.name.cmp(&y.meta.name));
                Ok(out)
            }
        }
    };
}

pub(crate) use instance_sql;
