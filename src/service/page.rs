//! Cursor pagination: lists come in pages of `limit` items in a stable order, with an
//! opaque cursor for the next page. The cursor holds the sort key and id of the last
//! item returned, so pages stay consistent while rows are added.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Select, Value,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::{Error, Result};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// What a caller asked for: how many, and after which cursor.
#[derive(Debug, Clone, Default)]
pub struct PageParams {
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

impl PageParams {
    /// The page size, checked against the bounds.
    pub fn limit(&self) -> Result<u64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    /// The position to continue after, if a cursor was given.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<(K, Uuid)>> {
        let Some(cursor) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let bad = || Error::invalid("cursor", "is not a cursor this list handed out");
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        serde_json::from_slice(&bytes).map(Some).map_err(|_| bad())
    }
}

/// Encodes the position after `key` and `id`.
pub fn encode_cursor<K: Serialize>(key: &K, id: Uuid) -> String {
    let json = serde_json::to_vec(&(key, id)).expect("cursor keys serialise");
    URL_SAFE_NO_PAD.encode(json)
}

/// One page of rows and the cursor for the next page, if there is one.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Fetches one page of `query` ordered by `key` then `id`, continuing after the
/// caller's cursor.
pub async fn fetch_page<E, C, K>(
    conn: &impl ConnectionTrait,
    query: Select<E>,
    key: C,
    id: E::Column,
    params: &PageParams,
    key_of: impl Fn(&E::Model) -> (K, Uuid),
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    C: ColumnTrait + IntoColumnRef,
    K: Serialize + DeserializeOwned + Into<Value> + Clone,
{
    fetch_page_by(conn, query, Expr::col(key), id, params, key_of).await
}

/// Like [`fetch_page`], ordered by an expression (for example a date with blanks
/// sorted last).
pub async fn fetch_page_by<E, K>(
    conn: &impl ConnectionTrait,
    query: Select<E>,
    key: Expr,
    id: E::Column,
    params: &PageParams,
    key_of: impl Fn(&E::Model) -> (K, Uuid),
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    K: Serialize + DeserializeOwned + Into<Value> + Clone,
{
    fetch_page_ordered(conn, query, key, id, Order::Asc, params, key_of).await
}

/// Like [`fetch_page_by`], in either direction (`Order::Desc` for newest first).
pub async fn fetch_page_ordered<E, K>(
    conn: &impl ConnectionTrait,
    query: Select<E>,
    key: Expr,
    id: E::Column,
    order: Order,
    params: &PageParams,
    key_of: impl Fn(&E::Model) -> (K, Uuid),
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    K: Serialize + DeserializeOwned + Into<Value> + Clone,
{
    let limit = params.limit()?;
    let descending = matches!(order, Order::Desc);
    let mut query = query
        .order_by(key.clone(), order.clone())
        .order_by(id, order);
    if let Some((after_key, after_id)) = params.after::<K>()? {
        let (past_key, past_id) = if descending {
            (
                ExprTrait::lt(key.clone(), after_key.clone()),
                id.lt(after_id),
            )
        } else {
            (
                ExprTrait::gt(key.clone(), after_key.clone()),
                id.gt(after_id),
            )
        };
        query = query.filter(
            Condition::any().add(past_key).add(
                Condition::all()
                    .add(ExprTrait::eq(key, after_key))
                    .add(past_id),
            ),
        );
    }
    let mut rows = query.limit(limit + 1).all(conn).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|row| {
            let (k, id) = key_of(row);
            encode_cursor(&k, id)
        })
    } else {
        None
    };
    Ok(Page {
        items: rows,
        next_cursor,
    })
}
