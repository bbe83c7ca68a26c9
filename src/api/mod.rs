//! The JSON API under `/api/v1`, one module per tag, each with its `#[OpenApi]`
//! struct and its `…In` / `…Patch` / `…Out` objects. Handlers parse, call one
//! service function and shape the answer; the rules live in `domain` and `service`.

// poem-openapi takes every query parameter of an operation as its own argument, so
// list operations with several filters have many arguments by design.
#![allow(clippy::too_many_arguments)]

pub mod actions;
pub mod agenda;
pub mod attendance;
pub mod audit;
pub mod body_limit;
pub mod calendar;
pub mod download;
pub mod error;
pub mod groups;
pub mod meetings;
pub mod memberships;
pub mod note_comments;
pub mod notes;
pub mod organisations;
pub mod people;
pub mod read_cache;
pub mod schema_errors;
pub mod sign_in;
pub mod tokens;

use bytes::Bytes;
use poem::IntoResponse;
use poem_openapi::payload::{Json, Payload};
use poem_openapi::registry::{MetaSchemaRef, Registry};
use poem_openapi::types::{MaybeUndefined, ParseFromJSON, ToJSON, Type};
use poem_openapi::{ApiResponse, Object, OpenApiService, Tags};

use crate::service::page::Page as ServicePage;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Tags)]
pub enum ApiTags {
    /// Organisations that members and officials come from.
    Organisations,
    /// People: members, officials, co-opted experts, the secretariat.
    People,
    /// The main group and its special interest groups.
    Groups,
    /// Who sits in which group, in what role, for which term.
    Memberships,
    /// Meetings: scheduling, rescheduling, cancelling, marking held.
    Meetings,
    /// Agenda items of a meeting.
    Agenda,
    /// The attendance register: invitations, answers, apologies, attendance.
    Attendance,
    /// Action items raised at meetings and tracked to completion.
    Actions,
    /// Summary notes: writing, circulating, approving and publishing them, and
    /// downloading published versions as Word documents.
    #[oai(rename = "Summary notes")]
    SummaryNotes,
    /// API tokens for the secretariat and members.
    Tokens,
    /// The audit trail of every change.
    Audit,
    /// Meetings in people's calendars: invitations, group feeds and personal feeds.
    Calendars,
    /// Sign-in links for the member and secretariat web pages.
    SignIn,
}

type Apis = (
    organisations::OrganisationsApi,
    people::PeopleApi,
    groups::GroupsApi,
    memberships::MembershipsApi,
    meetings::MeetingsApi,
    agenda::AgendaApi,
    attendance::AttendanceApi,
    actions::ActionsApi,
    (notes::NotesApi, note_comments::NoteCommentsApi),
    tokens::TokensApi,
    (audit::AuditApi, calendar::CalendarApi, sign_in::SignInApi),
);

/// The API and its OpenAPI description.
pub fn service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            organisations::OrganisationsApi,
            people::PeopleApi,
            groups::GroupsApi,
            memberships::MembershipsApi,
            meetings::MeetingsApi,
            agenda::AgendaApi,
            attendance::AttendanceApi,
            actions::ActionsApi,
            (notes::NotesApi, note_comments::NoteCommentsApi),
            tokens::TokensApi,
            (audit::AuditApi, calendar::CalendarApi, sign_in::SignInApi),
        ),
        "minutebook",
        env!("CARGO_PKG_VERSION"),
    )
    .description(include_str!("description.md"))
    .server("/api/v1")
}

/// The OpenAPI document as served at `/api/openapi.json`.
pub fn openapi_json() -> String {
    service().spec()
}

