//! Server functions for setup, sign-in, sign-out and password changes.

use super::model::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::model::{email_problem, name_problem, password_problem, Role},
    crate::server::auth::{guard, password, session},
    crate::server::db::{Actor, AuditEntry, Db, Limit, NewUser, Origin, UserRow},
    chrono::{Duration, Utc},
};

/// Five wrong passwords for one account within 15 minutes block it for 15 minutes.
#[cfg(feature = "ssr")]
pub const ACCOUNT_LIMIT: Limit = Limit {
    max_failures: 5,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};
/// Twenty failures from one address within 15 minutes block it for 15 minutes.
#[cfg(feature = "ssr")]
pub const IP_LIMIT: Limit = Limit {
    max_failures: 20,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};

#[cfg(feature = "ssr")]
pub fn current_user_of(user: &UserRow) -> CurrentUser {
    CurrentUser {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role(),
        mfa_enabled: user.totp_secret.is_some(),
    }
}

/// The signed-in technician, if any (None while the second step is pending).
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(guard::session()
        .filter(|s| !s.mfa_pending)
        .map(|s| current_user_of(&s.user)))
}

/// True while no technician exists.
#[server(prefix = "/rpc", endpoint = "setup_needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    Ok(!guard::db().has_users().await?)
}

/// Checks a new password and its confirmation; field names match the forms.
#[cfg(feature = "ssr")]
fn check_new_password(password: &str, confirm: &str) -> Result<(), AppError> {
    if let Some(problem) = password_problem(password) {
        return Err(AppError::invalid("password", problem).respond());
    }
    if password != confirm {
        return Err(AppError::invalid("confirm", "The passwords do not match").respond());
    }
    Ok(())
}

/// Creates the first admin and signs them in. Answers 404 once any technician exists.
#[server(prefix = "/rpc", endpoint = "setup_admin")]
pub async fn setup_admin(
    name: String,
    email: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    let db = guard::db();
    if db.has_users().await? {
        return Err(AppError::NotFound.respond());
    }
    let mut problems = Vec::new();
    if let Some(p) = name_problem(&name) {
        problems.extend(AppError::invalid("name", p).into_fields());
    }
    if let Some(p) = email_problem(&email) {
        problems.extend(AppError::invalid("email", p).into_fields());
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems).respond());
    }
    check_new_password(&password, &confirm)?;
    let hash = password::hash(password).await?;
    let origin = guard::origin();
    let mut tx = db.begin().await?;
    let new = NewUser {
        email: &email,
        name: &name,
        role: Role::Admin,
        password_hash: &hash,
        must_change_password: false,
    };
    let id = tx.insert_user(&new).await.map_err(AppError::respond)?;
    let actor = Actor::user(id, format!("{} <{}>", name.trim(), email.trim()));
    tx.audit(
        &AuditEntry::new(actor, "user.create", origin.clone())
            .record("user", id, email.trim())
            .change("role", "", "admin"),
    )
    .await?;
    tx.commit().await?;
    let user = db.user_by_id(id).await?.ok_or(AppError::Internal)?;
    sign_in(&db, &user, &origin, "/").await
}

/// Starts a full session for `user`, records it, sets the cookie and redirects.
#[cfg(feature = "ssr")]
async fn sign_in(db: &Db, user: &UserRow, origin: &Origin, next: &str) -> Result<(), AppError> {
    if let Some(old) = guard::session() {
        db.delete_session(&old.id_hash).await?;
    }
    let token = session::start(db, user, false, origin).await?;
    db.record_login(user.id, Utc::now()).await?;
    db.audit(&AuditEntry::new(
        Actor::user(user.id, label(user)),
        "login.ok",
        origin.clone(),
    ))
    .await?;
    set_cookie(&guard::cookie_policy().set(&token));
    leptos_axum::redirect(next);
    Ok(())
}

#[cfg(feature = "ssr")]
fn label(user: &UserRow) -> String {
    format!("{} <{}>", user.name, user.email)
}

#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(value: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// Refuses with 429 when a bucket is blocked, recording the refusal.
#[cfg(feature = "ssr")]
pub(crate) async fn check_blocked(
    db: &Db,
    buckets: &[&str],
    actor: &Actor,
    origin: &Origin,
) -> Result<(), AppError> {
    for bucket in buckets {
        if let Some(until) = db.blocked_until(bucket, Utc::now()).await? {
            db.audit(&AuditEntry::new(
                actor.clone(),
                "login.blocked",
                origin.clone(),
            ))
            .await?;
            return Err(AppError::throttled_until(until).respond());
        }
    }
    Ok(())
}

