//! Files served for download: a payload whose media type is decided per response
//! (an invitation is `text/calendar; method=REQUEST` or `…; method=CANCEL`), and the
//! `ETag` / `If-None-Match` handling that lets calendar apps poll cheaply.

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use sha2::{Digest, Sha256};

/// The media type a kind of download is described with in the OpenAPI document.
pub trait MediaType: Send {
    const CONTENT_TYPE: &'static str;
}

/// iCalendar files.
pub struct Calendar;
impl MediaType for Calendar {
    const CONTENT_TYPE: &'static str = "text/calendar";
}

/// Spreadsheet exports.
pub struct Csv;
impl MediaType for Csv {
    const CONTENT_TYPE: &'static str = "text/csv";
}

/// The bytes of a file and the exact `Content-Type` to send with them.
pub struct Download<M: MediaType> {
    bytes: Vec<u8>,
    content_type: &'static str,
    _kind: PhantomData<M>,
}

impl<M: MediaType> Download<M> {
    pub fn new(bytes: Vec<u8>, content_type: &'static str) -> Self {
        Self {
            bytes,
            content_type,
            _kind: PhantomData,
        }
    }
}

impl<M: MediaType> Payload for Download<M> {
    const CONTENT_TYPE: &'static str = M::CONTENT_TYPE;

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("binary"),
            ..MetaSchema::new("string")
        }))
    }
}

impl<M: MediaType> IntoResponse for Download<M> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(self.content_type)
            .body(self.bytes)
    }
}

/// A strong entity tag from the bytes themselves: it changes exactly when the file
/// does.
pub fn content_etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` header names `etag` (or is `*`). Weak tags compare
/// by their value, as RFC 9110 asks for `If-None-Match`.
pub fn none_match(header: Option<&str>, etag: &str) -> bool {
    let Some(header) = header else { return false };
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag.trim_start_matches("W/"))
}

/// `Content-Disposition` for a download: an ASCII `filename` and the UTF-8
/// `filename*` (RFC 6266) so that any name survives.
pub fn attachment(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        assert!(none_match(Some("\"a\""), "\"a\""));
        assert!(none_match(Some("\"b\", W/\"a\""), "\"a\""));
        assert!(none_match(Some("*"), "\"a\""));
        assert!(!none_match(Some("\"b\""), "\"a\""));
        assert!(!none_match(None, "\"a\""));
    }

    #[test]
    fn file_names_are_quoted_and_encoded() {
        assert_eq!(
            attachment("rr3-meetings.ics"),
            "attachment; filename=\"rr3-meetings.ics\"; filename*=UTF-8''rr3-meetings.ics"
        );
    }
}
