//! The object SQL both backends share: reading members (by name, by time range
//! through spans and instance pieces), the background indexing and
//! classification passes, PUT and DELETE (on `write_sql!`'s `put_in` and
//! `delete_in`) and objects' dead properties. `object_sql!` implements
//! [`crate::ObjectStore`] inside `sql_resource_store!`.

/// Implements [`crate::ObjectStore`] for one backend inside `sql_resource_store!`.
macro_rules! object_sql {
    ($store:ty) => {
        mod object_sql {
            use super::*;

            /// Objects of the collections whose span meets `[start, end]`, ordered by
            /// collection and name: three index ranges instead of one filtered walk
            /// of each collection — undated objects, open-ended ones that start
            /// before the window ends, and those that end after it starts.
            pub(crate) async fn objects_spanning(
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

            #[async_trait::async_trait]
            impl crate::ObjectStore for $store {
                async fn objects_in_span_of(
                    &self,
                    collections: &[CollectionId],
                    start: Option<i64>,
                    end: Option<i64>,
                ) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_in_span_of");
                    objects_spanning(&mut *self.pool.acquire().await?, collections, start, end).await
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
                    end_rules(&mut tx, rules, outcome.created, used, if outcome.created { "create" } else { "change" }, now).await?;
                    tx.commit().await?;
                    Ok(outcome)
                }

                async fn write_objects(
                    &self,
                    collection: CollectionId,
                    puts: &[(String, NewObject)],
                    deletes: &[String],
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("write_objects");
                    let (mut tx, _w) = self.write_tx(Scope::Objects(&[collection])).await?;
                    for name in deletes {
                        delete_in(&mut tx, collection, name, &WriteCondition::Always, now).await?;
                    }
                    for (name, object) in puts {
                        put_in(&mut tx, collection, name, object, &WriteCondition::Always, now).await?;
                    }
                    tx.commit().await?;
                    Ok(())
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
                    // Copied to the trash first: a failed condition rolls both back.
                    if rules.trash {
                        super::trash_sql::keep_object(&mut tx, collection, name, rules.principal, now).await?;
                    }
                    let deleted = delete_in(&mut tx, collection, name, condition, now).await?;
                    if deleted {
                        end_rules(&mut tx, rules, true, used, "delete", now).await?;
                        tx.commit().await?;
                    }
                    Ok(deleted)
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
                    end_rules(&mut tx, rules, false, used, "change-properties", now).await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        }
    };
}

pub(crate) use object_sql;
