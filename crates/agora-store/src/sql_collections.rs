//! The collection SQL both backends share: the tree of collections (with the
//! mounts of accepted shares seen inside a sharee's home), their dead properties,
//! their change log and the bytes their owner stores. `collection_sql!` implements
//! [`crate::CollectionStore`] inside `sql_resource_store!`.

/// Implements [`crate::CollectionStore`] for one backend inside `sql_resource_store!`.
macro_rules! collection_sql {
    ($store:ty, $db:ty) => {
        mod collection_sql {
            use super::*;

            /// A mount: the shared collection's row, seen at the sharee's path.
            fn mount_from_row(row: &DbRow) -> Result<Collection, sqlx::Error> {
                let mut c = collection_from_row(row)?;
                c.path = row.try_get("mount_path")?;
                c.parent_id = row.try_get("mount_parent")?;
                c.share_id = Some(row.try_get("share_id")?);
                Ok(c)
            }

            pub(super) async fn insert_collection(
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
            impl crate::CollectionStore for $store {
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
                    end_rules(&mut tx, rules, true, used, "create-collection", now).await?;
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

                async fn subscribed_collections(&self) -> Result<Vec<Collection>> {
                    let _t = OpTimer::start("subscribed_collections");
                    let rows = sqlx::query(&format!(
                        "SELECT {COLLECTION_COLUMNS} FROM collections WHERE source LIKE 'http%' ORDER BY path"
                    ))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(collection_from_row).collect::<Result<_, _>>()?)
                }

                async fn set_feed_status(&self, id: CollectionId, at: i64, error: Option<&str>) -> Result<()> {
                    let _t = OpTimer::start("set_feed_status");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    // A calendar deleted while its feed was fetched has no status to keep.
                    sqlx::query(
                        "INSERT INTO feed_status (collection_id, fetched_at, error) \
                         SELECT id, $2, $3 FROM collections WHERE id = $1 \
                         ON CONFLICT (collection_id) DO UPDATE SET fetched_at = excluded.fetched_at, error = excluded.error",
                    )
                    .bind(id)
                    .bind(at)
                    .bind(error)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn feed_status(&self, id: CollectionId) -> Result<Option<(i64, Option<String>)>> {
                    let _t = OpTimer::start("feed_status");
                    Ok(sqlx::query_as("SELECT fetched_at, error FROM feed_status WHERE collection_id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?)
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
                    if rules.trash {
                        super::trash_sql::keep_collection(&mut tx, &path, rules.principal, now).await?;
                    }
                    sqlx::query("DELETE FROM collections WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    if let Some(parent) = parent {
                        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
                        record_change(&mut tx, parent, &format!("{name}/"), true, now).await?;
                    }
                    end_rules(&mut tx, rules, true, used, "delete-collection", now).await?;
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
                    end_rules(&mut tx, rules, false, used, "change-properties", now).await?;
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

                async fn collection_by_id(&self, id: CollectionId) -> Result<Option<Collection>> {
                    let _t = OpTimer::start("collection_by_id");
                    let row = sqlx::query(&format!("SELECT {COLLECTION_COLUMNS} FROM collections WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    Ok(row.as_ref().map(collection_from_row).transpose()?)
                }
            }
        }
    };
}

pub(crate) use collection_sql;
