//! Password hashing with argon2id, off the async runtime.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::LazyLock;

/// Verified against when the account does not exist, so both answers take as long.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_blocking("not a real password at all"));

fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .expect("argon2 hashing with default parameters")
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing task failed");
            AppError::Internal
        })
}

/// Checks `password` against `hash`; with no hash, checks a dummy and returns false.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && known
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let hash = super::hash("violet-harbour-kettle".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(super::verify("violet-harbour-kettle".into(), Some(hash.clone())).await);
        assert!(!super::verify("violet-harbour-kettlE".into(), Some(hash)).await);
        assert!(!super::verify("not a real password at all".into(), None).await);
    }
}
