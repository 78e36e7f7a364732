//! COPY and MOVE (RFC 4918 §9.8, §9.9) in the SQL both backends share: of one
//! object, and of a collection with its members and sub-collections, each in one
//! write transaction that also frees the destination. `transfer_sql!` implements
//! [`crate::TransferStore`] inside `sql_resource_store!`.

/// Implements [`crate::TransferStore`] for one backend inside `sql_resource_store!`.
macro_rules! transfer_sql {
    ($store:ty) => {
        mod transfer_sql {
            use super::*;

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

            #[async_trait::async_trait]
            impl crate::TransferStore for $store {
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
                    end_rules(&mut tx, rules, true, used, if delete_source { "move" } else { "copy" }, now).await?;
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
                    end_rules(&mut tx, rules, true, used, "move-collection", now).await?;
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
                    end_rules(&mut tx, rules, true, used, "copy-collection", now).await?;
                    tx.commit().await?;
                    Ok(replaced)
                }
            }
        }
    };
}

pub(crate) use transfer_sql;
