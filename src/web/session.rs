//! Cookies, sessions and the CSRF check of the web pages.
//!
//! The session cookie holds a random secret whose hash names a row of
//! `web_sessions`; it is `HttpOnly`, `SameSite=Lax`, and `Secure` whenever the
//! request came over HTTPS (directly or through a proxy that says so). Every form
//! carries the session's CSRF token in a hidden field, and every POST is refused
//! without it (the synchronizer-token pattern); the sign-in form, which comes before
//! any session, uses a short-lived cookie of its own with the same value as its
//! hidden field (double submit).

use poem::Request;
use poem::http::header;

use crate::Result;
use crate::service::sign_in::{self, WebSession};
use crate::startup::AppState;

pub use crate::web::form::FormFields;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "minutebook_session";
/// The cookie that pairs the sign-in page with its form.
pub const SIGN_IN_COOKIE: &str = "minutebook_sign_in";
/// The hidden field every form carries.
pub const CSRF_FIELD: &str = "csrf_token";

/// Whether the browser reached us over HTTPS: directly, or through a proxy that
/// says so with `X-Forwarded-Proto` or `Forwarded`.
pub fn came_over_https(req: &Request) -> bool {
    if req.uri().scheme_str() == Some("https") {
        return true;
    }
    let header_says = |name: &str, check: &dyn Fn(&str) -> bool| {
        req.headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(check)
    };
    header_says("x-forwarded-proto", &|v| {
        v.split(',')
            .next()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
    }) || header_says("forwarded", &|v| {
        v.split([';', ','])
            .any(|part| part.trim().eq_ignore_ascii_case("proto=https"))
    })
}

/// The value of the cookie `name`, if the request carries it.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// A `Set-Cookie` value. `max_age` of `None` makes a cookie that lasts while the
/// browser is open; `Some(0)` removes it.
pub fn set_cookie(
    req: &Request,
    name: &str,
    value: &str,
    path: &str,
    same_site: &str,
    max_age: Option<i64>,
) -> String {
    let mut cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if came_over_https(req) {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The signed-in session of this request, if any.
pub async fn current(req: &Request, state: &AppState) -> Result<Option<WebSession>> {
    match cookie(req, SESSION_COOKIE) {
        Some(secret) if !secret.is_empty() => sign_in::session(&state.db, &secret).await,
        _ => Ok(None),
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_when_equal_and_not_empty() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", ""));
    }

    #[test]
    fn a_proxy_can_say_the_request_came_over_https() {
        let plain = Request::builder().uri_str("/meetings").finish();
        assert!(!came_over_https(&plain));
        let proxied = Request::builder()
            .uri_str("/meetings")
            .header("X-Forwarded-Proto", "https")
            .finish();
        assert!(came_over_https(&proxied));
        let forwarded = Request::builder()
            .uri_str("/meetings")
            .header("Forwarded", "for=192.0.2.1;proto=https")
            .finish();
        assert!(came_over_https(&forwarded));
    }

    #[test]
    fn cookies_are_found_by_name_among_others() {
        let req = Request::builder()
            .header("Cookie", "a=1; minutebook_session=mb_x; b=2")
            .finish();
        assert_eq!(cookie(&req, SESSION_COOKIE).as_deref(), Some("mb_x"));
        assert_eq!(cookie(&req, "c"), None);
    }

    #[test]
    fn form_fields_are_decoded() {
        let form = FormFields::parse(b"csrf_token=t&reason=On+leave%2C+sorry");
        assert_eq!(form.get("reason"), Some("On leave, sorry"));
        assert!(form.has_csrf("t"));
        assert!(!FormFields::parse(b"reason=x").has_csrf("t"));
    }
}
