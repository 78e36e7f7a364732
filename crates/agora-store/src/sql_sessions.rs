//! The session and preference SQL both backends share; `sql_session_store!`
//! implements [`crate::SessionStore`] for a backend. These tables feed no
//! cache (every lookup reads the row), so writes take `Scope::Nothing`.

macro_rules! sql_session_store {
    ($store:ty, $db:ty) => {
        mod session_sql {
            use super::*;
            use crate::session_api::*;
            use crate::timing::OpTimer;
            use sqlx::Row;

            const COLUMNS: &str = "token_hash, principal_id, csrf, auth_epoch, created_at, last_seen, expires_at";

            fn session_from_row(row: &<$db as sqlx::Database>::Row) -> Result<StoredSession, sqlx::Error> {
                Ok(StoredSession {
                    token_hash: row.try_get("token_hash")?,
                    principal_id: row.try_get("principal_id")?,
                    csrf: row.try_get("csrf")?,
                    auth_epoch: row.try_get("auth_epoch")?,
                    created_at: row.try_get("created_at")?,
                    last_seen: row.try_get("last_seen")?,
                    expires_at: row.try_get("expires_at")?,
                })
            }

            #[async_trait::async_trait]
            impl SessionStore for $store {
                async fn insert_session(&self, s: &StoredSession) -> Result<()> {
                    let _t = OpTimer::start("insert_session");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    sqlx::query(&format!("INSERT INTO web_sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
                        .bind(&s.token_hash)
                        .bind(s.principal_id)
                        .bind(&s.csrf)
                        .bind(s.auth_epoch)
                        .bind(s.created_at)
                        .bind(s.last_seen)
                        .bind(s.expires_at)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionLookup>> {
                    let _t = OpTimer::start("session");
                    let row = sqlx::query(
                        "SELECT s.token_hash, s.principal_id, s.csrf, s.auth_epoch, s.created_at, s.last_seen, \
                         s.expires_at, p.name, p.auth_epoch AS current_epoch \
                         FROM web_sessions s JOIN principals p ON p.id = s.principal_id \
                         WHERE s.token_hash = $1 AND s.expires_at > $2",
                    )
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    Ok(Some(SessionLookup {
                        session: session_from_row(&row)?,
                        name: row.try_get("name")?,
                        current_epoch: row.try_get("current_epoch")?,
                    }))
                }

                async fn touch_session(&self, token_hash: &str, last_seen: i64, expires_at: i64) -> Result<bool> {
                    let _t = OpTimer::start("touch_session");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("UPDATE web_sessions SET last_seen = $2, expires_at = $3 WHERE token_hash = $1")
                        .bind(token_hash)
                        .bind(last_seen)
                        .bind(expires_at)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_session(&self, token_hash: &str) -> Result<bool> {
                    let _t = OpTimer::start("delete_session");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_sessions_of(&self, principal_id: PrincipalId) -> Result<u64> {
                    let _t = OpTimer::start("delete_sessions_of");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("DELETE FROM web_sessions WHERE principal_id = $1")
                        .bind(principal_id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }

                async fn purge_sessions(&self, now: i64) -> Result<u64> {
                    let _t = OpTimer::start("purge_sessions");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected())
                }

                async fn preferences(&self, principal_id: PrincipalId) -> Result<Option<String>> {
                    let _t = OpTimer::start("preferences");
                    Ok(sqlx::query_scalar("SELECT json FROM web_preferences WHERE principal_id = $1")
                        .bind(principal_id)
                        .fetch_optional(&self.pool)
                        .await?)
                }

                async fn set_preferences(&self, principal_id: PrincipalId, json: &str, now: i64) -> Result<()> {
                    let _t = OpTimer::start("set_preferences");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    sqlx::query(
                        "INSERT INTO web_preferences (principal_id, json, modified_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (principal_id) DO UPDATE SET json = excluded.json, modified_at = excluded.modified_at",
                    )
                    .bind(principal_id)
                    .bind(json)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn oidc_link(&self, issuer: &str, subject: &str) -> Result<Option<PrincipalId>> {
                    let _t = OpTimer::start("oidc_link");
                    Ok(sqlx::query_scalar("SELECT principal_id FROM oidc_links WHERE issuer = $1 AND subject = $2")
                        .bind(issuer)
                        .bind(subject)
                        .fetch_optional(&self.pool)
                        .await?)
                }

                async fn set_oidc_link(&self, issuer: &str, subject: &str, principal_id: PrincipalId, now: i64) -> Result<()> {
                    let _t = OpTimer::start("set_oidc_link");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    sqlx::query(
                        "INSERT INTO oidc_links (issuer, subject, principal_id, created_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (issuer, subject) DO UPDATE SET principal_id = excluded.principal_id, \
                         created_at = excluded.created_at",
                    )
                    .bind(issuer)
                    .bind(subject)
                    .bind(principal_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn insert_profile_link(
                    &self,
                    token_hash: &str,
                    principal_id: PrincipalId,
                    expires_at: i64,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("insert_profile_link");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    sqlx::query("DELETE FROM profile_links WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO profile_links (token_hash, principal_id, expires_at) VALUES ($1, $2, $3)")
                        .bind(token_hash)
                        .bind(principal_id)
                        .bind(expires_at)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn take_profile_link(&self, token_hash: &str, now: i64) -> Result<Option<PrincipalId>> {
                    let _t = OpTimer::start("take_profile_link");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    // One statement: two concurrent uses cannot both see the row.
                    let row: Option<(PrincipalId, i64)> = sqlx::query_as(
                        "DELETE FROM profile_links WHERE token_hash = $1 RETURNING principal_id, expires_at",
                    )
                    .bind(token_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(row.filter(|(_, expires_at)| *expires_at > now).map(|(id, _)| id))
                }
            }
        }
    };
}

pub(crate) use sql_session_store;
