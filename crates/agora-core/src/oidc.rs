//! Which user an OpenID Connect sign-in is. The protocol (discovery, the
//! authorization code flow with PKCE, ID token checks) is agora-web's; the
//! decision who the verified identity may act as is made here, once.
//!
//! In order:
//! 1. an identity linked before (issuer and `sub`, OpenID Connect Core §2: the
//!    subject is stable and never reassigned within an issuer) signs in as the
//!    linked user, whatever its e-mail has become;
//! 2. else a **verified** e-mail address of an existing user links the identity
//!    to that user (an unverified address is a claim anyone can make at some
//!    providers, and would hand over someone else's calendars);
//! 3. else, when accounts may be created, a new user named after
//!    `preferred_username` (or the e-mail's local part) with the verified
//!    address and no password: the web signs in through the provider, devices
//!    use app passwords. A name already taken is refused, never linked: a
//!    provider's user name is not proof of owning the local account;
//! 4. else the sign-in is refused with a message for the person.

use agora_store::{Principal, PrincipalKind};

use crate::external::{ExternalUser, provision};
use crate::{Core, CoreError, Result, now};

/// What a provider's verified ID token says about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcIdentity {
    /// The provider (its issuer URL).
    pub issuer: String,
    /// The person at that provider (`sub`).
    pub subject: String,
    /// `email`, if given.
    pub email: Option<String>,
    /// `email_verified`.
    pub email_verified: bool,
    /// `preferred_username`, if given.
    pub preferred_username: Option<String>,
    /// `name`, if given.
    pub name: Option<String>,
}

impl Core {
    /// The user an identity signs in as (see the module docs); `create` says
    /// whether a new account may be made for an identity that matches none.
    pub async fn oidc_user(&self, id: &OidcIdentity, create: bool) -> Result<Principal> {
        let refused = |why: String| Err(CoreError::Forbidden(why));
        if let Some(pid) = self.store.oidc_link(&id.issuer, &id.subject).await? {
            return match self.store.principal_by_id(pid).await? {
                Some(p) if p.kind == PrincipalKind::User => Ok(p),
                _ => refused("the account this identity was linked to no longer exists".into()),
            };
        }
        let verified = id.email.as_deref().filter(|_| id.email_verified).and_then(|e| crate::names::email(e).ok());
        if let Some(email) = &verified
            && let Some(p) = self.store.principal_by_email(email).await?
        {
            if p.kind != PrincipalKind::User {
                return refused(format!("{email} belongs to a group or resource, not to a person"));
            }
            self.store.set_oidc_link(&id.issuer, &id.subject, p.id, now()).await?;
            tracing::info!(user = %p.name, issuer = %id.issuer, "OpenID Connect identity linked by verified e-mail");
            return Ok(p);
        }
        if !create {
            return refused("no Agora account matches this identity; ask an administrator to create one".into());
        }
        let login = id
            .preferred_username
            .as_deref()
            .or_else(|| verified.as_deref().and_then(|e| e.split('@').next()))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                CoreError::Forbidden("the provider gave neither a user name nor a verified e-mail".into())
            })?;
        let user = ExternalUser {
            login: login.to_owned(),
            display_name: id.name.clone().unwrap_or_default(),
            emails: verified.into_iter().collect(),
        };
        let (p, created) = provision(self.store.as_ref(), &user).await?;
        if !created {
            return refused(format!(
                "an account named {:?} exists already; ask an administrator to link it to this identity",
                p.name
            ));
        }
        self.store.set_oidc_link(&id.issuer, &id.subject, p.id, now()).await?;
        tracing::info!(user = %p.name, issuer = %id.issuer, "account created at its first OpenID Connect sign-in");
        Ok(p)
    }
}
