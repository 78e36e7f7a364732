//! The audit log in the SQL both backends share: one INSERT per action, on the
//! acting write's own transaction when there is one (so a write and its row
//! commit or vanish together), and filtered reads. Nothing here updates or
//! deletes a row. `audit_sql!` implements [`crate::AuditStore`] inside
//! `sql_resource_store!`.

/// Implements [`crate::AuditStore`] for one backend inside `sql_resource_store!`.
macro_rules! audit_sql {
    ($store:ty) => {
        mod audit_sql {
            use super::*;
            use crate::records::{AuditContext, AuditEntry, AuditFilter, owner_in_path};

            /// Appends a row on an open connection or transaction.
            pub(super) async fn record(
                conn: &mut Conn,
                context: &AuditContext,
                action: &str,
                detail: Option<&str>,
                now: i64,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(
                    "INSERT INTO audit_log (at, actor_id, actor, action, target, owner, detail, address, client) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(now)
                .bind(context.actor_id)
                .bind(&context.actor)
                .bind(action)
                .bind(&context.target)
                .bind(owner_in_path(&context.target))
                .bind(detail)
                .bind(context.address.as_deref())
                .bind(context.client.as_deref())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            fn entry_from_row(row: &DbRow) -> Result<AuditEntry, sqlx::Error> {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    context: AuditContext {
                        actor_id: row.try_get("actor_id")?,
                        actor: row.try_get("actor")?,
                        target: row.try_get("target")?,
                        address: row.try_get("address")?,
                        client: row.try_get("client")?,
                    },
                    action: row.try_get("action")?,
                    owner: row.try_get("owner")?,
                    detail: row.try_get("detail")?,
                })
            }

            #[async_trait::async_trait]
            impl crate::AuditStore for $store {
                async fn append_audit(
                    &self,
                    context: &AuditContext,
                    action: &str,
                    detail: Option<&str>,
                    now: i64,
                ) -> Result<()> {
                    let _t = OpTimer::start("append_audit");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    record(&mut tx, context, action, detail, now).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
                    let _t = OpTimer::start("audit");
                    // Each condition is written so that a NULL parameter lets every
                    // row through: one statement text whatever the filter.
                    let rows = sqlx::query(
                        "SELECT id, at, actor_id, actor, action, target, owner, detail, address, client FROM audit_log \
                         WHERE ($1 IS NULL OR at >= $1) AND ($2 IS NULL OR at < $2) AND ($3 IS NULL OR actor = $3) \
                         AND ($4 IS NULL OR owner = $4) AND ($5 IS NULL OR action = $5) \
                         AND ($6 IS NULL OR substr(target, 1, length($6)) = $6) AND ($7 IS NULL OR id > $7) \
                         ORDER BY id LIMIT $8",
                    )
                    .bind(filter.since)
                    .bind(filter.until)
                    .bind(filter.actor.as_deref())
                    .bind(filter.owner.as_deref())
                    .bind(filter.action.as_deref())
                    .bind(filter.path_prefix.as_deref())
                    .bind(filter.after)
                    .bind(filter.limit.unwrap_or(i64::MAX))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.iter().map(entry_from_row).collect::<Result<_, _>>()?)
                }
            }
        }
    };
}

pub(crate) use audit_sql;
