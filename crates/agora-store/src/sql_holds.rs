//! Legal holds in the SQL both backends share. `hold_sql!` implements
//! [`crate::HoldStore`] inside `sql_resource_store!`; the purge that honours
//! them is in `sql_trash`.

/// Implements [`crate::HoldStore`] for one backend inside `sql_resource_store!`.
macro_rules! hold_sql {
    ($store:ty) => {
        mod hold_sql {
            use super::*;
            use crate::records::{Hold, HoldScope};

            fn hold_from_row(row: &DbRow) -> Result<Hold, sqlx::Error> {
                let principal: Option<i64> = row.try_get("principal_id")?;
                let path: Option<String> = row.try_get("path")?;
                let scope = match (principal, path) {
                    (Some(id), _) => HoldScope::Principal(id),
                    (None, Some(path)) => HoldScope::Path(path),
                    (None, None) => return Err(sqlx::Error::Decode("a hold on nothing".into())),
                };
                Ok(Hold {
                    id: row.try_get("id")?,
                    scope,
                    reason: row.try_get("reason")?,
                    placed_by: row.try_get("placed_by")?,
                    placed_at: row.try_get("placed_at")?,
                })
            }

            #[async_trait::async_trait]
            impl crate::HoldStore for $store {
                async fn place_hold(&self, scope: &HoldScope, reason: &str, placed_by: &str, now: i64) -> Result<Hold> {
                    let _t = OpTimer::start("place_hold");
                    let (principal, path) = match scope {
                        HoldScope::Principal(id) => (Some(*id), None),
                        HoldScope::Path(p) => (None, Some(p.as_str())),
                    };
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO holds (principal_id, path, reason, placed_by, placed_at) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(principal)
                    .bind(path)
                    .bind(reason)
                    .bind(placed_by)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(Hold {
                        id,
                        scope: scope.clone(),
                        reason: reason.to_owned(),
                        placed_by: placed_by.to_owned(),
                        placed_at: now,
                    })
                }

                async fn holds(&self) -> Result<Vec<Hold>> {
                    let _t = OpTimer::start("holds");
                    let rows = sqlx::query(
                        "SELECT id, principal_id, path, reason, placed_by, placed_at FROM holds ORDER BY id",
                    )
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(hold_from_row).collect::<Result<_, _>>()?)
                }

                async fn lift_hold(&self, id: i64) -> Result<bool> {
                    let _t = OpTimer::start("lift_hold");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("DELETE FROM holds WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }
            }
        }
    };
}

pub(crate) use hold_sql;
