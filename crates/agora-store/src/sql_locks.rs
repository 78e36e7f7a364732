//! WebDAV locks (RFC 4918 §6, §7) in the SQL both backends share: finding,
//! taking, refreshing and dropping them. Writes check them through `write_sql!`'s
//! `WriteRules`; `lock_sql!` implements [`crate::LockStore`] inside
//! `sql_resource_store!`.

/// Implements [`crate::LockStore`] for one backend inside `sql_resource_store!`.
macro_rules! lock_sql {
    ($store:ty) => {
        mod lock_sql {
            use super::*;

            #[async_trait::async_trait]
            impl crate::LockStore for $store {
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

pub(crate) use lock_sql;
