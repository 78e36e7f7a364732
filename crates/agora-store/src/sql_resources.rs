//! The resource SQL both backends share; `sql_resource_store!` implements
//! [`crate::ResourceStore`] for a backend (see `sql.rs` for what it needs).

pub(crate) const COLLECTION_COLUMNS: &str =
    "id, owner_id, path, parent_id, kind, components, revision, created_at, modified_at";
pub(crate) const META_COLUMNS: &str =
    "id, collection_id, name, uid, etag, content_type, component, size, created_at, modified_at, revision";

/// `$first, $first+1, …` for an IN list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn decode_collection_kind(s: &str) -> Result<crate::CollectionKind, sqlx::Error> {
    crate::CollectionKind::parse(s).ok_or_else(|| sqlx::Error::Decode(format!("unknown collection kind {s:?}").into()))
}

macro_rules! sql_resource_store {
    ($store:ty, $db:ty) => {
        mod resource_sql {
            use super::*;
            use crate::resources::*;
            use crate::sql_resources::{COLLECTION_COLUMNS, META_COLUMNS, decode_collection_kind, placeholders};
            use sqlx::Row;

            type Conn = <$db as sqlx::Database>::Connection;
            type DbRow = <$db as sqlx::Database>::Row;

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
                })
            }

            fn object_from_row(row: &DbRow) -> Result<Object, sqlx::Error> {
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
                    "INSERT INTO collections (owner_id, path, parent_id, kind, components, created_at, modified_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (path) DO NOTHING RETURNING id",
                )
                .bind(new.owner_id)
                .bind(&new.path)
                .bind(parent)
                .bind(new.kind.as_str())
                .bind(new.components.0)
                .bind(now)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some(id) = id {
                    for (name, xml) in &new.properties {
                        set_property(conn, "collection_properties", "collection_id", id, name, xml).await?;
                    }
                }
                Ok(id)
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

            #[async_trait::async_trait]
            impl crate::ResourceStore for $store {
                async fn provision(&self, collections: &[NewCollection], now: i64) -> Result<()> {
                    let _t = OpTimer::start("provision");
                    let mut tx = self.write_tx().await?;
                    for new in collections {
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

                async fn create_collection(&self, new: &NewCollection, now: i64) -> Result<Collection> {
                    let _t = OpTimer::start("create_collection");
                    let mut tx = self.write_tx().await?;
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
                    tx.commit().await?;
                    Ok(created)
                }

                async fn collection(&self, path: &str) -> Result<Option<Collection>> {
                    let _t = OpTimer::start("collection");
                    let row = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE path = $1"))
                        .bind(path)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(row.as_ref().map(collection_from_row).transpose()?)
                }

                async fn subcollections(&self, parent: CollectionId) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("subcollections");
                    let rows = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE parent_id = $1 ORDER BY path"
                    ))
                    .bind(parent)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(collection_from_row).collect::<Result<_, _>>()?)
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

                async fn delete_collection(&self, id: CollectionId, now: i64) -> Result<bool> {
                    let _t = OpTimer::start("delete_collection");
                    let mut tx = self.write_tx().await?;
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
                    tx.commit().await?;
                    Ok(true)
                }

                async fn collection_properties(&self, id: CollectionId) -> Result<Vec<(String, String)>> {
                    let _t = OpTimer::start("collection_properties");
                    Ok(properties(&self.pool, "collection_properties", "collection_id", id).await?)
                }

                async fn patch_collection(&self, id: CollectionId, changes: &[PropertyChange], now: i64) -> Result<()> {
                    let _t = OpTimer::start("patch_collection");
                    let mut tx = self.write_tx().await?;
                    apply_changes(&mut tx, "collection_properties", "collection_id", id, changes).await?;
                    sqlx::query("UPDATE collections SET modified_at = $2 WHERE id = $1")
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
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
                    let rows = sqlx::query(&format!(
                        "SELECT {META_COLUMNS}, data FROM objects WHERE collection_id = $1 AND (span_start IS NULL OR \
                         ((span_end IS NULL OR span_end >= $2) AND span_start <= $3)) ORDER BY name"
                    ))
                    .bind(collection)
                    .bind(start.unwrap_or(i64::MIN))
                    .bind(end.unwrap_or(i64::MAX))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(object_from_row).collect::<Result<_, _>>()?)
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
                    now: i64,
                ) -> Result<PutOutcome> {
                    let _t = OpTimer::start("put_object");
                    let mut tx = self.write_tx().await?;
                    let current = sqlx::query("SELECT id, etag, created_at FROM objects WHERE collection_id = $1 AND name = $2")
                        .bind(collection)
                        .bind(name)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let current_etag: Option<String> = current.as_ref().map(|r| r.try_get("etag")).transpose()?;
                    if !condition.allows(current_etag.as_deref()) {
                        return Err(StoreError::PreconditionFailed);
                    }
                    if let Some(uid) = &object.uid {
                        let other: Option<String> = sqlx::query_scalar(
                            "SELECT name FROM objects WHERE collection_id = $1 AND uid = $2 AND name <> $3",
                        )
                        .bind(collection)
                        .bind(uid)
                        .bind(name)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(other) = other {
                            return Err(StoreError::Conflict(Conflict::Uid(other)));
                        }
                    }
                    let revision = record_change(&mut tx, collection, name, false, now).await?;
                    let size = object.data.len() as i64;
                    let (id, created_at) = match &current {
                        Some(row) => {
                            let id: i64 = row.try_get("id")?;
                            sqlx::query(
                                "UPDATE objects SET uid = $2, etag = $3, content_type = $4, data = $5, component = $6, \
                                 span_start = $7, span_end = $8, size = $9, modified_at = $10, revision = $11 WHERE id = $1",
                            )
                            .bind(id)
                            .bind(object.uid.as_deref())
                            .bind(&object.etag)
                            .bind(&object.content_type)
                            .bind(&object.data)
                            .bind(object.component.as_deref())
                            .bind(object.span_start)
                            .bind(object.span_end)
                            .bind(size)
                            .bind(now)
                            .bind(revision)
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| StoreError::from_unique(e, Conflict::Uid(String::new())))?;
                            (id, row.try_get("created_at")?)
                        }
                        None => {
                            let id: i64 = sqlx::query_scalar(
                                "INSERT INTO objects (collection_id, name, uid, etag, content_type, data, component, \
                                 span_start, span_end, size, created_at, modified_at, revision) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
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
                            .bind(size)
                            .bind(now)
                            .bind(revision)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(|e| StoreError::from_unique(e, Conflict::Uid(String::new())))?;
                            (id, now)
                        }
                    };
                    tx.commit().await?;
                    Ok(PutOutcome {
                        created: current.is_none(),
                        meta: ObjectMeta {
                            id,
                            collection_id: collection,
                            name: name.to_owned(),
                            uid: object.uid.clone(),
                            etag: object.etag.clone(),
                            content_type: object.content_type.clone(),
                            component: object.component.clone(),
                            size,
                            created_at,
                            modified_at: now,
                            revision,
                        },
                    })
                }

                async fn delete_object(
                    &self,
                    collection: CollectionId,
                    name: &str,
                    condition: &WriteCondition,
                    now: i64,
                ) -> Result<bool> {
                    let _t = OpTimer::start("delete_object");
                    let mut tx = self.write_tx().await?;
                    let etag: Option<String> =
                        sqlx::query_scalar("SELECT etag FROM objects WHERE collection_id = $1 AND name = $2")
                            .bind(collection)
                            .bind(name)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if !condition.allows(etag.as_deref()) {
                        return Err(StoreError::PreconditionFailed);
                    }
                    if etag.is_none() {
                        return Ok(false);
                    }
                    sqlx::query("DELETE FROM objects WHERE collection_id = $1 AND name = $2")
                        .bind(collection)
                        .bind(name)
                        .execute(&mut *tx)
                        .await?;
                    record_change(&mut tx, collection, name, true, now).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn object_properties(&self, object_id: i64) -> Result<Vec<(String, String)>> {
                    let _t = OpTimer::start("object_properties");
                    Ok(properties(&self.pool, "object_properties", "object_id", object_id).await?)
                }

                async fn patch_object(&self, object_id: i64, changes: &[PropertyChange]) -> Result<()> {
                    let _t = OpTimer::start("patch_object");
                    let mut tx = self.write_tx().await?;
                    apply_changes(&mut tx, "object_properties", "object_id", object_id, changes).await?;
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
                         o.revision AS o_revision \
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
            }
        }
    };
}

pub(crate) use sql_resource_store;
