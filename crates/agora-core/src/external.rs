//! An external directory (LDAP) beside the local one: its users log in with the
//! password it holds and become local principals (with no local password) on
//! their first login or at the next refresh, so that they can be shared with,
//! invited and found in the global address list like everyone else.

use crate::error::Result;
use crate::{Core, now};

/// A user as the external directory describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalUser {
    /// Login name (normalised like a local name).
    pub login: String,
    /// Name shown to others.
    pub display_name: String,
    /// E-mail addresses, preferred first.
    pub emails: Vec<String>,
}

/// A source of users and password checks.
#[async_trait::async_trait]
pub trait ExternalDirectory: Send + Sync {
    /// Every user the directory offers.
    async fn users(&self) -> std::result::Result<Vec<ExternalUser>, String>;
    /// The user if `password` is theirs (`login` is a login name or an e-mail
    /// address); `None` for unknown users and wrong passwords alike.
    async fn check_password(&self, login: &str, password: &str) -> std::result::Result<Option<ExternalUser>, String>;
}

impl Core {
    /// Adds the external directory's users that have no local principal yet.
    /// Local accounts of the same name are left alone (never taken over).
    pub async fn sync_external(&self) -> Result<usize> {
        let Some(external) = self.auth.external() else { return Ok(0) };
        let users = external.users().await.map_err(crate::CoreError::Unavailable)?;
        let mut added = 0;
        for user in users {
            if self.auth.provision_external(&user).await?.1 {
                added += 1;
            }
        }
        if added > 0 {
            tracing::info!(added, "users added from the external directory");
        }
        Ok(added)
    }
}

/// The local principal for an external user, created if missing; the flag says
/// whether it was created now.
pub(crate) async fn provision(
    store: &dyn agora_store::Store,
    user: &ExternalUser,
) -> Result<(agora_store::Principal, bool)> {
    let name = crate::names::principal_name(&user.login)?;
    if let Some(p) = store.principal(&name).await? {
        return Ok((p, false));
    }
    let emails: Vec<String> = user.emails.iter().filter_map(|e| crate::names::email(e).ok()).collect();
    let new = agora_store::NewPrincipal {
        kind: agora_store::PrincipalKind::User,
        name: name.clone(),
        display_name: if user.display_name.trim().is_empty() { name.clone() } else { user.display_name.clone() },
        resource_kind: None,
        emails,
        password_hash: None,
    };
    match store.insert_principal(&new, now()).await {
        Ok(p) => Ok((p, true)),
        // Raced with another login or refresh, or an address is taken locally.
        Err(agora_store::StoreError::Conflict(_)) => match store.principal(&name).await? {
            Some(p) => Ok((p, false)),
            None => Err(crate::CoreError::Conflict(format!("{name}: an e-mail address is already in use"))),
        },
        Err(e) => Err(e.into()),
    }
}
