//! Directory administration: users, groups (which may contain groups), resources
//! (rooms and equipment) and app passwords. Every principal shares one name space.

use std::sync::Arc;

use agora_store::{AppPassword, NewPrincipal, Principal, PrincipalKind, ResourceKind, Store};

use crate::auth::Authenticator;
use crate::error::{CoreError, Result, kind_word};
use crate::{names, now, password};

/// A principal to create, as an administrator describes it.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    /// Name (normalised to lower case).
    pub name: String,
    /// Human-readable name; defaults to the name.
    pub display_name: Option<String>,
    /// E-mail addresses, preferred first.
    pub emails: Vec<String>,
}

/// What a calendar user address designates (RFC 6638 §2.4.1): an e-mail
/// address (`mailto:`, lower-cased) or a principal URL (its name, decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalAddress {
    /// `mailto:` an address.
    Mail(String),
    /// `/principals/NAME/`, absolute or not.
    Principal(String),
    /// Anything else (`urn:uuid:…`, another server's URL).
    Other,
}

impl CalAddress {
    /// Reads an address in any spelling (case of the scheme, blanks, an
    /// absolute URL or a path, percent-encoding).
    pub fn parse(address: &str) -> CalAddress {
        let a = agora_ical::itip::normalise_address(address);
        if let Some(mail) = a.strip_prefix("mailto:") {
            return CalAddress::Mail(mail.to_owned());
        }
        let path = a.find("://").and_then(|i| a[i + 3..].find('/').map(|j| &a[i + 3 + j..])).unwrap_or(&a);
        let path = percent_encoding::percent_decode_str(path.trim_matches('/')).decode_utf8_lossy();
        match path.strip_prefix("principals/") {
            Some(name) if !name.is_empty() && !name.contains('/') => CalAddress::Principal(name.to_lowercase()),
            _ => CalAddress::Other,
        }
    }
}

/// Directory operations, borrowed from [`crate::Core::directory`].
pub struct Directory<'a> {
    store: &'a Arc<dyn Store>,
    auth: &'a Authenticator,
}

impl<'a> Directory<'a> {
    pub(crate) fn new(store: &'a Arc<dyn Store>, auth: &'a Authenticator) -> Self {
        Directory { store, auth }
    }

    pub(crate) fn store(&self) -> &Arc<dyn Store> {
        self.store
    }

    /// Drops cached verifications of a principal's credentials.
    pub(crate) fn forget(&self, id: agora_store::PrincipalId) {
        self.auth.forget(id);
    }

    async fn insert(
        &self,
        kind: PrincipalKind,
        entry: &NewEntry,
        resource_kind: Option<ResourceKind>,
        password_hash: Option<String>,
    ) -> Result<Principal> {
        let name = names::principal_name(&entry.name)?;
        let new = NewPrincipal {
            kind,
            display_name: names::display_name(entry.display_name.as_deref(), &name)?,
            name,
            resource_kind,
            emails: names::emails(&entry.emails)?,
            password_hash,
        };
        Ok(self.store.insert_principal(&new, now()).await?)
    }

    /// Creates a user with the given password (checked for length).
    pub async fn add_user(&self, entry: &NewEntry, password: &str) -> Result<Principal> {
        password::check_strength(password)?;
        // Validate before paying for the hash.
        names::principal_name(&entry.name)?;
        names::emails(&entry.emails)?;
        let hash = password::hash_async(password.to_owned()).await;
        self.insert(PrincipalKind::User, entry, None, Some(hash)).await
    }

    /// Creates a group (initially empty).
    pub async fn add_group(&self, entry: &NewEntry) -> Result<Principal> {
        self.insert(PrincipalKind::Group, entry, None, None).await
    }

    /// Creates a bookable resource.
    pub async fn add_resource(&self, entry: &NewEntry, kind: ResourceKind) -> Result<Principal> {
        self.insert(PrincipalKind::Resource, entry, Some(kind), None).await
    }

