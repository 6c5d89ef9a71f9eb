//! Authentication and request protection: password hashing, tokens, TOTP, sessions, CSRF,
//! and the checks every server function starts with.

pub mod csrf;
pub mod guard;
pub mod password;
pub mod portal;
pub mod session;
pub mod token;
pub mod totp;
