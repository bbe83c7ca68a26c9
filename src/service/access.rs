//! What a member may see: the groups they currently belong to, and everything in
//! them that is not reserved to the secretariat. The secretariat sees everything.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::Visibility;
use crate::{Error, Result};
use entity::membership;

/// The groups whose membership includes `person_id` on `on`.
pub async fn groups_of_person(
    conn: &impl ConnectionTrait,
    person_id: Uuid,
    on: NaiveDate,
) -> Result<Vec<Uuid>> {
    Ok(membership::Entity::find()
        .select_only()
        .column(membership::Column::GroupId)
        .filter(membership::Column::PersonId.eq(person_id))
        .filter(current_on(on))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?)
}

/// Memberships that have started by `on` and not ended before it.
pub fn current_on(on: NaiveDate) -> Condition {
    Condition::all()
        .add(membership::Column::StartsOn.lte(on))
        .add(
            Condition::any()
                .add(membership::Column::EndsOn.is_null())
                .add(membership::Column::EndsOn.gte(on)),
        )
}

/// The groups a caller may read: `None` means all of them (the secretariat).
pub async fn readable_groups(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Option<Vec<Uuid>>> {
    match caller.member_person() {
        None if caller.is_secretariat() => Ok(None),
        None => Ok(Some(Vec::new())),
        Some(person) => Ok(Some(groups_of_person(conn, person, today()).await?)),
    }
}

/// Refuses a member who does not belong to `group_id`.
pub async fn ensure_can_read_group(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    group_id: Uuid,
) -> Result<()> {
    match readable_groups(conn, caller).await? {
        None => Ok(()),
        Some(groups) if groups.contains(&group_id) => Ok(()),
        Some(_) => Err(Error::forbidden(
            "you are not a current member of this group",
        )),
    }
}

/// The most a caller may see of agenda items and notes.
pub fn audience_of(caller: &Caller) -> Visibility {
    if caller.is_secretariat() {
        Visibility::Secretariat
    } else {
        Visibility::Members
    }
}

/// Today's date in UTC, for membership terms.
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
