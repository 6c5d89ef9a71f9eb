//! Account pages: setup, sign-in, second step, sign-out, password, two-factor.

pub mod account;
pub mod login;
pub mod logout;
pub mod mfa;
pub mod password;
pub mod setup;
