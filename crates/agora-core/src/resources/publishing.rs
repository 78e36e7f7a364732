//! Publishing a calendar: a revocable secret link serving a read-only iCalendar
//! feed (webcal) to anyone who has it. The feed shows what a reader without write
//! access sees: CONFIDENTIAL events as times only, PRIVATE ones not at all.

use agora_store::{Collection, CollectionKind};
use rand::RngCore;

use super::{Access, Resources};
use crate::error::{CoreError, Result};
use crate::{Core, now};

fn new_token() -> String {
    let mut b = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Resources<'_> {
    /// Publishes a calendar under a new secret token (the old link stops working).
    pub async fn publish(&self, c: &Collection) -> Result<String> {
        self.authorize(c, Access::WriteAcl).await?;
        if c.kind != CollectionKind::Calendar || c.share_id.is_some() {
            return Err(CoreError::Forbidden("only one's own calendars can be published".into()));
        }
        let token = new_token();
        self.store().publish(c.id, &token, now()).await?;
        self.core.record(Some(self.who), "publish", &c.path, None).await?;
        Ok(token)
    }

    /// Publishes a calendar under a token it had elsewhere (`agora import` of an
    /// `agora export`: the links already handed out keep working after a move).
    /// The token must look like one this server makes (32 to 128 lower-case hex digits)
    /// so that a manifest cannot set a guessable link.
    pub async fn publish_with_token(&self, c: &Collection, token: &str) -> Result<()> {
        self.authorize(c, Access::WriteAcl).await?;
        if c.kind != CollectionKind::Calendar || c.share_id.is_some() {
            return Err(CoreError::Forbidden("only one's own calendars can be published".into()));
        }
        if token.len() < 32
            || token.len() > 128
            || !token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(CoreError::Invalid("a publication token is 32 to 128 lower-case hexadecimal digits".into()));
        }
        if self.store().publication(c.id).await?.as_deref() == Some(token) {
            return Ok(());
        }
        Ok(self.store().publish(c.id, token, now()).await?)
    }

    /// Revokes a calendar's link. Returns whether it was published.
    pub async fn unpublish(&self, c: &Collection) -> Result<bool> {
        self.authorize(c, Access::WriteAcl).await?;
        let done = self.store().unpublish(c.id).await?;
        if done {
            self.core.record(Some(self.who), "unpublish", &c.path, None).await?;
        }
        Ok(done)
    }

    /// The token a calendar is published under (readers may see the link).
    pub async fn publication(&self, c: &Collection) -> Result<Option<String>> {
        self.authorize(c, Access::Read).await?;
        Ok(self.store().publication(c.id).await?)
    }
}

/// What a publication serves: the calendar, its stored properties (for its
/// name) and the visible text of each object.
pub struct Published {
    /// The published calendar.
    pub collection: Collection,
    /// Its dead properties (Clark name, verbatim XML).
    pub properties: Vec<(String, String)>,
    /// Each object as an anonymous reader may see it.
    pub objects: Vec<String>,
}

impl Core {
    /// What a publication token serves, `None` for an unknown or revoked one.
    pub async fn published(&self, token: &str) -> Result<Option<Published>> {
        let Some(collection) = self.store.published(token).await? else { return Ok(None) };
        let mut objects = Vec::new();
        // An anonymous reader never writes: the same shaping as any other reader's.
        for object in self.store.objects(collection.id).await? {
            let view = super::reading::view_of(object.meta.class, false);
            if let Some(shaped) = super::reading::shape(object, view) {
                objects.push(String::from_utf8_lossy(&shaped.data).into_owned());
            }
        }
        let properties = self.store.collection_properties(collection.id).await?;
        Ok(Some(Published { collection, properties, objects }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_long_and_random() {
        assert_eq!(super::new_token().len(), 40);
        assert_ne!(super::new_token(), super::new_token());
    }
}
