//! Sign-in links and web sessions: how members reach their pages without a password.
//!
//! The secretariat issues a link (over the API or the command line). Opening it and
//! pressing "Sign in" consumes it — once, before it expires, unless it was revoked —
//! and starts a session kept in the database, so that several instances sharing one
//! PostgreSQL agree on who is signed in. Only SHA-256 hashes of link and session
//! secrets are stored.
//!
//! A session speaks through an ordinary [`Caller`], built from the session row, so
//! every rule of the services applies to the web pages unchanged.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Caller, generate_secret, hash_secret};
use crate::domain::values::now;
use crate::domain::{Role, Validation};
use crate::service::{audit, begin_write};
use crate::{Error, Result};
use entity::{person, sign_in_link, web_session};

/// How long a link works when the issuer does not say.
pub const DEFAULT_LINK_MINUTES: i64 = 60;
/// The longest a link may work: a week, enough for a link sent by email before a
/// weekend, short enough that an old email is not a standing key.
pub const MAX_LINK_MINUTES: i64 = 7 * 24 * 60;
/// How long a member stays signed in. Members visit now and then from their own
/// devices; a fortnight spares them a new link for every meeting.
pub const MEMBER_SESSION: Duration = Duration::days(14);
/// The secretariat may do everything, so its sessions are a working day long.
pub const SECRETARIAT_SESSION: Duration = Duration::hours(12);

/// A link to issue. Every link names its person: what the session may do follows
/// that person's access when it is used (secretariat access or membership), so a
/// person given or refused secretariat access needs no new link.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub person_id: Uuid,
    pub expires_in_minutes: Option<i64>,
}

/// A link just issued: the secret goes into the URL and is never shown again.
pub struct IssuedLink {
    pub link: sign_in_link::Model,
    pub secret: String,
}

/// The path a link's secret is opened at, below the service's public address.
pub fn link_path(secret: &str) -> String {
    format!("/sign-in/{secret}")
}

async fn check_and_insert(
    conn: &impl ConnectionTrait,
    new: &NewLink,
    created_by: &str,
) -> Result<IssuedLink> {
    let mut v = Validation::new();
    let minutes = new.expires_in_minutes.unwrap_or(DEFAULT_LINK_MINUTES);
    if !(1..=MAX_LINK_MINUTES).contains(&minutes) {
        v.fail(
            "expires_in_minutes",
            format!("must be between 1 and {MAX_LINK_MINUTES} minutes (a week)"),
        );
    }
    v.finish()?;
    let Some(person) = person::Entity::find_by_id(new.person_id).one(conn).await? else {
        return Err(Error::invalid("person_id", "no person has this id"));
    };
    let secret = generate_secret();
    let at = now();
    let link = sign_in_link::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(Some(person.id)),
        role: Set(role_of(&person).as_str().to_owned()),
        token_hash: Set(hash_secret(&secret)),
        created_at: Set(at),
        expires_at: Set(at + Duration::minutes(minutes)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_by: Set(created_by.chars().take(200).collect()),
    }
    .insert(conn)
    .await?;
    Ok(IssuedLink { link, secret })
}

/// What a person may do on the web pages: the secretariat's workspace with
/// secretariat access, the member pages otherwise.
pub fn role_of(person: &person::Model) -> Role {
    if person.secretariat_access {
        Role::Secretariat
    } else {
        Role::Member
    }
}

fn link_audit(link: &sign_in_link::Model) -> serde_json::Value {
    json!({"person_id": link.person_id, "role": link.role, "expires_at": link.expires_at})
}

