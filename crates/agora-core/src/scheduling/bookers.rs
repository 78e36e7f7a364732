//! Who may book a room or piece of equipment: anyone, or only the members
//! (direct or through nested groups) of the group an administrator chose. An
//! organiser outside it gets DECLINED with the reason as the room's comment on
//! its answer (RFC 5546 §3.2.3 allows COMMENT in a REPLY; the organiser's copy
//! records it as X-RESPONSE-COMMENT, see agora-ical's `itip::comment`), whether
//! the room answers by itself or waits for a person: a person answering for
//! the room should not have to sort out who was entitled to ask.

use agora_store::{Principal, PrincipalKind};

use crate::Core;
use crate::error::Result;

impl Core {
    /// Why `organizer` (a calendar user address) may not book `resource`;
    /// `None` when they may (or when it is not a resource).
    pub(crate) async fn booking_refusal(
        &self,
        resource: &Principal,
        organizer: Option<&str>,
    ) -> Result<Option<String>> {
        if resource.kind != PrincipalKind::Resource {
            return Ok(None);
        }
        let Some(group_id) = resource.settings.bookers else { return Ok(None) };
        let group = match self.store.principal_by_id(group_id).await? {
            Some(g) => g,
            // Gone since (deleting the group clears the rule in the store).
            None => return Ok(None),
        };
        let local = match organizer {
            Some(address) => self.local_principal(address).await?,
            None => None,
        };
        let member = match &local {
            Some(p) if p.id == group.id => true,
            Some(p) => self.store.memberships(p.id).await?.contains(&group.id),
            None => false,
        };
        if member {
            return Ok(None);
        }
        // Written for the organiser: in their language when they are ours.
        let lang = match &local {
            Some(p) => self.language_of(p.id).await,
            None => self.default_language(),
        };
        let (g, r) = (&group.display_name, &resource.display_name);
        Ok(Some(lang.pick(
            format!("Only members of {g} may book {r}."),
            format!("Seuls les membres de {g} peuvent réserver {r}."),
        )))
    }
}
