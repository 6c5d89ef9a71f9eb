//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), and the enrolment QR code.

use super::token::constant_time_eq;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

const STEP_SECONDS: i64 = 30;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new shared secret, base32 as authenticator apps expect it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The 6-digit code of `secret` for time step `step`.
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!("{:06}", value % 1_000_000))
}

pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The time step whose code matches, allowing one step of clock drift either way.
pub fn verify(secret: &str, code: &str, unix_seconds: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let now = step_at(unix_seconds);
    (now - 1..=now + 1).find(|&step| {
        code_at(secret, step)
            .is_some_and(|expected| constant_time_eq(expected.as_bytes(), code.as_bytes()))
    })
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn provisioning_uri(secret: &str, account: &str) -> String {
    let account: String = account
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("otpauth://totp/Docket:{account}?secret={secret}&issuer=Docket&algorithm=SHA1&digits=6&period=30")
}

/// The QR code of `text` as an inline SVG, drawn on the server.
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<svg::Color>()
                .min_dimensions(200, 200)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_6238_test_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(code_at(&secret, step_at(59)).unwrap(), "287082");
        assert_eq!(code_at(&secret, step_at(1111111109)).unwrap(), "081804");
    }

    #[test]
    fn accepts_one_step_of_drift_and_nothing_more() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, step_at(now)).unwrap();
        assert_eq!(verify(&secret, &code, now), Some(step_at(now)));
        assert!(verify(&secret, &code, now + 30).is_some());
        assert!(verify(&secret, &code, now + 90).is_none());
        assert!(verify(&secret, "12345", now).is_none());
    }

    #[test]
    fn renders_a_qr_code_svg() {
        let svg = qr_svg(&provisioning_uri("JBSWY3DPEHPK3PXP", "ana@example.com"));
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
