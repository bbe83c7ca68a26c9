//! `/meetings/{id}/invite.ics`, `/groups/{id}/calendar.ics` and personal calendar
//! feeds: meetings as iCalendar files for people's calendars.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::download::{Calendar, Download, attachment, content_etag, none_match};
use super::error::ApiResult;
use super::{ApiTags, Removed};
use crate::auth::BearerToken;
use crate::service::calendar::{self, CalendarFile};
use crate::startup::AppState;

/// An iCalendar file.
#[derive(ApiResponse)]
pub enum CalendarResponse {
    /// The calendar (RFC 5545). `ETag` changes exactly when the content does.
    #[oai(status = 200)]
    Ok(
        Download<Calendar>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
    /// Unchanged since the `ETag` sent in `If-None-Match`.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String),
}

impl CalendarResponse {
    fn of(file: CalendarFile, if_none_match: Option<&str>) -> Self {
        let bytes = file.body.into_bytes();
        let etag = content_etag(&bytes);
        if none_match(if_none_match, &etag) {
            return Self::NotModified(etag);
        }
        Self::Ok(
            Download::new(bytes, file.content_type),
            etag,
            attachment(&file.file_name),
            // Personal data: shared caches must not keep it; clients revalidate.
            "private, no-cache".into(),
        )
    }
}

/// A personal calendar feed just issued.
#[derive(Debug, Object)]
pub struct CalendarFeedOut {
    /// The feed's id, for revoking it (`DELETE /calendar-feeds/{id}`).
    pub id: Uuid,
    /// The person whose meetings it lists.
    pub person_id: Uuid,
    /// The secret address, relative to the server: shown this once and never again.
    /// Anyone with it can read the person's meetings, so treat it like a password.
    pub path: String,
    /// The same address with `webcal://` in front of the host you called, which
    /// opens a subscription in most calendar apps; `null` if the request named no
    /// host.
    pub webcal_url: Option<String>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
}

/// A feed was issued.
#[derive(ApiResponse)]
pub enum FeedIssued {
    /// Issued; any earlier feed of the person is revoked.
    #[oai(status = 201)]
    Created(Json<CalendarFeedOut>, #[oai(header = "Location")] String),
}

pub struct CalendarApi;

#[OpenApi(tag = "ApiTags::Calendars")]
impl CalendarApi {
    /// Download a meeting's invitation (.ics)
    ///
    /// The secretariat, or a member of the meeting's group. One VEVENT whose UID
    /// never changes and whose SEQUENCE rises on every reschedule, change of place
    /// or cancellation (`STATUS:CANCELLED`, `METHOD:CANCEL`). Times are in the
    /// meeting's time zone, with its VTIMEZONE. The organizer is the secretariat;
    /// the secretariat's copy lists every attendee with their answer (apologies
    /// read as DECLINED), a member's copy lists only the member.
    #[oai(
        path = "/meetings/:id/invite.ics",
        method = "get",
        operation_id = "calendars.invite"
    )]
    async fn invite(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The meeting's id.
        id: Path<Uuid>,
        /// An `ETag` you hold: 304 if the file is unchanged.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<CalendarResponse> {
        let file = calendar::invite(&state.db, &auth.0, id.0).await?;
        Ok(CalendarResponse::of(file, if_none_match.0.as_deref()))
    }

    /// Download a group's meetings as a calendar feed (.ics)
    ///
    /// The secretariat, or a member of the group. Every meeting of the group,
    /// cancelled ones marked cancelled. Calendar apps that cannot send a bearer
    /// token subscribe to a personal feed instead (`POST /people/{id}/calendar-feed`).
    #[oai(
        path = "/groups/:id/calendar.ics",
        method = "get",
        operation_id = "calendars.group_feed"
    )]
    async fn group_feed(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// An `ETag` you hold: 304 if the file is unchanged.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<CalendarResponse> {
        let file = calendar::group_feed(&state.db, &auth.0, id.0).await?;
        Ok(CalendarResponse::of(file, if_none_match.0.as_deref()))
    }

    /// Issue a personal calendar feed
    ///
    /// The secretariat, or a member for themselves. Answers the feed's secret
    /// address once; subscribe to it in a calendar app. It lists every meeting the
    /// person is invited to. Issuing a new feed revokes the person's earlier one.
    #[oai(
        path = "/people/:id/calendar-feed",
        method = "post",
        operation_id = "calendars.issue_feed"
    )]
    async fn issue_feed(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The person's id.
        id: Path<Uuid>,
        /// The host the caller reached, to build `webcal_url`.
        #[oai(name = "Host")]
        host: Header<Option<String>>,
    ) -> ApiResult<FeedIssued> {
        let issued = calendar::issue_feed(&state.db, &auth.0, id.0).await?;
        let path = format!("/api/v1/calendar-feeds/{}/calendar.ics", issued.secret);
        let webcal_url = host
            .0
            .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '@']))
            .map(|h| format!("webcal://{h}{path}"));
        let location = format!("/api/v1/calendar-feeds/{}", issued.feed.id);
        Ok(FeedIssued::Created(
            Json(CalendarFeedOut {
                id: issued.feed.id,
                person_id: issued.feed.person_id,
                path,
                webcal_url,
                created_at: issued.feed.created_at,
            }),
            location,
        ))
    }

    /// Read a personal calendar feed (.ics), without a token
    ///
    /// Public: the secret in the address is the credential, because calendar apps
    /// cannot send an `Authorization` header. 404 for an unknown address, 410 once
    /// the feed is revoked. Lists only what members may see (no secretariat-only
    /// agenda items, no attendees).
    #[oai(
        path = "/calendar-feeds/:secret/calendar.ics",
        method = "get",
        operation_id = "calendars.personal_feed"
    )]
    async fn personal_feed(
        &self,
        state: Data<&AppState>,
        /// The feed's secret, from the address it was issued with.
        secret: Path<String>,
        /// An `ETag` you hold: 304 if the file is unchanged.
        #[oai(name = "If-None-Match")]
        if_none_match: Header<Option<String>>,
    ) -> ApiResult<CalendarResponse> {
        let file = calendar::personal_feed(&state.db, &secret.0).await?;
        Ok(CalendarResponse::of(file, if_none_match.0.as_deref()))
    }

    /// Revoke a personal calendar feed
    ///
    /// The secretariat, or the person it belongs to. Its address stops working at
    /// once (410).
    #[oai(
        path = "/calendar-feeds/:id",
        method = "delete",
        operation_id = "calendars.revoke_feed"
    )]
    async fn revoke_feed(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The feed's id (not its secret).
        id: Path<Uuid>,
    ) -> ApiResult<Removed> {
        calendar::revoke_feed(&state.db, &auth.0, id.0).await?;
        Ok(Removed::NoContent)
    }
}
