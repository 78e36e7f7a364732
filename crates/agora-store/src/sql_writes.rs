//! The writes both backends share on an open write transaction: putting and
//! deleting an object (the whole of PUT and DELETE, also used by bookings), and
//! the [`crate::WriteRules`] every client write checks before it commits —
//! locks (RFC 4918 §7) and quota (RFC 4331), read on the same transaction so
//! that nothing can land between the check and the write.

/// Implements them for one backend inside `sql_resource_store!`.
macro_rules! write_sql {
    ($db:ty) => {
        mod write_sql {
            use super::*;

            /// The unexpired locks rooted at any of `roots`, or below `below`.
            pub(super) async fn locks_at(
                conn: &mut Conn,
                roots: &[String],
                below: &[String],
                now: i64,
            ) -> Result<Vec<Lock>, sqlx::Error> {
                let mut sql = format!(
                    "SELECT token, path, depth_infinity, exclusive, owner_xml, principal_id, timeout_secs, expires_at \
                     FROM locks WHERE expires_at > $1 AND (path IN ({})",
                    placeholders(2, roots.len())
                );
                let mut next = roots.len() + 2;
                for _ in below {
                    sql.push_str(&format!(" OR substr(path, 1, CAST(${} AS INTEGER)) = ${}", next, next + 1));
                    next += 2;
                }
                sql.push(')');
                let mut q = sqlx::query(&sql).bind(now);
                for r in roots {
                    q = q.bind(r);
                }
                for b in below {
                    let prefix = if b.ends_with('/') { b.clone() } else { format!("{b}/") };
                    q = q.bind(prefix.chars().count() as i64).bind(prefix);
                }
                let rows = q.fetch_all(&mut *conn).await?;
                rows.iter().map(lock_from_row).collect()
            }

            /// Bytes of the objects in `owner`'s collections.
            pub(super) async fn usage_in(conn: &mut Conn, owner: PrincipalId) -> Result<i64, sqlx::Error> {
                let used: Option<i64> = sqlx::query_scalar(
                    "SELECT CAST(SUM(o.size) AS BIGINT) FROM objects o JOIN collections c ON o.collection_id = c.id \
                     WHERE c.owner_id = $1",
                )
                .bind(owner)
                .fetch_one(&mut *conn)
                .await?;
                Ok(used.unwrap_or(0))
            }

            /// The first half of [`WriteRules`], at the start of a write
            /// transaction: wait for LOCKs of the paths it touches and for other
            /// writes against the same quota (a no-op where the backend already
            /// serialises writes), and read the usage the quota is checked against.
            pub(super) async fn begin_rules(conn: &mut Conn, rules: &WriteRules) -> Result<Option<i64>> {
                let keys = path_keys(rules.locks.iter().map(|l| l.path.as_str()));
                super::serialize(conn, &keys, false).await?;
                match &rules.quota {
                    Some(q) => {
                        super::serialize(conn, &[owner_key(q.owner)], true).await?;
                        Ok(Some(usage_in(conn, q.owner).await?))
                    }
                    None => Ok(None),
                }
            }

            /// The second half, after the write and before the commit: every lock
            /// on what it touched has its token submitted by its owner (membership
            /// checks only when a member was added or removed), the quota holds
            /// unless the write did not grow the owner's usage, and the audit log
            /// gets its row (`action`: what the write did) in the same transaction.
            pub(super) async fn end_rules(
                conn: &mut Conn,
                rules: &WriteRules,
                membership_changed: bool,
                used_before: Option<i64>,
                action: &str,
                now: i64,
            ) -> Result<()> {
                let checks: Vec<&LockCheck> =
                    rules.locks.iter().filter(|c| membership_changed || !c.membership).collect();
                if !checks.is_empty() {
                    let roots: Vec<String> = checks.iter().flat_map(|c| lock_roots(&c.path)).collect();
                    let below: Vec<String> = checks.iter().filter(|c| c.recursive).map(|c| c.path.clone()).collect();
                    let mut blocking: Vec<String> = Vec::new();
                    for lock in locks_at(conn, &roots, &below, now).await? {
                        let applies = checks.iter().any(|c| {
                            lock.covers(&c.path) || (c.recursive && lock.path.starts_with(&c.path))
                        });
                        let passed = rules.tokens.contains(&lock.token) && rules.principal == Some(lock.principal_id);
                        if applies && !passed && !blocking.contains(&lock.path) {
                            blocking.push(lock.path);
                        }
                    }
                    if !blocking.is_empty() {
                        return Err(StoreError::Locked(blocking));
                    }
                }
                if let (Some(q), Some(before)) = (&rules.quota, used_before) {
                    let after = usage_in(conn, q.owner).await?;
                    if after > before && after > q.limit {
                        return Err(StoreError::QuotaExceeded);
                    }
                }
                if let Some(context) = &rules.audit {
                    super::audit_sql::record(conn, context, action, None, now).await?;
                }
                Ok(())
            }

            /// Writes an object on an open write transaction: the checks of
            /// `condition` and of the UID, the row, its instance index, the change
            /// row and the collection's revision. `put_object` and bookings share it.
            pub(crate) async fn put_in(
                conn: &mut Conn,
                collection: CollectionId,
                name: &str,
                object: &NewObject,
                condition: &WriteCondition,
                now: i64,
            ) -> Result<PutOutcome> {
                // Both checks in one statement (each is a thread hop on SQLite, a
                // round trip on PostgreSQL, made holding the write lock): the object
                // at `name`, and another with the same UID (no UID without a row).
                let found = sqlx::query(
                    "SELECT id, name, etag, created_at, schedule_tag, uid FROM objects WHERE collection_id = $1 AND name = $2 \
                     UNION ALL SELECT id, name, etag, created_at, schedule_tag, uid FROM objects \
                     WHERE collection_id = $1 AND uid = $3 AND name <> $2",
                )
                .bind(collection)
                .bind(name)
                .bind(object.uid.as_deref())
                .fetch_all(&mut *conn)
                .await?;
                let (mut current, mut other) = (None, None);
                for row in found {
                    if row.try_get::<&str, _>("name")? == name {
                        current = Some(row);
                    } else {
                        other = Some(row.try_get::<String, _>("name")?);
                    }
                }
                let current_etag: Option<String> = current.as_ref().map(|r| r.try_get("etag")).transpose()?;
                let current_tag: Option<String> =
                    current.as_ref().map(|r| r.try_get("schedule_tag")).transpose()?.flatten();
                if !condition.allows(current_etag.as_deref()) || !condition.allows_schedule_tag(current_tag.as_deref()) {
                    return Err(StoreError::PreconditionFailed);
                }
                if let Some(other) = other {
                    return Err(StoreError::Conflict(Conflict::Uid(other)));
                }
                let current_uid: Option<String> = current.as_ref().map(|r| r.try_get("uid")).transpose()?.flatten();
                if crate::sql_writes::replaces_uid(current_uid.as_deref(), object.uid.as_deref()) {
                    return Err(StoreError::Conflict(Conflict::UidChange(name.to_owned())));
                }
                let revision = record_change(conn, collection, name, false, now).await?;
                let size = object.data.len() as i64;
                let (id, created_at) = match &current {
                    Some(row) => {
                        let id: i64 = row.try_get("id")?;
                        let (inst_from, inst_to, inst_whole, inst_exact) = instance_sql::columns(object.instances.as_ref());
                        sqlx::query(
                            "UPDATE objects SET uid = $2, etag = $3, content_type = $4, data = $5, component = $6, \
                             span_start = $7, span_end = $8, size = $9, modified_at = $10, revision = $11, class = $12, schedule_tag = $13, \
                             inst_from = $14, inst_to = $15, inst_whole = $16, inst_exact = $17 WHERE id = $1",
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
                        .bind(object.class)
                        .bind(object.schedule_tag.as_deref())
                        .bind(inst_from)
                        .bind(inst_to)
                        .bind(inst_whole)
                        .bind(inst_exact)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| StoreError::from_unique(e, Conflict::Uid(String::new())))?;
                        instance_sql::write(conn, id, collection, object.instances.as_ref(), true).await?;
                        (id, row.try_get("created_at")?)
                    }
                    None => (insert_object(conn, collection, name, object, now, revision).await?, now),
                };
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
                        class: object.class,
                        schedule_tag: object.schedule_tag.clone(),
                    },
                })
            }

            /// Deletes an object on an open write transaction (condition, row,
            /// change row, revision); returns whether it existed.
            pub(crate) async fn delete_in(
                conn: &mut Conn,
                collection: CollectionId,
                name: &str,
                condition: &WriteCondition,
                now: i64,
            ) -> Result<bool> {
                let current = sqlx::query("SELECT etag, schedule_tag FROM objects WHERE collection_id = $1 AND name = $2")
                    .bind(collection)
                    .bind(name)
                    .fetch_optional(&mut *conn)
                    .await?;
                let etag: Option<String> = current.as_ref().map(|r| r.try_get("etag")).transpose()?;
                let tag: Option<String> = current.as_ref().map(|r| r.try_get("schedule_tag")).transpose()?.flatten();
                if !condition.allows(etag.as_deref()) || !condition.allows_schedule_tag(tag.as_deref()) {
                    return Err(StoreError::PreconditionFailed);
                }
                if etag.is_none() {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM objects WHERE collection_id = $1 AND name = $2")
                    .bind(collection)
                    .bind(name)
                    .execute(&mut *conn)
                    .await?;
                record_change(conn, collection, name, true, now).await?;
                Ok(true)
            }
        }
    };
}

pub(crate) use write_sql;

/// Whether writing an object with UID `new` where one with UID `old` is stored
/// changes the UID. RFC 4791 §5.3.2.1 and RFC 6352 §6.3.2.1 let a UID stay with
/// its resource: replacing it by another is refused with `no-uid-conflict`, for
/// PUT and for COPY and MOVE with Overwrite alike (plain objects have no UID).
pub(crate) fn replaces_uid(old: Option<&str>, new: Option<&str>) -> bool {
    matches!((old, new), (Some(old), Some(new)) if old != new)
}
