//! Access: the sign-in links the secretariat issues (the address shown once, to copy
//! into an email), people's personal calendar feeds, and the API tokens of
//! integrations — each issued and withdrawn here.

use askama::Template;
use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Body, EndpointExt, Request, Response, Route, get, handler, post};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::Role;
use crate::domain::values::now;
use crate::service::page::PageParams;
use crate::service::sign_in::{self, NewLink, WebSession};
use crate::service::{calendar, people, tokens};
use crate::startup::AppState;
use crate::web::flash;
use crate::web::form::{Choice, FieldErrors, FormFields, FormState};
use crate::web::pages::workspace::{chrome, person_choices, workspace, workspace_form};
use crate::web::{Chrome, Section, SecureHeaders, error_page, render};

/// How many links, feeds and tokens the access page lists.
const LISTED: u64 = 50;

pub fn routes(route: Route) -> Route {
    route
        .at("/secretariat/access", get(overview).with(SecureHeaders))
        .at(
            "/secretariat/access/sign-in-links/new",
            get(link_new).post(link_create).with(SecureHeaders),
        )
        .at(
            "/secretariat/access/sign-in-links/:id/revoke",
            post(link_revoke).with(SecureHeaders),
        )
        .at(
            "/secretariat/access/calendar-feeds/new",
            get(feed_new).post(feed_create).with(SecureHeaders),
        )
        .at(
            "/secretariat/access/calendar-feeds/:id/revoke",
            post(feed_revoke).with(SecureHeaders),
        )
        .at(
            "/secretariat/access/tokens/new",
            get(token_new).post(token_create).with(SecureHeaders),
        )
        .at(
            "/secretariat/access/tokens/:id/revoke",
            post(token_revoke).with(SecureHeaders),
        )
}

fn moment(at: DateTime<Utc>) -> String {
    crate::domain::when::format_date_time(at, chrono_tz::Europe::London)
}

struct LinkRow {
    id: Uuid,
    person: String,
    person_id: Option<Uuid>,
    state: &'static str,
    issued: String,
    detail: String,
}

struct FeedRow {
    id: Uuid,
    person: String,
    person_id: Uuid,
    issued: String,
    last_used: String,
}

struct TokenRow {
    id: Uuid,
    name: String,
    role: String,
    person: String,
    issued: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "workspace/access/overview.html")]
struct AccessPage {
    chrome: Chrome,
    links: Vec<LinkRow>,
    feeds: Vec<FeedRow>,
    tokens: Vec<TokenRow>,
}

async fn gather(
    req: &Request,
    state: &AppState,
    session: &WebSession,
) -> crate::Result<AccessPage> {
    let caller = &session.caller;
    let first = PageParams {
        limit: Some(LISTED),
        cursor: None,
    };
    let links = sign_in::list_links(&state.db, caller, None, &first)
        .await?
        .items;
    let feeds = calendar::list_feeds(&state.db, caller, &first).await?.items;
    let mut all_tokens = crate::web::pages::workspace::every(|page| async move {
        tokens::list(&state.db, caller, &page).await
    })
    .await?;
    all_tokens.reverse();
    let names = people::names(
        &state.db,
        links
            .iter()
            .filter_map(|l| l.person_id)
            .chain(feeds.iter().map(|f| f.person_id))
            .chain(all_tokens.iter().filter_map(|t| t.person_id)),
    )
    .await?;
    let name_of = |id: Option<Uuid>| {
        id.and_then(|id| names.get(&id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "Secretariat (no named person)".into())
    };
    let at = now();
    Ok(AccessPage {
        chrome: chrome(req, session, "Access", Section::Access),
        links: links
            .into_iter()
            .map(|l| {
                let state = sign_in::link_state(&l, at);
                let detail = match state {
                    "used" => format!("Used {}", l.used_at.map(moment).unwrap_or_default()),
                    "revoked" => {
                        format!("Withdrawn {}", l.revoked_at.map(moment).unwrap_or_default())
                    }
                    "expired" => format!("Expired {}", moment(l.expires_at)),
                    _ => format!("Works until {}", moment(l.expires_at)),
                };
                LinkRow {
                    id: l.id,
                    person: name_of(l.person_id),
                    person_id: l.person_id,
                    state,
                    issued: format!("{} by {}", moment(l.created_at), l.created_by),
                    detail,
                }
            })
            .collect(),
        feeds: feeds
            .into_iter()
            .map(|f| FeedRow {
                id: f.id,
                person: name_of(Some(f.person_id)),
                person_id: f.person_id,
                issued: moment(f.created_at),
                last_used: f
                    .last_used_at
                    .map(moment)
                    .unwrap_or_else(|| "Not yet".into()),
            })
            .collect(),
        tokens: all_tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                role: if t.role == "secretariat" {
                    "Secretariat".into()
                } else {
                    "Member".into()
                },
                person: t.person_id.map(|p| name_of(Some(p))).unwrap_or_default(),
                issued: moment(t.created_at),
                last_used: t.last_used_at.map(moment).unwrap_or_else(|| "Never".into()),
                revoked: t.revoked_at.map(moment),
                name: t.name,
            })
            .collect(),
    })
}

