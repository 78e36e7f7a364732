//! Password hashing (argon2id, the crate's defaults: 19 MiB, 2 passes, 1 lane —
//! OWASP's recommendation) and generation of account and app passwords.
//!
//! Hashing costs tens of milliseconds of CPU on purpose, so the async helpers run it
//! on the blocking pool instead of stalling a request thread.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use rand::rngs::OsRng;

use crate::error::{CoreError, Result};

/// Shortest password a person may choose (generated ones are longer).
pub const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 1024;

/// Letters and digits without look-alikes (0/O, 1/l/I), so that a password read
/// off a terminal can be typed into a phone.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// App passwords are lower-case only: phones capitalise the first letter typed.
const APP_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
const APP_GROUPS: usize = 5;
const APP_GROUP_LEN: usize = 5;

/// Checks a password chosen by a person.
pub fn check_strength(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(CoreError::Invalid(format!("a password needs at least {MIN_LENGTH} characters")));
    }
    if n > MAX_LENGTH {
        return Err(CoreError::Invalid(format!("a password is at most {MAX_LENGTH} characters")));
    }
    Ok(())
}

/// A random 20-character account password (about 116 bits).
pub fn generate() -> String {
    let mut rng = OsRng;
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// A random app password `xxxxx-xxxxx-xxxxx-xxxxx-xxxxx` (125 bits) and its hint,
/// the first group, which is stored in clear to find the one hash to verify.
pub fn generate_app() -> (String, String) {
    let mut rng = OsRng;
    let groups: Vec<String> = (0..APP_GROUPS)
        .map(|_| (0..APP_GROUP_LEN).map(|_| APP_ALPHABET[rng.gen_range(0..APP_ALPHABET.len())] as char).collect())
        .collect();
    let hint = groups[0].clone();
    (groups.join("-"), hint)
}

/// The hint of a string shaped like an app password, if it is one.
pub fn app_hint(candidate: &str) -> Option<&str> {
    let groups: Vec<&str> = candidate.split('-').collect();
    let shaped = groups.len() == APP_GROUPS
        && groups.iter().all(|g| g.len() == APP_GROUP_LEN && g.bytes().all(|b| APP_ALPHABET.contains(&b)));
    shaped.then(|| groups[0])
}

/// Hashes a password into a PHC string.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password and salt")
        .to_string()
}

/// Whether `password` matches a PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Argon2 computations running at once: one per core. Each takes 19 MiB, and a
/// burst of logins (every phone and desktop after a restart) would otherwise put
/// one on a blocking thread each and hold that memory; queued checks wait instead.
fn gate() -> &'static tokio::sync::Semaphore {
    static GATE: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    GATE.get_or_init(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

/// [`hash`] on the blocking pool, within the gate.
pub async fn hash_async(password: String) -> String {
    let _permit = gate().acquire().await.expect("the gate is never closed");
    tokio::task::spawn_blocking(move || hash(&password)).await.expect("hashing does not panic")
}

/// Whether `password` matches any of `hashes` ([`verify`] on the blocking pool,
/// within the gate).
pub async fn verify_async(password: String, hashes: Vec<String>) -> bool {
    let _permit = gate().acquire().await.expect("the gate is never closed");
    tokio::task::spawn_blocking(move || hashes.iter().any(|h| verify(&password, h))).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsf", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_strong_and_distinct() {
        let a = generate();
        assert_eq!(a.len(), 20);
        assert_ne!(a, generate());
        check_strength(&a).unwrap();
        assert!(check_strength("short").is_err());
    }

    #[test]
    fn app_passwords_carry_their_hint() {
        let (pw, hint) = generate_app();
        assert_eq!(pw.len(), 29);
        assert_eq!(app_hint(&pw), Some(hint.as_str()));
        assert_eq!(app_hint("not-an-app-password"), None);
        assert_eq!(app_hint("ABCDE-abcde-abcde-abcde-abcde"), None);
    }
}
