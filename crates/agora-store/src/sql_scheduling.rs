//! The scheduling SQL both backends share; `sql_scheduling_store!` implements
//! [`crate::SchedulingStore`] for a backend that also provides `BOOKING_LOCK`,
//! the statement (if any) that serialises a resource's bookings inside a write
//! transaction.

macro_rules! sql_scheduling_store {
    ($store:ty, $db:ty) => {
        mod scheduling_sql {
            use super::*;
            use crate::resources::*;
            use crate::scheduling_api::*;
            use super::resource_sql::{delete_in, objects_spanning, put_in};
            use crate::sql_resources::{META_COLUMNS, placeholders};
            use crate::timing::OpTimer;
            use sqlx::Row;

            type DbRow = <$db as sqlx::Database>::Row;

            const MAIL_COLUMNS: &str = "id, created_at, next_attempt_at, attempts, status, envelope_from, recipient, \
                                        message, last_error, object_path, attendee";

            fn mail_from_row(row: &DbRow) -> Result<QueuedMail, sqlx::Error> {
                let status: String = row.try_get("status")?;
                Ok(QueuedMail {
                    id: row.try_get("id")?,
                    mail: NewMail {
                        envelope_from: row.try_get("envelope_from")?,
                        recipient: row.try_get("recipient")?,
                        message: row.try_get("message")?,
                        object_path: row.try_get("object_path")?,
                        attendee: row.try_get("attendee")?,
                    },
                    attempts: row.try_get("attempts")?,
                    status: MailStatus::parse(&status).ok_or_else(|| sqlx::Error::Decode("mail status".into()))?,
                    next_attempt_at: row.try_get("next_attempt_at")?,
                    last_error: row.try_get("last_error")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            /// The objects with this UID in any of these collections, oldest first.
            async fn with_uid(conn: &mut Conn, collections: &[CollectionId], uid: &str) -> Result<Vec<Object>> {
                if collections.is_empty() {
                    return Ok(Vec::new());
                }
                let sql = format!(
                    "SELECT {META_COLUMNS}, data FROM objects WHERE uid = $1 AND collection_id IN ({}) ORDER BY id",
                    placeholders(2, collections.len())
                );
                let mut q = sqlx::query(&sql).bind(uid);
                for id in collections {
                    q = q.bind(*id);
                }
                let rows = q.fetch_all(&mut *conn).await?;
                Ok(rows.iter().map(super::resource_sql::object_from_row).collect::<Result<_, _>>()?)
            }

            #[async_trait::async_trait]
            impl crate::SchedulingStore for $store {
                async fn objects_by_uid(&self, collections: &[CollectionId], uid: &str) -> Result<Vec<Object>> {
                    let _t = OpTimer::start("objects_by_uid");
                    if collections.is_empty() {
                        return Ok(Vec::new());
                    }
                    with_uid(&mut *self.pool.acquire().await?, collections, uid).await
                }

                async fn book(&self, booking: &Booking<'_>, decide: BookingRule<'_>, now: i64) -> Result<Booked> {
                    let _t = OpTimer::start("book");
                    // Holds the write lock on SQLite from here (BEGIN IMMEDIATE).
                    let (mut tx, _w) = self.write_tx(Scope::Objects(booking.calendars)).await?;
                    if let Some(lock) = Self::BOOKING_LOCK {
                        sqlx::query(lock).bind(booking.key).execute(&mut *tx).await?;
                    }
                    // Read after the lock: whatever booking committed before it is seen.
                    let copy = with_uid(&mut tx, booking.calendars, booking.uid).await?.into_iter().next();
                    let others: Vec<Object> = if booking.span.is_empty() {
                        Vec::new()
                    } else {
                        let (lo, hi) = (booking.span.start, booking.span.end);
                        objects_spanning(&mut tx, booking.calendars, Some(lo), Some(hi))
                            .await?
                            .into_iter()
                            .filter(|o| o.meta.uid.as_deref() != Some(booking.uid))
                            .collect()
                    };
                    let booked = match decide(&others) {
                        BookingDecision::Accept => {
                            let (collection, name, condition) = match &copy {
                                Some(o) => (
                                    o.meta.collection_id,
                                    o.meta.name.as_str(),
                                    WriteCondition::IfMatch(vec![o.meta.etag.clone()]),
                                ),
                                None => (booking.new_at.0, booking.new_at.1, WriteCondition::IfNoneMatchAny),
                            };
                            let put = put_in(&mut tx, collection, name, booking.accepted, &condition, now).await?;
                            Booked::Accepted(Box::new(put))
                        }
                        BookingDecision::Decline => {
                            let released = match &copy {
                                Some(o) => {
                                    delete_in(&mut tx, o.meta.collection_id, &o.meta.name, &WriteCondition::Always, now)
                                        .await?
                                }
                                None => false,
                            };
                            Booked::Declined { released }
                        }
                    };
                    tx.commit().await?;
                    Ok(booked)
                }

                async fn enqueue_mail(&self, mail: &NewMail, now: i64) -> Result<i64> {
                    let _t = OpTimer::start("enqueue_mail");
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO mail_queue (created_at, next_attempt_at, envelope_from, recipient, message, object_path, attendee) \
                         VALUES ($1, $1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(now)
                    .bind(&mail.envelope_from)
                    .bind(&mail.recipient)
                    .bind(&mail.message)
                    .bind(mail.object_path.as_deref())
                    .bind(mail.attendee.as_deref())
                    .fetch_one(&self.pool)
                    .await?;
                    Ok(id)
                }

                async fn claim_mail(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<QueuedMail>> {
                    let _t = OpTimer::start("claim_mail");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let ids: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
                    )
                    .bind(now)
                    .bind(limit)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut claimed = Vec::with_capacity(ids.len());
                    for id in ids {
                        // The status/time guard makes a claim by a concurrent process win once.
                        let row = sqlx::query(&format!(
                            "UPDATE mail_queue SET next_attempt_at = $2 WHERE id = $1 AND status = 'queued' \
                             AND next_attempt_at <= $3 RETURNING {MAIL_COLUMNS}"
                        ))
                        .bind(id)
                        .bind(now + lease)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(row) = row {
                            claimed.push(mail_from_row(&row)?);
                        }
                    }
                    tx.commit().await?;
                    Ok(claimed)
                }

                async fn mail_attempted(&self, id: i64, status: MailStatus, next: i64, error: Option<&str>) -> Result<()> {
                    let _t = OpTimer::start("mail_attempted");
                    sqlx::query(
                        "UPDATE mail_queue SET status = $2, next_attempt_at = $3, last_error = $4, attempts = attempts + 1 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(status.as_str())
                    .bind(next)
                    .bind(error)
                    .execute(&self.pool)
                    .await?;
                    Ok(())
                }

                async fn release_mail(&self, ids: &[i64], now: i64) -> Result<()> {
                    let _t = OpTimer::start("release_mail");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    // At most a worker's claim (20 ids) at shutdown: one IN list.
                    if !ids.is_empty() {
                        let sql = format!(
                            "UPDATE mail_queue SET next_attempt_at = $1 WHERE status = 'queued' AND id IN ({})",
                            crate::sql_resources::placeholders(2, ids.len())
                        );
                        crate::sql_resources::bind_ids(sqlx::query(&sql).bind(now), ids).execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn mail_queue(&self, limit: i64) -> Result<Vec<QueuedMail>> {
                    let _t = OpTimer::start("mail_queue");
                    let rows = sqlx::query(&format!("SELECT {MAIL_COLUMNS} FROM mail_queue ORDER BY id DESC LIMIT $1"))
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?;
                    Ok(rows.iter().map(mail_from_row).collect::<Result<_, _>>()?)
                }

                async fn retry_mail(&self, id: i64, now: i64) -> Result<bool> {
                    let _t = OpTimer::start("retry_mail");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query(
                        "UPDATE mail_queue SET status = 'queued', next_attempt_at = $2, attempts = 0 \
                         WHERE id = $1 AND status = 'failed'",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }

                async fn delete_mail(&self, id: i64) -> Result<bool> {
                    let _t = OpTimer::start("delete_mail");
                    let (mut tx, _w) = self.write_tx(Scope::Nothing).await?;
                    let done = sqlx::query("DELETE FROM mail_queue WHERE id = $1 AND status <> 'queued'")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(done.rows_affected() > 0)
                }
            }
        }
    };
}

pub(crate) use sql_scheduling_store;