/// Email and password. With two-factor on, the session waits for the second step.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let db = guard::db();
    let origin = guard::origin();
    let email_key = email.trim().to_lowercase();
    let account_bucket = format!("login-account:{email_key}");
    let ip_bucket = format!("login-ip:{}", origin.ip.as_deref().unwrap_or("unknown"));
    let attempt = Actor::anonymous(email_key.chars().take(254).collect::<String>());
    check_blocked(&db, &[&account_bucket, &ip_bucket], &attempt, &origin).await?;

    let user = db.user_by_email(&email_key).await?;
    let valid = password::verify(password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let Some(user) = user.filter(|u| valid && u.disabled_at.is_none()) else {
        db.audit(&AuditEntry::new(attempt, "login.failed", origin))
            .await?;
        let now = Utc::now();
        let account_block = db
            .record_failure(&account_bucket, ACCOUNT_LIMIT, now)
            .await?;
        let ip_block = db.record_failure(&ip_bucket, IP_LIMIT, now).await?;
        if let Some(until) = account_block.or(ip_block) {
            return Err(AppError::throttled_until(until).respond());
        }
        return Err(AppError::invalid("password", "Email or password is incorrect").respond());
    };
    db.clear_failures(&account_bucket).await?;
    let next = guard::safe_next(next.as_deref());
    if user.totp_secret.is_none() {
        return sign_in(&db, &user, &origin, &next).await;
    }
    if let Some(old) = guard::session() {
        db.delete_session(&old.id_hash).await?;
    }
    let token = session::start(&db, &user, true, &origin).await?;
    db.audit(&AuditEntry::new(
        Actor::user(user.id, label(&user)),
        "login.password_ok",
        origin,
    ))
    .await?;
    set_cookie(&guard::cookie_policy().set(&token));
    leptos_axum::redirect(&format!("/login/mfa?next={}", crate::url::encode(&next)));
    Ok(())
}

/// Five wrong second-step codes within 15 minutes lock the second step for 15 minutes.
#[cfg(feature = "ssr")]
pub const MFA_LIMIT: Limit = Limit {
    max_failures: 5,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};

/// The second step: a code from the authenticator app, or one of the recovery codes.
#[server(prefix = "/rpc", endpoint = "login_mfa")]
pub async fn login_mfa(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::auth::{token::sha256_hex, totp};
    let Some(pending) = guard::session().filter(|s| s.mfa_pending) else {
        return Err(AppError::Unauthorized.respond());
    };
    let db = guard::db();
    let origin = guard::origin();
    let user = pending.user;
    let actor = Actor::user(user.id, label(&user));
    let bucket = format!("mfa:{}", user.id);
    check_blocked(&db, &[&bucket], &actor, &origin).await?;

    let code = code.trim();
    let valid = if code.len() > 6 {
        db.use_recovery_code(user.id, &sha256_hex(&normalize_recovery_code(code)))
            .await?
    } else {
        let secret = user.totp_secret.clone().unwrap_or_default();
        match totp::verify(&secret, code, Utc::now().timestamp()) {
            Some(step) => db.use_totp_step(user.id, step).await?,
            None => false,
        }
    };
    if !valid {
        db.audit(&AuditEntry::new(actor, "login.mfa_failed", origin))
            .await?;
        if let Some(until) = db.record_failure(&bucket, MFA_LIMIT, Utc::now()).await? {
            return Err(AppError::throttled_until(until).respond());
        }
        return Err(AppError::invalid("code", "That code is not valid").respond());
    }
    db.clear_failures(&bucket).await?;
    sign_in(&db, &user, &origin, &guard::safe_next(next.as_deref())).await
}

/// Recovery codes are compared without case, spaces or dashes.
#[cfg(feature = "ssr")]
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ends this session.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    if let Some(s) = guard::session() {
        let db = guard::db();
        db.delete_session(&s.id_hash).await?;
        db.audit(&AuditEntry::new(
            Actor::user(s.user.id, label(&s.user)),
            "logout",
            guard::origin(),
        ))
        .await?;
    }
    set_cookie(&guard::cookie_policy().clear());
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends every session of the signed-in technician, on every device.
#[server(prefix = "/rpc", endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let s = guard::require_user()?;
    let db = guard::db();
    let ended = db.delete_user_sessions(s.user.id, None).await?;
    db.audit(
        &AuditEntry::new(guard::actor(&s), "logout.everywhere", guard::origin())
            .change("sessions", ended, 0),
    )
    .await?;
    set_cookie(&guard::cookie_policy().clear());
    leptos_axum::redirect("/login");
    Ok(())
}

/// Changes the signed-in technician's password; their other sessions end.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    // A forced change is allowed before anything else, so this checks the session itself.
    let Some(s) = guard::session().filter(|s| !s.mfa_pending) else {
        return Err(AppError::Unauthorized.respond());
    };
    if !password::verify(current, Some(s.user.password_hash.clone())).await {
        return Err(AppError::invalid("current", "Your current password is not right").respond());
    }
    check_new_password(&password, &confirm)?;
    let db = guard::db();
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    tx.set_password(s.user.id, &hash, false).await?;
    tx.audit(
        &AuditEntry::new(guard::actor(&s), "user.password_change", guard::origin()).record(
            "user",
            s.user.id,
            &s.user.email,
        ),
    )
    .await?;
    tx.commit().await?;
    db.delete_user_sessions(s.user.id, Some(&s.id_hash)).await?;
    leptos_axum::redirect("/account?changed=password");
    Ok(())
}
