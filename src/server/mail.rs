//! Outgoing mail over SMTP: invitations, password resets and ticket replies to contacts.

use crate::error::AppError;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// The mail settings every request can reach; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>,
    from: Mailbox,
    /// Where people reach Docket, for links; no trailing slash.
    pub public_url: String,
}

/// One message, plain text.
pub struct Mail<'a> {
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub subject: &'a str,
    pub body: String,
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str, public_url: String) -> anyhow::Result<Self> {
        let transport = match smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Some(Arc::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(Duration::from_secs(15)))
                    .build(),
            )),
            None => None,
        };
        Ok(Self {
            transport,
            from: from.parse()?,
            public_url,
        })
    }

    /// From the configuration; fails on an unreadable server URL or sender.
    pub fn from_config(config: &crate::server::config::Config) -> anyhow::Result<Self> {
        Self::new(
            config.smtp_url.as_deref(),
            &config.mail_from,
            config.public_url(),
        )
    }

    /// Whether mail can be sent at all.
    pub fn enabled(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends one message; Ok(false) when no mail server is configured.
    pub async fn send(&self, mail: Mail<'_>) -> Result<bool, AppError> {
        let Some(transport) = &self.transport else {
            return Ok(false);
        };
        let to = Mailbox::new(
            Some(mail.to_name.trim().to_string()).filter(|n| !n.is_empty()),
            mail.to_email.trim().parse().map_err(|_| {
                AppError::invalid("email", "This contact's email address cannot receive mail")
            })?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|err| {
                tracing::error!(error = %err, "building a message failed");
                AppError::Internal
            })?;
        transport.send(message).await.map_err(|err| {
            tracing::error!(error = %err, "sending mail failed");
            AppError::Conflict("The mail server did not accept the message; try again later".into())
        })?;
        Ok(true)
    }

    /// A link into Docket for a path such as `/portal/password?token=...`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}
