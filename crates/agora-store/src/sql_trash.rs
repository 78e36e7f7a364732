//! The trash in the SQL both backends share. A deletion copies what it removes
//! here on its own transaction (`keep_object`, `keep_collection`, called by
//! `delete_object` and `delete_collection` when [`crate::WriteRules::trash`]);
//! `trash_sql!` implements [`crate::TrashStore`] (list, read, restore, purge)
//! inside `sql_resource_store!`. The bytes move with INSERT … SELECT, never
//! through the process.

/// Implements [`crate::TrashStore`] for one backend inside `sql_resource_store!`.
macro_rules! trash_sql {
    ($store:ty) => {
        mod trash_sql {
            use super::*;
            use crate::records::{TrashContent, TrashEntry, TrashedCollection, TrashedObject};

            fn encode(props: &[(String, String)]) -> String {
                serde_json::to_string(props).unwrap_or_else(|_| "[]".into())
            }

            fn decode(text: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
                serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(format!("trashed properties: {e}").into()))
            }

            async fn new_entry(
                conn: &mut Conn,
                owner: PrincipalId,
                collection_entry: bool,
                path: &str,
                size: i64,
                by: Option<PrincipalId>,
                now: i64,
            ) -> Result<i64, sqlx::Error> {
                sqlx::query_scalar(
                    "INSERT INTO trash (owner_id, kind, path, size, deleted_at, deleted_by) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(owner)
                .bind(if collection_entry { "collection" } else { "object" })
                .bind(path)
                .bind(size)
                .bind(now)
                .bind(by)
                .fetch_one(&mut *conn)
                .await
            }

            /// Copies the dead properties of `collection`'s objects (rare: most
            /// have none) onto their trashed rows.
            async fn keep_object_properties(
                conn: &mut Conn,
                entry: i64,
                rel_path: &str,
                collection: CollectionId,
                only: Option<&str>,
            ) -> Result<(), sqlx::Error> {
                let rows = sqlx::query(
                    "SELECT o.name AS object, p.name, p.xml FROM object_properties p JOIN objects o ON o.id = p.object_id \
                     WHERE o.collection_id = $1 AND ($2 IS NULL OR o.name = $2) ORDER BY o.name, p.name",
                )
                .bind(collection)
                .bind(only)
                .fetch_all(&mut *conn)
                .await?;
                let mut by_object: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
                for row in rows {
                    by_object.entry(row.try_get("object")?).or_default().push((row.try_get("name")?, row.try_get("xml")?));
                }
                for (name, props) in by_object {
                    sqlx::query("UPDATE trash_objects SET properties = $4 WHERE trash_id = $1 AND rel_path = $2 AND name = $3")
                        .bind(entry)
                        .bind(rel_path)
                        .bind(name)
                        .bind(encode(&props))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            /// Copies one object into a new trash entry (nothing when it is absent).
            pub(super) async fn keep_object(
                conn: &mut Conn,
                collection: CollectionId,
                name: &str,
                by: Option<PrincipalId>,
                now: i64,
            ) -> Result<(), sqlx::Error> {
                let row = sqlx::query(
                    "SELECT c.owner_id, c.path, o.size FROM objects o JOIN collections c ON c.id = o.collection_id \
                     WHERE o.collection_id = $1 AND o.name = $2",
                )
                .bind(collection)
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else { return Ok(()) };
                let path: String = row.try_get("path")?;
                let entry =
                    new_entry(conn, row.try_get("owner_id")?, false, &format!("{path}{name}"), row.try_get("size")?, by, now)
                        .await?;
                sqlx::query(
                    "INSERT INTO trash_objects (trash_id, rel_path, name, content_type, data, properties) \
                     SELECT $1, '', name, content_type, data, '[]' FROM objects WHERE collection_id = $2 AND name = $3",
                )
                .bind(entry)
                .bind(collection)
                .bind(name)
                .execute(&mut *conn)
                .await?;
                keep_object_properties(conn, entry, "", collection, Some(name)).await
            }

            /// Copies a collection, the collections below it and all their
            /// objects into a new trash entry.
            pub(super) async fn keep_collection(
                conn: &mut Conn,
                path: &str,
                by: Option<PrincipalId>,
                now: i64,
            ) -> Result<(), sqlx::Error> {
                let tree = sqlx::query(&format!(
                    "SELECT {COLLECTION_COLUMNS} FROM collections WHERE substr(path, 1, length($1)) = $1 ORDER BY path"
                ))
                .bind(path)
                .fetch_all(&mut *conn)
                .await?;
                let tree: Vec<Collection> = tree.iter().map(collection_from_row).collect::<Result<_, _>>()?;
                let Some(root) = tree.first() else { return Ok(()) };
                let size: Option<i64> = sqlx::query_scalar(
                    "SELECT CAST(SUM(o.size) AS BIGINT) FROM objects o JOIN collections c ON c.id = o.collection_id \
                     WHERE substr(c.path, 1, length($1)) = $1",
                )
                .bind(path)
                .fetch_one(&mut *conn)
                .await?;
                let entry = new_entry(conn, root.owner_id, true, path, size.unwrap_or(0), by, now).await?;
                for c in &tree {
                    let rel = &c.path[path.len()..];
                    let props = sqlx::query("SELECT name, xml FROM collection_properties WHERE collection_id = $1 ORDER BY name")
                        .bind(c.id)
                        .fetch_all(&mut *conn)
                        .await?
                        .iter()
                        .map(|r| Ok((r.try_get("name")?, r.try_get("xml")?)))
                        .collect::<Result<Vec<(String, String)>, sqlx::Error>>()?;
                    sqlx::query(
                        "INSERT INTO trash_collections (trash_id, rel_path, kind, components, source, properties) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(entry)
                    .bind(rel)
                    .bind(c.kind.as_str())
                    .bind(c.components.0)
                    .bind(&c.source)
                    .bind(encode(&props))
                    .execute(&mut *conn)
                    .await?;
                    sqlx::query(
                        "INSERT INTO trash_objects (trash_id, rel_path, name, content_type, data, properties) \
                         SELECT $1, $2, name, content_type, data, '[]' FROM objects WHERE collection_id = $3",
                    )
                    .bind(entry)
                    .bind(rel)
                    .bind(c.id)
                    .execute(&mut *conn)
                    .await?;
                    keep_object_properties(conn, entry, rel, c.id, None).await?;
                }
                Ok(())
            }

            fn entry_from_row(row: &DbRow) -> Result<TrashEntry, sqlx::Error> {
                Ok(TrashEntry {
                    id: row.try_get("id")?,
                    owner_id: row.try_get("owner_id")?,
                    is_collection: row.try_get::<&str, _>("kind")? == "collection",
                    path: row.try_get("path")?,
                    size: row.try_get("size")?,
                    deleted_at: row.try_get("deleted_at")?,
                    deleted_by: row.try_get("deleted_by")?,
                })
            }

            const ENTRY_COLUMNS: &str = "id, owner_id, kind, path, size, deleted_at, deleted_by";

            /// Removes a restored entry; fails when it is gone (a concurrent
            /// restore or purge won), so that nothing is restored twice.
            async fn take_entry(conn: &mut Conn, entry: i64) -> Result<()> {
                let done = sqlx::query("DELETE FROM trash WHERE id = $1").bind(entry).execute(&mut *conn).await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::PreconditionFailed);
                }
                Ok(())
            }

            #[async_trait::async_trait]
            impl crate::TrashStore for $store {
                async fn trash_of(&self, owner: PrincipalId) -> Result<Vec<TrashEntry>> {
                    let _t = OpTimer::start("trash_of");
                    let rows = sqlx::query(&format!(
                        "SELECT {ENTRY_COLUMNS} FROM trash WHERE owner_id = $1 ORDER BY deleted_at DESC, id DESC"
                    ))
                    .bind(owner)
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(entry_from_row).collect::<Result<_, _>>()?)
                }

                async fn trash_content(&self, id: i64) -> Result<Option<TrashContent>> {
                    let _t = OpTimer::start("trash_content");
                    let mut conn = self.pool.acquire().await?;
                    let row = sqlx::query(&format!("SELECT {ENTRY_COLUMNS} FROM trash WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some(row) = row else { return Ok(None) };
                    let entry = entry_from_row(&row)?;
                    let collections = sqlx::query(
                        "SELECT rel_path, kind, components, source, properties FROM trash_collections \
                         WHERE trash_id = $1 ORDER BY rel_path",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(TrashedCollection {
                            rel_path: r.try_get("rel_path")?,
                            kind: decode_collection_kind(r.try_get::<&str, _>("kind")?)?,
                            components: Components(r.try_get("components")?),
                            source: r.try_get("source")?,
                            properties: decode(r.try_get::<&str, _>("properties")?)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    let objects = sqlx::query(
                        "SELECT rel_path, name, content_type, data, properties FROM trash_objects \
                         WHERE trash_id = $1 ORDER BY rel_path, name",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(TrashedObject {
                            rel_path: r.try_get("rel_path")?,
                            name: r.try_get("name")?,
                            content_type: r.try_get("content_type")?,
                            data: r.try_get("data")?,
                            properties: decode(r.try_get::<&str, _>("properties")?)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                    Ok(Some(TrashContent { entry, collections, objects }))
                }

                async fn restore_object(
                    &self,
                    entry: i64,
                    collection: CollectionId,
                    name: &str,
                    object: &NewObject,
                    properties: &[(String, String)],
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<PutOutcome> {
                    let _t = OpTimer::start("restore_object");
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    take_entry(&mut tx, entry).await?;
                    let outcome = put_in(&mut tx, collection, name, object, &WriteCondition::IfNoneMatchAny, now).await?;
                    for (prop, xml) in properties {
                        set_property(&mut tx, "object_properties", "object_id", outcome.meta.id, prop, xml).await?;
                    }
                    end_rules(&mut tx, rules, true, used, "restore", now).await?;
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn restore_collection(
                    &self,
                    entry: i64,
                    collections: &[NewCollection],
                    objects: &crate::RestoredObjects,
                    rules: &WriteRules,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("restore_collection");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    let used = begin_rules(&mut tx, rules).await?;
                    take_entry(&mut tx, entry).await?;
                    let mut ids: std::collections::HashMap<&str, CollectionId> = Default::default();
                    for new in collections {
                        let parent_path = new.parent_path.as_deref().unwrap_or_default();
                        let parent = collection_id_at(&mut tx, parent_path)
                            .await?
                            .ok_or_else(|| StoreError::Conflict(Conflict::NoParent(parent_path.to_owned())))?;
                        let id = super::collection_sql::insert_collection(&mut tx, new, Some(parent), now)
                            .await?
                            .ok_or_else(|| StoreError::Conflict(Conflict::Path(new.path.clone())))?;
                        record_change(&mut tx, parent, &format!("{}/", last_segment(&new.path)), false, now).await?;
                        ids.insert(new.path.as_str(), id);
                    }
                    for (path, name, object, properties) in objects {
                        let collection = *ids
                            .get(path.as_str())
                            .ok_or_else(|| StoreError::Conflict(Conflict::NoParent(path.clone())))?;
                        let outcome = put_in(&mut tx, collection, name, object, &WriteCondition::IfNoneMatchAny, now).await?;
                        for (prop, xml) in properties {
                            set_property(&mut tx, "object_properties", "object_id", outcome.meta.id, prop, xml).await?;
                        }
                    }
                    end_rules(&mut tx, rules, true, used, "restore", now).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn purge_trash(&self, before: i64, owner: Option<PrincipalId>, id: Option<i64>) -> Result<u64> {
                    let _t = OpTimer::start("purge_trash");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    // A hold on the owner, or on a collection path the entry lies
                    // in (or that lies in the entry: a held calendar deleted with
                    // its home's subtree), keeps it.
                    let done = sqlx::query(
                        "DELETE FROM trash WHERE deleted_at < $1 AND ($2 IS NULL OR owner_id = $2) AND ($3 IS NULL OR id = $3) \
                         AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.principal_id = trash.owner_id \
                           OR (h.path IS NOT NULL AND (substr(trash.path, 1, length(h.path)) = h.path \
                                                       OR substr(h.path, 1, length(trash.path)) = trash.path)))",
                    )
                    .bind(before)
                    .bind(owner)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }
            }
        }
    };
}

pub(crate) use trash_sql;
