//! The resource SQL both backends share; `sql_resource_store!` implements
//! [`crate::ResourceStore`] for a backend (see `sql.rs` for what it needs).

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

            /// A mount: the shared collection's row, seen at the sharee's path.
            fn mount_from_row(row: &DbRow) -> Result<Collection, sqlx::Error> {
                let mut c = collection_from_row(row)?;
                c.path = row.try_get("mount_path")?;
                c.parent_id = row.try_get("mount_parent")?;
                c.share_id = Some(row.try_get("share_id")?);
                Ok(c)
            }

            fn share_from_row(row: &DbRow) -> Result<Share, sqlx::Error> {
                let access: String = row.try_get("access")?;
                let status: String = row.try_get("status")?;
                Ok(Share {
                    id: row.try_get("id")?,
                    collection_id: row.try_get("collection_id")?,
                    sharee_id: row.try_get("sharee_id")?,
                    access: ShareAccess::parse(&access).ok_or_else(|| sqlx::Error::Decode("share access".into()))?,
                    status: ShareStatus::parse(&status).ok_or_else(|| sqlx::Error::Decode("share status".into()))?,
                    mount_path: row.try_get("mount_path")?,
                    summary: row.try_get("summary")?,
                    created_at: row.try_get("created_at")?,
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

            async fn insert_collection(
                conn: &mut Conn,
                new: &NewCollection,
                parent: Option<CollectionId>,
                now: i64,
            ) -> Result<Option<CollectionId>, sqlx::Error> {
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO collections (owner_id, path, parent_id, kind, components, created_at, modified_at, source) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (path) DO NOTHING RETURNING id",
                )
                .bind(new.owner_id)
                .bind(&new.path)
                .bind(parent)
                .bind(new.kind.as_str())
                .bind(new.components.0)
                .bind(now)
                .bind(&new.source)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some(id) = id {
                    for (name, xml) in &new.properties {
                        set_property(conn, "collection_properties", "collection_id", id, name, xml).await?;
                    }
                    for (grantee, privileges) in &new.grants {
                        insert_grant(conn, id, grantee, *privileges).await?;
                    }
                }
                Ok(id)
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

            /// Frees a destination path: the collection subtree at `path` and the
            /// object named like it in `parent`. Returns whether anything was there.
            async fn clear_destination(
                conn: &mut Conn,
                path: &str,
                parent: CollectionId,
                overwrite: bool,
                now: i64,
            ) -> Result<bool> {
                let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
                let coll = collection_id_at(conn, path).await?;
                let object: Option<i64> = sqlx::query_scalar("SELECT id FROM objects WHERE collection_id = $1 AND name = $2")
                    .bind(parent)
                    .bind(&name)
                    .fetch_optional(&mut *conn)
                    .await?;
                if coll.is_none() && object.is_none() {
                    return Ok(false);
                }
                if !overwrite {
                    return Err(StoreError::PreconditionFailed);
                }
                if let Some(id) = coll {
                    sqlx::query("DELETE FROM collections WHERE id = $1").bind(id).execute(&mut *conn).await?;
                    record_change(conn, parent, &format!("{name}/"), true, now).await?;
                }
                if let Some(id) = object {
                    sqlx::query("DELETE FROM objects WHERE id = $1").bind(id).execute(&mut *conn).await?;
                    record_change(conn, parent, &name, true, now).await?;
                }
                Ok(true)
            }

            fn last_segment(path: &str) -> String {
                path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned()
            }

            /// Copies the members (objects, their properties, their change rows) of
            /// one collection into a new, empty one.
            async fn copy_members(conn: &mut Conn, from: CollectionId, to: CollectionId, now: i64) -> Result<()> {
                sqlx::query(
                    "INSERT INTO objects (collection_id, name, uid, etag, content_type, data, component, span_start, \
                     span_end, size, created_at, modified_at, revision, class, inst_from, inst_to, inst_whole, inst_exact) \
                     SELECT $2, name, uid, etag, content_type, data, component, span_start, span_end, size, $3, $3, 1, class, \
                     inst_from, inst_to, inst_whole, inst_exact FROM objects WHERE collection_id = $1",
                )
                .bind(from)
                .bind(to)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                instance_sql::copy(conn, from, to).await?;
                sqlx::query(
                    "INSERT INTO object_properties (object_id, name, xml) SELECT n.id, p.name, p.xml \
                     FROM object_properties p JOIN objects o ON p.object_id = o.id \
                     JOIN objects n ON n.collection_id = $2 AND n.name = o.name WHERE o.collection_id = $1",
                )
                .bind(from)
                .bind(to)
                .execute(&mut *conn)
                .await?;
                sqlx::query(
                    "INSERT INTO collection_properties (collection_id, name, xml) \
                     SELECT $2, name, xml FROM collection_properties WHERE collection_id = $1",
                )
                .bind(from)
                .bind(to)
                .execute(&mut *conn)
                .await?;
                sqlx::query("INSERT INTO changes (collection_id, name, revision, deleted) SELECT $1, name, 1, 0 FROM objects WHERE collection_id = $1")
                    .bind(to)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("UPDATE collections SET revision = 1 WHERE id = $1").bind(to).execute(&mut *conn).await?;
                Ok(())
            }

            /// Replaces the classified objects just copied from `from` into `to` as
            /// the shaping says; one it does not cover fails the copy.
            async fn shape_copied(
                conn: &mut Conn,
                from: CollectionId,
                to: CollectionId,
                shaping: &CopyShaping,
                now: i64,
            ) -> Result<()> {
                let rows = sqlx::query("SELECT name, etag FROM objects WHERE collection_id = $1 AND class <> 0")
                    .bind(to)
                    .fetch_all(&mut *conn)
                    .await?;
                for row in rows {
                    let (name, etag): (String, String) = (row.try_get("name")?, row.try_get("etag")?);
                    let Some(shaped) =
                        shaping.replacements.iter().find(|r| r.collection == from && r.name == name && r.etag == etag)
                    else {
                        return Err(StoreError::PreconditionFailed);
                    };
                    sqlx::query("DELETE FROM objects WHERE collection_id = $1 AND name = $2")
                        .bind(to)
                        .bind(&name)
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("DELETE FROM changes WHERE collection_id = $1 AND name = $2")
                        .bind(to)
                        .bind(&name)
                        .execute(&mut *conn)
                        .await?;
                    if let Some(object) = &shaped.replacement {
                        insert_object(conn, to, &name, object, now, 1).await?;
                        sqlx::query("INSERT INTO changes (collection_id, name, revision, deleted) VALUES ($1, $2, 1, 0)")
                            .bind(to)
                            .bind(&name)
                            .execute(&mut *conn)
                            .await?;
                    }
                }
                Ok(())
            }

            /// Objects of the collections whose span meets `[start, end]`, ordered by
            /// collection and name: three index ranges instead of one filtered walk
            /// of each collection — undated objects, open-ended ones that start
            /// before the window ends, and those that end after it starts.
            pub(super) async fn objects_spanning(
                conn: &mut Conn,
                collections: &[CollectionId],
                start: Option<i64>,
                end: Option<i64>,
            ) -> Result<Vec<Object>> {
                let mut out = Vec::new();
                // Bounded IN lists (bind limits).
                for chunk in collections.chunks(500) {
                    let ids = placeholders(3, chunk.len());
                    let sql = format!(
                        "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id IN ({ids}) AND span_start IS NULL \
                         UNION ALL SELECT {META_COLUMNS}, data FROM objects \
                         WHERE collection_id IN ({ids}) AND span_end IS NULL AND span_start IS NOT NULL AND span_start <= $2 \
                         UNION ALL SELECT {META_COLUMNS}, data FROM objects \
                         WHERE collection_id IN ({ids}) AND span_end >= $1 AND span_start <= $2 \
                         ORDER BY collection_id, name"
                    );
                    let q = sqlx::query(&sql).bind(start.unwrap_or(i64::MIN)).bind(end.unwrap_or(i64::MAX));
                    for row in bind_ids(q, chunk).fetch_all(&mut *conn).await? {
                        out.push(object_from_row(&row)?);
                    }
                }
                out.sort_by(|a, b| (a.meta.collection_id, &a.meta.name).cmp(&(b.meta.collection_id, &b.meta.name)));
                Ok(out)
            }

            /// The collection at a path: a stored one, or a mount of a shared one.
            async fn collection_at(pool: &sqlx::Pool<$db>, path: &str) -> Result<Option<Collection>> {
                let row = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE path = $1"))
                    .bind(path)
                    .fetch_optional(pool)
                    .await?;
                if let Some(row) = row {
                    return Ok(Some(collection_from_row(&row)?));
                }
                let mount = sqlx::query(
                    "SELECT c.id, c.owner_id, c.path, c.parent_id, c.kind, c.components, c.revision, c.created_at, c.modified_at, c.source, \
                     s.id AS share_id, s.mount_path, s.mount_parent \
                     FROM shares s JOIN collections c ON c.id = s.collection_id \
                     WHERE s.mount_path = $1 AND s.status = 'accepted'",
                )
                .bind(path)
                .fetch_optional(pool)
                .await?;
                Ok(mount.as_ref().map(mount_from_row).transpose()?)
            }

            #[async_trait::async_trait]
            impl crate::ResourceStore for $store {
                async fn provision(&self, collections: &[NewCollection], now: i64) -> Result<()> {
                    let _t = OpTimer::start("provision");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    for new in collections {
                        // Provisioning again adds only what is missing (collections
                        // introduced after a user was created).
                        if collection_id_at(&mut tx, &new.path).await?.is_some() {
                            continue;
                        }
                        let parent = match &new.parent_path {
                            Some(p) => Some(
                                collection_id_at(&mut tx, p)
                                    .await?
                                    .ok_or_else(|| StoreError::Conflict(Conflict::NoParent(p.clone())))?,
                            ),
                            None => None,
                        };
                        insert_collection(&mut tx, new, parent, now).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn create_collection(&self, new: &NewCollection, rules: &WriteRules, now: i64) -> Result<Collection> {
                    let _t = OpTimer::start("create_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    if collection_id_at(&mut tx, &new.path).await?.is_some() {
                        return Err(StoreError::Conflict(Conflict::Path(new.path.clone())));
                    }
                    let parent = match &new.parent_path {
                        Some(p) => Some(
                            collection_id_at(&mut tx, p)
                                .await?
                                .ok_or_else(|| StoreError::Conflict(Conflict::NoParent(p.clone())))?,
                        ),
                        None => None,
                    };
                    let id = insert_collection(&mut tx, new, parent, now)
                        .await?
                        .ok_or_else(|| StoreError::Conflict(Conflict::Path(new.path.clone())))?;
                    if let Some(parent) = parent {
                        let name = new.path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
                        record_change(&mut tx, parent, &format!("{name}/"), false, now).await?;
                    }
                    let row = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = $1"))
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let created = collection_from_row(&row)?;
                    end_rules(&mut tx, rules, true, used, now).await?;
                    tx.commit().await?;
                    Ok(created)
                }

                async fn collection(&self, path: &str) -> Result<Option<Collection>> {
                    if let Some(hit) = self.cache.collection(path) {
                        crate::cache::hit("collection");
                        return Ok(hit);
                    }
                    let _t = OpTimer::start("collection");
                    let stamp = self.cache.stamp();
                    let found = collection_at(&self.pool, path).await?;
                    self.cache.put_collection(path, found.clone(), stamp);
                    Ok(found)
                }

                async fn subcollections(&self, parent: CollectionId) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("subcollections");
                    let rows = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE parent_id = $1 ORDER BY path"
                    ))
                    .bind(parent)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut out: Vec<Collection> = rows.iter().map(collection_from_row).collect::<Result<_, _>>()?;
                    // Shared collections appear inside the sharee's own home.
                    let mounts = sqlx::query(
                        "SELECT c.id, c.owner_id, c.path, c.parent_id, c.kind, c.components, c.revision, c.created_at, c.modified_at, c.source, \
                         s.id AS share_id, s.mount_path, s.mount_parent \
                         FROM shares s JOIN collections c ON c.id = s.collection_id \
                         WHERE s.mount_parent = $1 AND s.status = 'accepted' ORDER BY s.mount_path",
                    )
                    .bind(parent)
                    .fetch_all(&self.pool)
                    .await?;
                    for m in &mounts {
                        out.push(mount_from_row(m)?);
                    }
                    Ok(out)
                }

                async fn collections_of(&self, owner: PrincipalId) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("collections_of");
                    let rows = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE owner_id = $1 ORDER BY path"
                    ))
                    .bind(owner)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(collection_from_row).collect::<Result<_, _>>()?)
                }

                async fn collections_of_owners(&self, owners: &[PrincipalId]) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("collections_of_owners");
                    let mut out = Vec::new();
                    for chunk in owners.chunks(500) {
                        let sql = format!(
                            "SELECT {COLLECTION_COLUMNS} FROM collections WHERE owner_id IN ({}) ORDER BY owner_id, path",
                            placeholders(1, chunk.len())
                        );
                        for row in bind_ids(sqlx::query(&sql), chunk).fetch_all(&self.pool).await? {
                            out.push(collection_from_row(&row)?);
                        }
                    }
                    out.sort_by(|a, b| (a.owner_id, &a.path).cmp(&(b.owner_id, &b.path)));
                    Ok(out)
                }

                async fn collection_properties_named(
                    &self,
                    collections: &[CollectionId],
                    names: &[&str],
                ) -> Result<Vec<(CollectionId, String, String)>> {
                    let _t = OpTimer::start("collection_properties_named");
                    let mut out = Vec::new();
                    if names.is_empty() {
                        return Ok(out);
                    }
                    for chunk in collections.chunks(500) {
                        let sql = format!(
                            "SELECT collection_id, name, xml FROM collection_properties \
                             WHERE collection_id IN ({}) AND name IN ({}) ORDER BY collection_id, name",
                            placeholders(1, chunk.len()),
                            placeholders(1 + chunk.len(), names.len())
                        );
                        let mut q = bind_ids(sqlx::query(&sql), chunk);
                        for n in names {
                            q = q.bind(*n);
                        }
                        for row in q.fetch_all(&self.pool).await? {
                            out.push((row.try_get("collection_id")?, row.try_get("name")?, row.try_get("xml")?));
                        }
                    }
                    out.sort();
                    Ok(out)
                }

                async fn objects_in_span_of(
                    &self,
                    collections: &[CollectionId],
                    start: Option<i64>,
                    end: Option<i64>,
                ) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_in_span_of");
                    objects_spanning(&mut *self.pool.acquire().await?, collections, start, end).await
                }

                async fn subscribed_collections(&self) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("subscribed_collections");
                    let rows = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE source LIKE 'http%' ORDER BY path"
                    ))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(collection_from_row).collect::<Result<_, _>>()?)
                }

                async fn delete_collection(&self, id: CollectionId, rules: &WriteRules, now: i64) -> Result<bool> {
                    let _t = OpTimer::start("delete_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let row = sqlx::query("SELECT parent_id, path FROM collections WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Ok(false) };
                    let parent: Option<i64> = row.try_get("parent_id")?;
                    let path: String = row.try_get("path")?;
                    sqlx::query("DELETE FROM collections WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    if let Some(parent) = parent {
                        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
                        record_change(&mut tx, parent, &format!("{name}/"), true, now).await?;
                    }
                    end_rules(&mut tx, rules, true, used, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn collection_properties(&self, id: CollectionId) -> Result<Vec<(String, String)>> {
                    if let Some(hit) = self.cache.properties(id) {
                        crate::cache::hit("collection_properties");
                        return Ok(hit);
                    }
                    let _t = OpTimer::start("collection_properties");
                    let stamp = self.cache.stamp();
                    let props = properties(&self.pool, "collection_properties", "collection_id", id).await?;
                    self.cache.put_properties(id, props.clone(), stamp);
                    Ok(props)
                }

                async fn patch_collection(
                    &self,
                    id: CollectionId,
                    changes: &[PropertyChange],
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("patch_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    apply_changes(&mut tx, "collection_properties", "collection_id", id, changes).await?;
                    sqlx::query("UPDATE collections SET modified_at = $2 WHERE id = $1")
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    end_rules(&mut tx, rules, false, used, now).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn object_metas(&self, collection: CollectionId) -> Result<Vec<ObjectMeta>> {
                    let _t = OpTimer::start("object_metas");
                    let rows = sqlx::query(&format!(
                        "SELECT {META_COLUMNS} FROM objects WHERE collection_id = $1 ORDER BY name"
                    ))
                    .bind(collection)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(|r| meta_from_row(r, "")).collect::<Result<_, _>>()?)
                }

                async fn object_meta(&self, collection: CollectionId, name: &str) -> Result<Option<ObjectMeta>> {
                    let _t = OpTimer::start("object_meta");
                    let row = sqlx::query(&format!(
                        "SELECT {META_COLUMNS} FROM objects WHERE collection_id = $1 AND name = $2"
                    ))
                    .bind(collection)
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.as_ref().map(|r| meta_from_row(r, "")).transpose()?)
                }

                async fn object(&self, collection: CollectionId, name: &str) -> Result<Option<Object>> {
                    let _t = OpTimer::start("object");
                    let row = sqlx::query(&format!(
                        "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id = $1 AND name = $2"
                    ))
                    .bind(collection)
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.as_ref().map(object_from_row).transpose()?)
                }

                async fn objects_named(&self, collection: CollectionId, names: &[String]) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_named");
                    let mut out = Vec::with_capacity(names.len());
                    for chunk in names.chunks(500) {
                        let sql = format!(
                            "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id = $1 AND name IN ({}) ORDER BY name",
                            placeholders(2, chunk.len())
                        );
                        let mut q = sqlx::query(&sql).bind(collection);
                        for n in chunk {
                            q = q.bind(n);
                        }
                        for row in q.fetch_all(&self.pool).await? {
                            out.push(object_from_row(&row)?);
                        }
                    }
                    Ok(out)
                }

                async fn objects_in_span(
                    &self,
                    collection: CollectionId,
                    start: Option<i64>,
                    end: Option<i64>,
                ) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_in_span");
                    objects_spanning(&mut *self.pool.acquire().await?, &[collection], start, end).await
                }

                async fn objects_in_time(
                    &self,
                    collection: CollectionId,
                    start: Option<i64>,
                    end: Option<i64>,
                    with_data: bool,
                ) -> Result<TimeCandidates> {
                    let _t = OpTimer::start("objects_in_time");
                    instance_sql::lookup(&self.pool, collection, start, end, with_data).await
                }

                async fn objects_to_index(&self, before: i64, limit: i64) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_to_index");
                    instance_sql::due(&self.pool, before, limit).await
                }

                async fn set_instances(&self, object_id: i64, etag: &str, pieces: &InstancePieces) -> Result<bool> {
                    let _t = OpTimer::start("set_instances");
                    let collection: Option<CollectionId> =
                        sqlx::query_scalar("SELECT collection_id FROM objects WHERE id = $1").bind(object_id).fetch_optional(&self.pool).await?;
                    let Some(collection) = collection else { return Ok(false) };
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    if !instance_sql::set(&mut tx, object_id, etag, pieces).await? {
                        return Ok(false);
                    }
                    instance_sql::write(&mut tx, object_id, collection, Some(pieces), true).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn objects_to_classify(&self, limit: i64) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_to_classify");
                    let rows = sqlx::query(&format!(
                        "SELECT {META_COLUMNS}, data FROM objects WHERE class < 0 ORDER BY id LIMIT $1"
                    ))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(object_from_row).collect::<Result<Vec<_>, _>>()?)
                }

                async fn set_class(&self, object_id: i64, etag: &str, class: i64) -> Result<bool> {
                    let _t = OpTimer::start("set_class");
                    let collection: Option<CollectionId> =
                        sqlx::query_scalar("SELECT collection_id FROM objects WHERE id = $1").bind(object_id).fetch_optional(&self.pool).await?;
                    let Some(collection) = collection else { return Ok(false) };
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    let done = sqlx::query("UPDATE objects SET class = $1 WHERE id = $2 AND etag = $3")
                        .bind(class)
                        .bind(object_id)
                        .bind(etag)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        == 1;
                    tx.commit().await?;
                    Ok(done)
                }

                async fn objects(&self, collection: CollectionId) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects");
                    let rows = sqlx::query(&format!(
                        "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id = $1 ORDER BY name"
                    ))
                    .bind(collection)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(object_from_row).collect::<Result<_, _>>()?)
                }

                async fn put_object(
                    &self,
                    collection: CollectionId,
                    name: &str,
                    object: &NewObject,
                    condition: &WriteCondition,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<PutOutcome> {
                    let _t = OpTimer::start("put_object");
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let outcome = put_in(&mut tx, collection, name, object, condition, now).await?;
                    end_rules(&mut tx, rules, outcome.created, used, now).await?;
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn delete_object(
                    &self,
                    collection: CollectionId,
                    name: &str,
                    condition: &WriteCondition,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<bool> {
                    let _t = OpTimer::start("delete_object");
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let deleted = delete_in(&mut tx, collection, name, condition, now).await?;
                    if deleted {
                        end_rules(&mut tx, rules, true, used, now).await?;
                        tx.commit().await?;
                    }
                    Ok(deleted)
                }

                async fn transfer_object(
                    &self,
                    src: CollectionId,
                    src_name: &str,
                    dst: CollectionId,
                    dst_name: &str,
                    object: &NewObject,
                    delete_source: bool,
                    overwrite: bool,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<PutOutcome> {
                    let _t = OpTimer::start("transfer_object");
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[src, dst])).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let source: Option<i64> = sqlx::query_scalar("SELECT id FROM objects WHERE collection_id = $1 AND name = $2")
                        .bind(src)
                        .bind(src_name)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(source) = source else { return Err(StoreError::PreconditionFailed) };
                    let existing: Option<(i64, Option<String>)> =
                        sqlx::query_as("SELECT id, uid FROM objects WHERE collection_id = $1 AND name = $2")
                            .bind(dst)
                            .bind(dst_name)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if existing.is_some() && !overwrite {
                        return Err(StoreError::PreconditionFailed);
                    }
                    let (existing, existing_uid) = existing.unzip();
                    if crate::sql_writes::replaces_uid(existing_uid.flatten().as_deref(), object.uid.as_deref()) {
                        return Err(StoreError::Conflict(Conflict::UidChange(dst_name.to_owned())));
                    }
                    if let Some(uid) = &object.uid {
                        let other: Option<String> = sqlx::query_scalar(
                            "SELECT name FROM objects WHERE collection_id = $1 AND uid = $2 AND name <> $3 AND id <> $4",
                        )
                        .bind(dst)
                        .bind(uid)
                        .bind(dst_name)
                        .bind(if delete_source { source } else { -1 })
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(other) = other {
                            return Err(StoreError::Conflict(Conflict::Uid(other)));
                        }
                    }
                    if let Some(id) = existing {
                        sqlx::query("DELETE FROM objects WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    }
                    // The source leaves first so that a UID may stay in the same collection.
                    let props = sqlx::query("SELECT name, xml FROM object_properties WHERE object_id = $1")
                        .bind(source)
                        .fetch_all(&mut *tx)
                        .await?;
                    if delete_source {
                        sqlx::query("DELETE FROM objects WHERE id = $1").bind(source).execute(&mut *tx).await?;
                        record_change(&mut tx, src, src_name, true, now).await?;
                    }
                    let revision = record_change(&mut tx, dst, dst_name, false, now).await?;
                    let size = object.data.len() as i64;
                    let id = insert_object(&mut tx, dst, dst_name, object, now, revision).await?;
                    for row in &props {
                        let name: String = row.try_get("name")?;
                        let xml: String = row.try_get("xml")?;
                        set_property(&mut tx, "object_properties", "object_id", id, &name, &xml).await?;
                    }
                    end_rules(&mut tx, rules, true, used, now).await?;
                    tx.commit().await?;
                    Ok(PutOutcome {
                        created: existing.is_none(),
                        meta: ObjectMeta {
                            id,
                            collection_id: dst,
                            name: dst_name.to_owned(),
                            uid: object.uid.clone(),
                            etag: object.etag.clone(),
                            content_type: object.content_type.clone(),
                            component: object.component.clone(),
                            size,
                            created_at: now,
                            modified_at: now,
                            revision,
                            class: object.class,
                            schedule_tag: object.schedule_tag.clone(),
                        },
                    })
                }

                async fn move_collection(
                    &self,
                    id: CollectionId,
                    new_path: &str,
                    new_parent: CollectionId,
                    overwrite: bool,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<bool> {
                    let _t = OpTimer::start("move_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let row = sqlx::query("SELECT path, parent_id FROM collections WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { return Err(StoreError::PreconditionFailed) };
                    let old: String = row.try_get("path")?;
                    let old_parent: Option<i64> = row.try_get("parent_id")?;
                    let replaced = clear_destination(&mut tx, new_path, new_parent, overwrite, now).await?;
                    let old_len = old.chars().count() as i64;
                    sqlx::query(
                        "UPDATE collections SET path = $1 || substr(path, CAST($2 AS INTEGER)) \
                         WHERE substr(path, 1, CAST($3 AS INTEGER)) = $4",
                    )
                    .bind(new_path)
                    .bind(old_len + 1)
                    .bind(old_len)
                    .bind(&old)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE collections SET parent_id = $2, modified_at = $3 WHERE id = $1")
                        .bind(id)
                        .bind(new_parent)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(parent) = old_parent {
                        record_change(&mut tx, parent, &format!("{}/", last_segment(&old)), true, now).await?;
                    }
                    record_change(&mut tx, new_parent, &format!("{}/", last_segment(new_path)), false, now).await?;
                    end_rules(&mut tx, rules, true, used, now).await?;
                    tx.commit().await?;
                    Ok(replaced)
                }

                async fn copy_collection(
                    &self,
                    id: CollectionId,
                    new_path: &str,
                    new_parent: CollectionId,
                    recursive: bool,
                    overwrite: bool,
                    shaping: &CopyShaping,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<bool> {
                    let _t = OpTimer::start("copy_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    let root = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(root) = root.as_ref().map(collection_from_row).transpose()? else {
                        return Err(StoreError::PreconditionFailed);
                    };
                    let owner: i64 = sqlx::query_scalar("SELECT owner_id FROM collections WHERE id = $1")
                        .bind(new_parent)
                        .fetch_one(&mut *tx)
                        .await?;
                    let old_len = root.path.chars().count() as i64;
                    let subtree = if recursive {
                        let rows = sqlx::query(&format!(
                            "SELECT {COLLECTION_COLUMNS} FROM collections WHERE substr(path, 1, CAST($1 AS INTEGER)) = $2 ORDER BY path"
                        ))
                        .bind(old_len)
                        .bind(&root.path)
                        .fetch_all(&mut *tx)
                        .await?;
                        rows.iter().map(collection_from_row).collect::<Result<Vec<_>, _>>()?
                    } else {
                        vec![root.clone()]
                    };
                    let replaced = clear_destination(&mut tx, new_path, new_parent, overwrite, now).await?;
                    let mut ids: std::collections::HashMap<i64, i64> = Default::default();
                    for c in &subtree {
                        let path = format!("{new_path}{}", &c.path[root.path.len()..]);
                        let parent = if c.id == root.id { Some(new_parent) } else { c.parent_id.and_then(|p| ids.get(&p).copied()) };
                        let new_id: i64 = sqlx::query_scalar(
                            "INSERT INTO collections (owner_id, path, parent_id, kind, components, created_at, modified_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                        )
                        .bind(owner)
                        .bind(&path)
                        .bind(parent)
                        .bind(c.kind.as_str())
                        .bind(c.components.0)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| StoreError::from_unique(e, Conflict::Path(path.clone())))?;
                        ids.insert(c.id, new_id);
                        copy_members(&mut tx, c.id, new_id, now).await?;
                        if shaping.restricted.contains(&c.id) {
                            shape_copied(&mut tx, c.id, new_id, shaping, now).await?;
                        }
                        for sub in subtree.iter().filter(|s| s.parent_id == Some(c.id)) {
                            let name = format!("{}/", last_segment(&sub.path));
                            sqlx::query("INSERT INTO changes (collection_id, name, revision, deleted) VALUES ($1, $2, 1, 0)")
                                .bind(new_id)
                                .bind(name)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    record_change(&mut tx, new_parent, &format!("{}/", last_segment(new_path)), false, now).await?;
                    end_rules(&mut tx, rules, true, used, now).await?;
                    tx.commit().await?;
                    Ok(replaced)
                }

                async fn object_properties(&self, object_id: i64) -> Result<Vec<(String, String)>> {
                    let _t = OpTimer::start("object_properties");
                    Ok(properties(&self.pool, "object_properties", "object_id", object_id).await?)
                }

                async fn patch_object(
                    &self,
                    object_id: i64,
                    changes: &[PropertyChange],
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("patch_object");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    apply_changes(&mut tx, "object_properties", "object_id", object_id, changes).await?;
                    end_rules(&mut tx, rules, false, used, now).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn changes_since(
                    &self,
                    collection: CollectionId,
                    since: i64,
                    limit: Option<u32>,
                ) -> Result<(Vec<Change>, i64)> {
                    let _t = OpTimer::start("changes_since");
                    let mut tx = self.pool.begin().await?;
                    let current: i64 = sqlx::query_scalar("SELECT revision FROM collections WHERE id = $1")
                        .bind(collection)
                        .fetch_one(&mut *tx)
                        .await?;
                    let rows = sqlx::query(
                        "SELECT c.name AS c_name, c.revision AS c_revision, c.deleted AS c_deleted, \
                         o.id AS o_id, o.collection_id AS o_collection_id, o.name AS o_name, o.uid AS o_uid, \
                         o.etag AS o_etag, o.content_type AS o_content_type, o.component AS o_component, \
                         o.size AS o_size, o.created_at AS o_created_at, o.modified_at AS o_modified_at, \
                         o.revision AS o_revision, o.class AS o_class, o.schedule_tag AS o_schedule_tag \
                         FROM changes c LEFT JOIN objects o ON o.collection_id = c.collection_id AND o.name = c.name \
                         WHERE c.collection_id = $1 AND c.revision > $2 ORDER BY c.revision LIMIT $3",
                    )
                    .bind(collection)
                    .bind(since)
                    .bind(limit.map(i64::from).unwrap_or(i64::MAX))
                    .fetch_all(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    let mut changes = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let object_id: Option<i64> = row.try_get("o_id")?;
                        changes.push(Change {
                            name: row.try_get("c_name")?,
                            revision: row.try_get("c_revision")?,
                            deleted: row.try_get::<i64, _>("c_deleted")? != 0,
                            object: object_id.map(|_| meta_from_row(row, "o_")).transpose()?,
                        });
                    }
                    Ok((changes, current))
                }

                async fn locks_near(&self, path: &str, descendants: bool, now: i64) -> Result<Vec<Lock>> {
                    if let Some(hit) = self.cache.locks(path, descendants, now) {
                        crate::cache::hit("locks_near");
                        return Ok(hit);
                    }
                    let _t = OpTimer::start("locks_near");
                    let stamp = self.cache.stamp();
                    let below = if descendants { vec![path.to_owned()] } else { Vec::new() };
                    let mut conn = self.pool.acquire().await?;
                    let locks = locks_at(&mut conn, &lock_roots(path), &below, now).await?;
                    self.cache.put_locks(path, descendants, locks.clone(), stamp);
                    Ok(locks)
                }

                async fn create_lock(&self, lock: &Lock, now: i64) -> Result<()> {
                    let _t = OpTimer::start("create_lock");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    // Writes under this path wait, and this waits for them (WriteRules).
                    super::serialize(&mut tx, &path_keys(std::iter::once(lock.path.as_str())), true).await?;
                    sqlx::query("DELETE FROM locks WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
                    let rows = sqlx::query(
                        "SELECT token, path, depth_infinity, exclusive, owner_xml, principal_id, timeout_secs, expires_at FROM locks",
                    )
                    .fetch_all(&mut *tx)
                    .await?;
                    for row in &rows {
                        let other = lock_from_row(row)?;
                        let overlaps = other.covers(&lock.path) || lock.covers(&other.path);
                        if overlaps && (other.exclusive || lock.exclusive) {
                            return Err(StoreError::Conflict(Conflict::Locked(other.path)));
                        }
                    }
                    sqlx::query(
                        "INSERT INTO locks (token, path, depth_infinity, exclusive, owner_xml, principal_id, timeout_secs, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&lock.token)
                    .bind(&lock.path)
                    .bind(i64::from(lock.depth_infinity))
                    .bind(i64::from(lock.exclusive))
                    .bind(lock.owner_xml.as_deref())
                    .bind(lock.principal_id)
                    .bind(lock.timeout_secs)
                    .bind(lock.expires_at)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn refresh_lock(&self, token: &str, timeout_secs: i64, now: i64) -> Result<Option<Lock>> {
                    let _t = OpTimer::start("refresh_lock");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("UPDATE locks SET timeout_secs = $2, expires_at = $3 WHERE token = $1 AND expires_at > $4")
                        .bind(token)
                        .bind(timeout_secs)
                        .bind(now.saturating_add(timeout_secs))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    let row = sqlx::query(
                        "SELECT token, path, depth_infinity, exclusive, owner_xml, principal_id, timeout_secs, expires_at \
                         FROM locks WHERE token = $1 AND expires_at > $2",
                    )
                    .bind(token)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(row.as_ref().map(lock_from_row).transpose()?)
                }

                async fn delete_lock(&self, token: &str) -> Result<bool> {
                    let _t = OpTimer::start("delete_lock");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let done = sqlx::query("DELETE FROM locks WHERE token = $1").bind(token).execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn usage(&self, owner: PrincipalId) -> Result<i64> {
                    let _t = OpTimer::start("usage");
                    let used: Option<i64> = sqlx::query_scalar(
                        "SELECT CAST(SUM(o.size) AS BIGINT) FROM objects o JOIN collections c ON o.collection_id = c.id \
                         WHERE c.owner_id = $1",
                    )
                    .bind(owner)
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(used.unwrap_or(0))
                }

                async fn grants(&self, collections: &[CollectionId]) -> Result<Vec<Grant>> {
                    let _t = OpTimer::start("grants");
                    if collections.is_empty() {
                        return Ok(Vec::new());
                    }
                    let sql = format!(
                        "SELECT collection_id, principal_id, special, privileges FROM grants WHERE collection_id IN ({})",
                        placeholders(1, collections.len())
                    );
                    let rows = bind_ids(sqlx::query(&sql), collections).fetch_all(&self.pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let principal: Option<i64> = row.try_get("principal_id")?;
                        let special: Option<String> = row.try_get("special")?;
                        let grantee = match (principal, special.as_deref()) {
                            (Some(id), _) => Grantee::Principal(id),
                            (None, Some("authenticated")) => Grantee::Authenticated,
                            (None, Some("unauthenticated")) => Grantee::Unauthenticated,
                            (None, Some("all")) => Grantee::All,
                            _ => return Err(sqlx::Error::Decode("grant without grantee".into()).into()),
                        };
                        out.push(Grant {
                            collection_id: row.try_get("collection_id")?,
                            grantee,
                            privileges: row.try_get("privileges")?,
                        });
                    }
                    Ok(out)
                }

                async fn replace_grants(&self, collection: CollectionId, grants: &[(Grantee, i64)]) -> Result<()> {
                    let _t = OpTimer::start("replace_grants");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM grants WHERE collection_id = $1").bind(collection).execute(&mut *tx).await?;
                    for (grantee, privileges) in grants {
                        insert_grant(&mut tx, collection, grantee, *privileges).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn memberships(&self, principal: PrincipalId) -> Result<Vec<PrincipalId>> {
                    let _t = OpTimer::start("memberships");
                    Ok(sqlx::query_scalar(
                        "WITH RECURSIVE up(id) AS ( \
                           SELECT group_id FROM group_members WHERE member_id = $1 \
                           UNION SELECT g.group_id FROM group_members g JOIN up u ON g.member_id = u.id) \
                         SELECT id FROM up",
                    )
                    .bind(principal)
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn groups_of(&self, principal: PrincipalId) -> Result<Vec<crate::Principal>> {
                    let _t = OpTimer::start("groups_of");
                    let rows = sqlx::query(
                        "SELECT p.id, p.kind, p.name, p.display_name, p.resource_kind, p.created_at \
                         FROM group_members g JOIN principals p ON p.id = g.group_id \
                         WHERE g.member_id = $1 ORDER BY p.name",
                    )
                    .bind(principal)
                    .fetch_all(&self.pool)
                    .await?;
                    // The directory half of this backend's module reads principals.
                    Ok(rows.iter().map(super::principal_from_row).collect::<Result<Vec<_>, _>>()?)
                }

                async fn ancestor_ids(&self, id: CollectionId) -> Result<Vec<CollectionId>> {
                    let _t = OpTimer::start("ancestor_ids");
                    Ok(sqlx::query_scalar(
                        "WITH RECURSIVE up(id, depth) AS ( \
                           SELECT parent_id, 1 FROM collections WHERE id = $1 AND parent_id IS NOT NULL \
                           UNION ALL SELECT c.parent_id, u.depth + 1 FROM collections c JOIN up u ON c.id = u.id \
                           WHERE c.parent_id IS NOT NULL) \
                         SELECT id FROM up ORDER BY depth",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn upsert_share(
                    &self,
                    collection: CollectionId,
                    sharee: PrincipalId,
                    access: ShareAccess,
                    summary: Option<&str>,
                    now: i64,
                ) -> Result<Share> {
                    let _t = OpTimer::start("upsert_share");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query(
                        "INSERT INTO shares (collection_id, sharee_id, access, status, summary, created_at) \
                         VALUES ($1, $2, $3, 'pending', $4, $5) \
                         ON CONFLICT (collection_id, sharee_id) DO UPDATE SET access = excluded.access, \
                         summary = COALESCE(excluded.summary, shares.summary)",
                    )
                    .bind(collection)
                    .bind(sharee)
                    .bind(access.as_str())
                    .bind(summary)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    let row = sqlx::query("SELECT id, collection_id, sharee_id, access, status, mount_path, summary, created_at FROM shares WHERE collection_id = $1 AND sharee_id = $2")
                        .bind(collection)
                        .bind(sharee)
                        .fetch_one(&mut *tx)
                        .await?;
                    let share = share_from_row(&row)?;
                    tx.commit().await?;
                    Ok(share)
                }

                async fn shares_of(&self, collection: CollectionId) -> Result<Vec<Share>> {
                    let _t = OpTimer::start("shares_of");
                    let rows = sqlx::query("SELECT id, collection_id, sharee_id, access, status, mount_path, summary, created_at FROM shares WHERE collection_id = $1 ORDER BY id")
                        .bind(collection)
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(rows.iter().map(share_from_row).collect::<Result<_, _>>()?)
                }

                async fn shares_to(&self, sharee: PrincipalId) -> Result<Vec<Share>> {
                    let _t = OpTimer::start("shares_to");
                    let rows = sqlx::query("SELECT id, collection_id, sharee_id, access, status, mount_path, summary, created_at FROM shares WHERE sharee_id = $1 ORDER BY id")
                        .bind(sharee)
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(rows.iter().map(share_from_row).collect::<Result<_, _>>()?)
                }

                async fn answer_share(
                    &self,
                    share: i64,
                    status: ShareStatus,
                    mount: Option<(&str, CollectionId)>,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("answer_share");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let old = sqlx::query("SELECT mount_path, mount_parent FROM shares WHERE id = $1")
                        .bind(share)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(old) = old else { return Err(StoreError::PreconditionFailed) };
                    let old_path: Option<String> = old.try_get("mount_path")?;
                    let old_parent: Option<i64> = old.try_get("mount_parent")?;
                    if let (Some(path), Some(parent)) = (&old_path, old_parent)
                        && mount.is_none_or(|(p, _)| p != path)
                    {
                        record_change(&mut tx, parent, &format!("{}/", last_segment(path)), true, now).await?;
                    }
                    if let Some((path, _)) = mount
                        && collection_id_at(&mut tx, path).await?.is_some()
                    {
                        return Err(StoreError::Conflict(Conflict::Path(path.to_owned())));
                    }
                    sqlx::query("UPDATE shares SET status = $2, mount_path = $3, mount_parent = $4 WHERE id = $1")
                        .bind(share)
                        .bind(status.as_str())
                        .bind(mount.map(|(p, _)| p))
                        .bind(mount.map(|(_, parent)| parent))
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| StoreError::from_unique(e, Conflict::Path(mount.map(|(p, _)| p).unwrap_or_default().to_owned())))?;
                    if let Some((path, parent)) = mount
                        && old_path.as_deref() != Some(path)
                    {
                        record_change(&mut tx, parent, &format!("{}/", last_segment(path)), false, now).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn delete_share(&self, share: i64, now: i64) -> Result<bool> {
                    let _t = OpTimer::start("delete_share");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let old = sqlx::query("SELECT mount_path, mount_parent FROM shares WHERE id = $1")
                        .bind(share)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(old) = old else { return Ok(false) };
                    let path: Option<String> = old.try_get("mount_path")?;
                    let parent: Option<i64> = old.try_get("mount_parent")?;
                    sqlx::query("DELETE FROM shares WHERE id = $1").bind(share).execute(&mut *tx).await?;
                    if let (Some(path), Some(parent)) = (path, parent) {
                        record_change(&mut tx, parent, &format!("{}/", last_segment(&path)), true, now).await?;
                    }
                    tx.commit().await?;
                    Ok(true)
                }

                async fn access_shares(&self, collections: &[CollectionId], principals: &[PrincipalId]) -> Result<Vec<Share>> {
                    let _t = OpTimer::start("access_shares");
                    if collections.is_empty() || principals.is_empty() {
                        return Ok(Vec::new());
                    }
                    let sql = format!(
                        "SELECT id, collection_id, sharee_id, access, status, mount_path, summary, created_at FROM shares WHERE status = 'accepted' AND collection_id IN ({}) AND sharee_id IN ({})",
                        placeholders(1, collections.len()),
                        placeholders(1 + collections.len(), principals.len())
                    );
                    let q = bind_ids(bind_ids(sqlx::query(&sql), collections), principals);
                    let rows = q.fetch_all(&self.pool).await?;
                    Ok(rows.iter().map(share_from_row).collect::<Result<_, _>>()?)
                }

                async fn share_properties(&self, share: i64) -> Result<Vec<(String, String)>> {
                    let _t = OpTimer::start("share_properties");
                    Ok(properties(&self.pool, "share_properties", "share_id", share).await?)
                }

                async fn patch_share(
                    &self,
                    share: i64,
                    changes: &[PropertyChange],
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("patch_share");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    apply_changes(&mut tx, "share_properties", "share_id", share, changes).await?;
                    end_rules(&mut tx, rules, false, used, now).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn collection_by_id(&self, id: CollectionId) -> Result<Option<Collection>> {
                    let _t = OpTimer::start("collection_by_id");
                    let row = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(row.as_ref().map(collection_from_row).transpose()?)
                }

                async fn publish(&self, collection: CollectionId, token: &str, now: i64) -> Result<()> {
                    let _t = OpTimer::start("publish");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM publications WHERE collection_id = $1").bind(collection).execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO publications (collection_id, token, created_at) VALUES ($1, $2, $3)")
                        .bind(collection)
                        .bind(token)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn publication(&self, collection: CollectionId) -> Result<Option<String>> {
                    let _t = OpTimer::start("publication");
                    Ok(sqlx::query_scalar("SELECT token FROM publications WHERE collection_id = $1")
                        .bind(collection)
                        .fetch_optional(&self.pool)
                        .await?)
                }

                async fn unpublish(&self, collection: CollectionId) -> Result<bool> {
                    let _t = OpTimer::start("unpublish");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let done =
                        sqlx::query("DELETE FROM publications WHERE collection_id = $1").bind(collection).execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn published(&self, token: &str) -> Result<Option<Collection>> {
                    let _t = OpTimer::start("published");
                    let row = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = (SELECT collection_id FROM publications WHERE token = $1)"
                    ))
                    .bind(token)
                    .fetch_optional(&self.pool)
                    .await?;
                    Ok(row.as_ref().map(collection_from_row).transpose()?)
                }

                async fn set_proxies(&self, owner: PrincipalId, write: bool, delegates: &[PrincipalId]) -> Result<()> {
                    let _t = OpTimer::start("set_proxies");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM proxies WHERE owner_id = $1 AND write = $2")
                        .bind(owner)
                        .bind(i64::from(write))
                        .execute(&mut *tx)
                        .await?;
                    for d in delegates {
                        sqlx::query(
                            "INSERT INTO proxies (owner_id, delegate_id, write) VALUES ($1, $2, $3) \
                             ON CONFLICT (owner_id, delegate_id) DO UPDATE SET write = excluded.write",
                        )
                        .bind(owner)
                        .bind(d)
                        .bind(i64::from(write))
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn proxies_of(&self, owner: PrincipalId) -> Result<Vec<(PrincipalId, bool)>> {
                    let _t = OpTimer::start("proxies_of");
                    let rows = sqlx::query("SELECT delegate_id, write FROM proxies WHERE owner_id = $1 ORDER BY delegate_id")
                        .bind(owner)
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("delegate_id")?, r.try_get::<i64, _>("write")? != 0)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                        .map_err(Into::into)
                }

                async fn proxied_by(&self, delegates: &[PrincipalId]) -> Result<Vec<(PrincipalId, bool)>> {
                    let _t = OpTimer::start("proxied_by");
                    if delegates.is_empty() {
                        return Ok(Vec::new());
                    }
                    let sql = format!(
                        "SELECT owner_id, write FROM proxies WHERE delegate_id IN ({}) ORDER BY owner_id",
                        placeholders(1, delegates.len())
                    );
                    let rows = bind_ids(sqlx::query(&sql), delegates).fetch_all(&self.pool).await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("owner_id")?, r.try_get::<i64, _>("write")? != 0)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                        .map_err(Into::into)
                }

                async fn delete_locks_below(&self, path: &str) -> Result<()> {
                    let _t = OpTimer::start("delete_locks_below");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM locks WHERE path = $1 OR substr(path, 1, CAST($2 AS INTEGER)) = $3")
                        .bind(path.trim_end_matches('/'))
                        .bind(path.chars().count() as i64)
                        .bind(path)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use sql_resource_store;
