//! `/sign-in-links`: single-use links that sign members (or the secretariat) in to
//! the web pages, without a password.

use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Listed, Removed};
use crate::auth::BearerToken;
use crate::domain::Role;
use crate::service::page::PageParams;
use crate::service::sign_in::{self, NewLink};
use crate::startup::AppState;

/// A sign-in link to issue.
#[derive(Debug, Object)]
pub struct SignInLinkIn {
    /// The person the link signs in. What their session may do follows their own
    /// access when they use it: the secretariat's workspace for a person with
    /// secretariat access, the member pages for everyone else.
    pub person_id: Uuid,
    /// How long the link works, in minutes (1 to 10080, default 60). It works once.
    pub expires_in_minutes: Option<i64>,
}

/// A sign-in link just issued.
#[derive(Debug, Object)]
pub struct IssuedSignInLinkOut {
    /// Its id, used to revoke it.
    pub id: Uuid,
    /// The address to send to the person. It is shown only now: minutebook keeps only
    /// a hash of its secret part. Opening it shows a "Sign in" button, so a mail
    /// scanner that fetches the address does not use it up.
    pub url: String,
    /// The person it signs in.
    pub person_id: Option<Uuid>,
    /// What the session it starts may do, as the person's access stands now.
    pub role: Role,
    /// When it stops working if unused.
    pub expires_at: DateTime<Utc>,
}

/// A sign-in link as listed: who it was for and what became of it.
#[derive(Debug, Object)]
pub struct SignInLinkOut {
    /// Its id, used to revoke it.
    pub id: Uuid,
    /// The person it signs in.
    pub person_id: Option<Uuid>,
    /// `unused`, `used`, `expired` or `revoked`.
    pub state: String,
    /// Who issued it.
    pub created_by: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops (or stopped) working if unused.
    pub expires_at: DateTime<Utc>,
    /// When it was used to sign in.
    pub used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Answer to issuing a link.
#[derive(ApiResponse)]
pub enum SignInLinkIssued {
    /// Issued. Send the URL to the person now; it is not shown again.
    #[oai(status = 201)]
    Created(Json<IssuedSignInLinkOut>),
}

/// The address people reach the service at: the configured public URL, or else the
/// scheme and host this request came in on.
pub fn public_base(state: &AppState, req: &Request) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let scheme = if crate::web::session::came_over_https(req) {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(poem::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}

pub struct SignInApi;

#[OpenApi(tag = "ApiTags::SignIn")]
impl SignInApi {
    /// Issue a sign-in link
    ///
    /// Secretariat only. The answer holds the link's URL once: send it to the person
    /// (for example by email). It works once, until it expires, and can be revoked.
    #[oai(
        path = "/sign-in-links",
        method = "post",
        operation_id = "sign_in_links.create"
    )]
    async fn create(
        &self,
        req: &Request,
        state: Data<&AppState>,
        auth: BearerToken,
        body: Json<SignInLinkIn>,
    ) -> ApiResult<SignInLinkIssued> {
        let body = body.0;
        let issued = sign_in::issue(
            &state.db,
            &auth.0,
            NewLink {
                person_id: body.person_id,
                expires_in_minutes: body.expires_in_minutes,
            },
        )
        .await?;
        let url = format!(
            "{}{}",
            public_base(&state, req),
            sign_in::link_path(&issued.secret)
        );
        Ok(SignInLinkIssued::Created(Json(IssuedSignInLinkOut {
            id: issued.link.id,
            url,
            person_id: issued.link.person_id,
            role: issued.link.role.parse().unwrap_or(Role::Member),
            expires_at: issued.link.expires_at,
        })))
    }

    /// List sign-in links
    ///
    /// Secretariat only. Newest first, with what became of each (`unused`, `used`,
    /// `expired`, `revoked`); their addresses are never shown again.
    #[oai(
        path = "/sign-in-links",
        method = "get",
        operation_id = "sign_in_links.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only this person's links.
        person_id: Query<Option<Uuid>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<SignInLinkOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let rows = sign_in::list_links(&state.db, &auth.0, person_id.0, &page).await?;
        let at = crate::domain::values::now();
        Ok(Listed::of(rows, |link| SignInLinkOut {
            state: sign_in::link_state(&link, at).to_owned(),
            id: link.id,
            person_id: link.person_id,
            created_by: link.created_by,
            created_at: link.created_at,
            expires_at: link.expires_at,
            used_at: link.used_at,
            revoked_at: link.revoked_at,
        }))
    }

    /// Revoke a sign-in link
    ///
    /// Secretariat only. The link stops working at once, and a session it already
    /// started ends too.
    #[oai(
        path = "/sign-in-links/:id",
        method = "delete",
        operation_id = "sign_in_links.revoke"
    )]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The link's id.
        id: Path<Uuid>,
    ) -> ApiResult<Removed> {
        sign_in::revoke(&state.db, &auth.0, id.0).await?;
        Ok(Removed::NoContent)
    }
}