    /// On a store without users, creates `admin`, an administrator, with a
    /// generated password and returns that password; returns `None` when users exist.
    pub async fn ensure_initial_admin(&self) -> Result<Option<String>> {
        if self.store.count_users().await? > 0 {
            return Ok(None);
        }
        let secret = password::generate();
        let entry = NewEntry { name: "admin".into(), display_name: Some("Administrator".into()), emails: vec![] };
        match self.add_user(&entry, &secret).await {
            Ok(p) => {
                let admin = crate::admin::UserChange { administrator: Some(true), ..Default::default() };
                self.set_user(&p.name, &admin).await?;
                Ok(Some(secret))
            }
            // Another process created it between our count and our insert.
            Err(CoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Finds a principal by name, of the given kind if one is given.
    pub async fn get(&self, kind: Option<PrincipalKind>, name: &str) -> Result<Principal> {
        let not_found = || CoreError::NotFound { what: kind_word(kind), name: name.trim().to_lowercase() };
        let key = names::principal_name(name).map_err(|_| not_found())?;
        match self.store.principal(&key).await? {
            Some(p) if kind.is_none_or(|k| k == p.kind) => Ok(p),
            _ => Err(not_found()),
        }
    }

    /// Every principal of a kind (or all), ordered by name.
    pub async fn list(&self, kind: Option<PrincipalKind>) -> Result<Vec<Principal>> {
        Ok(self.store.principals(kind).await?)
    }

    /// Deletes a principal of the given kind with its addresses, memberships and
    /// app passwords; its cached credentials stop working at once.
    pub async fn delete(&self, kind: PrincipalKind, name: &str) -> Result<()> {
        let p = self.get(Some(kind), name).await?;
        crate::records::holds::refuse_if_held(self.store.as_ref(), &p).await?;
        self.store.delete_principal(p.id).await?;
        self.auth.forget(p.id);
        Ok(())
    }

    /// Replaces a user's password; cached verifications of the old one end at once.
    pub async fn set_password(&self, user: &str, new_password: &str) -> Result<()> {
        password::check_strength(new_password)?;
        let p = self.get(Some(PrincipalKind::User), user).await?;
        let hash = password::hash_async(new_password.to_owned()).await;
        self.store.set_password(p.id, &hash).await?;
        self.auth.forget(p.id);
        Ok(())
    }

    /// Creates an app password for a device and returns it with its one and only
    /// display of the secret.
    pub async fn add_app_password(&self, user: &str, label: &str) -> Result<(AppPassword, String)> {
        let label = names::label(label)?;
        let p = self.get(Some(PrincipalKind::User), user).await?;
        let (secret, hint) = password::generate_app();
        let hash = password::hash_async(secret.clone()).await;
        let app = self.store.insert_app_password(p.id, &label, &hint, &hash, now()).await?;
        Ok((app, secret))
    }

    /// A user's app passwords (without secrets).
    pub async fn app_passwords(&self, user: &str) -> Result<Vec<AppPassword>> {
        let p = self.get(Some(PrincipalKind::User), user).await?;
        Ok(self.store.app_passwords(p.id).await?)
    }

    /// Revokes an app password; a device using it is refused from the next request.
    pub async fn revoke_app_password(&self, user: &str, label: &str) -> Result<()> {
        let p = self.get(Some(PrincipalKind::User), user).await?;
        if !self.store.delete_app_password(p.id, label.trim()).await? {
            return Err(CoreError::NotFound { what: "app password", name: label.trim().to_owned() });
        }
        self.auth.forget(p.id);
        Ok(())
    }

    /// Adds a user or a group to a group.
    pub async fn add_member(&self, group: &str, member: &str) -> Result<()> {
        let g = self.get(Some(PrincipalKind::Group), group).await?;
        let m = self.get(None, member).await?;
        if m.kind == PrincipalKind::Resource {
            return Err(CoreError::Invalid(format!("{:?} is a resource; groups hold users and groups", m.name)));
        }
        Ok(self.store.add_member(g.id, m.id).await?)
    }

    /// Removes a direct member from a group.
    pub async fn remove_member(&self, group: &str, member: &str) -> Result<()> {
        let g = self.get(Some(PrincipalKind::Group), group).await?;
        let m = self.get(None, member).await?;
        if !self.store.remove_member(g.id, m.id).await? {
            return Err(CoreError::NotFound { what: "member", name: format!("{} in {}", m.name, g.name) });
        }
        Ok(())
    }

    /// Principals matching search terms, ordered by name (at most `limit`).
    pub async fn search(&self, terms: &[crate::search::Term], all: bool, limit: usize) -> Result<Vec<Principal>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        Ok(crate::search::filter(self.store.principals(None).await?, terms, all, limit))
    }

    /// The principal a calendar user address names: `mailto:` one of its addresses,
    /// or its principal URL (`/principals/NAME/`).
    pub async fn by_address(&self, address: &str) -> Result<Principal> {
        let not_found = || CoreError::NotFound { what: "principal", name: address.trim().to_owned() };
        match CalAddress::parse(address) {
            // One indexed lookup: free/busy for many attendees asks this per attendee.
            CalAddress::Mail(mail) => self.store.principal_by_email(&mail).await?.ok_or_else(not_found),
            CalAddress::Principal(name) => self.get(None, &name).await.map_err(|_| not_found()),
            CalAddress::Other => Err(not_found()),
        }
    }

    /// A principal by id.
    pub async fn by_id(&self, id: agora_store::PrincipalId) -> Result<Principal> {
        self.store
            .principal_by_id(id)
            .await?
            .ok_or_else(|| CoreError::NotFound { what: "principal", name: id.to_string() })
    }

    /// Groups a principal belongs to directly.
    pub async fn groups_of(&self, principal: &Principal) -> Result<Vec<Principal>> {
        Ok(self.store.groups_of(principal.id).await?)
    }

    /// Direct members of a group.
    pub async fn members(&self, group: &str) -> Result<Vec<Principal>> {
        let g = self.get(Some(PrincipalKind::Group), group).await?;
        Ok(self.store.members(g.id).await?)
    }
}
