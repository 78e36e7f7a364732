//! The resource SQL both backends share; `sql_resource_store!` implements
//! [`crate::ResourceStore`] for a backend (see `sql.rs` for what it needs).
//!
//! This file holds what every part shares: column lists, placeholders, lock and
//! serialisation keys, row decoders, and the helpers that record a change, write
//! an object row or apply a PROPPATCH. Each of `ResourceStore`'s supertraits is
//! implemented by its own macro, named for its concern: `sql_collections`,
//! `sql_objects`, `sql_transfers` (COPY and MOVE), `sql_locks`, `sql_access`
//! (grants, memberships, proxies), `sql_sharing` (shares, publications),
//! `sql_trash`, `sql_holds` and `sql_audit` (the records); the
//! writes they share on an open transaction are in `sql_writes`, the instance
//! index in `sql_instances`.

pub(crate) const COLLECTION_COLUMNS: &str =
    "id, owner_id, path, parent_id, kind, components, revision, created_at, modified_at, source";
pub(crate) const META_COLUMNS: &str = "id, collection_id, name, uid, etag, content_type, component, size, created_at, modified_at, revision, class, schedule_tag";

/// `$first, $first+1, …` for an IN list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Binds each id in turn, for the `IN (…)` list [`placeholders`] wrote.
pub(crate) fn bind_ids<'q, DB: sqlx::Database>(
    mut q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    ids: &[i64],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for id in ids {
        q = q.bind(*id);
    }
    q
}

/// A path and each of its ancestors (`a/b/c` → `a/b/c`, `a/b/`, `a/`): the
/// places a lock covering it may be rooted.
pub(crate) fn lock_roots(path: &str) -> Vec<String> {
    let mut roots = vec![path.to_owned()];
    let mut cut = path.trim_end_matches('/');
    while let Some(i) = cut.rfind('/') {
        cut = &cut[..i];
        roots.push(format!("{cut}/"));
    }
    roots
}

