//! Two-factor sign-in (TOTP): enrolment with a QR code, recovery codes, turning it off.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::server::auth::{guard, password, token, totp},
    crate::server::db::AuditEntry,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaStatus {
    pub enabled: bool,
    /// Required for the user's role by an admin.
    pub required: bool,
    pub recovery_codes_left: i64,
    /// An enrolment in progress: the secret and its QR code (SVG).
    pub pending: Option<PendingEnrolment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingEnrolment {
    pub secret: String,
    pub qr_svg: String,
}

#[cfg(feature = "ssr")]
const RECOVERY_CODES: usize = 10;

/// The session for the two-factor pages: signed in, password change done, MFA not pending.
#[cfg(feature = "ssr")]
fn mfa_session() -> Result<crate::server::auth::session::Session, AppError> {
    match guard::session() {
        Some(s) if !s.mfa_pending && !s.user.must_change_password => Ok(s),
        Some(_) => Err(AppError::Forbidden.respond()),
        None => Err(AppError::Unauthorized.respond()),
    }
}

#[server(prefix = "/rpc", endpoint = "mfa_overview")]
pub async fn mfa_overview() -> Result<MfaStatus, AppError> {
    let s = mfa_session()?;
    let db = guard::db();
    let pending = s
        .user
        .totp_pending_secret
        .as_ref()
        .map(|secret| PendingEnrolment {
            secret: secret.clone(),
            qr_svg: totp::qr_svg(&totp::provisioning_uri(secret, &s.user.email)),
        });
    Ok(MfaStatus {
        enabled: s.user.totp_secret.is_some(),
        required: guard::mfa_required_roles(&db)
            .await?
            .contains(&s.user.role()),
        recovery_codes_left: db.unused_recovery_codes(s.user.id).await?,
        pending,
    })
}

/// Starts an enrolment: a new secret waits for its first code.
#[server(prefix = "/rpc", endpoint = "mfa_begin")]
pub async fn mfa_begin() -> Result<(), AppError> {
    let s = mfa_session()?;
    let mut tx = guard::db().begin().await?;
    tx.set_pending_totp(s.user.id, Some(&totp::new_secret()))
        .await?;
    tx.commit().await
}

/// Finishes the enrolment with a code from the app; answers the recovery codes, shown once.
#[server(prefix = "/rpc", endpoint = "mfa_confirm")]
pub async fn mfa_confirm(code: String) -> Result<Vec<String>, AppError> {
    let s = mfa_session()?;
    let Some(secret) = s.user.totp_pending_secret.clone() else {
        return Err(AppError::invalid("code", "Start the set-up first").respond());
    };
    let Some(step) = totp::verify(&secret, &code, chrono::Utc::now().timestamp()) else {
        return Err(AppError::invalid(
            "code",
            "That code is not valid; check the time on your phone",
        )
        .respond());
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| token::sha256_hex(&super::api::normalize_recovery_code(c)))
        .collect();
    let mut tx = guard::db().begin().await?;
    tx.set_totp(s.user.id, Some(&secret), Some(step), &hashes)
        .await?;
    tx.audit(
        &AuditEntry::new(guard::actor(&s), "user.mfa_enable", guard::origin()).record(
            "user",
            s.user.id,
            &s.user.email,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// `xxxx-xxxx-xxxx`: 60 bits from an alphabet without look-alike characters.
#[cfg(feature = "ssr")]
fn recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let chars: String = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
}

/// Turns two-factor off after checking the password; refused where the role requires it.
#[server(prefix = "/rpc", endpoint = "mfa_disable")]
pub async fn mfa_disable(password: String) -> Result<(), AppError> {
    let s = mfa_session()?;
    let db = guard::db();
    if !password::verify(password, Some(s.user.password_hash.clone())).await {
        return Err(AppError::invalid("password", "Your password is not right").respond());
    }
    if guard::mfa_required_roles(&db)
        .await?
        .contains(&s.user.role())
    {
        return Err(
            AppError::Conflict("Two-factor sign-in is required for your role".into()).respond(),
        );
    }
    let mut tx = db.begin().await?;
    tx.set_totp(s.user.id, None, None, &[]).await?;
    tx.audit(
        &AuditEntry::new(guard::actor(&s), "user.mfa_disable", guard::origin()).record(
            "user",
            s.user.id,
            &s.user.email,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account/mfa");
    Ok(())
}
