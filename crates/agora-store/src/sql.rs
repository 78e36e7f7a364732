//! The SQL both backends share. `sql_store!` implements [`crate::Store`] for a
//! backend type that provides `pool` (a sqlx pool for reads), `write_tx()` (a
//! transaction that holds the write lock from its first statement) and `close_pools()`.

use crate::model::{PrincipalKind, ResourceKind};

pub(crate) const PRINCIPAL_COLUMNS: &str = "id, kind, name, display_name, resource_kind, created_at, \
     administrator, disabled, quota_bytes, capacity, auto_accept, bookers_id";

/// [`PRINCIPAL_COLUMNS`] of the table aliased `p` (joins).
pub(crate) const PRINCIPAL_COLUMNS_P: &str = "p.id, p.kind, p.name, p.display_name, p.resource_kind, p.created_at, \
     p.administrator, p.disabled, p.quota_bytes, p.capacity, p.auto_accept, p.bookers_id";

pub(crate) fn decode_kind(s: &str) -> Result<PrincipalKind, sqlx::Error> {
    PrincipalKind::parse(s).ok_or_else(|| sqlx::Error::Decode(format!("unknown principal kind {s:?}").into()))
}

pub(crate) fn decode_resource_kind(s: Option<String>) -> Result<Option<ResourceKind>, sqlx::Error> {
    match s {
        None => Ok(None),
        Some(s) => ResourceKind::parse(&s)
            .map(Some)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown resource kind {s:?}").into())),
    }
}

