//! `/organisations`: the bodies people come from.

use chrono::{DateTime, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, Listed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::OrganisationKind;
use crate::service::organisations::{self, NewOrganisation, OrganisationChanges};
use crate::service::page::PageParams;
use crate::startup::AppState;

/// A new organisation.
#[derive(Debug, Object)]
pub struct OrganisationIn {
    /// The organisation's name as it should appear in notes, e.g. "Clinks".
    pub name: String,
    /// What kind of body it is; officials come from `moj`, `hmpps` and `other_government`.
    pub kind: OrganisationKind,
    /// Its website (`https://…`).
    pub website: Option<String>,
}

/// Changes to an organisation; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct OrganisationPatch {
    /// The organisation's name.
    pub name: MaybeUndefined<String>,
    /// What kind of body it is.
    pub kind: MaybeUndefined<OrganisationKind>,
    /// Its website; `null` removes it.
    pub website: MaybeUndefined<String>,
}

/// An organisation.
#[derive(Debug, Object)]
pub struct OrganisationOut {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// Its website.
    pub website: Option<String>,
    /// Its edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(OrganisationOut, "organisations");

impl From<entity::organisation::Model> for OrganisationOut {
    fn from(m: entity::organisation::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            kind: m.kind.parse().unwrap_or(OrganisationKind::Other),
            website: m.website,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub struct OrganisationsApi;

#[OpenApi(tag = "ApiTags::Organisations")]
impl OrganisationsApi {
    /// Add an organisation
    ///
    /// Secretariat only. Names are unique.
    #[oai(
        path = "/organisations",
        method = "post",
        operation_id = "organisations.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        body: Json<OrganisationIn>,
    ) -> ApiResult<Created<OrganisationOut>> {
        let body = body.0;
        let model = organisations::create(
            &state.db,
            &auth.0,
            NewOrganisation {
                name: body.name,
                kind: body.kind,
                website: body.website,
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List organisations
    ///
    /// Secretariat only. Ordered by name.
    #[oai(
        path = "/organisations",
        method = "get",
        operation_id = "organisations.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Words to find in the organisation's name, ignoring case.
        q: Query<Option<String>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<OrganisationOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let rows = organisations::list(&state.db, &auth.0, q.0.as_deref(), &page).await?;
        Ok(Listed::of(rows, OrganisationOut::from))
    }

    /// Get an organisation
    ///
    /// Secretariat only.
    #[oai(
        path = "/organisations/:id",
        method = "get",
        operation_id = "organisations.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The organisation's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<OrganisationOut>> {
        let model = organisations::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Change an organisation
    ///
    /// Secretariat only. Send the `ETag` you read in `If-Match` to avoid overwriting
    /// someone else's change (412 if it changed).
    #[oai(
        path = "/organisations/:id",
        method = "patch",
        operation_id = "organisations.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The organisation's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<OrganisationPatch>,
    ) -> ApiResult<Found<OrganisationOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let body = body.0;
        let changes = OrganisationChanges {
            name: required_patch(body.name, "name")?,
            kind: required_patch(body.kind, "kind")?,
            website: optional_patch(body.website),
        };
        let model = organisations::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }
}
