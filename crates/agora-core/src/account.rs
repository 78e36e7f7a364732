//! What a signed-in user changes about their own account from the web
//! interface: their password, and single-use links to their Apple
//! configuration profile (the QR code a phone's camera opens).
//!
//! A password change checks the current password through the same
//! [`crate::Authenticator`] and throttle as every sign-in, so this form is no
//! way around the back-off, and applies the same policy as `agora user passwd`.
//! Accounts without a local password (LDAP, OpenID Connect) are refused with a
//! reason: their password lives with their directory or identity provider.
//!
//! A profile link is a random 256-bit token; the store keeps its SHA-256 only,
//! deletes it on first use, and refuses it after its expiry. The profile it
//! opens holds no password (see `agora-web`'s profile module), so the link
//! reveals a login and a host name at most, once, for minutes.

use std::net::IpAddr;
use std::time::Duration;

use agora_store::Principal;

use crate::sessions::{plausible_token, random_token, token_hash};
use crate::{AuthError, Core, CoreError, Identity, Result, now, password};

/// Why a password change was refused.
#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    /// The account has no local password: it signs in through LDAP or an
    /// identity provider, where its password is changed.
    #[error("this account's password is managed by its directory or identity provider")]
    NotLocal,
    /// The current password is wrong, or too many attempts failed lately.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The new password breaks the policy, or the store failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Core {
    /// Changes a user's own password after checking the current one. Every
    /// session and cached login of the user ends (the credential epoch moves);
    /// the caller opens a new session for the browser that asked.
    pub async fn change_own_password(
        &self,
        who: &Identity,
        current: &str,
        new: &str,
        client: Option<IpAddr>,
    ) -> std::result::Result<(), PasswordChangeError> {
        password::check_strength(new)?;
        let record = self.store.login(&who.name).await.map_err(CoreError::from)?;
        match record {
            Some(r) if r.id == who.principal_id && r.password_hash.is_some() => {}
            Some(r) if r.id == who.principal_id => return Err(PasswordChangeError::NotLocal),
            _ => return Err(CoreError::NotFound { what: "user", name: who.name.clone() }.into()),
        }
        // An account-only check: an app password does not unlock the account.
        let checked = self.auth.authenticate_account(&who.name, current, client).await?;
        if checked.principal_id != who.principal_id {
            return Err(AuthError::Invalid.into());
        }
        self.directory().set_password(&who.name, new).await?;
        tracing::info!(user = %who.name, client = ?client, "password changed by its owner");
        Ok(())
    }

    /// Makes a single-use link token to the user's configuration profile,
    /// valid for `ttl`; returns the token and when it ends.
    pub async fn create_profile_link(&self, who: &Identity, ttl: Duration) -> Result<(String, i64)> {
        if who.is_anonymous() {
            return Err(CoreError::Unauthenticated);
        }
        let now = now();
        let expires_at = now.saturating_add(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
        let token = random_token();
        self.store.insert_profile_link(&token_hash(&token), who.principal_id, expires_at, now).await?;
        Ok((token, expires_at))
    }

    /// The user a profile link was made for, if the link is live; it is used
    /// up by this call whatever the answer.
    pub async fn redeem_profile_link(&self, token: &str) -> Result<Option<Principal>> {
        if !plausible_token(token) {
            return Ok(None);
        }
        let Some(id) = self.store.take_profile_link(&token_hash(token), now()).await? else { return Ok(None) };
        Ok(self.store.principal_by_id(id).await?)
    }
}
