//! Messages shown as HTML that is safe to show. What people write in a ticket may be plain
//! text (from the portal or the UI: line breaks kept, nothing read as markup) or HTML (from an
//! email or an integration: formatting kept, everything that runs or loads removed).

use serde::{Deserialize, Serialize};

/// HTML made safe on the server; the browser only shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "ssr")]
impl SafeHtml {
    pub fn from_message(text: &str) -> Self {
        Self(if is_html(text) {
            CLEANER.clean(text).to_string()
        } else {
            format!(r#"<div class="pre">{}</div>"#, escape(text))
        })
    }
}

/// A message is HTML when it closes or breaks like HTML; "a < b" or "<none>" stay text.
#[cfg(feature = "ssr")]
fn is_html(text: &str) -> bool {
    text.contains("</") || text.contains("<br") || text.contains("<p>")
}

#[cfg(feature = "ssr")]
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Formatting tags only: no images (remote images track who reads), no scripts, styles,
/// forms or frames; links only to web, mail and phone addresses, and never with the
/// reader's session behind them.
#[cfg(feature = "ssr")]
static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.rm_tags(["img", "area", "map"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"));
    b
});
