//! Collections offered to others, in the SQL both backends share: shares to
//! principals (their answers, their mounts in the sharee's home, the sharee's own
//! properties) and publication under a secret token. `sharing_sql!` implements
//! [`crate::SharingStore`] inside `sql_resource_store!`.

/// Implements [`crate::SharingStore`] for one backend inside `sql_resource_store!`.
macro_rules! sharing_sql {
    ($store:ty) => {
        mod sharing_sql {
            use super::*;

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

            #[async_trait::async_trait]
            impl crate::SharingStore for $store {
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
                    end_rules(&mut tx, rules, false, used, "change-properties", now).await?;
                    tx.commit().await?;
                    Ok(())
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
            }
        }
    };
}

pub(crate) use sharing_sql;
