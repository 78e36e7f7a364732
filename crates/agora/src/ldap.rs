//! LDAP as an external directory (`[ldap]` in the configuration file): users are
//! found under `base_dn` with `user_filter`, their login, name and addresses read
//! from the mapped attributes, and passwords checked by binding as the user.
//! Each operation opens its own connection: logins are cached by the credential
//! cache and refreshes are rare, so a pool would mostly hold idle sockets.

use std::time::Duration;

use agora_core::external::{ExternalDirectory, ExternalUser};
use ldap3::{LdapConnAsync, LdapConnSettings, Scope, SearchEntry, ldap_escape};
use serde::Deserialize;

use crate::secret::Secret;

/// The `[ldap]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LdapConfig {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    /// The service account that searches (anonymous search when absent).
    pub bind_dn: Option<String>,
    /// Its password (or the AGORA_LDAP_BIND_PASSWORD environment variable).
    pub bind_password: Option<Secret>,
    /// Where users are searched, subtree.
    pub base_dn: String,
    /// Which entries are users.
    #[serde(default = "defaults::user_filter")]
    pub user_filter: String,
    /// The attribute holding the login name.
    #[serde(default = "defaults::login")]
    pub login_attribute: String,
    /// The attribute holding the display name.
    #[serde(default = "defaults::name")]
    pub name_attribute: String,
    /// The attribute holding e-mail addresses.
    #[serde(default = "defaults::email")]
    pub email_attribute: String,
    /// Upgrade `ldap://` with StartTLS.
    #[serde(default)]
    pub starttls: bool,
    /// Check passwords against LDAP (otherwise LDAP only lists users, who then
    /// need a local password or an app password).
    #[serde(default = "defaults::yes")]
    pub check_passwords: bool,
    /// Connection and operation time limit.
    #[serde(default = "defaults::timeout")]
    pub timeout_seconds: u64,
}

mod defaults {
    pub fn user_filter() -> String {
        "(objectClass=inetOrgPerson)".into()
    }
    pub fn login() -> String {
        "uid".into()
    }
    pub fn name() -> String {
        "cn".into()
    }
    pub fn email() -> String {
        "mail".into()
    }
    pub fn yes() -> bool {
        true
    }
    pub fn timeout() -> u64 {
        10
    }
}

/// The LDAP directory.
pub struct Ldap {
    config: LdapConfig,
}

type LdapResult<T> = Result<T, String>;

impl Ldap {
    /// Uses `config`; the bind password may come from the environment.
    pub fn new(mut config: LdapConfig) -> Self {
        if let Ok(pw) = std::env::var("AGORA_LDAP_BIND_PASSWORD") {
            config.bind_password = Some(pw.into());
        }
        Ldap { config }
    }

    async fn connect(&self) -> LdapResult<ldap3::Ldap> {
        let timeout = Duration::from_secs(self.config.timeout_seconds.max(1));
        let settings = LdapConnSettings::new().set_conn_timeout(timeout).set_starttls(self.config.starttls);
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &self.config.url)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", self.config.url))?;
        ldap3::drive!(conn);
        ldap.with_timeout(timeout);
        Ok(ldap)
    }

    /// A connection bound as the service account (or anonymous).
    async fn service(&self) -> LdapResult<ldap3::Ldap> {
        let mut ldap = self.connect().await?;
        if let Some(dn) = &self.config.bind_dn {
            let pw = self.config.bind_password.as_ref().map(Secret::expose).unwrap_or_default();
            ldap.simple_bind(dn, pw)
                .await
                .and_then(|r| r.success())
                .map_err(|e| format!("service bind as {dn} failed: {e}"))?;
        }
        Ok(ldap)
    }

    async fn search(&self, ldap: &mut ldap3::Ldap, filter: &str) -> LdapResult<Vec<SearchEntry>> {
        let c = &self.config;
        let attrs = vec![c.login_attribute.as_str(), c.name_attribute.as_str(), c.email_attribute.as_str()];
        let (entries, _) = ldap
            .search(&c.base_dn, Scope::Subtree, filter, attrs)
            .await
            .and_then(|r| r.success())
            .map_err(|e| format!("search under {} failed: {e}", c.base_dn))?;
        Ok(entries.into_iter().map(SearchEntry::construct).collect())
    }

    fn user_of(&self, e: &SearchEntry) -> Option<ExternalUser> {
        let first = |attr: &str| e.attrs.get(attr).and_then(|v| v.first()).cloned();
        let login = first(&self.config.login_attribute)?;
        Some(ExternalUser {
            display_name: first(&self.config.name_attribute).unwrap_or_else(|| login.clone()),
            emails: e.attrs.get(&self.config.email_attribute).cloned().unwrap_or_default(),
            login,
        })
    }
}

#[async_trait::async_trait]
impl ExternalDirectory for Ldap {
    async fn users(&self) -> LdapResult<Vec<ExternalUser>> {
        let mut ldap = self.service().await?;
        let entries = self.search(&mut ldap, &self.config.user_filter).await?;
        let _ = ldap.unbind().await;
        Ok(entries.iter().filter_map(|e| self.user_of(e)).collect())
    }

    async fn check_password(&self, login: &str, password: &str) -> LdapResult<Option<ExternalUser>> {
        // An empty password is an unauthenticated bind (RFC 4513 §5.1.2): never a login.
        if !self.config.check_passwords || password.is_empty() {
            return Ok(None);
        }
        let c = &self.config;
        let value = ldap_escape(login);
        let filter = format!("(&{}(|({}={value})({}={value})))", c.user_filter, c.login_attribute, c.email_attribute);
        let mut ldap = self.service().await?;
        let entries = self.search(&mut ldap, &filter).await?;
        let _ = ldap.unbind().await;
        // Exactly one entry, or nobody: an ambiguous address logs nobody in.
        let [entry] = entries.as_slice() else { return Ok(None) };
        let mut as_user = self.connect().await?;
        let bound = as_user.simple_bind(&entry.dn, password).await.map_err(|e| e.to_string())?;
        let _ = as_user.unbind().await;
        Ok(if bound.rc == 0 { self.user_of(entry) } else { None })
    }
}