/// Keys that serialise, across processes, a write with the LOCKs that could
/// protect what it touches (see `serialize` of each backend): one per path and
/// ancestor, FNV-1a of the path folded to 32 bits, sorted (one order for all,
/// so two writers never wait on each other in a circle).
pub(crate) fn path_keys<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<(i32, i32)> {
    /// The advisory-lock class of path keys.
    const PATHS: i32 = 7;
    let mut keys: Vec<(i32, i32)> = paths
        .flat_map(lock_roots)
        .map(|p| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in p.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            (PATHS, (h ^ (h >> 32)) as u32 as i32)
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The key that serialises quota checks of one owner.
pub(crate) fn owner_key(owner: crate::PrincipalId) -> (i32, i32) {
    /// The advisory-lock class of owner keys.
    const OWNERS: i32 = 8;
    (OWNERS, (owner ^ (owner >> 32)) as u32 as i32)
}

pub(crate) fn decode_collection_kind(s: &str) -> Result<crate::CollectionKind, sqlx::Error> {
    crate::CollectionKind::parse(s).ok_or_else(|| sqlx::Error::Decode(format!("unknown collection kind {s:?}").into()))
}

macro_rules! sql_resource_store {
    ($store:ty, $db:ty) => {
        mod resource_sql {
            use super::*;
            use crate::resources::*;
            use crate::sql_resources::{
                COLLECTION_COLUMNS, META_COLUMNS, bind_ids, decode_collection_kind, lock_roots, owner_key, path_keys, placeholders,
            };
            use sqlx::Row;

            type Conn = <$db as sqlx::Database>::Connection;
            type DbRow = <$db as sqlx::Database>::Row;

            crate::sql_instances::instance_sql!($db);
            crate::sql_writes::write_sql!($db);
            pub(super) use write_sql::{delete_in, put_in};
            use write_sql::{begin_rules, end_rules, locks_at};

            fn collection_from_row(row: &DbRow) -> Result<Collection, sqlx::Error> {
                Ok(Collection {
                    id: row.try_get("id")?,
                    owner_id: row.try_get("owner_id")?,
                    path: row.try_get("path")?,
                    parent_id: row.try_get("parent_id")?,
                    kind: decode_collection_kind(row.try_get::<&str, _>("kind")?)?,
                    components: Components(row.try_get("components")?),
                    revision: row.try_get("revision")?,
                    created_at: row.try_get("created_at")?,
                    modified_at: row.try_get("modified_at")?,
                    source: row.try_get("source")?,
                    share_id: None,
                })
            }

            fn meta_from_row(row: &DbRow, prefix: &str) -> Result<ObjectMeta, sqlx::Error> {
                let col = |c: &str| format!("{prefix}{c}");
                Ok(ObjectMeta {
                    id: row.try_get(col("id").as_str())?,
                    collection_id: row.try_get(col("collection_id").as_str())?,
                    name: row.try_get(col("name").as_str())?,
                    uid: row.try_get(col("uid").as_str())?,
                    etag: row.try_get(col("etag").as_str())?,
                    content_type: row.try_get(col("content_type").as_str())?,
                    component: row.try_get(col("component").as_str())?,
                    size: row.try_get(col("size").as_str())?,
                    created_at: row.try_get(col("created_at").as_str())?,
                    modified_at: row.try_get(col("modified_at").as_str())?,
                    revision: row.try_get(col("revision").as_str())?,
                    class: row.try_get(col("class").as_str())?,
                    schedule_tag: row.try_get(col("schedule_tag").as_str())?,
                })
            }

            fn lock_from_row(row: &DbRow) -> Result<Lock, sqlx::Error> {
                Ok(Lock {
                    token: row.try_get("token")?,
                    path: row.try_get("path")?,
                    depth_infinity: row.try_get::<i64, _>("depth_infinity")? != 0,
                    exclusive: row.try_get::<i64, _>("exclusive")? != 0,
                    owner_xml: row.try_get("owner_xml")?,
                    principal_id: row.try_get("principal_id")?,
                    timeout_secs: row.try_get("timeout_secs")?,
                    expires_at: row.try_get("expires_at")?,
                })
            }

            pub(super) fn object_from_row(row: &DbRow) -> Result<Object, sqlx::Error> {
                Ok(Object { meta: meta_from_row(row, "")?, data: row.try_get("data")? })
            }

            /// Bumps a collection's revision and records `name`'s latest change.
            async fn record_change(
                conn: &mut Conn,
                collection: CollectionId,
                name: &str,
                deleted: bool,
                now: i64,
            ) -> Result<i64, sqlx::Error> {
                let revision: i64 = sqlx::query_scalar(
                    "UPDATE collections SET revision = revision + 1, modified_at = $2 WHERE id = $1 RETURNING revision",
                )
                .bind(collection)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO changes (collection_id, name, revision, deleted) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (collection_id, name) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted",
                )
                .bind(collection)
                .bind(name)
                .bind(revision)
                .bind(i64::from(deleted))
                .execute(&mut *conn)
                .await?;
                Ok(revision)
            }

            async fn insert_grant(
                conn: &mut Conn,
                collection: CollectionId,
                grantee: &Grantee,
                privileges: i64,
            ) -> Result<(), sqlx::Error> {
                let (principal, special) = match grantee {
                    Grantee::Principal(id) => (Some(*id), None),
                    Grantee::Authenticated => (None, Some("authenticated")),
                    Grantee::Unauthenticated => (None, Some("unauthenticated")),
                    Grantee::All => (None, Some("all")),
                };
                sqlx::query("INSERT INTO grants (collection_id, principal_id, special, privileges) VALUES ($1, $2, $3, $4)")
                    .bind(collection)
                    .bind(principal)
                    .bind(special)
                    .bind(privileges)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            async fn collection_id_at(conn: &mut Conn, path: &str) -> Result<Option<CollectionId>, sqlx::Error> {
                sqlx::query_scalar("SELECT id FROM collections WHERE path = $1").bind(path).fetch_optional(&mut *conn).await
            }

            async fn set_property(
                conn: &mut Conn,
                table: &str,
                key: &str,
                id: i64,
                name: &str,
                xml: &str,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(&format!(
                    "INSERT INTO {table} ({key}, name, xml) VALUES ($1, $2, $3) \
                     ON CONFLICT ({key}, name) DO UPDATE SET xml = excluded.xml"
                ))
                .bind(id)
                .bind(name)
                .bind(xml)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn apply_changes(
                conn: &mut Conn,
                table: &str,
                key: &str,
                id: i64,
                changes: &[PropertyChange],
            ) -> Result<(), sqlx::Error> {
                for change in changes {
                    match change {
                        PropertyChange::Set(name, xml) => set_property(conn, table, key, id, name, xml).await?,
                        PropertyChange::Remove(name) => {
                            sqlx::query(&format!("DELETE FROM {table} WHERE {key} = $1 AND name = $2"))
                                .bind(id)
                                .bind(name)
                                .execute(&mut *conn)
                                .await?;
                        }
                    }
                }
                Ok(())
            }

            async fn properties(
                pool: &sqlx::Pool<$db>,
                table: &str,
                key: &str,
                id: i64,
            ) -> Result<Vec<(String, String)>, sqlx::Error> {
                let rows = sqlx::query(&format!("SELECT name, xml FROM {table} WHERE {key} = $1 ORDER BY name"))
                    .bind(id)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(|r| Ok((r.try_get("name")?, r.try_get("xml")?))).collect()
            }

            /// Inserts an object row (the caller has recorded the change and holds the
            /// revision); returns its id.
            async fn insert_object(
                conn: &mut Conn,
                collection: CollectionId,
                name: &str,
                object: &NewObject,
                now: i64,
                revision: i64,
            ) -> Result<i64> {
                let (inst_from, inst_to, inst_whole, inst_exact) = instance_sql::columns(object.instances.as_ref());
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO objects (collection_id, name, uid, etag, content_type, data, component, \
                     span_start, span_end, size, created_at, modified_at, revision, class, schedule_tag, \
                     inst_from, inst_to, inst_whole, inst_exact) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
                )
                .bind(collection)
                .bind(name)
                .bind(object.uid.as_deref())
                .bind(&object.etag)
                .bind(&object.content_type)
                .bind(&object.data)
                .bind(object.component.as_deref())
                .bind(object.span_start)
                .bind(object.span_end)
                .bind(object.data.len() as i64)
                .bind(now)
                .bind(revision)
                .bind(object.class)
                .bind(object.schedule_tag.as_deref())
                .bind(inst_from)
                .bind(inst_to)
                .bind(inst_whole)
                .bind(inst_exact)
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| StoreError::from_unique(e, Conflict::Uid(String::new())))?;
                instance_sql::write(conn, id, collection, object.instances.as_ref(), false).await?;
                Ok(id)
            }

            fn last_segment(path: &str) -> String {
                path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned()
            }

            crate::sql_collections::collection_sql!($store, $db);
            crate::sql_objects::object_sql!($store);
            crate::sql_transfers::transfer_sql!($store);
            crate::sql_locks::lock_sql!($store);
            crate::sql_access::access_sql!($store);
            crate::sql_sharing::sharing_sql!($store);
            crate::sql_trash::trash_sql!($store);
            crate::sql_holds::hold_sql!($store);
            crate::sql_audit::audit_sql!($store);
            pub(super) use object_sql::objects_spanning;
        }
    };
}

pub(crate) use sql_resource_store;