macro_rules! sql_store {
    ($store:ty, $db:ty) => {
        type Conn = <$db as sqlx::Database>::Connection;

        fn principal_from_row(row: &<$db as sqlx::Database>::Row) -> Result<Principal, sqlx::Error> {
            use sqlx::Row;
            Ok(Principal {
                id: row.try_get("id")?,
                kind: crate::sql::decode_kind(row.try_get::<&str, _>("kind")?)?,
                name: row.try_get("name")?,
                display_name: row.try_get("display_name")?,
                resource_kind: crate::sql::decode_resource_kind(row.try_get("resource_kind")?)?,
                emails: Vec::new(),
                created_at: row.try_get("created_at")?,
                settings: Settings {
                    administrator: row.try_get::<i64, _>("administrator")? != 0,
                    disabled: row.try_get::<i64, _>("disabled")? != 0,
                    quota_bytes: row.try_get::<Option<i64>, _>("quota_bytes")?.map(|q| q.max(0) as u64),
                    capacity: row.try_get::<Option<i64>, _>("capacity")?.map(|c| c.clamp(0, u32::MAX as i64) as u32),
                    auto_accept: row.try_get::<i64, _>("auto_accept")? != 0,
                    bookers: row.try_get("bookers_id")?,
                },
            })
        }

        async fn emails_of(conn: &mut Conn, id: PrincipalId) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar("SELECT address FROM principal_emails WHERE principal_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&mut *conn)
                .await
        }

        /// The principal of a row, if any, with its addresses.
        async fn with_own_emails(
            conn: &mut Conn,
            row: Option<<$db as sqlx::Database>::Row>,
        ) -> Result<Option<Principal>, sqlx::Error> {
            let Some(row) = row else { return Ok(None) };
            let mut p = principal_from_row(&row)?;
            p.emails = emails_of(conn, p.id).await?;
            Ok(Some(p))
        }

        /// Fills in the addresses of many principals with one query.
        async fn with_emails(conn: &mut Conn, mut list: Vec<Principal>) -> Result<Vec<Principal>, sqlx::Error> {
            use sqlx::Row;
            let rows =
                sqlx::query("SELECT principal_id, address FROM principal_emails ORDER BY principal_id, position")
                    .fetch_all(&mut *conn)
                    .await?;
            let mut by_id: std::collections::HashMap<PrincipalId, Vec<String>> = Default::default();
            for row in rows {
                by_id.entry(row.try_get("principal_id")?).or_default().push(row.try_get("address")?);
            }
            for p in &mut list {
                p.emails = by_id.remove(&p.id).unwrap_or_default();
            }
            Ok(list)
        }

        async fn bump_epoch(conn: &mut Conn, id: PrincipalId) -> Result<bool, sqlx::Error> {
            let done = sqlx::query("UPDATE principals SET auth_epoch = auth_epoch + 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(done.rows_affected() > 0)
        }

        #[async_trait::async_trait]
        impl crate::api::DirectoryStore for $store {
            fn backend(&self) -> &'static str {
                Self::BACKEND
            }

            async fn ping(&self) -> Result<()> {
                let _t = OpTimer::start("ping");
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn close(&self) {
                self.close_pools().await;
            }

            async fn refresh_statistics(&self) -> Result<()> {
                let _t = OpTimer::start("refresh_statistics");
                sqlx::query(Self::REFRESH_STATISTICS).execute(&self.pool).await?;
                Ok(())
            }

            async fn count_users(&self) -> Result<u64> {
                let _t = OpTimer::start("count_users");
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM principals WHERE kind = 'user'")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n as u64)
            }

            async fn insert_principal(&self, new: &NewPrincipal, now: i64) -> Result<Principal> {
                let _t = OpTimer::start("insert_principal");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM principals WHERE name = $1")
                    .bind(&new.name)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(Conflict::Name(new.name.clone())));
                }
                for address in &new.emails {
                    let taken: Option<i64> =
                        sqlx::query_scalar("SELECT principal_id FROM principal_emails WHERE address = $1")
                            .bind(address)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if taken.is_some() {
                        return Err(StoreError::Conflict(Conflict::Email(address.clone())));
                    }
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO principals (kind, name, display_name, resource_kind, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(new.kind.as_str())
                .bind(&new.name)
                .bind(&new.display_name)
                .bind(new.resource_kind.map(|k| k.as_str()))
                .bind(new.password_hash.as_deref())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_unique(e, Conflict::Name(new.name.clone())))?;
                for (position, address) in new.emails.iter().enumerate() {
                    sqlx::query("INSERT INTO principal_emails (address, principal_id, position) VALUES ($1, $2, $3)")
                        .bind(address)
                        .bind(id)
                        .bind(position as i64)
                        .execute(&mut *tx)
                        .await
                        .map_err(|e| StoreError::from_unique(e, Conflict::Email(address.clone())))?;
                }
                tx.commit().await?;
                Ok(Principal {
                    id,
                    kind: new.kind,
                    name: new.name.clone(),
                    display_name: new.display_name.clone(),
                    resource_kind: new.resource_kind,
                    emails: new.emails.clone(),
                    created_at: now,
                    settings: Settings::default(),
                })
            }

            async fn principal(&self, name: &str) -> Result<Option<Principal>> {
                let _t = OpTimer::start("principal");
                let mut conn = self.pool.acquire().await?;
                let row = sqlx::query(&format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE name = $1"))
                    .bind(name)
                    .fetch_optional(&mut *conn)
                    .await?;
                Ok(with_own_emails(&mut conn, row).await?)
            }

            async fn principal_by_id(&self, id: PrincipalId) -> Result<Option<Principal>> {
                let _t = OpTimer::start("principal_by_id");
                let mut conn = self.pool.acquire().await?;
                let row = sqlx::query(&format!("SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
                Ok(with_own_emails(&mut conn, row).await?)
            }

            async fn principal_by_email(&self, address: &str) -> Result<Option<Principal>> {
                let _t = OpTimer::start("principal_by_email");
                let mut conn = self.pool.acquire().await?;
                let row = sqlx::query(&format!(
                    "SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE id = \
                     (SELECT principal_id FROM principal_emails WHERE address = $1)"
                ))
                .bind(address)
                .fetch_optional(&mut *conn)
                .await?;
                Ok(with_own_emails(&mut conn, row).await?)
            }

            async fn principals_by_emails(&self, addresses: &[String]) -> Result<Vec<Principal>> {
                use sqlx::Row;
                let _t = OpTimer::start("principals_by_emails");
                let mut out: Vec<Principal> = Vec::new();
                // Bounded IN lists (bind limits); an address names one principal, so
                // chunks never find the same principal twice unless two of its
                // addresses fall in different chunks.
                for chunk in addresses.chunks(500) {
                    // Each principal with every one of its addresses, in their order.
                    let sql = format!(
                        "SELECT {PRINCIPAL_COLUMNS_P}, e.address FROM principals p JOIN principal_emails e ON e.principal_id = p.id \
                         WHERE p.id IN (SELECT principal_id FROM principal_emails WHERE address IN ({})) \
                         ORDER BY p.id, e.position",
                        crate::sql_resources::placeholders(1, chunk.len())
                    );
                    let mut q = sqlx::query(&sql);
                    for a in chunk {
                        q = q.bind(a);
                    }
                    for row in q.fetch_all(&self.pool).await? {
                        let id: PrincipalId = row.try_get("id")?;
                        let address: String = row.try_get("address")?;
                        match out.iter_mut().rev().find(|p| p.id == id) {
                            Some(p) if !p.emails.contains(&address) => p.emails.push(address),
                            Some(_) => {}
                            None => {
                                let mut p = principal_from_row(&row)?;
                                p.emails.push(address);
                                out.push(p);
                            }
                        }
                    }
                }
                out.sort_by_key(|p| p.id);
                Ok(out)
            }

            /// System principals (names starting with a dot, which users cannot
            /// take) are not listed.
            async fn principals(&self, kind: Option<PrincipalKind>) -> Result<Vec<Principal>> {
                let _t = OpTimer::start("principals");
                let mut conn = self.pool.acquire().await?;
                let rows = sqlx::query(&format!(
                    "SELECT {PRINCIPAL_COLUMNS} FROM principals WHERE ($1 IS NULL OR kind = $1) AND name NOT LIKE '.%' ORDER BY name"
                ))
                .bind(kind.map(|k| k.as_str()))
                .fetch_all(&mut *conn)
                .await?;
                let list = rows.iter().map(principal_from_row).collect::<Result<Vec<_>, _>>()?;
                Ok(with_emails(&mut conn, list).await?)
            }

            async fn delete_principal(&self, id: PrincipalId) -> Result<bool> {
                let _t = OpTimer::start("delete_principal");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                // Foreign keys cascade to addresses, memberships and app passwords.
                let done = sqlx::query("DELETE FROM principals WHERE id = $1").bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_password(&self, id: PrincipalId, hash: &str) -> Result<bool> {
                let _t = OpTimer::start("set_password");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                sqlx::query("UPDATE principals SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let existed = bump_epoch(&mut tx, id).await?;
                tx.commit().await?;
                Ok(existed)
            }

            async fn login(&self, login: &str) -> Result<Option<LoginRecord>> {
                let _t = OpTimer::start("login");
                use sqlx::Row;
                let row = sqlx::query(
                    "SELECT id, name, password_hash, auth_epoch, disabled FROM principals \
                     WHERE kind = 'user' AND (name = $1 OR id IN \
                       (SELECT principal_id FROM principal_emails WHERE address = $1)) \
                     ORDER BY CASE WHEN name = $1 THEN 0 ELSE 1 END LIMIT 1",
                )
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                Ok(Some(LoginRecord {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    password_hash: row.try_get("password_hash")?,
                    auth_epoch: row.try_get("auth_epoch")?,
                    disabled: row.try_get::<i64, _>("disabled")? != 0,
                }))
            }

            async fn auth_epoch(&self, id: PrincipalId) -> Result<Option<i64>> {
                // Every password or app-password change is a write of scope All
                // (see crate::cache for other processes).
                if let Some(hit) = self.cache.epoch(id) {
                    crate::cache::hit("auth_epoch");
                    return Ok(hit);
                }
                let _t = OpTimer::start("auth_epoch");
                let stamp = self.cache.stamp();
                let epoch = sqlx::query_scalar("SELECT auth_epoch FROM principals WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                self.cache.put_epoch(id, epoch, stamp);
                Ok(epoch)
            }

            async fn app_password_hashes(&self, id: PrincipalId, hint: &str) -> Result<Vec<String>> {
                let _t = OpTimer::start("app_password_hashes");
                Ok(sqlx::query_scalar("SELECT hash FROM app_passwords WHERE principal_id = $1 AND hint = $2")
                    .bind(id)
                    .bind(hint)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn insert_app_password(
                &self,
                id: PrincipalId,
                label: &str,
                hint: &str,
                hash: &str,
                now: i64,
            ) -> Result<AppPassword> {
                let _t = OpTimer::start("insert_app_password");
                let conflict = || Conflict::AppPasswordLabel(label.to_owned());
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM app_passwords WHERE principal_id = $1 AND label = $2")
                        .bind(id)
                        .bind(label)
                        .fetch_optional(&mut *tx)
                        .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(conflict()));
                }
                let row_id: i64 = sqlx::query_scalar(
                    "INSERT INTO app_passwords (principal_id, label, hint, hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(id)
                .bind(label)
                .bind(hint)
                .bind(hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::from_unique(e, conflict()))?;
                tx.commit().await?;
                Ok(AppPassword { id: row_id, principal_id: id, label: label.to_owned(), created_at: now })
            }

            async fn app_passwords(&self, id: PrincipalId) -> Result<Vec<AppPassword>> {
                let _t = OpTimer::start("app_passwords");
                use sqlx::Row;
                let rows = sqlx::query(
                    "SELECT id, principal_id, label, created_at FROM app_passwords \
                     WHERE principal_id = $1 ORDER BY created_at, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(AppPassword {
                            id: row.try_get("id")?,
                            principal_id: row.try_get("principal_id")?,
                            label: row.try_get("label")?,
                            created_at: row.try_get("created_at")?,
                        })
                    })
                    .collect()
            }

            async fn delete_app_password(&self, id: PrincipalId, label: &str) -> Result<bool> {
                let _t = OpTimer::start("delete_app_password");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let done = sqlx::query("DELETE FROM app_passwords WHERE principal_id = $1 AND label = $2")
                    .bind(id)
                    .bind(label)
                    .execute(&mut *tx)
                    .await?;
                let existed = done.rows_affected() > 0;
                if existed {
                    bump_epoch(&mut tx, id).await?;
                }
                tx.commit().await?;
                Ok(existed)
            }

            async fn add_member(&self, group: PrincipalId, member: PrincipalId) -> Result<()> {
                let _t = OpTimer::start("add_member");
                if group == member {
                    return Err(StoreError::Conflict(Conflict::MembershipCycle));
                }
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let already: Option<i64> = sqlx::query_scalar(
                    "SELECT CAST(1 AS BIGINT) FROM group_members WHERE group_id = $1 AND member_id = $2",
                )
                .bind(group)
                .bind(member)
                .fetch_optional(&mut *tx)
                .await?;
                if already.is_some() {
                    return Err(StoreError::Conflict(Conflict::AlreadyMember));
                }
                // A cycle would appear if `group` is already (transitively) inside `member`.
                let cycle: Option<i64> = sqlx::query_scalar(
                    "WITH RECURSIVE inside(id) AS ( \
                       SELECT member_id FROM group_members WHERE group_id = $1 \
                       UNION SELECT g.member_id FROM group_members g JOIN inside i ON g.group_id = i.id) \
                     SELECT CAST(1 AS BIGINT) FROM inside WHERE id = $2 LIMIT 1",
                )
                .bind(member)
                .bind(group)
                .fetch_optional(&mut *tx)
                .await?;
                if cycle.is_some() {
                    return Err(StoreError::Conflict(Conflict::MembershipCycle));
                }
                sqlx::query("INSERT INTO group_members (group_id, member_id) VALUES ($1, $2)")
                    .bind(group)
                    .bind(member)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::from_unique(e, Conflict::AlreadyMember))?;
                tx.commit().await?;
                Ok(())
            }

            async fn remove_member(&self, group: PrincipalId, member: PrincipalId) -> Result<bool> {
                let _t = OpTimer::start("remove_member");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND member_id = $2")
                    .bind(group)
                    .bind(member)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn members(&self, group: PrincipalId) -> Result<Vec<Principal>> {
                let _t = OpTimer::start("members");
                let mut conn = self.pool.acquire().await?;
                let rows = sqlx::query(&format!(
                    "SELECT {PRINCIPAL_COLUMNS_P} FROM group_members g JOIN principals p ON p.id = g.member_id \
                     WHERE g.group_id = $1 ORDER BY p.name"
                ))
                .bind(group)
                .fetch_all(&mut *conn)
                .await?;
                let mut list = rows.iter().map(principal_from_row).collect::<Result<Vec<_>, _>>()?;
                for p in &mut list {
                    p.emails = emails_of(&mut conn, p.id).await?;
                }
                Ok(list)
            }

            async fn set_settings(&self, id: PrincipalId, s: &Settings, end_sessions: bool) -> Result<bool> {
                let _t = OpTimer::start("set_settings");
                let (mut tx, _w) = self.write_tx(Scope::All).await?;
                let done = sqlx::query(
                    "UPDATE principals SET administrator = $1, disabled = $2, quota_bytes = $3, capacity = $4, \
                     auto_accept = $5, bookers_id = $6 WHERE id = $7",
                )
                .bind(i64::from(s.administrator))
                .bind(i64::from(s.disabled))
                .bind(s.quota_bytes.map(|q| i64::try_from(q).unwrap_or(i64::MAX)))
                .bind(s.capacity.map(i64::from))
                .bind(i64::from(s.auto_accept))
                .bind(s.bookers)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if end_sessions {
                    bump_epoch(&mut tx, id).await?;
                }
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn usage_by_owner(&self) -> Result<Vec<(PrincipalId, i64)>> {
                let _t = OpTimer::start("usage_by_owner");
                use sqlx::Row;
                let rows = sqlx::query(
                    "SELECT c.owner_id, CAST(SUM(o.size) AS BIGINT) AS used \
                     FROM objects o JOIN collections c ON o.collection_id = c.id GROUP BY c.owner_id",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    out.push((row.try_get("owner_id")?, row.try_get::<Option<i64>, _>("used")?.unwrap_or(0)));
                }
                Ok(out)
            }

            async fn counts(&self) -> Result<Counts> {
                let _t = OpTimer::start("counts");
                use sqlx::Row;
                let row = sqlx::query(crate::maintenance::COUNTS_SQL).fetch_one(&self.pool)
                .await?;
                let n = |c: &str| row.try_get::<i64, _>(c).map(|v| v.max(0) as u64);
                Ok(Counts {
                    users: n("users")?,
                    groups: n("groups_n")?,
                    resources: n("resources")?,
                    collections: n("collections")?,
                    objects: n("objects")?,
                })
            }
        }
    };
}

pub(crate) use sql_store;
