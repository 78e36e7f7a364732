//! Who may do what, in the SQL both backends share: ACL grants on collections
//! (RFC 3744), group memberships, and calendar delegation (proxies).
//! `access_sql!` implements [`crate::AccessStore`] inside `sql_resource_store!`.

/// Implements [`crate::AccessStore`] for one backend inside `sql_resource_store!`.
macro_rules! access_sql {
    ($store:ty) => {
        mod access_sql {
            use super::*;

            #[async_trait::async_trait]
            impl crate::AccessStore for $store {
                async fn grants(&self, collections: &[CollectionId]) -> Result<Vec<Grant>> {
                    let _t = OpTimer::start("grants");
                    if collections.is_empty() {
                        return Ok(Vec::new());
                    }
                    let sql = format!(
                        "SELECT collection_id, principal_id, special, privileges FROM grants WHERE collection_id IN ({})",
                        placeholders(1, collections.len())
                    );
                    let rows = bind_ids(sqlx::query(&sql), collections).fetch_all(&self.pool).await?;
                    let mut out = Vec::with_capacity(rows.len());
                    for row in &rows {
                        let principal: Option<i64> = row.try_get("principal_id")?;
                        let special: Option<String> = row.try_get("special")?;
                        let grantee = match (principal, special.as_deref()) {
                            (Some(id), _) => Grantee::Principal(id),
                            (None, Some("authenticated")) => Grantee::Authenticated,
                            (None, Some("unauthenticated")) => Grantee::Unauthenticated,
                            (None, Some("all")) => Grantee::All,
                            _ => return Err(sqlx::Error::Decode("grant without grantee".into()).into()),
                        };
                        out.push(Grant {
                            collection_id: row.try_get("collection_id")?,
                            grantee,
                            privileges: row.try_get("privileges")?,
                        });
                    }
                    Ok(out)
                }

                async fn replace_grants(&self, collection: CollectionId, grants: &[(Grantee, i64)]) -> Result<()> {
                    let _t = OpTimer::start("replace_grants");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM grants WHERE collection_id = $1").bind(collection).execute(&mut *tx).await?;
                    for (grantee, privileges) in grants {
                        insert_grant(&mut tx, collection, grantee, *privileges).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn memberships(&self, principal: PrincipalId) -> Result<Vec<PrincipalId>> {
                    let _t = OpTimer::start("memberships");
                    Ok(sqlx::query_scalar(
                        "WITH RECURSIVE up(id) AS ( \
                           SELECT group_id FROM group_members WHERE member_id = $1 \
                           UNION SELECT g.group_id FROM group_members g JOIN up u ON g.member_id = u.id) \
                         SELECT id FROM up",
                    )
                    .bind(principal)
                    .fetch_all(&self.pool)
                    .await?)
                }

                async fn groups_of(&self, principal: PrincipalId) -> Result<Vec<crate::Principal>> {
                    let _t = OpTimer::start("groups_of");
                    let rows = sqlx::query(&format!(
                        "SELECT {} FROM group_members g JOIN principals p ON p.id = g.group_id \
                         WHERE g.member_id = $1 ORDER BY p.name",
                        crate::sql::PRINCIPAL_COLUMNS_P
                    ))
                    .bind(principal)
                    .fetch_all(&self.pool)
                    .await?;
                    // The directory half of this backend's module reads principals.
                    Ok(rows.iter().map(super::super::principal_from_row).collect::<Result<Vec<_>, _>>()?)
                }

                async fn set_proxies(&self, owner: PrincipalId, write: bool, delegates: &[PrincipalId]) -> Result<()> {
                    let _t = OpTimer::start("set_proxies");
                    let (mut tx, _w) = self.write_tx(Scope::All).await?;
                    sqlx::query("DELETE FROM proxies WHERE owner_id = $1 AND write = $2")
                        .bind(owner)
                        .bind(i64::from(write))
                        .execute(&mut *tx)
                        .await?;
                    for d in delegates {
                        sqlx::query(
                            "INSERT INTO proxies (owner_id, delegate_id, write) VALUES ($1, $2, $3) \
                             ON CONFLICT (owner_id, delegate_id) DO UPDATE SET write = excluded.write",
                        )
                        .bind(owner)
                        .bind(d)
                        .bind(i64::from(write))
                        .execute(&mut *tx)
                        .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn proxies_of(&self, owner: PrincipalId) -> Result<Vec<(PrincipalId, bool)>> {
                    let _t = OpTimer::start("proxies_of");
                    let rows = sqlx::query("SELECT delegate_id, write FROM proxies WHERE owner_id = $1 ORDER BY delegate_id")
                        .bind(owner)
                        .fetch_all(&self.pool)
                        .await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("delegate_id")?, r.try_get::<i64, _>("write")? != 0)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                        .map_err(Into::into)
                }

                async fn proxied_by(&self, delegates: &[PrincipalId]) -> Result<Vec<(PrincipalId, bool)>> {
                    let _t = OpTimer::start("proxied_by");
                    if delegates.is_empty() {
                        return Ok(Vec::new());
                    }
                    let sql = format!(
                        "SELECT owner_id, write FROM proxies WHERE delegate_id IN ({}) ORDER BY owner_id",
                        placeholders(1, delegates.len())
                    );
                    let rows = bind_ids(sqlx::query(&sql), delegates).fetch_all(&self.pool).await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("owner_id")?, r.try_get::<i64, _>("write")? != 0)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                        .map_err(Into::into)
                }
            }
        }
    };
}

pub(crate) use access_sql;
