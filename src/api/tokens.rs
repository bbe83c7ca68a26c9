//! `/tokens`: bearer tokens for the secretariat and members.

use chrono::{DateTime, Utc};
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
use crate::service::tokens;
use crate::startup::AppState;

/// A token to issue.
#[derive(Debug, Object)]
pub struct TokenIn {
    /// A name to recognise it by, e.g. "Ana Costa (member)".
    pub name: String,
    /// `secretariat` may do everything; `member` reads its person's groups and answers
    /// for that person.
    pub role: Role,
    /// The person a member token speaks for (required for `member`).
    pub person_id: Option<Uuid>,
}

/// A token (without its secret).
#[derive(Debug, Object)]
pub struct TokenOut {
    /// Its id, used to revoke it.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The person it speaks for.
    pub person_id: Option<Uuid>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token no longer works.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just issued, with its secret.
#[derive(Debug, Object)]
pub struct IssuedTokenOut {
    /// The secret to send as `Authorization: Bearer <token>`. It is shown only now:
    /// minutebook keeps only its hash.
    pub token: String,
    /// The token's details.
    pub details: TokenOut,
}

impl From<entity::api_token::Model> for TokenOut {
    fn from(m: entity::api_token::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            role: m.role.parse().unwrap_or(Role::Member),
            person_id: m.person_id,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// Answer to issuing a token.
#[derive(ApiResponse)]
pub enum TokenIssued {
    /// Issued. Copy the secret now; it is not shown again.
    #[oai(status = 201)]
    Created(Json<IssuedTokenOut>),
}

pub struct TokensApi;

#[OpenApi(tag = "ApiTags::Tokens")]
impl TokensApi {
    /// Issue a token
    ///
    /// Secretariat only. The answer holds the secret once; store it safely or send it
    /// to the member.
    #[oai(path = "/tokens", method = "post", operation_id = "tokens.create")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        body: Json<TokenIn>,
    ) -> ApiResult<TokenIssued> {
        let body = body.0;
        let issued =
            tokens::issue(&state.db, &auth.0, body.role, body.person_id, &body.name).await?;
        Ok(TokenIssued::Created(Json(IssuedTokenOut {
            token: issued.secret,
            details: issued.token.into(),
        })))
    }

    /// List tokens
    ///
    /// Secretariat only. Oldest first; secrets are never shown.
    #[oai(path = "/tokens", method = "get", operation_id = "tokens.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<TokenOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let rows = tokens::list(&state.db, &auth.0, &page).await?;
        Ok(Listed::of(rows, TokenOut::from))
    }

    /// Revoke a token
    ///
    /// Secretariat only. The token stops working at once.
    #[oai(
        path = "/tokens/:id",
        method = "delete",
        operation_id = "tokens.revoke"
    )]
    async fn revoke(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The token's id.
        id: Path<Uuid>,
    ) -> ApiResult<Removed> {
        tokens::revoke(&state.db, &auth.0, id.0).await?;
        Ok(Removed::NoContent)
    }
}
