//! `/groups/{id}/memberships` and `/memberships/{id}`: seats in groups.

use chrono::{DateTime, NaiveDate, Utc};
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::error::ApiResult;
use super::{ApiTags, Created, Found, Listed, optional_patch, parse_if_match, required_patch};
use crate::auth::BearerToken;
use crate::domain::MembershipRole;
use crate::service::access::today;
use crate::service::memberships::{self, MembershipChanges, NewMembership};
use crate::service::page::PageParams;
use crate::service::people::names;
use crate::startup::AppState;

/// A new membership.
#[derive(Debug, Object)]
pub struct MembershipIn {
    /// The person joining.
    pub person_id: Uuid,
    /// Their role in the group.
    pub role: MembershipRole,
    /// First day of the term.
    pub starts_on: NaiveDate,
    /// Last day of the term, if known.
    pub ends_on: Option<NaiveDate>,
    /// The organisation they represent; defaults to the person's organisation.
    pub organisation_id: Option<Uuid>,
}

/// Changes to a membership; fields left out stay as they are.
#[derive(Debug, Object)]
pub struct MembershipPatch {
    /// Their role in the group.
    pub role: MaybeUndefined<MembershipRole>,
    /// First day of the term.
    pub starts_on: MaybeUndefined<NaiveDate>,
    /// Last day of the term; set it to end the membership, `null` to make it open-ended.
    pub ends_on: MaybeUndefined<NaiveDate>,
    /// The organisation they represent.
    pub organisation_id: MaybeUndefined<Uuid>,
}

/// A membership.
#[derive(Debug, Object)]
pub struct MembershipOut {
    /// Its id.
    pub id: Uuid,
    /// The group.
    pub group_id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The person's name.
    pub person_name: String,
    /// Their role in the group.
    pub role: MembershipRole,
    /// The organisation they represent.
    pub organisation_id: Option<Uuid>,
    /// First day of the term.
    pub starts_on: NaiveDate,
    /// Last day of the term.
    pub ends_on: Option<NaiveDate>,
    /// Whether the term covers today.
    pub current: bool,
    /// Edit version, also sent as the `ETag`.
    pub version: i32,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}
crate::resource!(MembershipOut, "memberships");

impl MembershipOut {
    fn new(m: entity::membership::Model, person_name: String) -> Self {
        let day = today();
        Self {
            current: m.starts_on <= day && m.ends_on.is_none_or(|end| end >= day),
            id: m.id,
            group_id: m.group_id,
            person_id: m.person_id,
            person_name,
            role: m.role.parse().unwrap_or(MembershipRole::Member),
            organisation_id: m.organisation_id,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }

    async fn one(state: &AppState, m: entity::membership::Model) -> crate::Result<Self> {
        let people = names(&state.db, [m.person_id]).await?;
        let name = people
            .get(&m.person_id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        Ok(Self::new(m, name))
    }
}

pub struct MembershipsApi;

#[OpenApi(tag = "ApiTags::Memberships")]
impl MembershipsApi {
    /// Add someone to a group
    ///
    /// Secretariat only. A person's terms in one group must not overlap.
    #[oai(
        path = "/groups/:id/memberships",
        method = "post",
        operation_id = "memberships.create"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        body: Json<MembershipIn>,
    ) -> ApiResult<Created<MembershipOut>> {
        let b = body.0;
        let model = memberships::create(
            &state.db,
            &auth.0,
            id.0,
            NewMembership {
                person_id: b.person_id,
                role: b.role,
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                organisation_id: b.organisation_id,
            },
        )
        .await?;
        Ok(Created::of(MembershipOut::one(&state, model).await?))
    }

    /// List a group's memberships
    ///
    /// Members may read the memberships of their own groups. Ordered by start date.
    #[oai(
        path = "/groups/:id/memberships",
        method = "get",
        operation_id = "memberships.list"
    )]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The group's id.
        id: Path<Uuid>,
        /// Only memberships in force today.
        current: Query<Option<bool>>,
        /// How many to return (1–200, default 50).
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<Listed<MembershipOut>> {
        let page = PageParams {
            limit: limit.0,
            cursor: cursor.0,
        };
        let on = current.0.unwrap_or(false).then(today);
        let rows = memberships::list(&state.db, &auth.0, id.0, on, &page).await?;
        let people = names(&state.db, rows.items.iter().map(|m| m.person_id)).await?;
        Ok(Listed::of(rows, |m| {
            let name = people
                .get(&m.person_id)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            MembershipOut::new(m, name)
        }))
    }

    /// Get a membership
    ///
    /// Members may read memberships of their own groups.
    #[oai(
        path = "/memberships/:id",
        method = "get",
        operation_id = "memberships.get"
    )]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The membership's id.
        id: Path<Uuid>,
    ) -> ApiResult<Found<MembershipOut>> {
        let model = memberships::get(&state.db, &auth.0, id.0).await?;
        Ok(Found::of(MembershipOut::one(&state, model).await?))
    }

    /// Change a membership
    ///
    /// Secretariat only. End a term by setting `ends_on`. Send the `ETag` you read in
    /// `If-Match` (412 if it changed).
    #[oai(
        path = "/memberships/:id",
        method = "patch",
        operation_id = "memberships.update"
    )]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerToken,
        /// The membership's id.
        id: Path<Uuid>,
        /// The `ETag` of the version you edited.
        #[oai(name = "If-Match")]
        if_match: Header<Option<String>>,
        body: Json<MembershipPatch>,
    ) -> ApiResult<Found<MembershipOut>> {
        let expected = parse_if_match(if_match.0.as_deref())?;
        let b = body.0;
        let changes = MembershipChanges {
            role: required_patch(b.role, "role")?,
            starts_on: required_patch(b.starts_on, "starts_on")?,
            ends_on: optional_patch(b.ends_on),
            organisation_id: optional_patch(b.organisation_id),
        };
        let model = memberships::update(&state.db, &auth.0, id.0, expected, changes).await?;
        Ok(Found::of(MembershipOut::one(&state, model).await?))
    }
}