#[handler]
async fn overview(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    match gather(req, &state, &session).await {
        Ok(page) => render(StatusCode::OK, &page),
        Err(err) => error_page(Some(&session), err),
    }
}

/// How long a new sign-in link works, as offered on the form.
fn durations() -> Vec<Choice> {
    vec![
        Choice::new("60", "1 hour"),
        Choice::new("1440", "1 day"),
        Choice::new("4320", "3 days"),
        Choice::new("10080", "7 days (the longest)"),
    ]
}

#[derive(Template)]
#[template(path = "workspace/access/link_form.html")]
struct LinkForm {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    people: Vec<Choice>,
    durations: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "workspace/access/link_issued.html")]
struct LinkIssued {
    chrome: Chrome,
    person: String,
    email: Option<String>,
    url: String,
    expires: String,
    secretariat: bool,
}

#[derive(Debug, Default, Deserialize)]
struct ForPerson {
    #[serde(default)]
    person: Option<Uuid>,
}

async fn show_link_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    shown: FormState,
) -> Response {
    let people = match person_choices(state, session).await {
        Ok(p) => p,
        Err(err) => return error_page(Some(session), err),
    };
    render(
        shown.status(),
        &LinkForm {
            chrome: chrome(
                req,
                session,
                &shown.title("Issue a sign-in link"),
                Section::Access,
            ),
            form: shown.form,
            errors: shown.errors,
            people,
            durations: durations(),
        },
    )
}

#[handler]
async fn link_new(req: &Request, state: Data<&AppState>, query: Query<ForPerson>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let mut form = FormFields::from_pairs([("minutes", "1440")]);
    if let Some(person) = query.person {
        form.set("person_id", person.to_string());
    }
    show_link_form(req, &state, &session, FormState::new(form)).await
}

#[handler]
async fn link_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let person_id = form.choice("person_id", &mut errors, "a person");
    let minutes = form.number("minutes", &mut errors, "How long the link works");
    if errors.is_empty() && person_id.is_none() {
        errors.add("person_id", "Choose who the link is for");
    }
    if let (true, Some(person_id)) = (errors.is_empty(), person_id) {
        let issued = sign_in::issue(
            &state.db,
            &session.caller,
            NewLink {
                person_id,
                expires_in_minutes: minutes,
            },
        )
        .await;
        match issued {
            Ok(issued) => {
                let person = match people::get(&state.db, &session.caller, person_id).await {
                    Ok(p) => p,
                    Err(err) => return error_page(Some(&session), err),
                };
                let url = format!(
                    "{}{}",
                    crate::api::sign_in::public_base(&state, req),
                    sign_in::link_path(&issued.secret)
                );
                return render(
                    StatusCode::CREATED,
                    &LinkIssued {
                        chrome: chrome(req, &session, "Sign-in link issued", Section::Access),
                        secretariat: person.secretariat_access,
                        person: person.name,
                        email: person.email,
                        url,
                        expires: moment(issued.link.expires_at),
                    },
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[("expires_in_minutes", "minutes")], "save")
                {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_link_form(req, &state, &session, FormState::invalid(form, errors)).await
}

#[handler]
async fn link_revoke(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, _) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match sign_in::revoke(&state.db, &session.caller, id).await {
        Ok(()) => flash::redirect(
            req,
            "/secretariat/access",
            "The sign-in link was withdrawn. It no longer works, and any session it started has ended.",
        ),
        Err(err) => error_page(Some(&session), err),
    }
}

#[derive(Template)]
#[template(path = "workspace/access/feed_form.html")]
struct FeedForm {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    people: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "workspace/access/feed_issued.html")]
struct FeedIssuedPage {
    chrome: Chrome,
    person: String,
    url: String,
    webcal: String,
}

async fn show_feed_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    shown: FormState,
) -> Response {
    let people = match person_choices(state, session).await {
        Ok(p) => p,
        Err(err) => return error_page(Some(session), err),
    };
    render(
        shown.status(),
        &FeedForm {
            chrome: chrome(
                req,
                session,
                &shown.title("Issue a calendar feed"),
                Section::Access,
            ),
            form: shown.form,
            errors: shown.errors,
            people,
        },
    )
}

