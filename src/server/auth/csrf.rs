//! Cross-site request forgery defence: a state-changing request that a browser marks as coming
//! from another site is refused. Browsers send `Sec-Fetch-Site` (and `Origin`) on every such
//! request; scripts without either are not browsers and carry no ambient cookies worth abusing.

use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn protect(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || same_site(req.headers())
    {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "Cross-site request refused").into_response()
    }
}

fn same_site(headers: &HeaderMap) -> bool {
    let get = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin" || site == "none";
    }
    match (get(header::ORIGIN), get(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, origin_host)| origin_host.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::same_site;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn decides_from_fetch_metadata_then_origin() {
        assert!(same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_site(&headers(&[
            ("origin", "http://docket.local:3000"),
            ("host", "docket.local:3000")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "docket.local")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "null"),
            ("host", "docket.local")
        ])));
        assert!(same_site(&headers(&[])), "non-browser clients send neither");
    }
}
