//! A message shown once, on the page a form redirects to ("Nacro was added"): post →
//! redirect → get, so that reloading the page never posts the form twice.
//!
//! The message travels in a short-lived cookie rather than in the address, so that
//! it cannot be forged by a link and does not stay in the browser's history; the page
//! that shows it removes it ([`SecureHeaders`](crate::web::SecureHeaders) does this for
//! every page).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use poem::http::{StatusCode, header};
use poem::{Request, Response};

use crate::web::session::{cookie, set_cookie};

/// The cookie that carries the message.
pub const FLASH_COOKIE: &str = "minutebook_flash";

/// The longest message kept, in bytes, well inside a cookie's limits.
const MAX_BYTES: usize = 600;

/// A `303 See Other` to `location` that shows `message` there.
pub fn redirect(req: &Request, location: &str, message: &str) -> Response {
    let mut text = message.to_owned();
    while text.len() > MAX_BYTES {
        text.pop();
    }
    let value = URL_SAFE_NO_PAD.encode(text.as_bytes());
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .header(
            header::SET_COOKIE,
            set_cookie(req, FLASH_COOKIE, &value, "/", "Lax", Some(120)),
        )
        .finish()
}

/// The message this request carries, if any.
pub fn message(req: &Request) -> Option<String> {
    let value = cookie(req, FLASH_COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(value.as_bytes()).ok()?;
    String::from_utf8(bytes).ok().filter(|m| !m.is_empty())
}

/// Whether the request carries a message (which its page will show).
pub fn carried(req: &Request) -> bool {
    cookie(req, FLASH_COOKIE).is_some_and(|v| !v.is_empty())
}

/// Removes the message once a page has shown it: added to a successful page's
/// answer when the request carried one and the answer does not set a new one.
pub fn clear_after_showing(over_https: bool, response: &mut Response) {
    if !response.status().is_success() {
        return;
    }
    let sets_new = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with(FLASH_COOKIE));
    if sets_new {
        return;
    }
    let secure = if over_https { "; Secure" } else { "" };
    let value = format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
    if let Ok(value) = value.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