#[handler]
async fn feed_new(req: &Request, state: Data<&AppState>, query: Query<ForPerson>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    let mut form = FormFields::default();
    if let Some(person) = query.person {
        form.set("person_id", person.to_string());
    }
    show_feed_form(req, &state, &session, FormState::new(form)).await
}

#[handler]
async fn feed_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let person_id = form.choice("person_id", &mut errors, "a person");
    if errors.is_empty() && person_id.is_none() {
        errors.add("person_id", "Choose whose calendar feed it is");
    }
    if let (true, Some(person_id)) = (errors.is_empty(), person_id) {
        match calendar::issue_feed(&state.db, &session.caller, person_id).await {
            Ok(issued) => {
                let person = match people::get(&state.db, &session.caller, person_id).await {
                    Ok(p) => p.name,
                    Err(err) => return error_page(Some(&session), err),
                };
                let path = format!("/api/v1/calendar-feeds/{}/calendar.ics", issued.secret);
                let base = crate::api::sign_in::public_base(&state, req);
                let url = format!("{base}{path}");
                let webcal = format!(
                    "webcal://{}{path}",
                    base.split_once("://")
                        .map(|(_, host)| host)
                        .unwrap_or(&base)
                );
                return render(
                    StatusCode::CREATED,
                    &FeedIssuedPage {
                        chrome: chrome(req, &session, "Calendar feed issued", Section::Access),
                        person,
                        url,
                        webcal,
                    },
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_feed_form(req, &state, &session, FormState::invalid(form, errors)).await
}

#[handler]
async fn feed_revoke(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, _) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match calendar::revoke_feed(&state.db, &session.caller, id).await {
        Ok(()) => flash::redirect(
            req,
            "/secretariat/access",
            "The calendar feed was stopped. Calendars subscribed to it will stop updating.",
        ),
        Err(err) => error_page(Some(&session), err),
    }
}

#[derive(Template)]
#[template(path = "workspace/access/token_form.html")]
struct TokenForm {
    chrome: Chrome,
    form: FormFields,
    errors: FieldErrors,
    people: Vec<Choice>,
    roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "workspace/access/token_issued.html")]
struct TokenIssued {
    chrome: Chrome,
    name: String,
    secret: String,
}

async fn show_token_form(
    req: &Request,
    state: &AppState,
    session: &WebSession,
    shown: FormState,
) -> Response {
    let people = match person_choices(state, session).await {
        Ok(p) => p,
        Err(err) => return error_page(Some(session), err),
    };
    render(
        shown.status(),
        &TokenForm {
            chrome: chrome(
                req,
                session,
                &shown.title("Issue an API token"),
                Section::Access,
            ),
            form: shown.form,
            errors: shown.errors,
            people,
            roles: vec![
                Choice::new("secretariat", "Secretariat: may read and change everything"),
                Choice::new(
                    "member",
                    "Member: sees one person’s groups and answers for them",
                ),
            ],
        },
    )
}

#[handler]
async fn token_new(req: &Request, state: Data<&AppState>) -> Response {
    let session = match workspace(req, &state).await {
        Ok(s) => s,
        Err(page) => return page,
    };
    show_token_form(req, &state, &session, FormState::default()).await
}

#[handler]
async fn token_create(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let (session, form) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let mut errors = FieldErrors::default();
    let role = match form.value("role") {
        "secretariat" => Some(Role::Secretariat),
        "member" => Some(Role::Member),
        "" => {
            errors.add("role", "Choose what the token may do");
            None
        }
        _ => {
            errors.add("role", "Choose what the token may do from the list");
            None
        }
    };
    let person_id = form.choice("person_id", &mut errors, "a person");
    if let (true, Some(role)) = (errors.is_empty(), role) {
        let name = form.text("name");
        match tokens::issue(&state.db, &session.caller, role, person_id, &name).await {
            Ok(issued) => {
                return render(
                    StatusCode::CREATED,
                    &TokenIssued {
                        chrome: chrome(req, &session, "API token issued", Section::Access),
                        name: issued.token.name,
                        secret: issued.secret,
                    },
                );
            }
            Err(err) => {
                if let Err(other) = errors.absorb(err, &[], "save") {
                    return error_page(Some(&session), other);
                }
            }
        }
    }
    show_token_form(req, &state, &session, FormState::invalid(form, errors)).await
}

#[handler]
async fn token_revoke(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<Uuid>,
    body: Body,
) -> Response {
    let (session, _) = match workspace_form(req, &state, body).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    match tokens::revoke(&state.db, &session.caller, id).await {
        Ok(()) => flash::redirect(
            req,
            "/secretariat/access",
            "The API token was revoked. Anything still using it is refused from now on.",
        ),
        Err(err) => error_page(Some(&session), err),
    }
}