/// Issues a sign-in link; secretariat only.
pub async fn issue(db: &DatabaseConnection, caller: &Caller, new: NewLink) -> Result<IssuedLink> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let issued = check_and_insert(&txn, &new, &caller.actor()).await?;
    audit::record(
        &txn,
        caller,
        "sign_in_link.create",
        "sign_in_link",
        Some(issued.link.id),
        link_audit(&issued.link),
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Issues a sign-in link from the command line.
pub async fn issue_from_command_line(db: &DatabaseConnection, new: NewLink) -> Result<IssuedLink> {
    let txn = begin_write(db).await?;
    let issued = check_and_insert(&txn, &new, "command line").await?;
    audit::record_by_operator(
        &txn,
        "sign_in_link.create",
        "sign_in_link",
        Some(issued.link.id),
        link_audit(&issued.link),
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Revokes a link so that it can no longer be used. Revoking twice is harmless; a
/// session the link already started is not affected.
pub async fn revoke(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> Result<()> {
    caller.require_secretariat()?;
    let txn = begin_write(db).await?;
    let link = sign_in_link::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("sign-in link", id))?;
    if link.revoked_at.is_none() {
        let at = now();
        sign_in_link::Entity::update_many()
            .col_expr(sign_in_link::Column::RevokedAt, Expr::value(at))
            .filter(sign_in_link::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        // A link is revoked when it went to the wrong person or was forwarded: a
        // session it already started must end with it.
        web_session::Entity::update_many()
            .col_expr(web_session::Column::EndedAt, Expr::value(Some(at)))
            .filter(web_session::Column::SignInLinkId.eq(id))
            .filter(web_session::Column::EndedAt.is_null())
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            caller,
            "sign_in_link.revoke",
            "sign_in_link",
            Some(id),
            link_audit(&link),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Why a link cannot sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// No link has this secret.
    Unknown,
    /// It has been used already: links work once.
    Used,
    /// Its time ran out.
    Expired,
    /// The secretariat withdrew it.
    Revoked,
}

fn refusal_of(link: &sign_in_link::Model, at: DateTime<Utc>) -> Option<LinkRefusal> {
    if link.revoked_at.is_some() {
        Some(LinkRefusal::Revoked)
    } else if link.used_at.is_some() {
        Some(LinkRefusal::Used)
    } else if link.expires_at <= at {
        Some(LinkRefusal::Expired)
    } else {
        None
    }
}

async fn find_link(
    conn: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<sign_in_link::Model>> {
    Ok(sign_in_link::Entity::find()
        .filter(sign_in_link::Column::TokenHash.eq(hash_secret(secret.trim())))
        .one(conn)
        .await?)
}

/// Whether a link would sign someone in now, without using it up (the page that
/// shows the "Sign in" button asks this).
pub async fn check_link(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<std::result::Result<(), LinkRefusal>> {
    Ok(match find_link(db, secret).await? {
        None => Err(LinkRefusal::Unknown),
        Some(link) => refusal_of(&link, now()).map_or(Ok(()), Err),
    })
}

/// A session just started: the secret goes into the cookie and is never stored.
pub struct StartedSession {
    pub session: web_session::Model,
    pub secret: String,
}

/// Uses up a link and starts a session. The link is marked used in the same
/// statement that checks it is still usable, so two browsers racing with one link
/// cannot both get in.
pub async fn consume(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<std::result::Result<StartedSession, LinkRefusal>> {
    let txn = begin_write(db).await?;
    let Some(link) = find_link(&txn, secret).await? else {
        return Ok(Err(LinkRefusal::Unknown));
    };
    let at = now();
    if let Some(refusal) = refusal_of(&link, at) {
        return Ok(Err(refusal));
    }
    let claimed = sign_in_link::Entity::update_many()
        .col_expr(sign_in_link::Column::UsedAt, Expr::value(at))
        .filter(sign_in_link::Column::Id.eq(link.id))
        .filter(sign_in_link::Column::UsedAt.is_null())
        .filter(sign_in_link::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(Err(LinkRefusal::Used));
    }
    // The person's access as it is now decides, not as it was when the link was
    // issued: access may have been given or taken away since.
    let role: Role = match link.person_id {
        Some(person_id) => match person::Entity::find_by_id(person_id).one(&txn).await? {
            Some(person) => role_of(&person),
            None => return Ok(Err(LinkRefusal::Unknown)),
        },
        None => link
            .role
            .parse()
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored link role: {e}")))?,
    };
    let lifetime = match role {
        Role::Member => MEMBER_SESSION,
        Role::Secretariat => SECRETARIAT_SESSION,
    };
    let session_secret = generate_secret();
    let session = web_session::ActiveModel {
        id: Set(Uuid::new_v4()),
        token_hash: Set(hash_secret(&session_secret)),
        person_id: Set(link.person_id),
        role: Set(role.as_str().to_owned()),
        csrf_token: Set(generate_secret()),
        sign_in_link_id: Set(Some(link.id)),
        created_at: Set(at),
        expires_at: Set(at + lifetime),
        ended_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let caller = caller_of(&txn, &session).await?;
    audit::record(
        &txn,
        &caller,
        "web_session.start",
        "web_session",
        Some(session.id),
        json!({"sign_in_link_id": link.id, "expires_at": session.expires_at}),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(StartedSession {
        session,
        secret: session_secret,
    }))
}

/// A signed-in browser: who it speaks for and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub id: Uuid,
    pub caller: Caller,
    /// The person's name, or "Secretariat" for a secretariat session without one.
    pub display_name: String,
    pub csrf_token: String,
}

async fn caller_of(conn: &impl ConnectionTrait, session: &web_session::Model) -> Result<Caller> {
    Ok(describe(conn, session).await?.0)
}

async fn describe(
    conn: &impl ConnectionTrait,
    session: &web_session::Model,
) -> Result<(Caller, String)> {
    let role: Role = session
        .role
        .parse()
        .map_err(|e| Error::Unexpected(anyhow::anyhow!("stored session role: {e}")))?;
    // A person's access is read at every request, so access taken away ends the
    // workspace at once, and access given needs no new link.
    let (role, display_name) = match session.person_id {
        Some(person_id) => match person::Entity::find_by_id(person_id).one(conn).await? {
            Some(person) => (role_of(&person), person.name),
            None => (Role::Member, "Unknown person".into()),
        },
        // Sessions from before links named their person.
        None => (role, "Secretariat".into()),
    };
    let caller = Caller {
        token_id: session.id,
        name: format!("{display_name} (web)"),
        role,
        person_id: session.person_id,
        stamp: None,
    };
    Ok((caller, display_name))
}

/// The session behind a cookie's secret, if it is current.
pub async fn session(db: &DatabaseConnection, secret: &str) -> Result<Option<WebSession>> {
    let Some(row) = web_session::Entity::find()
        .filter(web_session::Column::TokenHash.eq(hash_secret(secret.trim())))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.ended_at.is_some() || row.expires_at <= now() {
        return Ok(None);
    }
    let (caller, display_name) = describe(db, &row).await?;
    Ok(Some(WebSession {
        id: row.id,
        caller,
        display_name,
        csrf_token: row.csrf_token,
    }))
}

/// Ends a session (signing out). Ending it twice is harmless.
pub async fn end(db: &DatabaseConnection, session: &WebSession) -> Result<()> {
    let txn = begin_write(db).await?;
    let ended = web_session::Entity::update_many()
        .col_expr(web_session::Column::EndedAt, Expr::value(now()))
        .filter(web_session::Column::Id.eq(session.id))
        .filter(web_session::Column::EndedAt.is_null())
        .exec(&txn)
        .await?;
    if ended.rows_affected == 1 {
        audit::record(
            &txn,
            &session.caller,
            "web_session.end",
            "web_session",
            Some(session.id),
            json!({}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sign-in links, newest first; with `person_id`, only that person's. Secretariat
/// only. Secrets are never shown again: only who, when, and what became of them.
pub async fn list_links(
    db: &DatabaseConnection,
    caller: &Caller,
    person_id: Option<Uuid>,
    page: &crate::service::page::PageParams,
) -> Result<crate::service::page::Page<sign_in_link::Model>> {
    use sea_orm::Order;
    caller.require_secretariat()?;
    let mut query = sign_in_link::Entity::find();
    if let Some(person_id) = person_id {
        query = query.filter(sign_in_link::Column::PersonId.eq(person_id));
    }
    crate::service::page::fetch_page_ordered(
        db,
        query,
        Expr::col(sign_in_link::Column::CreatedAt),
        sign_in_link::Column::Id,
        Order::Desc,
        page,
        |link| (link.created_at, link.id),
    )
    .await
}

/// What became of a link, in a word: `unused`, `used`, `expired` or `revoked`.
pub fn link_state(link: &sign_in_link::Model, at: DateTime<Utc>) -> &'static str {
    match refusal_of(link, at) {
        None => "unused",
        Some(LinkRefusal::Used) => "used",
        Some(LinkRefusal::Expired) => "expired",
        Some(LinkRefusal::Revoked) | Some(LinkRefusal::Unknown) => "revoked",
    }
}