/// One page of a list, in a stable order.
#[derive(Debug, Object)]
pub struct Page<T: ParseFromJSON + ToJSON + Type + Send + Sync> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Pass this as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ParseFromJSON + ToJSON + Type + Send + Sync> Page<T> {
    pub fn from_service<M>(page: ServicePage<M>, f: impl FnMut(M) -> T) -> Self {
        let page = page.map(f);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// A single resource.
#[derive(ApiResponse)]
pub enum Found<T: ParseFromJSON + ToJSON + Type + Send + Sync> {
    /// The resource as it is now. `ETag` carries its version for `If-Match`.
    #[oai(status = 200)]
    Ok(JsonBody<T>, #[oai(header = "ETag")] String),
}

/// A JSON body described by `T` in the OpenAPI document: either an object to
/// serialise, or the bytes of one serialised earlier and kept by
/// [`read_cache::ReadCache`].
pub enum JsonBody<T> {
    Object(T),
    Serialized(Bytes),
}

impl<T: ToJSON> JsonBody<T> {
    /// Serialises the object now, so that the bytes can be kept and sent again.
    pub fn serialize(value: &T) -> Bytes {
        let json = value.to_json().unwrap_or(serde_json::Value::Null);
        Bytes::from(serde_json::to_vec(&json).expect("a JSON value always serialises"))
    }
}

impl<T: Type> Payload for JsonBody<T> {
    const CONTENT_TYPE: &'static str = <Json<T> as Payload>::CONTENT_TYPE;

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ToJSON> IntoResponse for JsonBody<T> {
    fn into_response(self) -> poem::Response {
        match self {
            JsonBody::Object(value) => Json(value).into_response(),
            JsonBody::Serialized(bytes) => poem::Response::builder()
                .content_type(<Json<T> as Payload>::CONTENT_TYPE)
                .body(bytes),
        }
    }
}

/// A resource that was just created.
#[derive(ApiResponse)]
pub enum Created<T: ParseFromJSON + ToJSON + Type + Send + Sync> {
    /// Created. `Location` is its address; `ETag` carries its version.
    #[oai(status = 201)]
    Created(
        Json<T>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Location")] String,
    ),
}

/// A list.
#[derive(ApiResponse)]
pub enum Listed<T: ParseFromJSON + ToJSON + Type + Send + Sync> {
    /// One page of the list.
    #[oai(status = 200)]
    Ok(Json<Page<T>>),
}

/// Something was removed or revoked.
#[derive(ApiResponse)]
pub enum Removed {
    /// Done; there is nothing to return.
    #[oai(status = 204)]
    NoContent,
}

/// The strong entity tag of a resource at `version`.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// Reads an `If-Match` header: `"3"`, `W/"3"` or `3` all mean version 3; `*` means
/// any version. Anything else is a malformed request.
pub fn parse_if_match(header: Option<&str>) -> crate::Result<Option<i32>> {
    let Some(raw) = header.map(str::trim) else {
        return Ok(None);
    };
    if raw == "*" {
        return Ok(None);
    }
    let unquoted = raw.trim_start_matches("W/").trim_matches('"');
    unquoted.parse::<i32>().map(Some).map_err(|_| {
        crate::Error::BadRequest(format!(
            "If-Match must be the ETag you received, such as \"3\"; got {raw}"
        ))
    })
}

impl<T: ParseFromJSON + ToJSON + Type + Send + Sync + Versioned> Found<T> {
    pub fn of(value: T) -> Self {
        let tag = etag(value.version());
        Found::Ok(JsonBody::Object(value), tag)
    }

    /// A resource serialised earlier, with the `ETag` it was sent with.
    pub fn serialized(body: Bytes, etag: String) -> Self {
        Found::Ok(JsonBody::Serialized(body), etag)
    }
}

impl<T: ParseFromJSON + ToJSON + Type + Send + Sync + Versioned + Located> Created<T> {
    pub fn of(value: T) -> Self {
        let tag = etag(value.version());
        let location = value.location();
        Created::Created(Json(value), tag, location)
    }
}

impl<T: ParseFromJSON + ToJSON + Type + Send + Sync> Listed<T> {
    pub fn of<M>(page: ServicePage<M>, f: impl FnMut(M) -> T) -> Self {
        Listed::Ok(Json(Page::from_service(page, f)))
    }
}

/// An API object that carries its resource's version.
pub trait Versioned {
    fn version(&self) -> i32;
}

/// An API object with its own address.
pub trait Located {
    fn location(&self) -> String;
}

/// Implements [`Versioned`] and [`Located`] for `…Out` objects with `id` and
/// `version` fields.
#[macro_export]
macro_rules! resource {
    ($out:ty, $path:literal) => {
        impl $crate::api::Versioned for $out {
            fn version(&self) -> i32 {
                self.version
            }
        }
        impl $crate::api::Located for $out {
            fn location(&self) -> String {
                format!(concat!("/api/v1/", $path, "/{}"), self.id)
            }
        }
    };
}

/// A PATCH field that may be left out but not set to `null`.
pub fn required_patch<T>(value: MaybeUndefined<T>, field: &str) -> crate::Result<Option<T>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Err(crate::Error::invalid(field, "cannot be removed")),
        MaybeUndefined::Value(v) => Ok(Some(v)),
    }
}

/// A PATCH field that may be left out (`None`), removed (`Some(None)`) or set.
pub fn optional_patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_strong_weak_and_bare_versions() {
        assert_eq!(parse_if_match(Some("\"3\"")).unwrap(), Some(3));
        assert_eq!(parse_if_match(Some("W/\"3\"")).unwrap(), Some(3));
        assert_eq!(parse_if_match(Some("3")).unwrap(), Some(3));
        assert_eq!(parse_if_match(Some("*")).unwrap(), None);
        assert_eq!(parse_if_match(None).unwrap(), None);
        assert!(parse_if_match(Some("\"abc\"")).is_err());
    }
}
