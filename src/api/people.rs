//! `/people`: members, officials, co-opted experts and the secretariat.

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
use crate::service::page::PageParams;
use crate::service::people::{self, NewPerson, PeopleFilter, PersonChanges};
use crate::startup::AppState;

/// A new person.
#[derive(Debug, Object)]
pub struct PersonIn {
    /// Full name as it should appear in attendance lists.
    pub name: String,
    /// Email address, used for calendar invitations. Unique; only the secretariat sees it.
    pub email: Option<String>,
    /// Job title, e.g. "Chief Executive" or "Deputy Director, Probation Reform".
    pub job_title: Option<String>,
    /// The organisation they work for.
    pub organisation_id: Option<Uuid>,
    /// Whether they work for the secretariat: their sign-in links then open the
    /// secretariat's workspace. Default `false`.
    pub secretariat_access: Option<bool>,
}

/// Changes to a person; fields left out stay as they are, `null` clears them.
#[derive(Debug, Object)]
pub struct PersonPatch {
    /// Full name.
    pub name: MaybeUndefined<String>,
    /// Email address.
    pub email: MaybeUndefined<String>,
    /// Job title.
    pub job_title: MaybeUndefined<String>,
    /// The organisation they work for.
    pub organisation_id: MaybeUndefined<Uuid>,
    /// Give (`true`) or take away (`false`) secretariat access. The last person with
    /// access cannot lose it (409).
    pub secretariat_access: MaybeUndefined<bool>,
}

/// A person.
#[derive(Debug, Object)]
pub struct PersonOut {
    /// Their id.
    pub id: Uuid,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Job title.
    pub job_title: Option<String>,
    /// The organisation they work for.
    pub organisation_id: Option<Uuid>,
    /// Whether they work for the secretariat.
    pub secretariat_access: bool,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When they were added.
    pub created_at: DateTime<Utc>,
    /// When their details last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(PersonOut, "people");

impl From<entity::person::Model> for PersonOut {
    fn from(m: entity::person::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            email: m.email,
            job_title: m.job_title,
            organisation_id: m.organisation_id,
            secretariat_access: m.secretariat_access,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub struct PeopleApi;

#[OpenApi(tag = "ApiTags::People")]
impl PeopleApi {
    /// Add a person
    ///
    /// Secretariat only. Email addresses are unique (ignoring case).
    #[oai(path = "/people", method = "post", operation_id = "people.create")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        body: Json<PersonIn>,
    ) -> ApiResult<Created<PersonOut>> {
        let body = body.0;
        let model = people::create(
            &state.db,
            &auth.0,
            NewPerson {
                name: body.name,
                email: body.email,
                job_title: body.job_title,
                organisation_id: body.organisation_id,
                secretariat_access: body.secretariat_access.unwrap_or(false),
            },
        )
        .await?;
        Ok(Created::of(model.into()))
    }

    /// List people
    ///
    /// Secretariat only. Ordered by name.
    #[oai(path = "/people", method = "get", operation_id = "people.list")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// Only people of this organisation.
        organisation_id: Query<Option<Uuid>>,
        /// Words to find in the person's name or their organisation's name, ignoring case.
        q: Query<Option<String>>,
        /// Only people with (`true`) or without (`false`) secretariat access.
        secretariat_access: Query<Option<bool>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<PersonOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let filter = PeopleFilter {
            organisation_id: organisation_id.0,
            search: q.0,
            secretariat_access: secretariat_access.0,
        };
        let rows = people::list(&state.db, &auth.0, filter, &page).await?;
        Ok(Listed::of(rows, PersonOut::from))
    }

    /// Get a person
    ///
    /// The secretariat may read anyone; a member only themselves.
    #[oai(path = "/people/:id", method = "get", operation_id = "people.get")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The person's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<PersonOut>> {
        let model = people::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(model.into()))
    }

    /// Change a person's details
    ///
    /// Secretariat only. Send the `ETag` you read in `If-Match` (412 if it changed).
    #[oai(path = "/people/:id", method = "patch", operation_id = "people.update")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The person's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<PersonPatch>,
    ) -> ApiResult<Found<PersonOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let body = body.0;
        let changes = PersonChanges {
            name: required_patch(body.name, "name")?,
            email: optional_patch(body.email),
            job_title: optional_patch(body.job_title),
            organisation_id: optional_patch(body.organisation_id),
            secretariat_access: required_patch(body.secretariat_access, "secretariat_access")?,
        };
        let model = people::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(model.into()))
    }
}
